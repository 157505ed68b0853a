export default definePlugin({
  name: 'oops,
});
