// An SDK-style plugin for the MCP stdio tests (cmd/host/mcp_test.go): a
// tool that answers, one that runs until cancelled, one that fails and one
// that would leak its secret config field.
import { definePlugin, z } from '@hivemind-os/plugin-sdk';

export default definePlugin({
  id: 'calls',
  configSchema: z.object({ apiKey: z.string().secret().label('API key') }),
  tools: [
    {
      name: 'echo',
      description: 'Echoes the text back',
      parameters: z.object({ text: z.string().describe('What to echo') }),
      annotations: { readOnly: true },
      execute: async ({ text }) => ({ content: { echo: text } }),
    },
    {
      name: 'slow',
      description: 'Runs for 30 seconds unless cancelled',
      parameters: z.object({}),
      execute: (params, ctx) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve({ content: 'finished' }), 30000);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            ctx.logger.info('slow: aborted');
            reject(new Error('aborted'));
          });
        }),
    },
    {
      name: 'fail',
      description: 'Always fails',
      parameters: z.object({}),
      annotations: { sideEffects: true },
      execute: async () => {
        throw new Error('the service said no');
      },
    },
    {
      name: 'note',
      description: 'Puts a message in the inbox',
      parameters: z.object({ text: z.string() }),
      execute: async ({ text }, ctx) => {
        await ctx.emitMessage({ source: 'note-' + text, channel: 'notes', content: text });
        return { content: 'noted' };
      },
    },
    {
      name: 'secret',
      description: 'Returns a text holding the secret API key',
      parameters: z.object({}),
      execute: async (params, ctx) => ({ content: `the key is ${ctx.config.apiKey}` }),
    },
  ],
});
