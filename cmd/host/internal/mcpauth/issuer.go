package mcpauth

// An external authorization server: an OpenID Connect issuer the user
// names. JWT access tokens (RFC 9068) are checked against the issuer's
// JWKS (github.com/coreos/go-oidc: discovery, key set with rotation,
// signature, issuer, expiry); other tokens by introspection (RFC 7662)
// when host has a client to introspect with.

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
}

// Issuer verifies access tokens of an external issuer. Safe for
// concurrent use.
type Issuer struct {
	o          IssuerOptions
	verifier   *oidc.IDTokenVerifier
	introspect string // the introspection endpoint ("" none)
}

// signingAlgs are the JWS algorithms accepted (never "none" or HMAC).
var signingAlgs = []string{oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512, oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA}

// NewIssuer reads the issuer's metadata (OpenID Connect discovery) and
// returns a Verifier of its access tokens. The error says what is wrong
// with the issuer URL or its metadata.
func NewIssuer(ctx context.Context, o IssuerOptions) (*Issuer, error) {
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && Loopback(u.Host))) {
		return nil, fmt.Errorf("the OAuth issuer %q must be an https URL (http only on loopback)", o.Issuer)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	ctx = oidc.ClientContext(ctx, o.HTTPClient)
	p, err := oidc.NewProvider(ctx, o.Issuer)
	if err != nil {
		return nil, fmt.Errorf("the OAuth issuer %s: %w", o.Issuer, err)
	}
	var md struct {
		Introspection string `json:"introspection_endpoint"`
	}
	_ = p.Claims(&md)
	is := &Issuer{o: o, introspect: md.Introspection}
	if o.ClientID != "" && is.introspect == "" {
		return nil, fmt.Errorf("the OAuth issuer %s has no introspection endpoint, so --oauth-client-id is of no use with it", o.Issuer)
	}
	// The audience is the resource of each request, checked in Verify.
	is.verifier = p.VerifierContext(context.WithoutCancel(ctx), &oidc.Config{SkipClientIDCheck: true, SupportedSigningAlgs: signingAlgs})
	return is, nil
}

// Verify checks a token of the issuer for resource.
func (is *Issuer) Verify(ctx context.Context, token, resource string) (*Grant, error) {
	if strings.Count(token, ".") == 2 {
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

// introspectToken asks the issuer about an opaque token (RFC 7662).
func (is *Issuer) introspectToken(ctx context.Context, token, resource string) (*Grant, error) {
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
	switch {
	case c.Active == nil || !*c.Active:
		return nil, fmt.Errorf("%w: the issuer says it is not active (expired or revoked)", ErrInvalidToken)
	case c.Issuer != "" && c.Issuer != is.o.Issuer:
		return nil, fmt.Errorf("%w: issued by %s", ErrInvalidToken, c.Issuer)
	case c.Expiry > 0 && time.Now().Unix() >= c.Expiry:
		return nil, fmt.Errorf("%w: expired", ErrInvalidToken)
	}
	return c.grant(resource)
}

// scrub removes a token from an error's text.
func scrub(msg, token string) string {
	if token == "" {
		return msg
	}
	return strings.ReplaceAll(msg, token, "[token]")
}

var _ Verifier = (*Issuer)(nil)
