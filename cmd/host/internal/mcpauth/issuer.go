package mcpauth

// An external authorization server the user names: an OpenID Connect
// issuer, or an OAuth 2.0 authorization server that publishes only RFC
// 8414 metadata (discover). JWT access tokens (RFC 9068) are checked
// against the issuer's JWKS (github.com/coreos/go-oidc: key set with
// rotation, signature, issuer, expiry); other tokens by introspection
// (RFC 7662) when host has a client to introspect with, whose answers are
// cached briefly (introCache).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// IssuerOptions configure NewIssuer.
type IssuerOptions struct {
	// Issuer is the issuer URL (https, or http on loopback).
	Issuer string
	// ClientID and ClientSecret authenticate host at the introspection
	// endpoint; without ClientID, only JWT access tokens are accepted.
	ClientID, ClientSecret string
	// HTTPClient reaches the issuer (nil: a default one).
	HTTPClient *http.Client
	// IntrospectionCacheTTL bounds how long an introspected token's
	// answer is reused (0: DefaultIntrospectionCacheTTL; negative: never
	// cached). It is also how long a token revoked at the issuer may still
	// be accepted.
	IntrospectionCacheTTL time.Duration
	// Now is the clock of expiry checks and the cache (nil: time.Now).
	Now func() time.Time
}

// DefaultIntrospectionCacheTTL is IssuerOptions.IntrospectionCacheTTL's
// default: a token revoked at the issuer is refused within 30 seconds.
const DefaultIntrospectionCacheTTL = 30 * time.Second

// Issuer verifies access tokens of an external issuer. Safe for
// concurrent use.
type Issuer struct {
	o          IssuerOptions
	verifier   *oidc.IDTokenVerifier // nil: the issuer publishes no JWKS
	introspect string                // the introspection endpoint ("" none)
	cache      *introCache
	now        func() time.Time
}

// signingAlgs are the JWS algorithms accepted (never "none" or HMAC).
var signingAlgs = []string{oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512, oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA}

// NewIssuer reads the issuer's metadata (RFC 8414 or OpenID Connect
// discovery, see discover) and returns a Verifier of its access tokens.
// The error says what is wrong with the issuer URL or its metadata.
func NewIssuer(ctx context.Context, o IssuerOptions) (*Issuer, error) {
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && Loopback(u.Host))) {
		return nil, fmt.Errorf("the OAuth issuer %q must be an https URL (http only on loopback)", o.Issuer)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.IntrospectionCacheTTL == 0 {
		o.IntrospectionCacheTTL = DefaultIntrospectionCacheTTL
	}
	md, err := discover(ctx, o.HTTPClient, o.Issuer)
	if err != nil {
		return nil, fmt.Errorf("the OAuth issuer %s: %w", o.Issuer, err)
	}
	is := &Issuer{o: o, introspect: md.Introspection, now: o.Now}
	if is.now == nil {
		is.now = time.Now
	}
	if o.IntrospectionCacheTTL > 0 {
		is.cache = newIntroCache(maxCachedTokens)
	}
	if o.ClientID != "" && is.introspect == "" {
		return nil, fmt.Errorf("the OAuth issuer %s has no introspection endpoint, so --oauth-client-id is of no use with it", o.Issuer)
	}
	if md.JWKS == "" && o.ClientID == "" {
		return nil, fmt.Errorf("the OAuth issuer %s publishes no key set (jwks_uri), so host cannot check its tokens itself; give host a client to introspect them with (--oauth-client-id)", o.Issuer)
	}
	if md.JWKS != "" {
		// The audience is the resource of each request, checked in Verify.
		p := (&oidc.ProviderConfig{IssuerURL: md.Issuer, AuthURL: md.Authorization, TokenURL: md.Token, JWKSURL: md.JWKS}).
			NewProvider(oidc.ClientContext(context.WithoutCancel(ctx), o.HTTPClient))
		is.verifier = p.VerifierContext(oidc.ClientContext(context.WithoutCancel(ctx), o.HTTPClient), &oidc.Config{SkipClientIDCheck: true, SupportedSigningAlgs: signingAlgs})
	}
	return is, nil
}

// asMetadata are the authorization server metadata host reads (RFC 8414
// §2; OpenID Connect Discovery §3 has the same names).
type asMetadata struct {
	Issuer        string `json:"issuer"`
	Authorization string `json:"authorization_endpoint"`
	Token         string `json:"token_endpoint"`
	JWKS          string `json:"jwks_uri"`
	Introspection string `json:"introspection_endpoint"`
}

// metadataURLs are where an issuer's metadata may be, in the order they
// are tried, as the MCP authorization spec gives it: RFC 8414's
// /.well-known/oauth-authorization-server, inserted before the issuer's
// path (RFC 8414 §3.1), then OpenID Connect discovery's
// /.well-known/openid-configuration, inserted likewise and, for an issuer
// with a path, appended to it (OpenID Connect Discovery §4.1).
func metadataURLs(issuer string) []string {
	u, _ := url.Parse(strings.TrimSuffix(issuer, "/"))
	origin := u.Scheme + "://" + u.Host
	path := u.EscapedPath()
	if path == "" {
		return []string{origin + "/.well-known/oauth-authorization-server", origin + "/.well-known/openid-configuration"}
	}
	return []string{
		origin + "/.well-known/oauth-authorization-server" + path,
		origin + "/.well-known/openid-configuration" + path,
		origin + path + "/.well-known/openid-configuration",
	}
}

// discover reads the issuer's metadata from the first of metadataURLs that
// has it (a 404 or other 4xx moves on; a network error or 5xx ends the
// search), and checks that it names the issuer exactly (RFC 8414 §3.3).
func discover(ctx context.Context, hc *http.Client, issuer string) (*asMetadata, error) {
	var tried []string
	for _, at := range metadataURLs(issuer) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, at, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return nil, fmt.Errorf("reading its metadata at %s: %w", at, err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<10))
		resp.Body.Close()
		switch {
		case err != nil:
			return nil, fmt.Errorf("reading its metadata at %s: %w", at, err)
		case resp.StatusCode >= 500:
			return nil, fmt.Errorf("reading its metadata at %s: %s", at, resp.Status)
		case resp.StatusCode != http.StatusOK:
			tried = append(tried, at+" ("+resp.Status+")")
			continue
		}
		var md asMetadata
		if err := json.Unmarshal(body, &md); err != nil {
			return nil, fmt.Errorf("its metadata at %s is not JSON", at)
		}
		if md.Issuer != issuer {
			return nil, fmt.Errorf("its metadata at %s names the issuer %q, not %q: give --oauth-issuer exactly as the server names itself", at, md.Issuer, issuer)
		}
		return &md, nil
	}
	return nil, fmt.Errorf("no authorization server metadata (RFC 8414 or OpenID Connect discovery) at %s", strings.Join(tried, ", "))
}

// Verify checks a token of the issuer for resource.
func (is *Issuer) Verify(ctx context.Context, token, resource string) (*Grant, error) {
	if strings.Count(token, ".") == 2 && is.verifier != nil {
		return is.verifyJWT(ctx, token, resource)
	}
	if is.introspect == "" || is.o.ClientID == "" {
		return nil, fmt.Errorf("%w: not a JWT, and host has no client to introspect tokens with (--oauth-client-id)", ErrInvalidToken)
	}
	return is.introspectToken(ctx, token, resource)
}

// claims are the access token claims host reads (RFC 9068, RFC 7662).
type claims struct {
	Active   *bool    `json:"active"`
	Issuer   string   `json:"iss"`
	Subject  string   `json:"sub"`
	Audience audience `json:"aud"`
	Expiry   int64    `json:"exp"`
	Scope    string   `json:"scope"`
	Scp      []string `json:"scp"`
	ClientID string   `json:"client_id"`
}

// audience is a JWT aud: one string or an array.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*a = audience{s}
		return nil
	}
	var l []string
	err := json.Unmarshal(b, &l)
	*a = l
	return err
}

func (c *claims) grant(resource string) (*Grant, error) {
	if !slices.Contains(c.Audience, resource) {
		return nil, fmt.Errorf("%w: issued for another audience", ErrInvalidToken)
	}
	g := &Grant{Subject: c.Subject, ClientID: c.ClientID, Scopes: append(strings.Fields(c.Scope), c.Scp...)}
	if c.Expiry > 0 {
		g.Expiry = time.Unix(c.Expiry, 0)
	}
	return g, nil
}

func (is *Issuer) verifyJWT(ctx context.Context, token, resource string) (*Grant, error) {
	t, err := is.verifier.Verify(oidc.ClientContext(ctx, is.o.HTTPClient), token)
	if err != nil {
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			return nil, fmt.Errorf("%w: expired", ErrInvalidToken)
		}
		// The key set could not be fetched: the issuer's failure, not the
		// token's.
		if strings.Contains(err.Error(), "fetching keys") {
			return nil, fmt.Errorf("the OAuth issuer's keys: %w", err)
		}
		return nil, fmt.Errorf("%w: %s", ErrInvalidToken, scrub(err.Error(), token))
	}
	var c claims
	if err := t.Claims(&c); err != nil {
		return nil, fmt.Errorf("%w: unreadable claims", ErrInvalidToken)
	}
	return c.grant(resource)
}

// introspectToken asks the issuer about an opaque token (RFC 7662), or
// takes its answer of less than the cache's TTL ago.
func (is *Issuer) introspectToken(ctx context.Context, token, resource string) (*Grant, error) {
	now := is.now()
	if c, ok := is.cache.get(token, now); ok {
		return is.active(c, resource, now)
	}
	c, err := is.ask(ctx, token)
	if err != nil {
		return nil, err
	}
	g, err := is.active(c, resource, now)
	if err == nil {
		is.cache.put(token, c, now, is.o.IntrospectionCacheTTL)
	}
	return g, err
}

// active checks an introspection answer at now.
func (is *Issuer) active(c *claims, resource string, now time.Time) (*Grant, error) {
	switch {
	case c.Active == nil || !*c.Active:
		return nil, fmt.Errorf("%w: the issuer says it is not active (expired or revoked)", ErrInvalidToken)
	case c.Issuer != "" && c.Issuer != is.o.Issuer:
		return nil, fmt.Errorf("%w: issued by %s", ErrInvalidToken, c.Issuer)
	case c.Expiry > 0 && now.Unix() >= c.Expiry:
		return nil, fmt.Errorf("%w: expired", ErrInvalidToken)
	}
	return c.grant(resource)
}

// ask posts the token to the introspection endpoint.
func (is *Issuer) ask(ctx context.Context, token string) (*claims, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, is.introspect, strings.NewReader(url.Values{"token": {token}, "token_type_hint": {"access_token"}}.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(url.QueryEscape(is.o.ClientID), url.QueryEscape(is.o.ClientSecret))
	resp, err := is.o.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("introspecting the token at %s: %s", is.introspect, scrub(err.Error(), token))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("introspecting the token at %s: %s (check --oauth-client-id and HOST_OAUTH_CLIENT_SECRET)", is.introspect, resp.Status)
	}
	var c claims
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&c); err != nil {
		return nil, fmt.Errorf("introspecting the token at %s: the answer is not JSON", is.introspect)
	}
	return &c, nil
}

// scrub removes a token from an error's text.
func scrub(msg, token string) string {
	if token == "" {
		return msg
	}
	return strings.ReplaceAll(msg, token, "[token]")
}

var _ Verifier = (*Issuer)(nil)
