// The documents' "Token Refresh" helper, getValidToken, exactly as printed,
// used from a tool and from a loop. The plugin keeps its own access_token /
// refresh_token pair as the document shows; it starts from the tokens the
// host obtained at login, and refreshOAuthToken keeps both on one lineage.
async function getValidToken(ctx: PluginContext): Promise<string> {
let token = await ctx.secrets.get('access_token');
const expiry = await ctx.store.get<number>('token_expiry');
if (!token || (expiry && Date.now() > expiry)) {
const refreshToken = await ctx.secrets.get('refresh_token');
if (!refreshToken) throw new Error('No refresh token — re-authenticate');
const result = await refreshOAuthToken(refreshToken);
await ctx.secrets.set('access_token', result.access_token);
await ctx.secrets.set('refresh_token', result.refresh_token);
await ctx.store.set('token_expiry', Date.now() + result.expires_in * 1000);
token = result.access_token;
}
return token;
}

export default definePlugin({
auth: {
type: 'oauth2',
authorizationUrl: 'https://myservice.com/oauth/authorize',
tokenUrl: 'https://myservice.com/oauth/token',
scopes: ['read', 'write'],
pkce: true,
clientId: 'my-app',
},
onActivate: async (ctx) => {
// Start from the refresh token the host obtained at login (and keeps
// current); getValidToken then fetches an access token through
// refreshOAuthToken on first use.
const refresh = await ctx.secrets.get('oauth_refresh_token');
if (!refresh) throw new Error('Not authenticated. Complete OAuth setup first.');
await ctx.secrets.set('refresh_token', refresh);
await ctx.secrets.delete('access_token');
},
tools: {
whoami: {
description: 'Calls GET /me with a valid token, refreshing it first when it has expired',
run: async (_input, ctx) => {
const token = await getValidToken(ctx);
const res = await fetch('https://api.myservice.com/me', { headers: { Authorization: `Bearer ${token}` } });
if (!res.ok) throw new Error(`GET /me answered ${res.status}`);
return await res.json();
},
},
},
loop: {
every: '5m',
run: async (ctx) => {
const token = await getValidToken(ctx);
const res = await fetch('https://api.myservice.com/me', { headers: { Authorization: `Bearer ${token}` } });
ctx.log.info(`checked /me: ${res.status}`);
},
},
});
