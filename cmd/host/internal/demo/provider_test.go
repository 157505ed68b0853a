package demo

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// TestProviderLogin goes through the provider as the host's OAuth2 client
// (golang.org/x/oauth2) does: the approved redirect, a wrong PKCE verifier
// refused, the right one exchanged once, a refresh that rotates the
// refresh token, and the spent one refused.
func TestProviderLogin(t *testing.T) {
	p, err := StartProvider("my-app")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cfg := &oauth2.Config{ClientID: "my-app", Scopes: []string{"read", "write"},
		RedirectURL: "http://127.0.0.1:9/callback",
		Endpoint: oauth2.Endpoint{AuthURL: "https://myservice.com" + authorizePath,
			TokenURL: "https://myservice.com" + tokenPath, AuthStyle: oauth2.AuthStyleInParams}}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, p.Client())
	verifier := oauth2.GenerateVerifier()

	// The browser's first hop: the provider redirects to the callback.
	c := *p.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	redirect := func(authURL string) url.Values {
		t.Helper()
		resp, err := c.Get(authURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil || resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), cfg.RedirectURL+"?") {
			t.Fatalf("authorize answered %s, Location %q", resp.Status, resp.Header.Get("Location"))
		}
		return loc.Query()
	}
	if q := redirect(cfg.AuthCodeURL("st-1")); q.Get("error") != "invalid_request" || q.Get("state") != "st-1" {
		t.Errorf("without PKCE the callback got %v, want error=invalid_request and the state", q)
	}
	q := redirect(cfg.AuthCodeURL("st-2", oauth2.S256ChallengeOption(verifier)))
	if q.Get("state") != "st-2" || !strings.HasPrefix(q.Get("code"), "fake-code-") {
		t.Fatalf("the callback got %v, want a fake code and state st-2", q)
	}

	wantGrantError := func(err error, what string) {
		t.Helper()
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
			t.Errorf("%s: got %v, want invalid_grant", what, err)
		}
	}
	_, err = cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
	wantGrantError(err, "exchange with another verifier")
	// A refused try spends the code; log in again.
	q = redirect(cfg.AuthCodeURL("st-3", oauth2.S256ChallengeOption(verifier)))
	tok, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if !strings.HasPrefix(tok.AccessToken, "fake-access-") || !strings.HasPrefix(tok.RefreshToken, "fake-refresh-") || tok.Expiry.IsZero() {
		t.Errorf("tokens %+v, want fake access and refresh tokens with an expiry", tok)
	}
	if got := p.Exchanges(); got != 1 {
		t.Errorf("Exchanges() = %d, want 1", got)
	}
	_, err = cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	wantGrantError(err, "the same code again")

	fresh, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if fresh.AccessToken == tok.AccessToken || fresh.RefreshToken == tok.RefreshToken || fresh.RefreshToken == "" {
		t.Errorf("refresh gave %+v, want new access and refresh tokens", fresh)
	}
	_, err = cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	wantGrantError(err, "the spent refresh token")
}
