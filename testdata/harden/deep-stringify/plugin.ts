// Sits in a native call at activation: JSON.stringify of a 3e5-deep
// object (minutes in goja, which cannot interrupt it). The object is built
// in small steps, each its own turn of the event loop (each far inside the
// timeout however busy the machine is), so the one entry the timeout
// catches is the stringify.
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

export default definePlugin({
  id: 'deep-stringify',
  onActivate: async (ctx) => {
    let o: any = {};
    for (let i = 0; i < 3e5; i++) {
      o = { a: o };
      if (i % 5000 === 0) await tick();
    }
    ctx.logger.info('calling JSON.stringify');
    JSON.stringify(o);
  },
});
