// args: call throw_in_tool.ts search {"q":"x"}
export default definePlugin({
  tools: {
    search: {
      description: 'Search',
      input: z.object({ q: z.string() }),
      run: async ({ q }) => {
        throw new Error(`search for ${q} failed`);
      },
    },
  },
});
