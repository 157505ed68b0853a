export default definePlugin({
  onActivate: async (ctx) => {
    await Promise.resolve();
    throw new Error(`cannot start ${ctx.id}`);
  },
});
