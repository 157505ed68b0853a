// A token plugin with a tool, for setting a plugin up through an MCP
// client (cmd/host/mcp_test.go): its token is typed on host's setup page,
// never in the client. The one token it accepts is a fake.
import { definePlugin, z } from '@hivemind-os/plugin-sdk';

export default definePlugin({
  id: 'tokened',
  configSchema: z.object({
    token: z.string().secret().label('API Token').section('Authentication'),
  }),
  auth: { type: 'token', fields: [{ key: 'token', label: 'API Token', helpText: 'The fake token the test types' }] },
  onActivate: async (ctx) => {
    if (ctx.config.token !== 'fake-good-token-0123') throw new Error('Invalid API token');
  },
  tools: [
    {
      name: 'whoami',
      description: 'Says who the token belongs to',
      parameters: z.object({}),
      annotations: { readOnly: true },
      execute: async () => ({ content: 'the token works' }),
    },
  ],
});
