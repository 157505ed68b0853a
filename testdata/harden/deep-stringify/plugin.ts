// Sits in a native call at activation: JSON.stringify of a 3e5-deep
// object (minutes in goja, which cannot interrupt it). The object is built
// when the module loads, before onActivate and its timeout start, so the
// one thing the timeout can catch is the stringify, however busy the
// machine is.
let deep: any = {};
for (let i = 0; i < 3e5; i++) deep = { a: deep };

export default definePlugin({
  id: 'deep-stringify',
  onActivate: async (ctx) => {
    ctx.logger.info('calling JSON.stringify');
    JSON.stringify(deep);
  },
});
