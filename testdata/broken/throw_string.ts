export default definePlugin({
  onActivate: async () => {
    throw 'a string, not an Error';
  },
});
