// onActivate has a bug (a TypeError): an error at its position, never
// asked again.
export default definePlugin({
  tools: [{ name: 'ping', description: 'Answers pong.', parameters: z.object({}), execute: async () => ({ content: 'pong' }) }],
  onActivate: async (ctx) => {
    const cfg: any = undefined;
    ctx.logger.info(cfg.missing);
  },
});
