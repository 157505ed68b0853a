export default definePlugin({
  onDeactivate: async () => {
    throw new Error('could not clean up');
  },
});
