export default definePlugin({
  configSchema: z.object({ token: z.string().secret() }),
  auth: { type: 'token', fields: { key: 'token' } } as any,
});
