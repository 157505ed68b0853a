function down(n: number): number {
  return down(n + 1) + 1;
}
export default definePlugin({
  onActivate: async () => {
    down(0);
  },
});
