export default definePlugin({
  onActivate: async (ctx: any) => {
    ctx.notThere.method();
  },
});
