async function background() {
  throw new TypeError('nobody awaits me');
}
export default definePlugin({
  onActivate: async () => {
    background();
    await new Promise((r) => setTimeout(r, 20));
  },
});
