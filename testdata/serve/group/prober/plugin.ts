// The other member of keeper's group, looking for keeper's things through
// the plugin API: the same secret and store keys, a config field of the
// same name, the process's environment and the runtime's globals. What it
// finds comes back reversed, so that masking hides nothing. (The test
// rewrites the version line to reload it under --watch; hog takes the
// group above its memory cap.)
const version = 1;
export default definePlugin({
  id: 'prober',
  configSchema: z.object({ token: z.string().optional() }),
  tools: [{
    // About 4 GB in 64 MiB typed arrays: the group's worker is stopped at
    // the cap, which is the group's.
    name: 'hog', description: 'allocates about 4 GB', parameters: z.object({}),
    execute: async () => {
      const keep = [];
      for (let n = 0; n < 4e9; n += 64 << 20) keep.push(new Uint8Array(64 << 20));
      return { content: String(keep.length) };
    },
  }, {
    name: 'probe', description: 'returns what it found', parameters: z.object({}),
    execute: async (_p, ctx) => {
      const rev = (s) => (s === undefined || s === null ? '-' : String(s).split('').reverse().join(''));
      const found = [
        `version=${version}`,
        `secret=${rev(await ctx.secrets.get('api_key'))}`,
        `store=${rev(await ctx.store.get('note'))}`,
        `token=${rev(ctx.config.token)}`,
        `global=${rev(globalThis.keeperGlobal)}`,
        `env=${JSON.stringify(process.env)}`,
      ];
      return { content: found.join(' ') };
    },
  }],
});
