// Sits in a native call (JSON.stringify of a 1e6-deep object) once active.
export default definePlugin({
  onActivate: async (ctx) => {
    ctx.log.info('stuck is going native');
    setTimeout(() => {
      let o: any = {};
      for (let i = 0; i < 1e6; i++) o = { a: o };
      JSON.stringify(o);
    }, 0);
  },
});
