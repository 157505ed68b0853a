package oauth_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"host/bindings/oauth"
	"host/bindings/oauth/oauthtest"
	"host/jsrt"
)

// start begins a login against p with the host's client for it.
func start(t *testing.T, p *oauthtest.Provider, cfg oauth.Config) *oauth.Flow {
	t.Helper()
	f, err := oauth.Start(t.Context(), cfg, oauth.FlowOptions{Client: p.Client()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func authParams(t *testing.T, f *oauth.Flow) url.Values {
	t.Helper()
	u, err := url.Parse(f.AuthURL())
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// get requests a URL on the loopback callback listener, as a browser would.
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

func TestCodeFlowWithPKCE(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{RequirePKCE: true})
	f := start(t, p, *cfg)

	q := authParams(t, f)
	redirect, _ := url.Parse(q.Get("redirect_uri"))
	checks := map[string]bool{
		"response_type=code":            q.Get("response_type") == "code",
		"client_id=my-app":              q.Get("client_id") == "my-app",
		"scope=read write":              q.Get("scope") == "read write",
		"state is long and random":      len(q.Get("state")) >= 32,
		"code_challenge_method=S256":    q.Get("code_challenge_method") == "S256",
		"code_challenge is set":         len(q.Get("code_challenge")) == 43,
		"redirect on 127.0.0.1":         redirect != nil && redirect.Hostname() == "127.0.0.1" && redirect.Path == "/callback",
		"redirect_uri is RedirectURI":   q.Get("redirect_uri") == f.RedirectURI(),
		"authorize URL is the plugin's": strings.HasPrefix(f.AuthURL(), cfg.AuthorizationURL+"?"),
	}
	for what, ok := range checks {
		if !ok {
			t.Errorf("authorization URL: want %s; got %s", what, f.AuthURL())
		}
	}
	if other := authParams(t, start(t, p, *cfg)); other.Get("state") == q.Get("state") || other.Get("code_challenge") == q.Get("code_challenge") {
		t.Error("two logins share a state or a PKCE challenge")
	}

	page, err := p.Visit(f.AuthURL())
	if err != nil {
		t.Fatal(err)
	}
	if page.Status != 200 || !strings.Contains(page.Body, "You can close this tab") {
		t.Fatalf("callback page: %d %q", page.Status, page.Body)
	}
	tok, err := f.Wait(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !p.ValidAccess(tok.AccessToken) || !p.ValidRefresh(tok.RefreshToken) {
		t.Errorf("the provider does not know the tokens of %v", tok)
	}
	if tok.TokenType != "Bearer" || strings.Join(tok.Scopes, " ") != "read write" || tok.ExpiresIn != 3600 {
		t.Errorf("token = %v, expires_in %d", tok, tok.ExpiresIn)
	}
	if d := time.Until(tok.Expiry); d < 59*time.Minute || d > time.Hour {
		t.Errorf("expiry in %v, want about an hour", d)
	}
	if n := p.ExchangeCount(); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
	if s := tok.String() + tok.GoString(); strings.Contains(s, tok.AccessToken) || strings.Contains(s, tok.RefreshToken) {
		t.Errorf("Token's String reveals the tokens: %s", s)
	}
}

func TestCodeFlowWithoutPKCE(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{})
	cfg.PKCE = false
	f := start(t, p, *cfg)
	if q := authParams(t, f); q.Has("code_challenge") {
		t.Errorf("pkce: false still sends a code challenge: %s", f.AuthURL())
	}
	if err := p.Browser(f.AuthURL()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestStateMismatchIsRejectedAndTheLoginGoesOn(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{})
	f := start(t, p, *cfg)
	for _, q := range []string{
		"code=fake-attacker-code&state=wrong",
		"error=access_denied&state=wrong",
		"code=fake-attacker-code",
	} {
		status, body := get(t, f.RedirectURI()+"?"+q)
		if status != http.StatusBadRequest || !strings.Contains(body, "state mismatch") {
			t.Errorf("callback ?%s: %d %q, want 400 naming the state mismatch", q, status, body)
		}
	}
	if err := p.Browser(f.AuthURL()); err != nil {
		t.Fatalf("the right callback after rejected ones: %v", err)
	}
	tok, err := f.Wait(t.Context())
	if err != nil || !p.ValidAccess(tok.AccessToken) {
		t.Fatalf("Wait = %v, %v; want the real login's token", tok, err)
	}
}

func TestSecondCallbackRejected(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{})
	f := start(t, p, *cfg)
	page, err := p.Visit(f.AuthURL())
	if err != nil || page.Status != 200 {
		t.Fatalf("first callback: %v %v", page, err)
	}
	status, body := get(t, page.URL) // the browser reloads the tab
	if status != http.StatusGone || !strings.Contains(body, "already") {
		t.Errorf("second callback: %d %q, want 410 already used", status, body)
	}
	if _, err := f.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Wait(t.Context()); !errors.Is(err, oauth.ErrFlowUsed) {
		t.Errorf("second Wait: %v, want ErrFlowUsed", err)
	}
	if n := p.ExchangeCount(); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
}

func TestListenerOnlyOnLoopback(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{})
	f := start(t, p, *cfg)
	u, _ := url.Parse(f.RedirectURI())
	if u.Hostname() != "127.0.0.1" {
		t.Fatalf("redirect URI %s is not on 127.0.0.1", f.RedirectURI())
	}
	var other net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			other = ipn.IP
			break
		}
	}
	if other == nil {
		t.Skip("this machine has no non-loopback IPv4 address to dial; the listener's address was checked above")
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort(other.String(), u.Port()), 2*time.Second)
	if err == nil {
		c.Close()
		t.Fatalf("the login listener answers on %s:%s", other, u.Port())
	}
}

func TestAccessDenied(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{Deny: true, DenyDescription: `User said <b>no</b>`})
	f := start(t, p, *cfg)
	page, err := p.Visit(f.AuthURL())
	if err != nil {
		t.Fatal(err)
	}
	if page.Status != 200 || !strings.Contains(page.Body, "access_denied") || !strings.Contains(page.Body, "User said &lt;b&gt;no&lt;/b&gt;") {
		t.Errorf("browser page = %d %q, want the provider's error, HTML-escaped", page.Status, page.Body)
	}
	_, err = f.Wait(t.Context())
	pe := wantProviderError(t, err, "access_denied")
	if pe.Description != "User said <b>no</b>" || !strings.Contains(err.Error(), "access_denied") {
		t.Errorf("error = %v", err)
	}
	if n := p.ExchangeCount(); n != 0 {
		t.Errorf("%d code exchanges after a denial", n)
	}
	noLeak(t, err, authParams(t, f).Get("state"))
}

func TestInvalidGrantAtExchange(t *testing.T) {
	// A code obtained for one login, injected into another: the stand-in
	// refuses it (redirect_uri and PKCE verifier do not match).
	p, cfg := provider(t, oauthtest.Options{RequirePKCE: true})
	victim, thief := start(t, p, *cfg), start(t, p, *cfg)
	loc, err := p.RedirectOnly(victim.AuthURL())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(loc)
	code := u.Query().Get("code")
	injected := thief.RedirectURI() + "?code=" + url.QueryEscape(code) + "&state=" + url.QueryEscape(authParams(t, thief).Get("state"))
	if status, _ := get(t, injected); status != 200 {
		t.Fatalf("callback status %d", status)
	}
	_, err = thief.Wait(t.Context())
	wantProviderError(t, err, "invalid_grant")
	noLeak(t, err, code)
}

func TestTokenEndpointFailures(t *testing.T) {
	t.Run("unreachable", func(t *testing.T) {
		p, cfg := provider(t, oauthtest.Options{})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := "https://" + ln.Addr().String() + "/oauth/token"
		ln.Close()
		cfg.TokenURL = dead
		f := start(t, p, *cfg)
		if err := p.Browser(f.AuthURL()); err != nil {
			t.Fatal(err)
		}
		_, err = f.Wait(t.Context())
		var ee *oauth.EndpointError
		if !errors.As(err, &ee) || ee.URL != dead || jsrt.Hint(err) == "" {
			t.Fatalf("want an *EndpointError for %s with a hint, got %v", dead, err)
		}
		if !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("error does not say why: %v", err)
		}
	})
	t.Run("server error", func(t *testing.T) {
		p, cfg := provider(t, oauthtest.Options{TokenStatus: 503})
		f := start(t, p, *cfg)
		if err := p.Browser(f.AuthURL()); err != nil {
			t.Fatal(err)
		}
		_, err := f.Wait(t.Context())
		if pe := wantProviderError(t, err, "server_error"); pe.Status != 503 {
			t.Errorf("status %d", pe.Status)
		}
	})
}

func TestPaste(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{RequirePKCE: true})
	f := start(t, p, *cfg)
	loc, err := p.RedirectOnly(f.AuthURL()) // the browser on the other machine ends here
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "hello", "http://127.0.0.1:1/callback?state=x"} {
		if _, err := f.ExchangePasted(t.Context(), bad); err == nil || jsrt.Hint(err) == "" {
			t.Errorf("paste %q: %v, want an error with a hint", bad, err)
		}
	}
	wrong := strings.Replace(loc, "state=", "state=x", 1)
	if _, err := f.ExchangePasted(t.Context(), wrong); !errors.Is(err, oauth.ErrStateMismatch) {
		t.Errorf("paste with another state: %v, want ErrStateMismatch", err)
	}
	tok, err := f.ExchangePasted(t.Context(), "  "+loc+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if !p.ValidAccess(tok.AccessToken) {
		t.Error("pasted login: unknown token")
	}
	if status, _ := get(t, loc); status != http.StatusGone {
		t.Errorf("callback after the paste: %d, want 410", status)
	}
	if _, err := f.ExchangePasted(t.Context(), loc); !errors.Is(err, oauth.ErrFlowUsed) {
		t.Errorf("second paste: %v, want ErrFlowUsed", err)
	}
}

func TestWaitTimeoutAndClose(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{})
	f := start(t, p, *cfg)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := f.Wait(ctx); !errors.Is(err, oauth.ErrTimeout) || jsrt.Hint(err) == "" {
		t.Errorf("Wait past the deadline: %v, want ErrTimeout with a hint", err)
	}
	_ = f.Close()
	_ = f.Close()
	if _, err := http.Get(f.RedirectURI()); err == nil {
		t.Error("the listener still answers after Close")
	}
}

func TestRedirectPort(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{})
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	cfg.RedirectPort = port
	_, err = oauth.Start(t.Context(), *cfg, oauth.FlowOptions{})
	if err == nil || !strings.Contains(jsrt.Hint(err), strconv.Itoa(port)) {
		t.Errorf("busy redirect port: %v (hint %q)", err, jsrt.Hint(err))
	}
	ln.Close()
	f := start(t, p, *cfg)
	if want := "http://127.0.0.1:" + strconv.Itoa(port) + "/callback"; f.RedirectURI() != want {
		t.Errorf("redirect URI %s, want %s", f.RedirectURI(), want)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*oauth.Config)
		hint string
	}{
		{"no client id", func(c *oauth.Config) { c.ClientID = "" }, "clientId"},
		{"no token URL", func(c *oauth.Config) { c.TokenURL = "" }, "auth block"},
		{"bad port", func(c *oauth.Config) { c.RedirectPort = 70000 }, "port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := specConfig()
			tc.edit(&cfg)
			_, err := oauth.Start(t.Context(), cfg, oauth.FlowOptions{})
			if err == nil || !strings.Contains(jsrt.Hint(err), tc.hint) {
				t.Errorf("Start: %v (hint %q), want a hint about %s", err, jsrt.Hint(err), tc.hint)
			}
		})
	}
}
