// A plugin outside the group: it answers while the group restarts.
export default definePlugin({
  id: 'other',
  tools: [{
    name: 'echo', description: 'echoes n', parameters: z.object({ n: z.number() }),
    execute: async ({ n }) => ({ content: String(n) }),
  }],
});
