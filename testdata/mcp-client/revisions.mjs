// The official TypeScript SDK v2 client (@modelcontextprotocol/client)
// driving host on one MCP revision over one transport, as an AI client
// would (cmd/host/mcp_test.go, TestMCPRevisions, runs it and checks what it
// saw).
// Usage: node revisions.mjs VERSION stdio HOST_BINARY ARGS...
//        node revisions.mjs VERSION http URL
// VERSION is 2026-07-28 (negotiated with server/discover, pinned) or
// 2025-11-25 (the initialize handshake). Prints one JSON object a line: each
// step's result, and an "elicit" event when host sends the user to a page
// (the Go test plays the user and opens it in Chromium). Tasks are not
// here: the client (2.4.0) rejects a tools/call answered with a task
// ("Unsupported result type 'task'"), so the Go test polls tasks itself.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const [version, mode, ...rest] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const modern = version >= '2026-07-28';

const client = new Client(
  { name: 'host-revisions-test', version: '1.0.0' },
  {
    capabilities: { elicitation: { form: {}, url: {} } },
    versionNegotiation: modern ? { mode: { pin: version } } : { mode: 'legacy' },
  },
);
const elicitations = [];
client.setRequestHandler('elicitation/create', async (req) => {
  elicitations.push(req.params);
  if (req.params.mode === 'url') {
    out({ event: 'elicit', params: req.params });
    return { action: 'accept' };
  }
  return { action: 'accept', content: { name: 'Ada' } };
});

const transport =
  mode === 'stdio'
    ? new StdioClientTransport({ command: rest[0], args: rest.slice(1), env: process.env, stderr: 'inherit' })
    : new StreamableHTTPClientTransport(new URL(rest[0]));
await client.connect(transport);

const step = async (name, fn) => {
  try {
    out({ step: name, ...(await fn()) });
  } catch (e) {
    out({ step: name, thrown: String(e && e.message ? e.message : e), code: e && e.code });
  }
};
const text = (r) => (r.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('');

await step('version', async () => ({ version: client.getNegotiatedProtocolVersion() }));
await step('tools', async () => ({ tools: (await client.listTools()).tools.map((t) => t.name) }));
await step('call', async () => ({ text: text(await client.callTool({ name: 'rev_echo', arguments: { text: 'hi' } })) }));
await step('elicit', async () => {
  const r = await client.callTool({ name: 'rev_ask', arguments: {} });
  return { text: text(r), forms: elicitations.filter((e) => e.mode !== 'url').length };
});
await step('progress', async () => {
  const seen = [];
  const r = await client.callTool({ name: 'rev_steps', arguments: {} }, { onprogress: (p) => seen.push(p) });
  return { text: text(r), progress: seen };
});
await step('cancel', async () => {
  const ac = new AbortController();
  const started = Date.now();
  let error = '';
  const p = client.callTool({ name: 'rev_slow', arguments: {} }, { signal: ac.signal }).catch((e) => (error = String(e.message || e)));
  // Cancel once the tool runs (it counts its starts), not after a guess.
  for (let i = 0; i < 1200; i++) {
    if (text(await client.callTool({ name: 'rev_started', arguments: {} })) !== 'started 0') break;
    await sleep(50);
  }
  ac.abort('the user pressed stop');
  await p;
  let aborted = '';
  for (let i = 0; i < 100; i++) {
    aborted = text(await client.callTool({ name: 'rev_aborted', arguments: {} }));
    if (aborted !== 'aborted 0') break;
    await sleep(50);
  }
  return { error, ms: Date.now() - started, aborted };
});
await step('setup', async () => {
  elicitations.length = 0;
  const r = await client.callTool({ name: 'tokened_whoami', arguments: {} }, { timeout: 90000 });
  return { text: text(r), isError: !!r.isError, urls: elicitations.filter((e) => e.mode === 'url').map((e) => e.url) };
});
await client.close();
