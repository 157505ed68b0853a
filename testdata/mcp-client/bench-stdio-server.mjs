// The peer of host's MCP connect benchmark (cmd/host/mcp_connect_bench_test.go):
// the official TypeScript SDK's server on Node 22 serving the same trivial
// tool as host's testdata/plugins/mcp-bench (bench_noop -> text "ok") over
// stdio, as the SDK's documentation sets it up.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const server = new McpServer({ name: 'bench-peer', version: '1.0.0' });
server.registerTool('bench_noop', { description: 'Answers ok', inputSchema: {} }, async () => ({
  content: [{ type: 'text', text: 'ok' }],
}));
await server.connect(new StdioServerTransport());
