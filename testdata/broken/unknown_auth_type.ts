export default definePlugin({
  auth: { type: 'basic' } as any,
});
