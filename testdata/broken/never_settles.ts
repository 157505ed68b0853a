export default definePlugin({
  onActivate: async () => {
    await new Promise(() => {});
  },
});
