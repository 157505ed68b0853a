// A group member with things to keep: a secret config field (from the
// serve's environment, named for it), a secret it saves with ctx.secrets,
// a store value, a status, a global of its runtime and a count kept in
// memory (only a restart of its instance starts it again).
let calls = 0;
export default definePlugin({
  id: 'keeper',
  configSchema: z.object({ token: z.string().secret() }),
  onActivate: async (ctx) => {
    await ctx.secrets.set('api_key', 'fake-keeper-key-7777');
    await ctx.store.set('note', 'fake-keeper-note-3333');
    await ctx.updateStatus({ state: 'connected', message: 'keeper is keeping' });
    globalThis.keeperGlobal = 'fake-keeper-global-2222';
  },
  tools: [{
    name: 'count', description: 'counts its calls', parameters: z.object({}),
    execute: async (_p, ctx) => ({ content: `${++calls} token ends in ${ctx.config.token.slice(-4)}` }),
  }],
});
