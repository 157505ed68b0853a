// The official TypeScript SDK's client driving `host mcp` over stdio, as an
// AI client would (cmd/host/mcp_test.go runs it and checks what it saw).
// Usage: node stdio.mjs HOST_BINARY ARGS...
// Prints one JSON object a line: each step's result, and an "elicit" event
// when host sends the user somewhere (the Go test plays the user and opens
// the URL).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ElicitRequestSchema,
  ElicitationCompleteNotificationSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';

const [bin, ...args] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const client = new Client(
  { name: 'host-stdio-test', version: '1.0.0' },
  { capabilities: { elicitation: { form: {}, url: {} } } },
);
const logs = [];
const completed = [];
let listChanged = 0;
client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params));
client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => completed.push(n.params.elicitationId));
client.setNotificationHandler(ToolListChangedNotificationSchema, () => listChanged++);
const updated = [];
client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => updated.push(n.params.uri));
const elicitations = [];
client.setRequestHandler(ElicitRequestSchema, async (req) => {
  elicitations.push(req.params);
  out({ event: 'elicit', params: req.params });
  // URL mode: the user agrees to open the page (the test opens it).
  return { action: 'accept' };
});

const transport = new StdioClientTransport({ command: bin, args, env: process.env, stderr: 'inherit' });
await client.connect(transport);
await client.setLoggingLevel('debug');

const step = async (name, fn) => {
  try {
    out({ step: name, ...(await fn()) });
  } catch (e) {
    out({ step: name, thrown: String(e && e.message ? e.message : e) });
  }
};

await step('tools', async () => ({ tools: (await client.listTools()).tools }));
await step('call', async () => ({ result: await client.callTool({ name: 'calls_echo', arguments: { text: 'hi' } }) }));
await step('cancel', async () => {
  const ac = new AbortController();
  const started = Date.now();
  let error = '';
  const p = client
    .callTool({ name: 'calls_slow', arguments: {} }, undefined, { signal: ac.signal })
    .catch((e) => (error = String(e.message || e)));
  await sleep(300);
  ac.abort('the user pressed stop');
  await p;
  for (let i = 0; i < 100 && !logs.some((l) => String(l.data).includes('slow: aborted')); i++) await sleep(30);
  return { error, ms: Date.now() - started, logs: logs.filter((l) => l.logger === 'calls') };
});
await step('error', async () => ({ result: await client.callTool({ name: 'calls_fail', arguments: {} }) }));
await step('secret', async () => ({ result: await client.callTool({ name: 'calls_secret', arguments: {} }) }));
await step('messages', async () => {
  const resources = (await client.listResources()).resources;
  await client.subscribeResource({ uri: 'host://calls/messages' });
  await client.callTool({ name: 'calls_note', arguments: { text: 'remember the milk' } });
  for (let i = 0; i < 100 && !updated.includes('host://calls/messages'); i++) await sleep(20);
  const read = await client.readResource({ uri: 'host://calls/messages' });
  return { resources, updated, read };
});
await step('tokensetup', async () => {
  const result = await client.callTool({ name: 'tokened_whoami', arguments: {} }, undefined, { timeout: 60000 });
  await sleep(100);
  return { result, elicitations: [...elicitations], completed: [...completed] };
});
elicitations.length = 0;
completed.length = 0;
await step('setup', async () => {
  const result = await client.callTool({ name: 'oauth2-refresh_whoami', arguments: {} }, undefined, { timeout: 60000 });
  await sleep(100);
  return { result, elicitations, completed, listChanged };
});
await client.close();
