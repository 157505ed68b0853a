export default definePlugin({
  onActivate: async () => {
    setTimeout(() => {
      JSON.parse('{bad');
    }, 0);
    await new Promise((r) => setTimeout(r, 20));
  },
});
