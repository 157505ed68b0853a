export default definePlugin({
  onActivate: () => {
    throw { code: 42, reason: 'plain object' };
  },
});
