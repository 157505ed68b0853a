// A plugin in the plugin SDK's shape, as its documentation writes them: the
// package.json above has the "hivemind" manifest and builds dist/index.js
// from this file; host runs this TypeScript source itself. Each tool uses
// one member of the PluginContext, so the CLI tests can drive every one
// with `host call`.
import { definePlugin, z, type PluginContext, type ToolDefinition, type ToolResult } from '@hivemind-os/plugin-sdk';

const text = (content: string): ToolResult => ({ content });

const member = (name: string, description: string, execute: (ctx: PluginContext) => Promise<ToolResult>): ToolDefinition => ({
  name,
  description,
  parameters: z.object({}),
  annotations: { readOnly: true },
  execute: (_params, ctx) => execute(ctx),
});

export default definePlugin({
  configSchema: z.object({
    greeting: z.string().default('hello').label('Greeting'),
    apiToken: z.string().secret().label('API token'),
  }),
  tools: [
    member('plugin_id', 'ctx.pluginId', async (ctx) => text(ctx.pluginId)),
    member('config', 'ctx.config (the secret field only as its length)', async (ctx) =>
      ({ content: { greeting: ctx.config.greeting, apiTokenLength: String(ctx.config.apiToken).length } })),
    member('signal', 'ctx.signal', async (ctx) => text(`aborted: ${ctx.signal.aborted}`)),
    {
      name: 'secrets',
      description: 'ctx.secrets: set, get, has, delete; a missing one is null',
      parameters: z.object({ value: z.string() }),
      annotations: { sideEffects: true },
      execute: async ({ value }, ctx) => {
        await ctx.secrets.set('sample', value);
        const got = await ctx.secrets.get('sample');
        const had = await ctx.secrets.has('sample');
        await ctx.secrets.delete('sample');
        return { content: { roundTrip: got === value, had, afterDelete: await ctx.secrets.get('sample') } };
      },
    },
    {
      name: 'store',
      description: 'ctx.store: a counter kept across runs, keys, delete',
      parameters: z.object({}),
      annotations: { sideEffects: true },
      execute: async (_params, ctx) => {
        const runs = ((await ctx.store.get<number>('runs')) ?? 0) + 1;
        await ctx.store.set('runs', runs);
        await ctx.store.set('scratch', { a: [1, 2] });
        const keys = await ctx.store.keys();
        await ctx.store.delete('scratch');
        return { content: { runs, keys, missing: await ctx.store.get('scratch') } };
      },
    },
    {
      name: 'logger',
      description: 'ctx.logger with data fields',
      parameters: z.object({ message: z.string() }),
      execute: async ({ message }, ctx) => {
        ctx.logger.info(message, { token: ctx.config.apiToken, count: 2 });
        ctx.logger.warn('careful', { reason: 'just testing' });
        ctx.logger.debug('hidden unless HOST_LOG=debug');
        return text('logged');
      },
    },
    {
      name: 'emit_message',
      description: 'ctx.emitMessage',
      parameters: z.object({ source: z.string(), content: z.string() }),
      execute: async ({ source, content }, ctx) => {
        await ctx.emitMessage({ source, channel: 'tests', content, sender: { id: 'u1', name: 'Ada' }, classification: 'work' });
        return text('emitted');
      },
    },
    {
      name: 'emit_messages',
      description: 'ctx.emitMessages',
      parameters: z.object({ count: z.number().int().min(1).max(10000) }),
      execute: async ({ count }, ctx) => {
        const msgs = Array.from({ length: count }, (_, i) => ({ source: `bulk-${i}`, channel: 'bulk', content: `message ${i}` }));
        await ctx.emitMessages(msgs);
        return text(`emitted ${count}`);
      },
    },
    member('notify', 'ctx.notify', async (ctx) => {
      await ctx.notify({ title: 'Build finished', body: 'all green', action: { type: 'open_url', target: 'https://example.com/builds/1' } });
      return text('notified');
    }),
    member('emit_event', 'ctx.emitEvent', async (ctx) => {
      await ctx.emitEvent('build.finished', { id: 1, ok: true });
      return text('event emitted');
    }),
    member('update_status', 'ctx.updateStatus', async (ctx) => {
      await ctx.updateStatus({ state: 'syncing', message: 'halfway', progress: 0.5 });
      return text('status set');
    }),
    member('sleep', 'ctx.sleep', async (ctx) => {
      const start = Date.now();
      await ctx.sleep(0);
      await ctx.sleep(30);
      return text(Date.now() - start >= 30 ? 'slept' : 'woke too early');
    }),
    member('schedule', 'ctx.schedule and ctx.unschedule', async (ctx) => {
      let runs = 0;
      await new Promise<void>((resolve) => {
        void ctx.schedule({
          id: 'tick',
          intervalSeconds: 0.02,
          handler: async () => {
            runs++;
            if (runs === 3) {
              await ctx.unschedule('tick');
              resolve();
            }
          },
        });
      });
      await ctx.sleep(100);
      return text(`ran ${runs} times`);
    }),
    {
      name: 'http_fetch',
      description: 'ctx.http.fetch, with the permissions of package.json',
      parameters: z.object({ url: z.string() }),
      execute: async ({ url }, ctx) => {
        try {
          const res = await ctx.http.fetch(url, { headers: { Authorization: `Bearer ${ctx.config.apiToken}` } });
          return { content: { status: res.status, body: await res.json() } };
        } catch (e) {
          return { content: (e as Error).message, isError: true };
        }
      },
    },
    {
      name: 'data_dir',
      description: 'ctx.dataDir: write, read, list, exists, remove',
      parameters: z.object({}),
      annotations: { sideEffects: true },
      execute: async (_params, ctx) => {
        await ctx.dataDir.mkdir('cache');
        await ctx.dataDir.writeFile('cache/state.json', JSON.stringify({ ok: true }));
        await ctx.dataDir.writeFile('raw.bin', new Uint8Array([0x68, 0x69]));
        const state = JSON.parse(await ctx.dataDir.readFile('cache/state.json'));
        const listing = await ctx.dataDir.readDir('');
        const raw = await ctx.dataDir.readFile('raw.bin');
        await ctx.dataDir.remove('raw.bin');
        const where = await ctx.dataDir.resolve('cache/state.json');
        return { content: { state, listing, raw, rawGone: !(await ctx.dataDir.exists('raw.bin')), inDataDir: where.endsWith('/plugins/sdk-context/data/cache/state.json') } };
      },
    },
    {
      name: 'data_dir_read',
      description: 'ctx.dataDir.readFile of any path (the escape tests)',
      parameters: z.object({ path: z.string() }),
      execute: async ({ path }, ctx) => {
        try {
          return text(await ctx.dataDir.readFile(path));
        } catch (e) {
          return { content: `${(e as { code?: string }).code}: ${(e as Error).message}`, isError: true };
        }
      },
    },
    member('host_info', 'ctx.host', async (ctx) => ({ content: { version: ctx.host.version, platform: ctx.host.platform, messages: ctx.host.capabilities.includes('messages') } })),
    member('discovery', 'ctx.connectors and ctx.personas', async (ctx) =>
      ({ content: { connectors: await ctx.connectors.list(), personas: await ctx.personas.list() } })),
  ],
});
