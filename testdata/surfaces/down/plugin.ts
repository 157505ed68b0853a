// The plugin's service cannot be reached (nothing listens on port 1): the
// network failed, not the credentials.
export default definePlugin({
  tools: [{ name: 'ping', description: 'Answers pong.', parameters: z.object({}), execute: async () => ({ content: 'pong' }) }],
  onActivate: async () => {
    const res = await fetch('http://127.0.0.1:1/me');
    if (!res.ok) throw new Error('Invalid API token');
  },
});
