// Top-level code replaces JSON before ctx exists: ctx.store still stores
// and reads real JSON, so this plugin starts.
JSON.stringify = () => '"hijacked"';
(globalThis as any).JSON = { stringify: () => '"hijacked"', parse: () => 'hijacked' };

export default definePlugin({
  onActivate: async (ctx) => {
    await ctx.store.set('k', { a: [1] });
    const v = (await ctx.store.get('k')) as { a: number[] };
    if (v?.a?.[0] !== 1) throw new Error(`ctx.store read back ${String(v)}`);
  },
});
