export default definePlugin({
  onActivate: async (ctx: ) => {},
});
