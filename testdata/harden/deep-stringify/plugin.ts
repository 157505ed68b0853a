// Sits in a native call at activation: JSON.stringify of a 1e5-deep
// object (tens of seconds in goja, which cannot interrupt it; 27 s on a
// loaded 2-core machine, far past the test's 2 s timeout and the 2 s grace
// after it). The object is built when the module loads, before onActivate
// and its timeout start, so the one thing that timeout can catch is the
// stringify. The module load has a 2 s timeout of its own: 1e5 levels, not
// 3e5, keep the build far inside it (3e5 took over 2 s beside eight other
// tests at load 30).
let deep: any = {};
for (let i = 0; i < 1e5; i++) deep = { a: deep };

export default definePlugin({
  id: 'deep-stringify',
  onActivate: async (ctx) => {
    ctx.logger.info('calling JSON.stringify');
    JSON.stringify(deep);
  },
});
