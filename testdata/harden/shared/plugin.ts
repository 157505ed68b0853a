// Values that repeat a shared object sixty times (2^60 members when
// walked), handed to host on its JSON paths.
const shared = () => { let v: any = { x: 1 }; for (let i = 0; i < 60; i++) v = { a: v, b: v }; return v; };
export default definePlugin({
  id: 'shared',
  tools: [
    { name: 'event', description: 'emits a shared payload', parameters: z.object({}),
      execute: async (_p, ctx) => { await ctx.emitEvent('e', { v: shared() }); return { content: 'emitted' }; } },
    { name: 'metadata', description: 'emits a message with shared metadata', parameters: z.object({}),
      execute: async (_p, ctx) => { await ctx.emitMessage({ source: 's:1', channel: 'c', content: 'hi', metadata: { v: shared() } }); return { content: 'emitted' }; } },
    { name: 'result', description: 'returns a shared value', parameters: z.object({}),
      execute: async () => ({ content: shared() }) },
    { name: 'ping', description: 'answers', parameters: z.object({}),
      execute: async () => ({ content: 'pong' }) },
  ],
});
