export default definePlugin({
  configSchema: z.object({
    addr: z.string().ip(),
  }),
});
