export default definePlugin({
  onActivate: async () => {
    await new Promise((r) => setTimeout(r, 1));
    let i = 0;
    while (i >= 0) i++;
  },
});
