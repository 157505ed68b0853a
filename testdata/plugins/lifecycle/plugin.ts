// A plugin that shows its lifecycle: it logs on activation, ticks on an
// interval until ctx.signal aborts, and logs from onDeactivate.
export default definePlugin({
  configSchema: z.object({
    token: z.string().secret().label('API Token'),
  }),
  auth: { type: 'token', fields: [{ key: 'token', label: 'API Token' }] },
  onActivate: async (ctx) => {
    const res = await fetch('https://api.myservice.com/me', {
      headers: { Authorization: `Bearer ${ctx.config.token}` },
    });
    if (!res.ok) throw new Error('Invalid API token');
    const runs = ((await ctx.store.get<number>('runs')) ?? 0) + 1;
    await ctx.store.set('runs', runs);
    ctx.log.info(`activated, run ${runs}`);
    const timer = setInterval(() => {}, 10);
    ctx.signal.addEventListener('abort', () => {
      clearInterval(timer);
      console.log('signal aborted');
    });
  },
  onDeactivate: async (ctx) => {
    console.log(`deactivated cleanly (signal aborted: ${ctx.signal.aborted})`);
  },
});
