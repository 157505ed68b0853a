package oauth_test

import (
	"errors"
	"strings"
	"testing"

	"host/bindings/oauth"
	"host/bindings/oauth/oauthtest"
	"host/jsrt"
)

func TestRefresh(t *testing.T) {
	t.Run("rotating", func(t *testing.T) {
		p, cfg := provider(t, oauthtest.Options{ExpiresIn: 120})
		_, old := p.Issue("read write")
		tok, err := oauth.Refresh(t.Context(), *cfg, p.Client(), old)
		if err != nil {
			t.Fatal(err)
		}
		if !p.ValidAccess(tok.AccessToken) || tok.RefreshToken == old || !p.ValidRefresh(tok.RefreshToken) || p.ValidRefresh(old) {
			t.Errorf("rotation: got %v; old refresh token still valid: %v", tok, p.ValidRefresh(old))
		}
		if tok.ExpiresIn != 120 || strings.Join(tok.Scopes, " ") != "read write" {
			t.Errorf("token %v, expires_in %d", tok, tok.ExpiresIn)
		}
		// Spending the retired refresh token again: login needed.
		_, err = oauth.Refresh(t.Context(), *cfg, p.Client(), old)
		if !errors.Is(err, oauth.ErrLoginNeeded) || jsrt.HintKindOf(err) != oauth.HintLoginAgain {
			t.Fatalf("reused refresh token: %v (hint %q), want ErrLoginNeeded", err, jsrt.Hint(err))
		}
		wantProviderError(t, err, "invalid_grant")
		noLeak(t, err, old)
		if n := p.RefreshCount(); n != 2 {
			t.Errorf("%d refresh requests, want 2", n)
		}
	})
	t.Run("not rotating keeps the old refresh token", func(t *testing.T) {
		p, cfg := provider(t, oauthtest.Options{NoRotate: true})
		_, old := p.Issue("read")
		tok, err := oauth.Refresh(t.Context(), *cfg, p.Client(), old)
		if err != nil {
			t.Fatal(err)
		}
		if tok.RefreshToken != old || !p.ValidRefresh(old) || strings.Join(tok.Scopes, " ") != "read" {
			t.Errorf("token %v: want the old refresh token kept", tok)
		}
	})
	t.Run("server error is not login needed", func(t *testing.T) {
		p, cfg := provider(t, oauthtest.Options{TokenStatus: 500})
		_, old := p.Issue("")
		_, err := oauth.Refresh(t.Context(), *cfg, p.Client(), old)
		if errors.Is(err, oauth.ErrLoginNeeded) {
			t.Fatalf("a 500 asks for a new login: %v", err)
		}
		wantProviderError(t, err, "server_error")
	})
	t.Run("empty refresh token", func(t *testing.T) {
		_, err := oauth.Refresh(t.Context(), specConfig(), nil, "")
		if !errors.Is(err, oauth.ErrLoginNeeded) {
			t.Errorf("got %v", err)
		}
	})
}
