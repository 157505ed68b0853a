export default definePlugin({
  configSchema: z.object({
    port: z.number().int().min(1).default(0),
  }),
});
