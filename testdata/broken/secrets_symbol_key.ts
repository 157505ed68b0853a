// A Symbol is not a secret key (it used to be read as its description).
export default definePlugin({
  onActivate: async (ctx) => {
    await ctx.secrets.set(Symbol('api_key') as any, 'fake-value-1');
  },
});
