export default definePlugin({
  loop: { every: 'every minute', run: async () => {} },
});
