export default definePlugin({
  onActivate: async () => {
    setTimeout(() => {
      for (;;) {}
    }, 0);
  },
});
