// Package oauth obtains and keeps OAuth2 tokens for plugins whose auth block
// is `type: 'oauth2'`: the authorization code flow with PKCE on a loopback
// redirect (RFC 8252), the device authorization grant (RFC 8628), refresh,
// storage of the tokens in the plugin's secret scope, a Keeper that keeps the
// stored access token fresh across goroutines and processes, and the JS
// global `refreshOAuthToken` (declared in oauth.d.ts).
//
// The package never prints, never opens a browser and never reads a
// terminal: the caller shows AuthURL, opens the browser and reports errors.
// Errors carry a hint (jsrt.Hint) and never contain a token, an
// authorization code, a PKCE verifier or a state value.
//
// Every request to the provider goes through the *http.Client the caller
// passes (the host's one client, so --connect-to and SSL_CERT_FILE apply);
// nil means http.DefaultClient.
package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Config is a plugin's oauth2 auth block (bindings/plugin's OAuth2) with the
// client id resolved. It is a plain value, safe to copy and share.
type Config struct {
	AuthorizationURL       string
	TokenURL               string
	DeviceAuthorizationURL string // optional; needed only by Device
	ClientID               string
	Scopes                 []string
	PKCE                   bool // send an S256 code challenge and the verifier
	RedirectPort           int  // 0: a random free port on 127.0.0.1
}

// validate checks what every grant needs; need names the extra URL the
// caller's grant uses ("authorizationUrl", "deviceAuthorizationUrl" or "").
func (c Config) validate(need string) error {
	var missing []string
	if c.ClientID == "" {
		missing = append(missing, "a client id")
	}
	if c.TokenURL == "" {
		missing = append(missing, "auth.tokenUrl")
	}
	switch {
	case need == "authorizationUrl" && c.AuthorizationURL == "":
		missing = append(missing, "auth.authorizationUrl")
	case need == "deviceAuthorizationUrl" && c.DeviceAuthorizationURL == "":
		return withHintKind(errors.New("oauth: this plugin declares no auth.deviceAuthorizationUrl, so the device login is not available"),
			HintNoDeviceLogin, "log in with the browser instead, or paste the address the browser ends on when it runs on another machine")
	}
	for _, u := range []struct{ field, url string }{
		{"authorizationUrl", c.AuthorizationURL}, {"tokenUrl", c.TokenURL}, {"deviceAuthorizationUrl", c.DeviceAuthorizationURL},
	} {
		if u.url == "" {
			continue
		}
		if err := CheckEndpoint(u.field, u.url); err != nil {
			return withHint(fmt.Errorf("oauth: %w", err), "fix the URL in the plugin's auth block")
		}
	}
	if c.RedirectPort < 0 || c.RedirectPort > 65535 {
		return withHint(fmt.Errorf("oauth: auth.redirectPort %d is not a TCP port", c.RedirectPort), "use a port between 1024 and 65535, or leave redirectPort out")
	}
	if len(missing) > 0 {
		hint := "declare it in the plugin's auth block"
		if c.ClientID == "" {
			hint = "set auth.clientId in the plugin, or a `clientId` config field"
		}
		return withHint(fmt.Errorf("oauth: the plugin's oauth2 settings lack %s", strings.Join(missing, " and ")), hint)
	}
	return nil
}

// oauth2Config is the x/oauth2 view of c. Public clients send client_id in
// the request body (RFC 6749 section 2.3), so the auth style is fixed: no
// probing request that could spend a one-time code twice.
func (c Config) oauth2Config(redirectURI string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: c.ClientID,
		Endpoint: oauth2.Endpoint{
			AuthURL:       c.AuthorizationURL,
			TokenURL:      c.TokenURL,
			DeviceAuthURL: c.DeviceAuthorizationURL,
			AuthStyle:     oauth2.AuthStyleInParams,
		},
		RedirectURL: redirectURI,
		Scopes:      c.Scopes,
	}
}

// withClient puts client where x/oauth2 looks for it.
func withClient(ctx context.Context, client *http.Client) context.Context {
	if client == nil {
		client = http.DefaultClient
	}
	return context.WithValue(ctx, oauth2.HTTPClient, client)
}

// Token is what the provider granted. Its String and GoString never show
// the token values, so printing one by mistake leaks nothing.
type Token struct {
	AccessToken  string
	RefreshToken string // "" when the provider gave none
	TokenType    string // "Bearer" when the provider did not say
	// Expiry is when the access token expires; zero when the provider gave
	// no lifetime (the token is then used until it is refused).
	Expiry time.Time
	// Scopes granted: the response's `scope`, else those requested.
	Scopes []string
	// ExpiresIn is the response's expires_in in seconds (0 when absent).
	ExpiresIn int64
	// ObtainedAt is when the request that returned the token was sent; with
	// Expiry it gives the token's lifetime.
	ObtainedAt time.Time

	// uncommitted marks a token Load found without matching metadata (a
	// save interrupted half-way): its lifetime is unknown, so it counts as
	// expired when a refresh token exists.
	uncommitted bool
}

// The part of a token's lifetime in which the Keeper refreshes it ahead of
// expiry: the last RefreshFraction percent, at most MaxRefreshWindow.
const (
	RefreshFraction  = 10 // percent
	MaxRefreshWindow = 60 * time.Second
)

// Expired reports whether the access token has expired at now (false when
// it has no expiry).
func (t *Token) Expired(now time.Time) bool {
	return !t.Expiry.IsZero() && !now.Before(t.Expiry)
}

// NeedsRefresh reports whether the Keeper refreshes t at now: it has
// expired, is in the last 10 % of its lifetime (at most the last 60 s), or
// was found half-saved. A token without expiry never needs a refresh.
func (t *Token) NeedsRefresh(now time.Time) bool {
	if t.uncommitted {
		return true
	}
	if t.Expiry.IsZero() {
		return false
	}
	life := time.Duration(t.ExpiresIn) * time.Second
	if !t.ObtainedAt.IsZero() {
		life = t.Expiry.Sub(t.ObtainedAt)
	}
	window := MaxRefreshWindow
	if life > 0 && life*RefreshFraction/100 < window {
		window = life * RefreshFraction / 100
	}
	return !now.Before(t.Expiry.Add(-window))
}

// String describes t without its secrets: type, expiry and scopes.
func (t *Token) String() string {
	if t == nil {
		return "<nil token>"
	}
	exp := "no expiry"
	if !t.Expiry.IsZero() {
		exp = "expires " + t.Expiry.UTC().Format(time.RFC3339)
	}
	rt := "no refresh token"
	if t.RefreshToken != "" {
		rt = "refresh token"
	}
	return fmt.Sprintf("%s token (%s, %s, scopes %q)", t.TokenType, exp, rt, t.Scopes)
}

// GoString is String, so %#v does not print the values either.
func (t *Token) GoString() string { return t.String() }

// fromOAuth2 converts x/oauth2's token. requested are the scopes asked for;
// scopeGiven reports whether the response named the granted ones.
func fromOAuth2(ot *oauth2.Token, requested []string, obtained time.Time) (t *Token, scopeGiven bool) {
	t = &Token{
		AccessToken:  ot.AccessToken,
		RefreshToken: ot.RefreshToken,
		TokenType:    ot.Type(),
		Expiry:       ot.Expiry,
		ExpiresIn:    ot.ExpiresIn,
		ObtainedAt:   obtained,
	}
	if s, ok := ot.Extra("scope").(string); ok {
		t.Scopes, scopeGiven = strings.Fields(s), true
	} else {
		t.Scopes = append([]string(nil), requested...)
	}
	return t, scopeGiven
}

var (
	_ fmt.Stringer   = (*Token)(nil)
	_ fmt.GoStringer = (*Token)(nil)
)
