package oauth_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"host/bindings/oauth"
	"host/bindings/oauth/oauthtest"
	"host/bindings/secrets"
	"host/jsrt"
)

// seed stores a pair the provider issued, with the given lifetime and time
// left, as a completed login would have.
func seed(t *testing.T, p *oauthtest.Provider, s *secrets.Scoped, lifetime, remaining time.Duration) *oauth.Token {
	t.Helper()
	access, refresh := p.Issue("read write")
	now := time.Now()
	tok := &oauth.Token{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", Scopes: []string{"read", "write"},
		Expiry: now.Add(remaining), ObtainedAt: now.Add(remaining - lifetime), ExpiresIn: int64(lifetime / time.Second)}
	if err := oauth.Save(t.Context(), s, tok); err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestKeeperRefreshesWhenDue(t *testing.T) {
	tests := []struct {
		name                string
		lifetime, remaining time.Duration
		refresh             bool
	}{
		{"expired", time.Hour, -time.Minute, true},
		{"last 10%", 100 * time.Second, 5 * time.Second, true},
		{"long lifetime, last 60 s", 2 * time.Hour, 30 * time.Second, true},
		{"long lifetime, 90 s left", 2 * time.Hour, 90 * time.Second, false},
		{"fresh", time.Hour, 30 * time.Minute, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, cfg := provider(t, oauthtest.Options{})
			s := memScope(t, "oauth2")
			old := seed(t, p, s, tc.lifetime, tc.remaining)
			var refreshed []*oauth.Token
			k := oauth.NewKeeper(*cfg, p.Client(), s, t.TempDir())
			k.OnRefresh = func(t *oauth.Token) { refreshed = append(refreshed, t) }
			tok, err := k.Fresh(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !tc.refresh {
				if tok.AccessToken != old.AccessToken || p.RefreshCount() != 0 {
					t.Errorf("refreshed a token with %v of %v left", tc.remaining, tc.lifetime)
				}
				return
			}
			if tok.AccessToken == old.AccessToken || !p.ValidAccess(tok.AccessToken) || p.RefreshCount() != 1 || len(refreshed) != 1 {
				t.Fatalf("not refreshed: %v, %d refresh requests", tok, p.RefreshCount())
			}
			stored, err := oauth.Load(t.Context(), s)
			if err != nil || stored.AccessToken != tok.AccessToken || stored.RefreshToken != tok.RefreshToken || !p.ValidRefresh(stored.RefreshToken) {
				t.Errorf("the rotated pair was not saved: %v, %v", stored, err)
			}
			if strings.Join(stored.Scopes, " ") != "read write" || stored.NeedsRefresh(time.Now()) {
				t.Errorf("stored %v", stored)
			}
			if _, err := k.Fresh(t.Context()); err != nil || p.RefreshCount() != 1 {
				t.Errorf("second Fresh: %v, %d refresh requests, want still 1", err, p.RefreshCount())
			}
		})
	}
}

func TestKeeperRefused(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{})
	s := memScope(t, "oauth2")
	seed(t, p, s, time.Hour, -time.Second)
	p.RevokeAll()
	var told []error
	k := oauth.NewKeeper(*cfg, p.Client(), s, "")
	k.OnLoginNeeded = func(err error) { told = append(told, err) }
	for i := 0; i < 3; i++ {
		_, err := k.Fresh(t.Context())
		if !errors.Is(err, oauth.ErrLoginNeeded) || jsrt.HintKindOf(err) != oauth.HintLoginAgain {
			t.Fatalf("Fresh %d: %v (hint %q), want ErrLoginNeeded", i, err, jsrt.Hint(err))
		}
	}
	if p.RefreshCount() != 1 || len(told) != 1 {
		t.Errorf("%d refresh requests and %d OnLoginNeeded calls, want 1 and 1", p.RefreshCount(), len(told))
	}
	// A new login clears the state.
	seed(t, p, s, time.Hour, -time.Second)
	if _, err := k.Fresh(t.Context()); err != nil {
		t.Errorf("after a new login: %v", err)
	}
}

func TestKeeperExpiredWithoutRefreshToken(t *testing.T) {
	s := memScope(t, "oauth2")
	_ = oauth.Save(t.Context(), s, &oauth.Token{AccessToken: "fake-access-1", TokenType: "Bearer", Expiry: time.Now().Add(-time.Minute)})
	k := oauth.NewKeeper(specConfig(), nil, s, "")
	if _, err := k.Fresh(t.Context()); !errors.Is(err, oauth.ErrLoginNeeded) {
		t.Errorf("got %v, want ErrLoginNeeded", err)
	}
}

func TestKeeperNotLoggedIn(t *testing.T) {
	k := oauth.NewKeeper(specConfig(), nil, memScope(t, "oauth2"), "")
	if _, err := k.Fresh(t.Context()); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("got %v, want ErrNotFound", err)
	}
}

func TestKeeperSingleFlight(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{TokenDelay: 50 * time.Millisecond})
	s := memScope(t, "oauth2")
	seed(t, p, s, time.Hour, -time.Second)
	k := oauth.NewKeeper(*cfg, p.Client(), s, t.TempDir())
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Go(func() {
			tok, err := k.Fresh(t.Context())
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = tok.AccessToken
		})
	}
	wg.Wait()
	for _, a := range got {
		if a != got[0] || !p.ValidAccess(a) {
			t.Fatalf("goroutines got different or invalid tokens")
		}
	}
	if n := p.RefreshCount(); n != 1 {
		t.Errorf("%d refresh requests, want 1", n)
	}
}

// Two host processes find the same expired token at once, against a
// provider that rotates refresh tokens: one refresh request, both processes
// end with the same valid token, and the keyring holds the new pair.
func TestKeeperTwoProcesses(t *testing.T) {
	sess := realKeyring(t)
	p, cfg := provider(t, oauthtest.Options{TokenDelay: 200 * time.Millisecond})
	const plugin = "oauth2-two-processes"
	s, err := secrets.NewScoped(secrets.NewKeyring(), plugin)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, p, s, time.Hour, -time.Minute)
	t.Cleanup(func() { _ = oauth.Delete(t.Context(), s) })
	_ = cfg
	dir := t.TempDir()
	certFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(certFile, p.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	type child struct {
		cmd         *exec.Cmd
		out, stderr bytes.Buffer
	}
	children := make([]*child, 2)
	var stdins []interface{ Close() error }
	for i := range children {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
		c.cmd.Env = append(os.Environ(), sess.Env()...)
		c.cmd.Env = append(c.cmd.Env, childEnv+"=1", "OAUTH_TEST_PROVIDER="+p.Addr(), "OAUTH_TEST_PLUGIN="+plugin,
			"OAUTH_TEST_DATA="+filepath.Join(dir, "data"), "SSL_CERT_FILE="+certFile)
		c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.stderr
		in, err := c.cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stdins = append(stdins, in)
		children[i] = c
	}
	for _, in := range stdins { // go
		_ = in.Close()
	}
	var tokens []string
	for i, c := range children {
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("process %d: %v: %s", i, err, c.stderr.String())
		}
		tokens = append(tokens, strings.TrimSpace(c.out.String()))
	}
	if tokens[0] != tokens[1] || !p.ValidAccess(tokens[0]) {
		t.Errorf("the processes ended with different or invalid access tokens")
	}
	if n := p.RefreshCount(); n != 1 {
		t.Errorf("%d refresh requests, want exactly 1", n)
	}
	stored, err := sess.Lookup("host:"+plugin, "oauth_access_token")
	if err != nil || stored != tokens[0] {
		t.Errorf("keyring access token: %v; not the refreshed one", err)
	}
	if r, err := sess.Lookup("host:"+plugin, "oauth_refresh_token"); err != nil || !p.ValidRefresh(r) {
		t.Errorf("keyring refresh token: %v; not the rotated one", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "plugins", plugin, "oauth.lock")); err != nil {
		t.Errorf("lock file: %v", err)
	}
}
