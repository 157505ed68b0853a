export default definePlugin({
  onActivate: async () => {
    setTimeout(() => {
      for (;;) {}
    }, 0);
    // Still activating when the timer runs away: activation fails.
    await new Promise((r) => setTimeout(r, 50));
  },
});
