// A saved value the configSchema refuses (TestSurfacesAgree writes
// {"limit": 0} as its saved config): asking again helps, so it needs setup.
export default definePlugin({
  configSchema: z.object({ limit: z.number().int().min(1).label('Page size') }),
  tools: [{ name: 'ping', description: 'Answers pong.', parameters: z.object({}), execute: async () => ({ content: 'pong' }) }],
});
