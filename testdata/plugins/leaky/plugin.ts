// A plugin that tries every way to leak its secrets: printing them raw and
// encoded, putting them in errors, rejections and the store. The host must
// show *** in their place and keep them off the disk.
export default definePlugin({
  configSchema: z.object({
    token: z.string().secret().label('API Token'),
  }),
  auth: { type: 'token', fields: [{ key: 'token', label: 'API Token' }] },
  onActivate: async (ctx) => {
    const token = ctx.config.token;
    await ctx.secrets.set('api_key', 'fake-second-secret-' + token.length);
    const second = (await ctx.secrets.get('api_key'))!;
    for (const s of [token, second]) {
      console.log('raw:', s);
      console.info('base64:', btoa(s));
      console.warn('base64url:', btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
      console.error('basic:', 'Authorization: Basic ' + btoa('user:' + s));
      console.log('url:', encodeURIComponent(s), encodeURI(s));
      console.log('json:', JSON.stringify({ s }), JSON.stringify(JSON.stringify({ s })));
      console.log('hex:', Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join(''));
      ctx.log.info('header:', { Authorization: `Bearer ${s}` });
      ctx.log.debug(`inline ${s} in a sentence`);
      console.log('zero-width:', Array.from(s).join('\u200b'));
      console.log('wrapped:\n' + btoa(JSON.stringify({ s, note: 'x'.repeat(60) })).replace(/.{76}/g, '$&\n'));
    }
    const res = await fetch(`https://api.myservice.com/me?token=${encodeURIComponent(token)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    console.log('fetched with the token:', res.status, res.url);
    for (const value of [token, { nested: { token } }, [btoa(token)], `prefix-${encodeURIComponent(token)}`]) {
      try {
        await ctx.store.set('leak', value);
        console.log('STORED A SECRET');
      } catch (e) {
        console.log('store refused:', (e as Error).message);
      }
    }
    await ctx.store.set('harmless', { ok: true });
    setTimeout(() => {
      throw new Error('timer leaks ' + token);
    }, 0);
    Promise.reject(new Error('rejection leaks ' + btoa(token)));
    await new Promise((r) => setTimeout(r, 10));
    throw new Error(`activation failed for ${token} / ${JSON.stringify({ token })}`);
  },
});
