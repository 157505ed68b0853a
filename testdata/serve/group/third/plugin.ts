// other's partner in a second group: both answer while keeper's group
// restarts.
export default definePlugin({
  id: 'third',
  tools: [{ name: 'ping', description: 'answers pong', parameters: z.object({}), execute: async () => ({ content: 'pong' }) }],
});
