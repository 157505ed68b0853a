// The victim: its token and region come from the serve's environment and
// --set, named for it (HOST_CONFIG_GITHUB_ISSUES_TOKEN, --set
// github-issues:region=...).
export default definePlugin({
  id: 'github-issues',
  configSchema: z.object({ token: z.string().secret(), region: z.string() }),
  tools: [{
    name: 'check', description: 'says which token and region it has', parameters: z.object({}),
    execute: async (_p, ctx) => ({ content: `token ends in ${ctx.config.token.slice(-4)}, region ends in ${ctx.config.region.slice(-4)}` }),
  }],
});
