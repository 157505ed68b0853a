package oauth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"host/bindings/oauth"
	"host/bindings/secrets"
)

func TestSaveLoadDelete(t *testing.T) {
	backends := map[string]func(t *testing.T) *secrets.Scoped{
		"memory": func(t *testing.T) *secrets.Scoped { return memScope(t, "oauth2") },
		"keyring": func(t *testing.T) *secrets.Scoped {
			realKeyring(t)
			s, err := secrets.NewScoped(secrets.NewKeyring(), "oauth2")
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	for name, scope := range backends {
		t.Run(name, func(t *testing.T) {
			s := scope(t)
			ctx := t.Context()
			now := time.Now().Truncate(time.Second)
			in := &oauth.Token{AccessToken: "fake-access-1", RefreshToken: "fake-refresh-1", TokenType: "Bearer",
				Expiry: now.Add(time.Hour), ExpiresIn: 3600, ObtainedAt: now, Scopes: []string{"read", "write"}}
			if err := oauth.Save(ctx, s, in); err != nil {
				t.Fatal(err)
			}
			out, err := oauth.Load(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if out.AccessToken != in.AccessToken || out.RefreshToken != in.RefreshToken || !out.Expiry.Equal(in.Expiry) ||
				!out.ObtainedAt.Equal(in.ObtainedAt) || out.ExpiresIn != 3600 || strings.Join(out.Scopes, " ") != "read write" || out.NeedsRefresh(now) {
				t.Errorf("Load = %v (expiry %v, obtained %v), want %v", out, out.Expiry, out.ObtainedAt, in)
			}
			if name == "keyring" {
				// What a user sees with secret-tool.
				for user, want := range map[string]string{"oauth_access_token": "fake-access-1", "oauth_refresh_token": "fake-refresh-1"} {
					if got, err := realKeyring(t).Lookup("host:oauth2", user); err != nil || got != want {
						t.Errorf("secret-tool lookup service host:oauth2 user %s: %v", user, err)
					}
				}
				if meta, err := realKeyring(t).Lookup("host:oauth2", "oauth_token_meta"); err != nil || strings.Contains(meta, "fake-") || !strings.Contains(meta, "expiry") {
					t.Errorf("metadata item: %v; it must hold the expiry and no token", err)
				}
			}
			// A login without refresh token removes the old one.
			if err := oauth.Save(ctx, s, &oauth.Token{AccessToken: "fake-access-2", TokenType: "Bearer"}); err != nil {
				t.Fatal(err)
			}
			if out, err := oauth.Load(ctx, s); err != nil || out.RefreshToken != "" || !out.Expiry.IsZero() || out.NeedsRefresh(now) {
				t.Errorf("after a save without refresh token: %v, %v", out, err)
			}
			if err := oauth.Delete(ctx, s); err != nil {
				t.Fatal(err)
			}
			if _, err := oauth.Load(ctx, s); !errors.Is(err, secrets.ErrNotFound) {
				t.Errorf("Load after Delete: %v, want ErrNotFound", err)
			}
			for _, k := range []string{oauth.AccessTokenKey, oauth.RefreshTokenKey, oauth.MetaKey} {
				if ok, _ := s.Has(ctx, k); ok {
					t.Errorf("%s left after logout", k)
				}
			}
			if err := oauth.Delete(ctx, s); err != nil {
				t.Errorf("second logout: %v", err)
			}
		})
	}
}

// A Save interrupted after the new refresh and access tokens but before the
// metadata: the token counts as expired and is refreshed with the newest
// refresh token, never trusted with stale metadata.
func TestInterruptedSave(t *testing.T) {
	ctx := t.Context()
	s := memScope(t, "oauth2")
	now := time.Now()
	if err := oauth.Save(ctx, s, &oauth.Token{AccessToken: "fake-access-1", RefreshToken: "fake-refresh-1", TokenType: "Bearer",
		Expiry: now.Add(time.Hour), ObtainedAt: now}); err != nil {
		t.Fatal(err)
	}
	_ = s.Set(ctx, oauth.RefreshTokenKey, "fake-refresh-2") // crash after this write...
	tok, err := oauth.Load(ctx, s)
	if err != nil || tok.NeedsRefresh(now) || tok.RefreshToken != "fake-refresh-2" {
		t.Errorf("after the refresh token write: %v, %v; want the old access token, valid, and the new refresh token", tok, err)
	}
	_ = s.Set(ctx, oauth.AccessTokenKey, "fake-access-2") // ...or after this one
	tok, err = oauth.Load(ctx, s)
	if err != nil || !tok.NeedsRefresh(now) || tok.RefreshToken != "fake-refresh-2" {
		t.Errorf("after the access token write: %v, %v; want a token that needs a refresh with the new refresh token", tok, err)
	}
}

func TestNeedsRefresh(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name      string
		lifetime  time.Duration
		remaining time.Duration
		want      bool
	}{
		{"expired", time.Hour, -time.Second, true},
		{"fresh", time.Hour, 50 * time.Minute, false},
		{"last 10% of a short lifetime", 100 * time.Second, 5 * time.Second, true},
		{"before the last 10%", 100 * time.Second, 11 * time.Second, false},
		{"long lifetime, 90 s left: the window is at most 60 s", 2 * time.Hour, 90 * time.Second, false},
		{"long lifetime, 30 s left", 2 * time.Hour, 30 * time.Second, true},
	}
	for _, tc := range tests {
		tok := &oauth.Token{Expiry: now.Add(tc.remaining), ObtainedAt: now.Add(tc.remaining - tc.lifetime)}
		if got := tok.NeedsRefresh(now); got != tc.want {
			t.Errorf("%s: NeedsRefresh = %v, want %v", tc.name, got, tc.want)
		}
	}
	if (&oauth.Token{}).NeedsRefresh(now) {
		t.Error("a token without expiry needs a refresh")
	}
}
