// http:// to a provider on another machine: the code, the PKCE verifier
// and the tokens would travel in clear. Refused at load.
export default definePlugin({
  auth: {
    type: 'oauth2',
    clientId: 'fake-client-id',
    authorizationUrl: 'http://auth.example.com/oauth/authorize',
    tokenUrl: 'http://auth.example.com/oauth/token',
  },
});
