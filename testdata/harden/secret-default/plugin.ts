export default definePlugin({
  id: 'sd',
  configSchema: z.object({
    key: z.string().secret().default('LeakySecret-5551234'),
    inner: z.object({ nested: z.string().secret().default('LeakySecret-nested-777') }).default({ nested: 'LeakySecret-nested-777' }),
    obj: z.object({ token: z.string().secret() }).default({ token: 'LeakySecret-whole-888' }),
    plain: z.string().default('visible-default-value'),
  }),
  tools: [
    {
      name: 'show', description: 'shows the config', parameters: z.object({}),
      execute: async (_p, ctx) => {
        ctx.logger.info('key is ' + ctx.config.key);
        return { content: JSON.stringify({ key: ctx.config.key, nested: ctx.config.inner.nested, whole: ctx.config.obj.token, plain: ctx.config.plain }) };
      },
    },
    {
      name: 'fail', description: 'throws with the key', parameters: z.object({}),
      execute: async (_p, ctx) => { throw new Error('bad key ' + ctx.config.key); },
    },
  ],
});
