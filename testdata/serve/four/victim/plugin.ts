// Its worker is killed with SIGKILL by the test.
export default definePlugin({
  onActivate: async (ctx) => ctx.log.info('victim activated'),
  tools: { ping: { description: 'Answers pong', run: async () => 'pong' } },
});
