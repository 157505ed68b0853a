// An external OpenID Connect issuer for host's MCP authorization tests
// (cmd/host/mcp_oauth_test.go, TestMCPOAuthExternalIssuer): oidc-provider
// (npm) on a free loopback port, with dynamic registration, resource
// indicators (RFC 8707: the token's audience is the MCP resource the
// client names, scope "mcp"), JWT access tokens signed by the keys its
// JWKS publishes, introspection and revocation, and its own development
// login and consent pages (any login and password), which the test drives
// in Chromium.
//
// Pre-registered clients for the tests' direct token requests
// (client_credentials; the secrets are obviously fake test values):
//   host-test-jwt     JWT access tokens for any resource
//   host-test-short   JWT access tokens living 2 seconds
//   host-test-opaque  opaque access tokens (checked by introspection)
//   host-introspect   the client host introspects with
//
// With HOST_TEST_ISSUER_PATH=/tenant the issuer has that path (served
// under it); with HOST_TEST_RFC8414_ONLY=1 its metadata is published only
// where RFC 8414 puts it (/.well-known/oauth-authorization-server, with the
// issuer's path after it), never at OpenID Connect discovery's place: an
// OAuth 2.0 authorization server that is no OpenID provider.
//
// Usage: node provider.mjs. Prints {"issuer": URL} once listening.
import http from 'node:http';
import Provider from 'oidc-provider';

const server = http.createServer();
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const prefix = process.env.HOST_TEST_ISSUER_PATH || '';
const rfc8414Only = process.env.HOST_TEST_RFC8414_ONLY === '1';
const issuer = `http://127.0.0.1:${server.address().port}${prefix}`;

const cc = (id) => ({
  client_id: id,
  client_secret: `fake-secret-for-${id}-0000`,
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
});

const provider = new Provider(issuer, {
  clients: [cc('host-test-jwt'), cc('host-test-short'), cc('host-test-opaque'), cc('host-introspect')],
  features: {
    devInteractions: { enabled: true },
    registration: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx, client, oneOf) => oneOf,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource, client) => ({
        scope: 'mcp',
        audience: resource,
        accessTokenTTL: client.clientId === 'host-test-short' ? 2 : 3600,
        accessTokenFormat: client.clientId === 'host-test-opaque' ? 'opaque' : 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  scopes: ['openid', 'offline_access', 'mcp'],
  // Public clients (no secret) registering themselves, as MCP clients do.
  clientDefaults: { token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] },
  // Refresh tokens for public clients, without offline_access.
  issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token'),
  pkce: { required: () => true },
  loadExistingGrant: async (ctx) => {
    // Consent once per client; later logins reuse the grant.
    const id = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    return id ? ctx.oidc.provider.Grant.find(id) : undefined;
  },
});
provider.proxy = false;
const callback = provider.callback();
server.on('request', (req, res) => {
  if (rfc8414Only) {
    if (req.url === '/.well-known/oauth-authorization-server' + prefix) {
      req.url = prefix + '/.well-known/openid-configuration';
    } else if (req.url.includes('/.well-known/openid-configuration')) {
      res.writeHead(404).end();
      return;
    }
  }
  if (prefix) {
    if (!req.url.startsWith(prefix + '/')) {
      res.writeHead(404).end();
      return;
    }
    req.originalUrl = req.url;
    req.url = req.url.slice(prefix.length);
  }
  callback(req, res);
});
process.stdout.write(JSON.stringify({ issuer }) + '\n');
