// Answers a steady stream of calls while the others fail.
export default definePlugin({
  tools: {
    echo: {
      description: 'Echoes n',
      input: z.object({ n: z.number() }),
      run: async ({ n }) => ({ n }),
    },
  },
});
