// An OAuth2 plugin that never logged in.
export default definePlugin({
  auth: {
    type: 'oauth2',
    clientId: 'fake-client-id',
    authorizationUrl: 'https://auth.example.com/authorize',
    tokenUrl: 'https://auth.example.com/token',
    scopes: ['read'],
  },
  tools: [{ name: 'ping', description: 'Answers pong.', parameters: z.object({}), execute: async () => ({ content: 'pong' }) }],
});
