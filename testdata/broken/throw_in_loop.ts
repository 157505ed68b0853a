export default definePlugin({
  loop: {
    every: '1m',
    run: async () => {
      throw new RangeError('loop gave up');
    },
  },
});
