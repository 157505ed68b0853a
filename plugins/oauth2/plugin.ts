// The documents' OAuth2 plugin: the "OAuth2 Auth" auth block and its
// onActivate, exactly as printed.
export default definePlugin({
auth: {
type: 'oauth2',
authorizationUrl: 'https://myservice.com/oauth/authorize',
tokenUrl: 'https://myservice.com/oauth/token',
scopes: ['read', 'write'],
pkce: true, // recommended for desktop apps
clientId: 'my-app', // optional — can be set in config instead
},
onActivate: async (ctx) => {
const accessToken = await ctx.secrets.get('oauth_access_token');
if (!accessToken) {
throw new Error('Not authenticated. Complete OAuth setup first.');
}
},
});
