export default definePlugin({
  configSchema: z.object({
    slug: z.string().regex('(unclosed'),
  }),
});
