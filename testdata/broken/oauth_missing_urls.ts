export default definePlugin({
  auth: { type: 'oauth2', clientId: 'x' } as any,
});
