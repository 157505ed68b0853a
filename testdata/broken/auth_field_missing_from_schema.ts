export default definePlugin({
  configSchema: z.object({
    token: z.string().secret(),
  }),
  auth: { type: 'token', fields: [{ key: 'apiKey', label: 'API Key' }] },
});
