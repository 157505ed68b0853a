// Sits in a native call at activation: JSON.stringify of a 3e5-deep
// object (minutes in goja, which cannot interrupt it).
export default definePlugin({
  id: 'deep-stringify',
  onActivate: async (ctx) => {
    let o: any = {};
    for (let i = 0; i < 3e5; i++) o = { a: o };
    ctx.logger.info('calling JSON.stringify');
    JSON.stringify(o);
  },
});
