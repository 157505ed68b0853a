export default definePlugin({
  onActivate: async () => {
    console.log('x'.repeat(200000));
    console.log('still fine');
  },
});
