// Set up from the serve's environment (HOST_CONFIG_STEADY_TOKEN); answers
// throughout what the other plugin's setup does.
export default definePlugin({
  id: 'steady',
  configSchema: z.object({ token: z.string().secret() }),
  tools: [{
    name: 'ping', description: 'answers', parameters: z.object({}),
    execute: async (_p, ctx) => ({ content: 'pong ' + ctx.config.token.slice(-4) }),
  }],
});
