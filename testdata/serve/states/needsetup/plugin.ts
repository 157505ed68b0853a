// Needs a token and a region nobody supplied.
export default definePlugin({
  configSchema: z.object({
    token: z.string().secret().label('API Token'),
    region: z.string().label('Region'),
  }),
  auth: { type: 'token', fields: [{ key: 'token', label: 'API Token' }] },
  onActivate: async (ctx) => {
    if (ctx.config.token !== 'fake-token-for-tests') throw new Error('that token was refused');
    ctx.log.info(`activated in ${ctx.config.region}`);
  },
  tools: { where: { description: 'The region', run: async (_in, ctx) => ctx.config.region } },
});
