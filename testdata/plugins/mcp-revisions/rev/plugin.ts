// An SDK-style plugin for the MCP revision tests (cmd/host/mcp_test.go,
// TestMCPRevisions): the same tools driven by the TypeScript and Go SDK
// clients on 2026-07-28 and 2025-11-25, over stdio and HTTP.
import { definePlugin, z } from '@hivemind-os/plugin-sdk';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default definePlugin({
  id: 'rev',
  tools: [
    {
      name: 'echo',
      description: 'Echoes the text back',
      parameters: z.object({ text: z.string() }),
      execute: async ({ text }) => ({ content: `echo: ${text}` }),
    },
    {
      name: 'ask',
      description: "Asks the user's name (ctx.elicit) and greets them",
      parameters: z.object({}),
      execute: async (params, ctx) => {
        const answer = await ctx.elicit({ message: 'What is your name?', schema: z.object({ name: z.string() }) });
        return { content: answer.action === 'accept' ? `Hello, ${answer.content.name}!` : `no name (${answer.action})` };
      },
    },
    {
      name: 'steps',
      description: 'Reports progress 1, 2 and 3 of 3',
      parameters: z.object({}),
      execute: async (params, ctx) => {
        for (const progress of [1, 2, 3]) {
          ctx.progress({ progress, total: 3, message: `step ${progress}` });
          await sleep(20);
        }
        return { content: 'three steps' };
      },
    },
    {
      name: 'slow',
      description: 'Runs for 60 seconds unless cancelled; counts its starts and cancellations',
      parameters: z.object({}),
      execute: (params, ctx) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve({ content: 'finished' }), 60000);
          ctx.signal.addEventListener('abort', async () => {
            clearTimeout(timer);
            const n = (((await ctx.store.get('aborted')) as number) ?? 0) + 1;
            await ctx.store.set('aborted', n);
            reject(new Error('aborted'));
          });
          // Counted once it listens for the abort: a test waits for this
          // (the tool started) before it cancels.
          ctx.store.get('started').then((n) => ctx.store.set('started', ((n as number) ?? 0) + 1));
        }),
    },
    {
      name: 'started',
      description: 'How many slow calls started',
      parameters: z.object({}),
      execute: async (params, ctx) => ({ content: `started ${((await ctx.store.get('started')) as number) ?? 0}` }),
    },
    {
      name: 'aborted',
      description: 'How many slow calls were cancelled',
      parameters: z.object({}),
      execute: async (params, ctx) => ({ content: `aborted ${((await ctx.store.get('aborted')) as number) ?? 0}` }),
    },
    {
      name: 'long',
      description: 'Works for three seconds (long enough to become a task)',
      parameters: z.object({ n: z.number() }),
      execute: async ({ n }) => {
        await sleep(3000);
        return { content: `long done: ${n * 2}` };
      },
    },
  ],
});
