package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"host/cmd/host/internal/browsertest"
	"host/cmd/host/internal/mcpauth"
)

// TestMCPOAuthRFC8414Issuer: an external issuer that is an OAuth 2.0
// authorization server but no OpenID provider (oidc-provider behind a path,
// /tenant, publishing its metadata only at RFC 8414's
// /.well-known/oauth-authorization-server/tenant) is accepted by
// `host serve --http --oauth-issuer`: its JWTs are checked against the key
// set its metadata names, its opaque tokens by the introspection endpoint
// it names. Then, on the same issuer, the introspection cache: answers
// are reused (one request to the issuer for many checks), keyed so that
// another audience is still refused, and a token revoked at the issuer is
// refused once the cache's TTL (or the token's exp) is past.
func TestMCPOAuthRFC8414Issuer(t *testing.T) {
	t.Parallel()
	issuer := oidcProvider(t, "HOST_TEST_ISSUER_PATH=/tenant", "HOST_TEST_RFC8414_ONLY=1")
	if !strings.HasSuffix(issuer, "/tenant") {
		t.Fatalf("issuer %s has no path", issuer)
	}
	origin := strings.TrimSuffix(issuer, "/tenant")
	for _, u := range []string{issuer + "/.well-known/openid-configuration", origin + "/.well-known/openid-configuration/tenant"} {
		if resp, err := http.Get(u); err != nil || resp.StatusCode != 404 {
			t.Fatalf("the issuer publishes OpenID Connect discovery at %s: %v %v", u, err, resp)
		}
	}
	var md struct{ Issuer string }
	getJSON(t, origin+"/.well-known/oauth-authorization-server/tenant", &md)
	if md.Issuer != issuer {
		t.Fatalf("RFC 8414 metadata names %q", md.Issuer)
	}

	t.Run("Serve", func(t *testing.T) {
		_, _, env := hostBinary(t, nil)
		env = append(env, "HOST_DATA_DIR="+t.TempDir(), "HOST_OAUTH_CLIENT_SECRET=fake-secret-for-host-introspect-0000")
		plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
		mcpURL, token, _ := mcpHTTP(t, env, "serve", "--page", "off", "--http", "127.0.0.1:0",
			"--oauth-issuer", issuer, "--oauth-client-id", "host-introspect", plugins)
		waitTools(t, mcpURL, token, "test_simple_text")
		var prm struct {
			AuthorizationServers []string `json:"authorization_servers"`
		}
		getJSON(t, strings.TrimSuffix(mcpURL, "/mcp")+"/.well-known/oauth-protected-resource/mcp", &prm)
		if len(prm.AuthorizationServers) != 1 || prm.AuthorizationServers[0] != issuer {
			t.Fatalf("protected resource metadata: %+v", prm)
		}
		if code, _ := mcpStatus(t, mcpURL, issuerToken(t, issuer, "host-test-jwt", mcpURL, "mcp")); code != 200 {
			t.Errorf("a JWT of the RFC 8414 issuer: %d", code)
		}
		if code, _ := mcpStatus(t, mcpURL, issuerToken(t, issuer, "host-test-opaque", mcpURL, "mcp")); code != 200 {
			t.Errorf("an opaque token of the RFC 8414 issuer (introspection): %d", code)
		}
		if code, _ := mcpStatus(t, mcpURL, issuerToken(t, issuer, "host-test-jwt", "https://other.example/mcp", "mcp")); code != 401 {
			t.Errorf("a JWT for another audience: %d", code)
		}
	})

	t.Run("IntrospectionCache", func(t *testing.T) {
		var asked atomic.Int32
		hc := &http.Client{Timeout: 30 * time.Second, Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
			if strings.HasSuffix(r.URL.Path, "/token/introspection") {
				asked.Add(1)
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
		clk := &testClock{t: time.Now()}
		ctx := context.Background()
		is, err := mcpauth.NewIssuer(ctx, mcpauth.IssuerOptions{Issuer: issuer, ClientID: "host-introspect",
			ClientSecret: "fake-secret-for-host-introspect-0000", HTTPClient: hc, IntrospectionCacheTTL: 30 * time.Second, Now: clk.now})
		if err != nil {
			t.Fatal(err)
		}
		const resource = "http://127.0.0.1:1/mcp"
		opaque := issuerToken(t, issuer, "host-test-opaque", resource, "mcp")
		for i := range 5 {
			if _, err := is.Verify(ctx, opaque, resource); err != nil {
				t.Fatalf("check %d: %v", i, err)
			}
		}
		if n := asked.Load(); n != 1 {
			t.Fatalf("5 checks of one token asked the issuer %d times, want 1", n)
		}
		if _, err := is.Verify(ctx, opaque, "https://other.example/mcp"); !errors.Is(err, mcpauth.ErrInvalidToken) {
			t.Fatalf("the cached answer for another audience: %v", err)
		}
		revoke(t, issuer, "host-test-opaque", opaque)
		// Within the TTL the cached answer stands (the documented bound).
		clk.add(29 * time.Second)
		if _, err := is.Verify(ctx, opaque, resource); err != nil || asked.Load() != 1 {
			t.Fatalf("within the TTL: %v (asked %d)", err, asked.Load())
		}
		clk.add(2 * time.Second)
		if _, err := is.Verify(ctx, opaque, resource); !errors.Is(err, mcpauth.ErrInvalidToken) || !strings.Contains(err.Error(), "not active") {
			t.Fatalf("a revoked token past the TTL: %v", err)
		}
		// Refusals are not cached: the issuer is asked each time.
		before := asked.Load()
		_, _ = is.Verify(ctx, opaque, resource)
		if asked.Load() != before+1 {
			t.Fatalf("a refused token's answer was cached")
		}

		// The token's exp bounds the cache below a longer TTL: oidc-provider's
		// opaque tokens live an hour.
		long, err := mcpauth.NewIssuer(ctx, mcpauth.IssuerOptions{Issuer: issuer, ClientID: "host-introspect",
			ClientSecret: "fake-secret-for-host-introspect-0000", HTTPClient: hc, IntrospectionCacheTTL: 3 * time.Hour, Now: clk.now})
		if err != nil {
			t.Fatal(err)
		}
		fresh := issuerToken(t, issuer, "host-test-opaque", resource, "mcp")
		if _, err := long.Verify(ctx, fresh, resource); err != nil {
			t.Fatal(err)
		}
		before = asked.Load()
		clk.add(time.Hour + time.Minute)
		if _, err := long.Verify(ctx, fresh, resource); !errors.Is(err, mcpauth.ErrInvalidToken) || asked.Load() != before+1 {
			t.Fatalf("past the token's exp: %v (asked again: %v)", err, asked.Load() == before+1)
		}
	})
}

// TestIssuerDiscoveryOrder: for an issuer with a path, host looks for its
// metadata at RFC 8414's path-inserted place, then OpenID Connect
// discovery's inserted and appended places, and says where it looked when
// none has it; metadata naming another issuer is refused.
func TestIssuerDiscoveryOrder(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var paths []string
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/.well-known/openid-configuration/wrong" {
			_ = json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL + "/elsewhere", "jwks_uri": srv.URL + "/jwks"})
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	_, err := mcpauth.NewIssuer(context.Background(), mcpauth.IssuerOptions{Issuer: srv.URL + "/a/b"})
	want := []string{"/.well-known/oauth-authorization-server/a/b", "/.well-known/openid-configuration/a/b", "/a/b/.well-known/openid-configuration"}
	if fmt.Sprint(paths) != fmt.Sprint(want) {
		t.Errorf("looked at %v, want %v", paths, want)
	}
	if err == nil || !strings.Contains(err.Error(), "no authorization server metadata (RFC 8414 or OpenID Connect discovery) at "+srv.URL+want[0]+" (404 Not Found)") {
		t.Errorf("error: %v", err)
	}
	paths = nil
	_, err = mcpauth.NewIssuer(context.Background(), mcpauth.IssuerOptions{Issuer: srv.URL})
	if want := []string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}; fmt.Sprint(paths) != fmt.Sprint(want) || err == nil {
		t.Errorf("an issuer without a path: looked at %v, want %v (%v)", paths, want, err)
	}
	_, err = mcpauth.NewIssuer(context.Background(), mcpauth.IssuerOptions{Issuer: srv.URL + "/wrong"})
	if err == nil || !strings.Contains(err.Error(), `names the issuer "`+srv.URL+`/elsewhere"`) {
		t.Errorf("metadata of another issuer: %v", err)
	}
}

// TestOAuthCORSFromBrowserPage: a page of another loopback origin in
// Chromium (a browser-based MCP client) reads host's protected resource
// and authorization server metadata (with the MCP-Protocol-Version header:
// a preflight), registers a client (JSON: a preflight), reads the token
// endpoint's answer and revokes; the authorization page gives it nothing
// (no CORS: the fetch fails), and preflights answer only the endpoints'
// methods.
func TestOAuthCORSFromBrowserPage(t *testing.T) {
	t.Parallel()
	_, _, env := hostBinary(t, nil)
	env = append(env, "HOST_DATA_DIR="+t.TempDir())
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	mcpURL, _, _ := mcpHTTP(t, env, "serve", "--page", "off", "--http", "127.0.0.1:0", plugins)
	base := strings.TrimSuffix(mcpURL, "/mcp")
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>client</title><p>a browser MCP client</p>")
	}))
	defer page.Close()
	if page.URL == base {
		t.Fatal("the page and host share an origin")
	}
	bctx := browsertest.Start(t, browsertest.Options{})
	script := `(async () => {
  const base = ` + jsString(base) + `;
  const get = async (p, init) => {
    try { const r = await fetch(base + p, init); return { status: r.status, body: await r.text() }; }
    catch (e) { return { error: String(e) }; }
  };
  const v = { 'MCP-Protocol-Version': '2025-11-25' };
  const out = {};
  out.prm = await get('/.well-known/oauth-protected-resource/mcp', { headers: v });
  out.asm = await get('/.well-known/oauth-authorization-server', { headers: v });
  out.reg = await get('/oauth/register', { method: 'POST', headers: { 'Content-Type': 'application/json', ...v },
    body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:5/cb'], client_name: 'browser client' }) });
  const id = out.reg.body ? JSON.parse(out.reg.body).client_id : '';
  const form = { 'Content-Type': 'application/x-www-form-urlencoded', ...v };
  out.token = await get('/oauth/token', { method: 'POST', headers: form,
    body: 'grant_type=refresh_token&refresh_token=fake-refresh-token&client_id=' + encodeURIComponent(id) });
  out.revoke = await get('/oauth/revoke', { method: 'POST', headers: form, body: 'token=fake-token' });
  out.authorize = await get('/oauth/authorize?response_type=code&client_id=' + encodeURIComponent(id) +
    '&redirect_uri=' + encodeURIComponent('http://127.0.0.1:5/cb') + '&code_challenge=x&code_challenge_method=S256', { headers: v });
  return JSON.stringify(out);
})()`
	if err := chromedp.Do(bctx, chromedp.Navigate(page.URL)); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(bctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]struct {
		Status int
		Body   string
		Error  string
	}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	for k, want := range map[string]string{"prm": `"resource":"` + mcpURL + `"`, "asm": `"token_endpoint":"` + base + `/oauth/token"`,
		"reg": `"client_id":"host-client-`, "token": `"error":"invalid_grant"`} {
		if r := out[k]; r.Error != "" || !strings.Contains(r.Body, want) {
			t.Errorf("%s from the page: %+v, want a body with %s", k, r, want)
		}
	}
	if r := out["revoke"]; r.Error != "" || r.Status != 200 {
		t.Errorf("revoke from the page: %+v", r)
	}
	if r := out["authorize"]; r.Error == "" || !strings.Contains(r.Error, "Failed to fetch") {
		t.Errorf("the authorization page answered the page's fetch: %+v", r)
	}

	// The preflights themselves, as a browser sends them.
	for _, c := range []struct {
		path, method, allow string
	}{
		{"/oauth/token", "POST", "POST, OPTIONS"},
		{"/oauth/register", "POST", "POST, OPTIONS"},
		{"/oauth/revoke", "POST", "POST, OPTIONS"},
		{"/.well-known/oauth-authorization-server", "GET", "GET, HEAD, OPTIONS"},
		{"/.well-known/oauth-protected-resource/mcp", "GET", "GET, HEAD, OPTIONS"},
		{"/oauth/authorize", "GET", ""},
	} {
		req, _ := http.NewRequest("OPTIONS", base+c.path, nil)
		req.Header.Set("Origin", page.URL)
		req.Header.Set("Access-Control-Request-Method", c.method)
		req.Header.Set("Access-Control-Request-Headers", "content-type,mcp-protocol-version")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get("Access-Control-Allow-Methods")
		if got != c.allow || (c.allow != "" && (resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "mcp-protocol-version"))) {
			t.Errorf("preflight of %s: %d, methods %q, headers %v", c.path, resp.StatusCode, got, resp.Header)
		}
		if c.allow == "" && resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("the authorization page allows origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// revoke revokes token at the issuer (RFC 7009) with a pre-registered
// client.
func revoke(t testing.TB, issuer, client, token string) {
	t.Helper()
	req, _ := http.NewRequest("POST", issuer+"/token/revocation", strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(client, "fake-secret-for-"+client+"-0000")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("revoking at the issuer: %v %v", err, resp)
	}
	resp.Body.Close()
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// BenchmarkIntrospection checks one opaque token of oidc-provider (Node
// 22, loopback) per op, with introspection answers cached (30 s) and
// without: what the cache saves each MCP request.
func BenchmarkIntrospection(b *testing.B) {
	issuer := oidcProvider(b)
	const resource = "http://127.0.0.1:1/mcp"
	opaque := issuerToken(b, issuer, "host-test-opaque", resource, "mcp")
	for _, c := range []struct {
		name string
		ttl  time.Duration
	}{{"cached", 30 * time.Second}, {"uncached", -1}} {
		b.Run(c.name, func(b *testing.B) {
			is, err := mcpauth.NewIssuer(context.Background(), mcpauth.IssuerOptions{Issuer: issuer, ClientID: "host-introspect",
				ClientSecret: "fake-secret-for-host-introspect-0000", IntrospectionCacheTTL: c.ttl})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := is.Verify(context.Background(), opaque, resource); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
