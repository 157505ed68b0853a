// The official TypeScript SDK's client driving `host mcp` over stdio for
// tool approval (cmd/host/approval_test.go runs it and checks what it saw):
// a client with form elicitation lists the tools and calls gate_wipe
// (annotations.approval: 'always') twice, answering "Allow once" and then
// "Deny"; a client without elicitation calls it once.
// Usage: node approval.mjs HOST_BINARY ARGS...
// Prints one JSON object a line per step.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const [bin, ...args] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const step = async (name, fn) => {
  try {
    out({ step: name, ...(await fn()) });
  } catch (e) {
    out({ step: name, thrown: String(e && e.message ? e.message : e) });
  }
};

const asking = new Client({ name: 'host-approval-test', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
const answers = ['Allow once', 'Deny'];
const elicitations = [];
asking.setRequestHandler(ElicitRequestSchema, async (req) => {
  elicitations.push(req.params);
  return { action: 'accept', content: { decision: answers.shift() } };
});
await asking.connect(new StdioClientTransport({ command: bin, args, env: process.env, stderr: 'inherit' }));
await step('tools', async () => ({ tools: (await asking.listTools()).tools }));
await step('allow', async () => ({ result: await asking.callTool({ name: 'gate_wipe', arguments: { confirm: 'fake-confirm-word' } }), elicitations: [...elicitations] }));
await step('deny', async () => ({ result: await asking.callTool({ name: 'gate_wipe', arguments: { confirm: 'fake-confirm-word' } }), elicitations: [...elicitations] }));
await step('disabled', async () => ({ result: await asking.callTool({ name: 'gate_read', arguments: {} }) }));
await asking.close();

const mute = new Client({ name: 'host-approval-noelicit', version: '1.0.0' }, { capabilities: {} });
await mute.connect(new StdioClientTransport({ command: bin, args, env: process.env, stderr: 'inherit' }));
await step('noelicit', async () => ({ result: await mute.callTool({ name: 'gate_wipe', arguments: { confirm: 'fake-confirm-word' } }) }));
await mute.close();
