// Does not build.
export default definePlugin({
  tools: [ }
});
