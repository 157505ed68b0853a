export default definePlugin({
  onActivate: async () => {
    const x = ;
  },
});
