// A value nested 20000 levels deep: goja's JSON.stringify would take
// seconds on it (the cost grows with the square of the depth);
// ctx.store.set refuses it at once.
export default definePlugin({
  onActivate: async (ctx) => {
    let v: unknown = 1;
    for (let i = 0; i < 20000; i++) v = [v];
    await ctx.store.set('deep', v);
  },
});
