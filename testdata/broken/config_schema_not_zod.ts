export default definePlugin({
  configSchema: { token: 'string' } as any,
});
