// A 1 MB key: the error shows its first 40 bytes, not all of it.
export default definePlugin({
  onActivate: async (ctx) => {
    await ctx.store.set('k'.repeat(1024 * 1024), 1);
  },
});
