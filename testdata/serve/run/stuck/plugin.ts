// Sits in a native call (JSON.stringify of a 1e6-deep object) once active.
// It says so just before the call: the test signals after that line, not
// after a guess at how long building the object takes.
export default definePlugin({
  onActivate: async (ctx) => {
    ctx.log.info('stuck is going native');
    setTimeout(() => {
      let o: any = {};
      for (let i = 0; i < 1e6; i++) o = { a: o };
      ctx.log.info('calling JSON.stringify');
      JSON.stringify(o);
    }, 0);
  },
});
