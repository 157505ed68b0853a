// The plugin refuses its credentials (an Error thrown after no failed
// request): asking again may help, so it needs setup.
export default definePlugin({
  tools: [{ name: 'ping', description: 'Answers pong.', parameters: z.object({}), execute: async () => ({ content: 'pong' }) }],
  onActivate: async () => {
    throw new Error('Invalid API token');
  },
});
