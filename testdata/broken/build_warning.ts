// It builds and runs, but esbuild sees a mistake: the author is told where.
const defaults = { region: 'eu', region: 'us' };
export default definePlugin({
  id: 'warned',
  onActivate() {
    if (typeof defaults.region == 'undefinded') console.log('never');
  },
});
