// An AI client that lists host's tools once, the moment it connects, with
// the official TypeScript SDK v2 client (cmd/host/mcp_test.go,
// TestMCPFirstList). It starts first and waits for the URL on stdin (the
// test writes it as soon as `host serve --http` prints it), then connects
// and lists at once; prints {"version", "tools", "ms"}: ms from the URL's
// arrival to the list.
// Usage: node firstlist.mjs VERSION   (2026-07-28 or 2025-11-25)
import { createInterface } from 'node:readline';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const version = process.argv[2];
const rl = createInterface({ input: process.stdin });
const url = await new Promise((resolve) => rl.once('line', resolve));
rl.close();
const t0 = performance.now();
const client = new Client(
  { name: 'host-first-list', version: '1.0.0' },
  { versionNegotiation: version >= '2026-07-28' ? { mode: { pin: version } } : { mode: 'legacy' } },
);
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
const { tools } = await client.listTools();
const ms = Math.round(performance.now() - t0);
process.stdout.write(JSON.stringify({ version: client.getNegotiatedProtocolVersion(), tools: tools.map((t) => t.name), ms }) + '\n');
await client.close();
