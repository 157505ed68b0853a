// The peer of the MCP HTTP benchmark (cmd/host/mcp_bench_test.go): the
// official TypeScript SDK's server on Node 22 serving the same trivial tool
// as host's testdata/plugins/mcp-bench (bench_noop -> text "ok") over
// Streamable HTTP with sessions, as the SDK's documentation sets it up.
// Prints "MCP: http://127.0.0.1:PORT/mcp" when listening.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const transports = new Map();

function newServer() {
  const server = new McpServer({ name: 'bench-peer', version: '1.0.0' });
  server.registerTool('bench_noop', { description: 'Answers ok', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'ok' }],
  }));
  return server;
}

const readBody = (req) =>
  new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : undefined);
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });

const httpServer = http.createServer(async (req, res) => {
  try {
    const sid = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    let transport = sid ? transports.get(sid) : undefined;
    if (!transport) {
      if (req.method !== 'POST' || !isInitializeRequest(body)) {
        res.writeHead(400).end('no session');
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await newServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500).end(String(e));
  }
});
httpServer.listen(0, '127.0.0.1', () => {
  console.error(`MCP: http://127.0.0.1:${httpServer.address().port}/mcp (no authentication: benchmark peer)`);
});
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
