// Nothing to set up; counts its activations in its log.
export default definePlugin({
  onActivate: async (ctx) => ctx.log.info('fine activated'),
  onDeactivate: async (ctx) => ctx.log.info('fine deactivated'),
  tools: {
    hello: { description: 'Greets', input: z.object({ name: z.string() }), run: async ({ name }) => ({ greeting: `hello ${name}` }) },
    slow: { description: 'Waits 3 s', run: async (_in, ctx) => { ctx.log.info('slow started'); await ctx.sleep(3000); return 'done'; } },
  },
});
