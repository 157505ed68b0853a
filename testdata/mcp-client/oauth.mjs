// The official TypeScript SDK v2 client (@modelcontextprotocol/client)
// connecting to `host serve --http` through OAuth as an AI client does:
// discovery from a bare 401, dynamic registration (or a Client ID Metadata
// Document URL, CIMD_URL), the user sent to the authorization page (the Go
// test plays the user in Chromium), the code received on a loopback
// redirect, tokens, then MCP calls (cmd/host/mcp_oauth_test.go).
// Usage: node oauth.mjs VERSION URL
// Prints one JSON object a line: {"event":"authorize","url":...} when the
// user must be sent to a page, each step's result, and waits for lines on
// stdin naming further steps ("call", "refresh", "exit"). Tokens and codes
// are never printed.
import http from 'node:http';
import readline from 'node:readline';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';

const [version, url] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const modern = version >= '2026-07-28';

// The loopback redirect (RFC 8252): one code a time.
let waiting = null;
const callback = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://127.0.0.1');
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('Signed in; you can close this page.');
  if (waiting && u.pathname === '/callback') {
    const w = waiting;
    waiting = null;
    w(u.searchParams);
  }
});
await new Promise((r) => callback.listen(0, '127.0.0.1', r));
const redirectUrl = `http://127.0.0.1:${callback.address().port}/callback`;

const store = { client: undefined, tokens: undefined, verifier: '', discovery: undefined };
const provider = {
  get redirectUrl() {
    return redirectUrl;
  },
  clientMetadataUrl: process.env.CIMD_URL || undefined,
  get clientMetadata() {
    return {
      client_name: 'host OAuth test client',
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  },
  clientInformation: () => store.client,
  saveClientInformation: (c) => {
    store.client = c;
  },
  tokens: () => store.tokens,
  saveTokens: (t) => {
    store.tokens = t;
    out({ event: 'tokens', refresh: !!t.refresh_token, scope: t.scope });
  },
  redirectToAuthorization: (u) => out({ event: 'authorize', url: u.toString() }),
  saveCodeVerifier: (v) => {
    store.verifier = v;
  },
  codeVerifier: () => store.verifier,
  // The authorization server the flow started with, checked on the
  // callback leg (SEP-2352).
  saveDiscoveryState: (s) => {
    store.discovery = s;
  },
  discoveryState: () => store.discovery,
};

const newClient = () =>
  new Client(
    { name: 'host-oauth-test', version: '1.0.0' },
    { versionNegotiation: modern ? { mode: { pin: version } } : { mode: 'legacy' } },
  );
let transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
let client = newClient();

// connect, with one round of the user's authorization when the server asks.
const connect = async () => {
  try {
    await client.connect(transport);
    return;
  } catch (e) {
    if (!(e instanceof UnauthorizedError)) throw e;
  }
  const params = await new Promise((r) => {
    waiting = r;
  });
  out({ event: 'callback', error: params.get('error'), iss: params.get('iss'), hasCode: params.has('code') });
  if (params.get('error')) throw new Error('authorization refused: ' + params.get('error'));
  await transport.finishAuth(params);
  transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  client = newClient();
  await client.connect(transport);
};

const step = async (name, fn) => {
  try {
    out({ step: name, ...(await fn()) });
  } catch (e) {
    out({ step: name, thrown: String(e && e.message ? e.message : e), name: e && e.constructor && e.constructor.name });
  }
};
const text = (r) => (r.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('');

await step('connect', async () => {
  await connect();
  return { registered: !!store.client, cimd: !!process.env.CIMD_URL };
});
await step('tools', async () => ({ tools: (await client.listTools()).tools.map((t) => t.name) }));
await step('call', async () => ({ text: text(await client.callTool({ name: 'test_simple_text', arguments: {} })) }));

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  const cmd = line.trim();
  if (cmd === 'call') {
    await step('call', async () => ({ text: text(await client.callTool({ name: 'test_simple_text', arguments: {} })) }));
  } else if (cmd === 'expire') {
    // The access token is dropped as if it had expired; the refresh
    // token stays: the next call refreshes (the server rotates it).
    await step('expire', async () => {
      store.tokens = { ...store.tokens, access_token: 'expired-' + 'x'.repeat(8) };
      return {};
    });
  } else if (cmd === 'exit') {
    break;
  }
}
await client.close().catch(() => {});
callback.close();
process.exit(0);
