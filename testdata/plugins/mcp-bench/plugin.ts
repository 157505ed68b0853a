// The trivial tool of the MCP benchmarks (cmd/host/mcp_bench_test.go):
// MCP tool bench_noop, the same as testdata/mcp-client/bench-server.mjs serves.
import { definePlugin, z } from '@hivemind-os/plugin-sdk';

export default definePlugin({
  id: 'bench',
  tools: [
    {
      name: 'noop',
      description: 'Answers ok',
      parameters: z.object({}),
      annotations: { readOnly: true },
      execute: async () => ({ content: 'ok' }),
    },
  ],
});
