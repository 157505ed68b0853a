// The OAuth2 refresh global the host gives plugins whose auth block is
// `type: 'oauth2'`.

/** What the provider's token endpoint answered to a refresh. */
interface OAuthTokenResult {
  /** The new access token. */
  access_token: string;
  /**
   * The refresh token to use next time: the provider's new one when it
   * rotates refresh tokens, else the one passed in.
   */
  refresh_token: string;
  /**
   * Seconds until access_token expires, as the provider said; 0 when it
   * gave no lifetime.
   */
  expires_in: number;
  /** Usually "Bearer". */
  token_type: string;
}

/**
 * Exchanges a refresh token for a new access token at the plugin's
 * `auth.tokenUrl` (grant_type=refresh_token, the plugin's client id).
 *
 * Rejects with an Error whose `code` is ERR_OAUTH_LOGIN_NEEDED when the
 * provider refuses the refresh token (the user must log in again:
 * `host auth login <plugin>`), ERR_OAUTH_UNREACHABLE when the token endpoint
 * cannot be reached, ERR_OAUTH_<PROVIDER_ERROR> (e.g.
 * ERR_OAUTH_INVALID_CLIENT) for other refusals; a TypeError when
 * refreshToken is not a non-empty string. The error's `hint` says what to
 * do next.
 *
 * The host also keeps `ctx.secrets.get('oauth_access_token')` fresh by
 * itself; this function is for plugins that manage their own tokens.
 */
declare function refreshOAuthToken(refreshToken: string): Promise<OAuthTokenResult>;
