export default definePlugin({
  onActivate: async () => {
    await new Promise((r) => setTimeout(r, 1));
    for (;;) {}
  },
});
