export default definePlugin({
configSchema: z.object({
token: z.string().secret().label('API Token').section('Authentication'),
// ... other config
}),
auth: {
type: 'token',
fields: [
{
key: 'token',
label: 'API Token',
helpUrl: 'https://myservice.com/settings/tokens',
helpText: 'Create a token with read/write permissions',
},
],
},
onActivate: async (ctx) => {
// Validate the token
const res = await fetch('https://api.myservice.com/me', {
headers: { Authorization: `Bearer ${ctx.config.token}` },
});
if (!res.ok) {
throw new Error('Invalid API token');
}
},
});
