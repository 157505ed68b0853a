export default definePlugin({
  onActivate: async () => {
    for (;;) {}
  },
});
