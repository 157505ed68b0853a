// onActivate has a bug.
export default definePlugin({
  onActivate: async (ctx) => {
    const cfg: any = undefined;
    ctx.log.info(cfg.missing);
  },
});
