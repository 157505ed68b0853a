export default definePlugin({
  configSchema: z.object({
    addr: z.string().jwt(),
  }),
});
