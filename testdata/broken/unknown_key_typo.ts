export default definePlugin({
  onActivated: async () => {},
} as any);
