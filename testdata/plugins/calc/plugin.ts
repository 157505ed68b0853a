// Tools for the CLI tests: input validation, results, a throwing tool, and
// a loop that counts its runs in the store.
export default definePlugin({
  configSchema: z.object({
    scale: z.number().default(1).describe('Multiplier for results'),
  }),
  tools: {
    add: {
      description: 'Adds two numbers',
      input: z.object({ a: z.number(), b: z.number(), tags: z.array(z.string()).optional() }),
      run: async ({ a, b }, ctx) => ({ sum: (a + b) * ctx.config.scale }),
    },
    runs: {
      description: 'How often the loop ran',
      run: async (_input, ctx) => (await ctx.store.get<number>('runs')) ?? 0,
    },
    explode: {
      description: 'Always fails',
      run: async () => {
        throw new Error('kaboom');
      },
    },
  },
  loop: {
    every: '1h',
    run: async (ctx) => {
      const runs = ((await ctx.store.get<number>('runs')) ?? 0) + 1;
      await ctx.store.set('runs', runs);
      ctx.log.info(`loop run ${runs}`);
    },
  },
});
