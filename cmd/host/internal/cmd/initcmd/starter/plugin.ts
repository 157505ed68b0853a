// A host plugin, started by `host init`, in the shape of the plugin SDK
// (@hivemind-os/plugin-sdk; host provides that module itself). Run it with
//
//   host run --watch plugin.ts
//
// The host asks for the API token once, keeps it in the OS keyring and
// reloads the plugin whenever you save. host.d.ts has the types (refresh it
// with `host types -o host.d.ts` after upgrading host); `tsc` checks them.
import { definePlugin, z, type PluginContext } from '@hivemind-os/plugin-sdk';

// What the host asks the user for. `.secret()` fields live in the OS keyring.
const configSchema = z.object({
  token: z.string().secret().label('API Token').section('Authentication'),
  baseUrl: z.string().url().default('https://api.example.com').label('API URL'),
});

type Config = z.infer<typeof configSchema>;

export default definePlugin({
  id: 'my-plugin',
  configSchema,
  auth: {
    type: 'token',
    fields: [
      {
        key: 'token',
        label: 'API Token',
        helpUrl: 'https://example.com/settings/tokens',
        helpText: 'Create a token with read access',
      },
    ],
  },

  // Runs with the validated config; throw to refuse it. A real plugin
  // checks the token here, e.g.:
  //   const res = await api(ctx, '/me');
  //   if (!res.ok) throw new Error('Invalid API token');
  onActivate: async (ctx) => {
    if (ctx.config.token.trim() === '') {
      throw new Error('The API token is empty');
    }
    ctx.logger.info(`active, using ${ctx.config.baseUrl}`);
  },

  // Tools run on request: host call plugin.ts greet '{"name":"Ada"}'
  tools: [
    {
      name: 'greet',
      description: 'Says hello and counts the greetings',
      parameters: z.object({
        name: z.string().min(1),
        excited: z.boolean().default(false),
      }),
      annotations: { sideEffects: false },
      execute: async (params, ctx) => {
        const count = ((await ctx.store.get<number>('greetings')) ?? 0) + 1;
        await ctx.store.set('greetings', count);
        return { content: { message: `Hello, ${params.name}${params.excited ? '!' : '.'}`, count } };
      },
    },
    {
      name: 'me',
      description: 'Fetches the account the token belongs to',
      parameters: z.object({}),
      annotations: { readOnly: true },
      execute: async (_params, ctx) => {
        const res = await api(ctx, '/me');
        if (!res.ok) {
          return { content: `GET /me answered HTTP ${res.status}`, isError: true };
        }
        return { content: await res.json() };
      },
    },
  ],

  // Background work: runs after activation until the plugin stops, which
  // aborts ctx.signal and ends ctx.sleep at once. If it throws, host logs
  // where and starts it again after a backoff.
  loop: async (ctx) => {
    while (!ctx.signal.aborted) {
      const runs = ((await ctx.store.get<number>('loop_runs')) ?? 0) + 1;
      await ctx.store.set('loop_runs', runs);
      ctx.logger.info(`loop run ${runs}`);
      await ctx.updateStatus({ state: 'connected', message: `ran ${runs} times` });
      await ctx.sleep(5 * 60 * 1000);
    }
  },
});

// A request to the service with the user's token. ctx.signal stops it when
// the plugin is stopped or reloaded.
function api(ctx: PluginContext<Config>, path: string): Promise<Response> {
  return ctx.http.fetch(ctx.config.baseUrl + path, {
    headers: { Authorization: `Bearer ${ctx.config.token}` },
    signal: ctx.signal,
  });
}
