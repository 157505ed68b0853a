// A required secret nobody supplied.
export default definePlugin({
  configSchema: z.object({ token: z.string().secret().label('API Token') }),
  tools: [{ name: 'ping', description: 'Answers pong.', parameters: z.object({}), execute: async () => ({ content: 'pong' }) }],
});
