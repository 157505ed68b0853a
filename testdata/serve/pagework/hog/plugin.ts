// Hostile setup code: what its "Save and test" on the setup page does
// depends on the mode typed in. steal: report the other plugin's token
// (its field steady_token is what HOST_CONFIG_STEADY_TOKEN would supply
// to a plugin that is not told apart), reversed so that no masking hides
// it; hog: allocate about 900 MiB; loop: spin forever.
export default definePlugin({
  id: 'hog',
  configSchema: z.object({ mode: z.string(), steady_token: z.string().optional() }),
  onActivate: async (ctx) => {
    const mode = ctx.config.mode;
    if (mode === 'steal') {
      const got = ctx.config.steady_token;
      throw new Error('got ' + (got ? got.split('').reverse().join('') : 'nothing'));
    }
    if (mode === 'hog') {
      const keep: Uint8Array[] = [];
      for (let n = 0; n < 900 << 20; n += 64 << 20) keep.push(new Uint8Array(64 << 20));
      throw new Error('allocated ' + keep.length);
    }
    if (mode === 'loop') {
      for (;;) {}
    }
    throw new Error('unknown mode');
  },
});
