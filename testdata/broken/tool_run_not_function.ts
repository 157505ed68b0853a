export default definePlugin({
  tools: { search: { description: 'Search', run: 'not a function' } } as any,
});
