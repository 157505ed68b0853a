package oauth_test

import (
	"context"
	"testing"
	"time"

	"host/bindings/oauth"
	"host/bindings/oauth/oauthtest"
	"host/bindings/secrets"
)

// BenchmarkCallbackToSaved measures a login from the moment the browser's
// callback reaches the loopback listener to the tokens being saved, minus
// the time the token endpoint spent answering (measured inside the
// stand-in). Reported as callback-to-saved-ns (the issue's budget: 10 ms);
// ns/op is the whole login including the browser's part.
func BenchmarkCallbackToSaved(b *testing.B) {
	b.Run("memory", func(b *testing.B) {
		s, _ := secrets.NewScoped(secrets.NewMemory(), "oauth2")
		benchLogin(b, s)
	})
	b.Run("keyring", func(b *testing.B) {
		realKeyring(b)
		s, _ := secrets.NewScoped(secrets.NewKeyring(), "oauth2-bench")
		benchLogin(b, s)
		_ = oauth.Delete(context.Background(), s)
	})
}

func benchLogin(b *testing.B, s *secrets.Scoped) {
	p, cfg := provider(b, oauthtest.Options{RequirePKCE: true})
	client := p.Client()
	ctx := context.Background()
	var measured, endpoint time.Duration
	for b.Loop() {
		f, err := oauth.Start(ctx, *cfg, oauth.FlowOptions{Client: client})
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan time.Time, 1)
		var werr error
		before := p.TokenTime()
		go func() {
			tok, err := f.Wait(ctx)
			if err == nil {
				err = oauth.Save(ctx, s, tok)
			}
			werr = err
			done <- time.Now()
		}()
		if err := p.Browser(f.AuthURL()); err != nil {
			b.Fatal(err)
		}
		saved := <-done
		if werr != nil {
			b.Fatal(werr)
		}
		spent := p.TokenTime() - before
		measured += saved.Sub(oauth.CallbackAt(f)) - spent
		endpoint += spent
		_ = f.Close()
	}
	b.ReportMetric(float64(measured.Nanoseconds())/float64(b.N), "callback-to-saved-ns")
	b.ReportMetric(float64(endpoint.Nanoseconds())/float64(b.N), "token-endpoint-ns")
}

// BenchmarkFreshGet is ctx.secrets.get('oauth_access_token') through a
// FreshBackend on the real keyring when no refresh is due: it should cost
// one keyring read, like any other secret.
func BenchmarkFreshGet(b *testing.B) {
	realKeyring(b)
	p, cfg := provider(b, oauthtest.Options{})
	raw := secrets.NewKeyring()
	s, _ := secrets.NewScoped(raw, "oauth2-bench-get")
	access, refresh := p.Issue("read")
	ctx := context.Background()
	if err := oauth.Save(ctx, s, &oauth.Token{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour), ObtainedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = oauth.Delete(ctx, s) }()
	plugin, _ := secrets.NewScoped(oauth.NewFreshBackend(raw, oauth.NewKeeper(*cfg, p.Client(), s, b.TempDir())), "oauth2-bench-get")
	for _, key := range []string{oauth.AccessTokenKey, oauth.RefreshTokenKey} {
		b.Run(key, func(b *testing.B) {
			for b.Loop() {
				if _, err := plugin.Get(ctx, key); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
