package main

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"host/cmd/host/internal/browsertest"
	"host/internal/hosttest"
)

// proofRE is the line host serve prints when a client asks for consent.
var proofRE = regexp.MustCompile(`MCP client "([^"]*)" asks .* enter ([A-Z0-9]{4}-[A-Z0-9]{4}) on its page`)

// TestMCPOAuthOwnServer: an AI client without a token (the official
// TypeScript SDK v2 client) connects to `host serve --http`: the bare 401
// names the protected resource metadata, the client discovers host's own
// authorization server, registers itself, sends the user to the consent
// page (Chromium: the page names the client, the user types the code the
// serve printed and approves), gets tokens, lists and calls tools; an
// expired access token is refreshed (the refresh token rotates). A second
// client (Go, x/oauth2, scripted consent) shows the rest: its token works,
// the same token sent to another audience (localhost instead of
// 127.0.0.1) is refused, a wrong consent code is refused, `host clients`
// lists the client and `host clients revoke` ends it at once, and no
// token or code appears on the serve's output.
func TestMCPOAuthOwnServer(t *testing.T) {
	t.Parallel()
	node, dir := nodeHarness(t)
	_, _, env := hostBinary(t, nil)
	data := t.TempDir()
	env = append(env, "HOST_DATA_DIR="+data)
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	mcpURL, token, log := mcpHTTP(t, env, "serve", "--page", "off", "--http", "127.0.0.1:0", plugins)
	waitTools(t, mcpURL, token, "test_simple_text")
	origin := strings.TrimSuffix(mcpURL, "/mcp")

	// Discovery from a bare 401.
	resp, err := http.Post(mcpURL, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	wantChallenge := fmt.Sprintf(`Bearer resource_metadata="%s/.well-known/oauth-protected-resource/mcp"`, origin)
	if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), wantChallenge) {
		t.Fatalf("bare request: %d %q, want 401 with %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), wantChallenge)
	}
	var prm struct {
		Resource             string   `json:"resource"`
		AuthorizationServers []string `json:"authorization_servers"`
		Scopes               []string `json:"scopes_supported"`
	}
	getJSON(t, origin+"/.well-known/oauth-protected-resource/mcp", &prm)
	if prm.Resource != mcpURL || len(prm.AuthorizationServers) != 1 || prm.AuthorizationServers[0] != origin {
		t.Fatalf("protected resource metadata: %+v", prm)
	}

	t.Run("TypeScriptClientInChromium", func(t *testing.T) {
		bctx := browsertest.Start(t, browsertest.Options{Timeout: 3 * time.Minute})
		c := startTSOAuthClient(t, node, dir, "2026-07-28", mcpURL)
		next := c.next
		skip := log.count()
		auth := next("event", "authorize")
		authURL, _ := auth["url"].(string)
		if !strings.HasPrefix(authURL, origin+"/oauth/authorize?") || !strings.Contains(authURL, "code_challenge_method=S256") {
			t.Fatalf("authorization URL %q", authURL)
		}
		browsertest.Do(t, bctx, chromedp.Navigate(authURL), chromedp.WaitVisible(chromedp.ID("consent")))
		clientName := browsertest.Text(t, bctx, "#client")
		if clientName != "host OAuth test client" {
			t.Errorf("the consent page names %q", clientName)
		}
		m, _ := log.wait(t, proofRE, skip, 30*time.Second)
		if m[1] != "host OAuth test client" {
			t.Errorf("the serve's line names %q", m[1])
		}
		browsertest.Screenshot(t, bctx, "oauth-consent")
		// Typed as a person might: lower case.
		browsertest.Do(t, bctx, chromedp.SendKeys(chromedp.ID("code"), strings.ToLower(m[2])), chromedp.Click(chromedp.ID("approve")))
		cb := next("event", "callback")
		if cb["iss"] != origin || cb["hasCode"] != true {
			t.Errorf("callback: %v", cb)
		}
		c.steps()
		c.send("expire")
		next("step", "expire")
		c.send("call")
		if tok := next("event", "tokens"); tok["refresh"] != true {
			t.Errorf("refresh: %v", tok)
		}
		if st := next("step", "call"); st["text"] != "This is a simple text response for testing." {
			t.Errorf("call after refresh: %v", st)
		}
		c.send("exit")
	})

	t.Run("GoClientScriptedConsent", func(t *testing.T) {
		skip := log.count()
		cb, codes := callbackServer(t)
		reg := registerClient(t, origin, cb)
		cfg := &oauth2.Config{ClientID: reg, RedirectURL: cb, Scopes: []string{"mcp"},
			Endpoint: oauth2.Endpoint{AuthURL: origin + "/oauth/authorize", TokenURL: origin + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
		verifier := oauth2.GenerateVerifier()
		authURL := cfg.AuthCodeURL("st-1", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("resource", mcpURL))
		page, jar := consentPage(t, authURL)
		m, skip := log.wait(t, proofRE, skip, 30*time.Second)
		// A wrong code is refused and the page asks again.
		if got := answer(t, jar, origin, page, "WRNG-CODE", "approve"); !strings.Contains(got, "That is not the code host printed") {
			t.Fatalf("wrong code: %s", got)
		}
		answer(t, jar, origin, page, m[2], "approve")
		q := <-codes
		if q.Get("state") != "st-1" || q.Get("iss") != origin {
			t.Fatalf("callback: state %q, iss %q (the code is not shown)", q.Get("state"), q.Get("iss"))
		}
		tok, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier), oauth2.SetAuthURLParam("resource", mcpURL))
		if err != nil {
			t.Fatal(err)
		}
		if code, _ := mcpStatus(t, mcpURL, tok.AccessToken); code != 200 {
			t.Fatalf("the token: %d", code)
		}
		if _, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier)); err == nil {
			t.Error("a code was accepted twice")
		}
		if code, _ := mcpStatus(t, mcpURL, tok.AccessToken); code != 401 {
			t.Errorf("the token of a code used twice: %d, want 401", code)
		}
		// The code's second use revoked what it gave: authorize again.
		authURL = cfg.AuthCodeURL("st-2", oauth2.S256ChallengeOption(verifier))
		page, jar = consentPage(t, authURL)
		m, _ = log.wait(t, proofRE, skip, 30*time.Second)
		answer(t, jar, origin, page, m[2], "approve")
		q = <-codes
		tok, err = cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		if code, _ := mcpStatus(t, mcpURL, tok.AccessToken); code != 200 {
			t.Fatalf("the token: %d", code)
		}
		// The same token for another audience: localhost is another origin.
		other := strings.Replace(mcpURL, "127.0.0.1", "localhost", 1)
		if code, hdr := mcpStatus(t, other, tok.AccessToken); code != 401 || !strings.Contains(hdr, `error="invalid_token"`) || !strings.Contains(hdr, "resource_metadata=") {
			t.Errorf("token for another audience: %d %q", code, hdr)
		}
		// Refresh rotates: the old refresh token is spent.
		old := tok.RefreshToken
		ts := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: old})
		fresh, err := ts.Token()
		if err != nil || fresh.RefreshToken == old || fresh.RefreshToken == "" {
			t.Fatalf("refresh: %v (rotated: %v)", err, fresh != nil && fresh.RefreshToken != old)
		}
		if code, _ := mcpStatus(t, mcpURL, fresh.AccessToken); code != 200 {
			t.Fatalf("the refreshed token: %d", code)
		}
		// A session (2025-11-25) belongs to whoever opened it: the
		// static token's session refuses the OAuth client's token.
		sid := openSession(t, mcpURL, token)
		if code := sessionStatus(t, mcpURL, sid, fresh.AccessToken); code != 403 {
			t.Errorf("another client's token on a session: %d, want 403", code)
		}
		if code := sessionStatus(t, mcpURL, sid, token); code != 200 {
			t.Errorf("the session's own token: %d", code)
		}
		out, err := exec.Command("host", "clients", "--data-dir", data).CombinedOutput()
		if err != nil || !strings.Contains(string(out), reg) || !strings.Contains(string(out), "Go test client") {
			t.Fatalf("host clients: %v\n%s", err, out)
		}
		if out, err := exec.Command("host", "clients", "revoke", "--data-dir", data, reg).CombinedOutput(); err != nil {
			t.Fatalf("host clients revoke: %v\n%s", err, out)
		}
		if code, hdr := mcpStatus(t, mcpURL, fresh.AccessToken); code != 401 || !strings.Contains(hdr, "resource_metadata=") {
			t.Errorf("a revoked client's token: %d %q", code, hdr)
		}
		if _, err := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: fresh.RefreshToken}).Token(); err == nil {
			t.Error("a revoked client's refresh token still works")
		}
		// The serve printed no token or code.
		all := log.all()
		for _, s := range []string{tok.AccessToken, tok.RefreshToken, fresh.AccessToken, fresh.RefreshToken, q.Get("code")} {
			if strings.Contains(all, s) {
				t.Error("the serve printed a token or code")
			}
		}
	})
}

// tsOAuthClient is testdata/mcp-client/oauth.mjs running: the official
// TypeScript SDK v2 client signing in with OAuth.
type tsOAuthClient struct {
	t      testing.TB
	ctx    context.Context
	stdin  io.WriteCloser
	events chan map[string]any
}

// startTSOAuthClient runs oauth.mjs VERSION URL with env added.
func startTSOAuthClient(t testing.TB, node, dir, version, u string, env ...string) *tsOAuthClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	cmd := exec.CommandContext(ctx, node, "oauth.mjs", version, u)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = &testWriter{t: t, prefix: "oauth.mjs: "}
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); _ = cmd.Wait(); cancel() })
	c := &tsOAuthClient{t: t, ctx: ctx, stdin: stdin, events: make(chan map[string]any, 32)}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				t.Logf("oauth.mjs: %s", sc.Text())
				c.events <- m
			}
		}
		close(c.events)
	}()
	return c
}

// next waits for the client's next line whose key is value.
func (c *tsOAuthClient) next(key, value string) map[string]any {
	c.t.Helper()
	for {
		select {
		case m, ok := <-c.events:
			if !ok {
				c.t.Fatalf("oauth.mjs ended before %s=%s", key, value)
			}
			if m[key] == value {
				return m
			}
		case <-c.ctx.Done():
			c.t.Fatalf("no %s=%s from oauth.mjs", key, value)
		}
	}
}

// send gives the client its next step (call, expire, exit).
func (c *tsOAuthClient) send(step string) { fmt.Fprintln(c.stdin, step) }

// steps checks what every signed-in client does: connect, list, call.
func (c *tsOAuthClient) steps() {
	c.t.Helper()
	if st := c.next("step", "connect"); st["thrown"] != nil {
		c.t.Fatalf("connect: %v", st)
	}
	if st := c.next("step", "tools"); !strings.Contains(fmt.Sprint(st["tools"]), "test_simple_text") {
		c.t.Errorf("tools: %v", st)
	}
	if st := c.next("step", "call"); st["text"] != "This is a simple text response for testing." {
		c.t.Errorf("call: %v", st)
	}
}

// getJSON GETs u into v.
func getJSON(t testing.TB, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// mcpStatus POSTs a tools/list with token and returns the status and the
// WWW-Authenticate header.
func mcpStatus(t testing.TB, u, token string) (int, string) {
	t.Helper()
	return mcpStatusWith(t, http.DefaultClient, u, token)
}

// mcpStatusWith is mcpStatus through hc.
func mcpStatusWith(t testing.TB, hc *http.Client, u, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2026-07-28")
	req.Header.Set("Mcp-Method", "tools/list")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("WWW-Authenticate")
}

// openSession opens a 2025-11-25 session with token and returns its id.
func openSession(t testing.TB, u, token string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	sid := resp.Header.Get("Mcp-Session-Id")
	if resp.StatusCode != 200 || sid == "" {
		t.Fatalf("initialize: %d, session %q", resp.StatusCode, sid)
	}
	return sid
}

// sessionStatus sends a ping on session sid with token.
func sessionStatus(t testing.TB, u, sid, token string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(`{"jsonrpc":"2.0","id":2,"method":"ping"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Mcp-Session-Id", sid)
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// callbackServer is a client's loopback redirect: it returns its URL and
// the query of each request it gets.
func callbackServer(t testing.TB) (string, chan url.Values) {
	t.Helper()
	codes := make(chan url.Values, 4)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		codes <- r.URL.Query()
		fmt.Fprintln(w, "ok")
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/callback", codes
}

// registerClient registers a client dynamically and returns its id.
func registerClient(t testing.TB, origin, redirect string) string {
	t.Helper()
	return registerClientAt(t, http.DefaultClient, origin, redirect)
}

// registerClientAt is registerClient through hc.
func registerClientAt(t testing.TB, hc *http.Client, origin, redirect string) string {
	t.Helper()
	body := fmt.Sprintf(`{"client_name":"Go test client","redirect_uris":[%q],"token_endpoint_auth_method":"none"}`, redirect)
	resp, err := hc.Post(origin+"/oauth/register", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reg struct {
		ClientID string `json:"client_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&reg); err != nil || resp.StatusCode != 201 || reg.ClientID == "" {
		t.Fatalf("register: %d %v", resp.StatusCode, err)
	}
	return reg.ClientID
}

// consentForm is what a consent page's form carries.
type consentForm struct{ request, csrf string }

var (
	requestRE = regexp.MustCompile(`name="request" value="([^"]+)"`)
	csrfRE    = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// consentPage opens the consent page as a browser would (with a cookie
// jar) and returns its form.
func consentPage(t testing.TB, authURL string) (consentForm, http.CookieJar) {
	t.Helper()
	return consentPageWith(t, http.DefaultClient, authURL)
}

// consentPageWith is consentPage through base's transport.
func consentPageWith(t testing.TB, base *http.Client, authURL string) (consentForm, http.CookieJar) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Transport: base.Transport}
	resp, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r, c := requestRE.FindSubmatch(b), csrfRE.FindSubmatch(b)
	if resp.StatusCode != 200 || r == nil || c == nil {
		t.Fatalf("consent page: %d\n%s", resp.StatusCode, b)
	}
	return consentForm{string(r[1]), string(c[1])}, jar
}

// answer posts the user's answer to a consent page; a redirect is followed
// to the client's callback. It returns the page shown (when not
// redirected).
func answer(t testing.TB, jar http.CookieJar, origin string, f consentForm, code, action string) string {
	t.Helper()
	return answerWith(t, http.DefaultClient, jar, origin, f, code, action)
}

// answerWith is answer through base's transport.
func answerWith(t testing.TB, base *http.Client, jar http.CookieJar, origin string, f consentForm, code, action string) string {
	t.Helper()
	hc := &http.Client{Jar: jar, Transport: base.Transport}
	resp, err := hc.PostForm(origin+"/oauth/authorize", url.Values{"request": {f.request}, "csrf": {f.csrf}, "code": {code}, "action": {action}})
	if err != nil {
		// The error names the redirect's URL, which holds the code.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		t.Fatal("answering the consent page:", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// testWriter logs what a child process prints.
type testWriter struct {
	t      testing.TB
	prefix string
}

func (w *testWriter) Write(b []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		w.t.Log(w.prefix + l)
	}
	return len(b), nil
}

// oidcProvider starts testdata/oidc-provider (oidc-provider from npm, on
// Node 22) and returns its issuer URL. env are provider.mjs's options
// (HOST_TEST_ISSUER_PATH=/tenant, HOST_TEST_RFC8414_ONLY=1).
func oidcProvider(t testing.TB, env ...string) string {
	t.Helper()
	node, _ := nodeHarness(t)
	dir, _ := filepath.Abs("../../testdata/oidc-provider")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider")); err != nil {
		hosttest.Require(t, fmt.Sprintf("oidc-provider is not installed in %s (run `npm ci` there; .ci/run does)", dir))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, node, "provider.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = &testWriter{t: t, prefix: "oidc-provider: "}
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		var v struct{ Issuer string }
		if err := json.Unmarshal([]byte(l), &v); err != nil || v.Issuer == "" {
			t.Fatalf("oidc-provider printed %q", l)
		}
		return v.Issuer
	case <-time.After(60 * time.Second):
		t.Fatal("oidc-provider did not start within 60s")
	}
	return ""
}

// issuerToken gets an access token for resource from the test issuer
// with one of its pre-registered clients (client_credentials).
func issuerToken(t testing.TB, issuer, client, resource, scope string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "resource": {resource}}
	if scope != "" {
		form.Set("scope", scope)
	}
	req, _ := http.NewRequest("POST", issuer+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(client, "fake-secret-for-"+client+"-0000")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token from %s for %s: %d %v %s", client, resource, resp.StatusCode, err, tok.Error)
	}
	return tok.AccessToken
}

// TestMCPOAuthExternalIssuer: `host serve --http --oauth-issuer` with a
// real OpenID Connect issuer started by the test (oidc-provider on Node
// 22). The bare 401 leads the official TypeScript SDK v2 client to that
// issuer: it registers there, the user logs in and consents on the
// issuer's pages in Chromium, and the client's calls succeed with the
// issuer's JWT. Tokens the test gets from the issuer directly show the
// checks: the right audience and scope pass (JWT against the JWKS; an
// opaque token by introspection), another audience is refused, a token
// without the scope is 403, an expired one is 401 with the metadata, a
// tampered one is refused, and an opaque token revoked at the issuer is
// refused at once.
func TestMCPOAuthExternalIssuer(t *testing.T) {
	t.Parallel()
	node, dir := nodeHarness(t)
	issuer := oidcProvider(t)
	_, _, env := hostBinary(t, nil)
	// Introspection answers are reused for 1 s here (30 s by default).
	env = append(env, "HOST_DATA_DIR="+t.TempDir(), "HOST_OAUTH_CLIENT_SECRET=fake-secret-for-host-introspect-0000", "HOST_OAUTH_INTROSPECTION_TTL=1s")
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	mcpURL, token, log := mcpHTTP(t, env, "serve", "--page", "off", "--http", "127.0.0.1:0",
		"--oauth-issuer", issuer, "--oauth-client-id", "host-introspect", plugins)
	waitTools(t, mcpURL, token, "test_simple_text")
	origin := strings.TrimSuffix(mcpURL, "/mcp")
	if code, hdr := mcpStatus(t, mcpURL, ""); code != 401 || !strings.HasPrefix(hdr, `Bearer resource_metadata="`+origin+`/.well-known/oauth-protected-resource/mcp"`) {
		t.Fatalf("bare request: %d %q", code, hdr)
	}
	var prm struct {
		Resource             string   `json:"resource"`
		AuthorizationServers []string `json:"authorization_servers"`
	}
	getJSON(t, origin+"/.well-known/oauth-protected-resource/mcp", &prm)
	if prm.Resource != mcpURL || len(prm.AuthorizationServers) != 1 || prm.AuthorizationServers[0] != issuer {
		t.Fatalf("protected resource metadata: %+v", prm)
	}
	if resp, err := http.Get(origin + "/.well-known/oauth-authorization-server"); err != nil || resp.StatusCode == 200 {
		t.Errorf("host's own authorization server answers beside an external issuer: %v", err)
	}

	t.Run("TypeScriptClientInChromium", func(t *testing.T) {
		bctx := browsertest.Start(t, browsertest.Options{Timeout: 3 * time.Minute})
		c := startTSOAuthClient(t, node, dir, "2025-11-25", mcpURL)
		next := c.next
		auth := next("event", "authorize")
		authURL, _ := auth["url"].(string)
		if !strings.HasPrefix(authURL, issuer+"/") || !strings.Contains(authURL, "resource="+url.QueryEscape(mcpURL)) {
			t.Fatalf("authorization URL %q", authURL)
		}
		// The issuer's own login and consent pages (oidc-provider's
		// development interactions: any login and password).
		browsertest.Do(t, bctx, chromedp.Navigate(authURL), chromedp.WaitVisible(chromedp.CSS(`input[name="login"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "ada"),
			chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "fake-password"),
			chromedp.Click(chromedp.CSS(`button.login-submit`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name="prompt"][value="consent"] ~ button, form button.login-submit`)))
		browsertest.Screenshot(t, bctx, "oauth-issuer-consent")
		browsertest.Do(t, bctx, chromedp.Click(chromedp.CSS(`button.login-submit`)))
		if cb := next("event", "callback"); cb["hasCode"] != true || cb["iss"] != issuer {
			t.Fatalf("callback: %v", cb)
		}
		c.steps()
		c.send("exit")
	})

	t.Run("Checks", func(t *testing.T) {
		ok := issuerToken(t, issuer, "host-test-jwt", mcpURL, "mcp")
		if code, _ := mcpStatus(t, mcpURL, ok); code != 200 {
			t.Errorf("a JWT for this resource: %d", code)
		}
		other := issuerToken(t, issuer, "host-test-jwt", "https://other.example/mcp", "mcp")
		if code, hdr := mcpStatus(t, mcpURL, other); code != 401 || !strings.Contains(hdr, `error="invalid_token"`) {
			t.Errorf("a JWT for another audience: %d %q", code, hdr)
		}
		if noScope := issuerToken(t, issuer, "host-test-jwt", mcpURL, ""); !strings.Contains(noScope, ".") {
			t.Errorf("no JWT without scope")
		} else if code, hdr := mcpStatus(t, mcpURL, noScope); code != 403 || !strings.Contains(hdr, `error="insufficient_scope"`) {
			t.Errorf("a JWT without the scope mcp: %d %q", code, hdr)
		}
		parts := strings.Split(ok, ".")
		tampered := parts[0] + "." + parts[1] + "A." + parts[2]
		if code, _ := mcpStatus(t, mcpURL, tampered); code != 401 {
			t.Errorf("a tampered JWT: %d", code)
		}
		// Expired: a token living 2 s is refused once it has expired.
		short := issuerToken(t, issuer, "host-test-short", mcpURL, "mcp")
		var code int
		var hdr string
		hosttest.WaitFor(t, time.Minute, "a 2-second token to be refused once expired", func() bool {
			code, hdr = mcpStatus(t, mcpURL, short)
			return code == 401
		}, func() string { return fmt.Sprintf("it still gets %d", code) })
		if !strings.Contains(hdr, `resource_metadata="`+origin+`/.well-known/oauth-protected-resource/mcp"`) || !strings.Contains(hdr, `error="invalid_token"`) {
			t.Errorf("an expired token's challenge: %q", hdr)
		}
		// Opaque: introspected; revoked at the issuer, refused.
		opaque := issuerToken(t, issuer, "host-test-opaque", mcpURL, "mcp")
		if code, _ := mcpStatus(t, mcpURL, opaque); code != 200 {
			t.Errorf("an opaque token (introspection): %d", code)
		}
		req, _ := http.NewRequest("POST", issuer+"/token/revocation", strings.NewReader(url.Values{"token": {opaque}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("host-test-opaque", "fake-secret-for-host-test-opaque-0000")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("revoking at the issuer: %v %v", err, resp)
		}
		resp.Body.Close()
		// Refused once the cached introspection answer (1 s here) is
		// past: waited for, with a margin a loaded machine cannot eat.
		var revoked int
		hosttest.WaitFor(t, time.Minute, "a token revoked at the issuer to be refused (401)", func() bool {
			revoked, _ = mcpStatus(t, mcpURL, opaque)
			return revoked == 401
		}, func() string { return fmt.Sprintf("it still gets %d", revoked) })
		all := log.all()
		for _, s := range []string{ok, other, opaque, short, "fake-secret-for-host-introspect-0000"} {
			if strings.Contains(all, s) {
				t.Error("the serve printed a token or the client secret")
			}
		}
	})
}

// TestMCPConformanceAuthorization runs the official MCP conformance
// suite's authorization server scenarios (the ones that apply to host's
// own authorization server: its metadata, and the authorization code grant
// with PKCE and a resource indicator) against `host serve --http`. The
// suite registers nothing itself: the test registers its client (dynamic
// registration) with the suite's loopback redirect, and plays the user on
// the consent page the suite prints (scripted: the code from the serve's
// output).
func TestMCPConformanceAuthorization(t *testing.T) {
	t.Parallel()
	node, dir := nodeHarness(t)
	_, _, env := hostBinary(t, nil)
	env = append(env, "HOST_DATA_DIR="+t.TempDir())
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	mcpURL, _, log := mcpHTTP(t, env, "serve", "--page", "off", "--http", "127.0.0.1:0", plugins)
	origin := strings.TrimSuffix(mcpURL, "/mcp")
	// A free port for the suite's callback server.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	clientID := registerClient(t, origin, fmt.Sprintf("http://127.0.0.1:%d/callback", port))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out := t.TempDir()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "node_modules/@modelcontextprotocol/conformance/dist/index.js"),
		"authorization", "--url", origin, "--client-id", clientID, "--resource", mcpURL, "--port", fmt.Sprint(port), "-o", out)
	cmd.Dir = dir
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var transcript strings.Builder
	authURL := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		var u string
		for sc.Scan() {
			line := sc.Text()
			transcript.WriteString(line + "\n")
			if strings.HasPrefix(line, origin+"/oauth/authorize?") {
				u = line
			}
			// The user goes there once the suite listens for the answer.
			if strings.HasPrefix(line, "Callback server started") && u != "" {
				authURL <- u
			}
		}
	}()
	skip := log.count()
	var u string
	select {
	case u = <-authURL:
	case <-done:
		t.Fatalf("the suite printed no authorization URL:\n%s", transcript.String())
	}
	page, jar := consentPage(t, u)
	m, _ := log.wait(t, proofRE, skip, 30*time.Second)
	answer(t, jar, origin, page, m[2], "approve")
	<-done
	err = cmd.Wait()
	t.Log(transcript.String())
	checks, _ := filepath.Glob(filepath.Join(out, "*", "checks.json"))
	if len(checks) != 2 {
		t.Fatalf("%d scenario results, want 2 (%v)", len(checks), err)
	}
	for _, c := range checks {
		b, _ := os.ReadFile(c)
		var list []struct {
			ID, Status, ErrorMessage string
		}
		if err := json.Unmarshal(b, &list); err != nil || len(list) == 0 {
			t.Fatalf("%s: %v\n%s", c, err, b)
		}
		for _, ch := range list {
			if ch.Status != "SUCCESS" {
				t.Errorf("%s: %s %s", ch.ID, ch.Status, ch.ErrorMessage)
			}
		}
	}
	if err != nil {
		t.Errorf("the suite failed: %v", err)
	}
}

// TestMCPOAuthBehindProxy: `host serve --http 127.0.0.1:0 --trust-proxy`
// behind a TLS-terminating reverse proxy (net/http/httputil on a TLS
// listener, setting X-Forwarded-Proto/-Host). The TypeScript SDK v2 client
// connects through the proxy with a Client ID Metadata Document (an https
// client_id the proxy's site publishes; host fetches it and names the site
// on the consent page, in Chromium); resource and issuer are the proxy's
// https origin. Through the proxy under a public name, the metadata names
// that name, and the static token is refused (it is for loopback); a
// forwarded origin without TLS is refused.
func TestMCPOAuthBehindProxy(t *testing.T) {
	t.Parallel()
	node, dir := nodeHarness(t)
	var target atomic.Pointer[url.URL]
	var doc atomic.Value
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target.Load())
		r.SetXForwarded()
	}}
	site := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/client.json" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, doc.Load().(string))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer site.Close()
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: site.Certificate().Raw})
	certFile := filepath.Join(t.TempDir(), "proxy.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	cimd := site.URL + "/client.json"
	doc.Store(fmt.Sprintf(`{"client_id":%q,"client_name":"host CIMD test client","redirect_uris":["http://127.0.0.1/callback"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"none"}`, cimd))

	_, _, env := hostBinary(t, certPEM) // host trusts the site (SSL_CERT_FILE)
	data := t.TempDir()
	// Access tokens live 2 s here: the client refreshes them as it goes,
	// and an expired one is seen refused.
	env = append(env, "HOST_DATA_DIR="+data, "HOST_OAUTH_ACCESS_TTL=2s")
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	direct, token, log := mcpHTTP(t, env, "serve", "--page", "off", "--http", "127.0.0.1:0", "--trust-proxy", plugins)
	waitTools(t, direct, token, "test_simple_text")
	u, _ := url.Parse(direct)
	u.Path = ""
	target.Store(u)
	public := site.URL + "/mcp"

	t.Run("TypeScriptClientWithMetadataDocument", func(t *testing.T) {
		bctx := browsertest.Start(t, browsertest.Options{Timeout: 3 * time.Minute})
		skip := log.count()
		c := startTSOAuthClient(t, node, dir, "2026-07-28", public, "CIMD_URL="+cimd, "NODE_EXTRA_CA_CERTS="+certFile)
		auth := c.next("event", "authorize")
		authURL, _ := auth["url"].(string)
		if !strings.HasPrefix(authURL, site.URL+"/oauth/authorize?") || !strings.Contains(authURL, "client_id="+url.QueryEscape(cimd)) ||
			!strings.Contains(authURL, "resource="+url.QueryEscape(public)) {
			t.Fatalf("authorization URL %q", authURL)
		}
		browsertest.Do(t, bctx, chromedp.Navigate(authURL), chromedp.WaitVisible(chromedp.ID("consent")))
		vouch, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("vouch")))
		if err != nil || vouch != strings.TrimPrefix(site.URL, "https://") {
			t.Errorf("the consent page names %q as publishing the client (%v)", vouch, err)
		}
		m, _ := log.wait(t, proofRE, skip, 30*time.Second)
		browsertest.Do(t, bctx, chromedp.SendKeys(chromedp.ID("code"), m[2]), chromedp.Click(chromedp.ID("approve")))
		if cb := c.next("event", "callback"); cb["iss"] != site.URL {
			t.Errorf("callback: %v", cb)
		}
		c.steps()
		c.send("exit")
		out, err := exec.Command("host", "clients", "--json", "--data-dir", data).Output()
		if err != nil || !strings.Contains(string(out), `"kind": "metadata"`) || !strings.Contains(string(out), cimd) {
			t.Errorf("host clients: %v\n%s", err, out)
		}
	})

	t.Run("Expired", func(t *testing.T) {
		skip := log.count()
		cb, codes := callbackServer(t)
		id := registerClientAt(t, site.Client(), site.URL, cb)
		cfg := &oauth2.Config{ClientID: id, RedirectURL: cb, Scopes: []string{"mcp"},
			Endpoint: oauth2.Endpoint{AuthURL: site.URL + "/oauth/authorize", TokenURL: site.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
		verifier := oauth2.GenerateVerifier()
		page, jar := consentPageWith(t, site.Client(), cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
		m, _ := log.wait(t, proofRE, skip, 30*time.Second)
		answerWith(t, site.Client(), jar, site.URL, page, m[2], "approve")
		q := <-codes
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, site.Client())
		tok, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		if tok.ExpiresIn != 2 {
			t.Errorf("expires_in %d, want 2", tok.ExpiresIn)
		}
		var code int
		var hdr string
		hosttest.WaitFor(t, time.Minute, "a 2-second token to be refused once expired", func() bool {
			code, hdr = mcpStatusWith(t, site.Client(), public, tok.AccessToken)
			return code == 401
		}, func() string { return fmt.Sprintf("it still gets %d", code) })
		if !strings.Contains(hdr, `resource_metadata="`+site.URL+`/.well-known/oauth-protected-resource/mcp"`) || !strings.Contains(hdr, `error="invalid_token"`) {
			t.Errorf("an expired token's challenge: %q", hdr)
		}
		// The refresh token still gives new tokens (a new refresh token
		// too).
		fresh, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		if err != nil || fresh.AccessToken == tok.AccessToken || fresh.RefreshToken == tok.RefreshToken {
			t.Fatalf("refresh after expiry: %v", err)
		}
	})

	t.Run("PublicName", func(t *testing.T) {
		hc := site.Client()
		get := func(path, host, auth string) (*http.Response, []byte) {
			req, _ := http.NewRequest("GET", site.URL+path, nil)
			req.Host = host
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, b
		}
		resp, b := get("/.well-known/oauth-protected-resource/mcp", "mcp.example.test", "")
		var prm struct {
			Resource string   `json:"resource"`
			AS       []string `json:"authorization_servers"`
		}
		if err := json.Unmarshal(b, &prm); err != nil || resp.StatusCode != 200 || prm.Resource != "https://mcp.example.test/mcp" || prm.AS[0] != "https://mcp.example.test" {
			t.Errorf("metadata under a public name: %d %s", resp.StatusCode, b)
		}
		if resp, _ := get("/mcp", "mcp.example.test", "Bearer "+token); resp.StatusCode != 401 ||
			!strings.Contains(resp.Header.Get("WWW-Authenticate"), `resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"`) {
			t.Errorf("the static token from a public name: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
		// Not through TLS: refused.
		req, _ := http.NewRequest("GET", direct, nil)
		req.Header.Set("X-Forwarded-Proto", "http")
		req.Header.Set("X-Forwarded-Host", "mcp.example.test")
		resp2, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp2.Body.Close()
		if resp2.StatusCode != 403 {
			t.Errorf("a forwarded origin without TLS: %d, want 403", resp2.StatusCode)
		}
	})
}

// TestMCPOAuthHostMCP: `host mcp --http` (plugins in one process) is the
// same resource server with the same authorization server: a client
// without a token is sent to the metadata, signs in (scripted consent with
// the code host mcp prints) and calls.
func TestMCPOAuthHostMCP(t *testing.T) {
	t.Parallel()
	_, _, env := hostBinary(t, nil)
	env = append(env, "HOST_DATA_DIR="+t.TempDir())
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	mcpURL, _, log := mcpHTTP(t, env, "mcp", "--http", "127.0.0.1:0", plugins)
	origin := strings.TrimSuffix(mcpURL, "/mcp")
	if code, hdr := mcpStatus(t, mcpURL, ""); code != 401 || !strings.Contains(hdr, `resource_metadata="`+origin+`/.well-known/oauth-protected-resource/mcp"`) {
		t.Fatalf("bare request: %d %q", code, hdr)
	}
	skip := log.count()
	cb, codes := callbackServer(t)
	cfg := &oauth2.Config{ClientID: registerClient(t, origin, cb), RedirectURL: cb, Scopes: []string{"mcp"},
		Endpoint: oauth2.Endpoint{AuthURL: origin + "/oauth/authorize", TokenURL: origin + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
	verifier := oauth2.GenerateVerifier()
	page, jar := consentPage(t, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("resource", mcpURL)))
	m, _ := log.wait(t, proofRE, skip, 30*time.Second)
	answer(t, jar, origin, page, m[2], "approve")
	tok, err := cfg.Exchange(context.Background(), (<-codes).Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	waitTools(t, mcpURL, tok.AccessToken, "test_simple_text")
}
