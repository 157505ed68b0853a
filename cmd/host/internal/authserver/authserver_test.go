package authserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"host/cmd/host/internal/mcpauth"
)

// clock is a settable time for the server and its store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness is host's authorization server on a real loopback listener.
type harness struct {
	t      testing.TB
	srv    *Server
	ts     *httptest.Server
	clock  *clock
	mu     sync.Mutex
	proofs []string // the codes the server said
}

func newHarness(t testing.TB, o Options) *harness {
	t.Helper()
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := &harness{t: t, clock: &clock{t: time.Unix(1_800_000_000, 0)}}
	store.now = h.clock.now
	o.Store, o.ResourcePath, o.Scope = store, "/mcp", "mcp"
	o.Say = func(line string) {
		if m := regexp.MustCompile(`enter (\S+) on its page`).FindStringSubmatch(line); m != nil {
			h.mu.Lock()
			h.proofs = append(h.proofs, m[1])
			h.mu.Unlock()
		}
	}
	h.srv = New(o)
	h.srv.now = h.clock.now
	rs := mcpauth.New(mcpauth.Options{Path: "/mcp"})
	h.ts = httptest.NewServer(rs.Forwarded(h.srv.Handler()))
	t.Cleanup(h.ts.Close)
	return h
}

func (h *harness) lastProof() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.proofs) == 0 {
		h.t.Fatal("the server printed no code")
	}
	return h.proofs[len(h.proofs)-1]
}

func (h *harness) resource() string { return h.ts.URL + "/mcp" }

// register registers a public client with redirect and returns its id.
func (h *harness) register(redirect string) string {
	h.t.Helper()
	code, body := h.post(RegisterPath, "application/json", fmt.Sprintf(`{"client_name":"Unit","redirect_uris":[%q]}`, redirect))
	var r struct {
		ClientID string `json:"client_id"`
	}
	if code != 201 || json.Unmarshal([]byte(body), &r) != nil {
		h.t.Fatalf("register: %d %s", code, body)
	}
	return r.ClientID
}

func (h *harness) post(path, ctype, body string) (int, string) {
	h.t.Helper()
	resp, err := http.Post(h.ts.URL+path, ctype, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// browser is a user agent that stops at redirects (to read them).
type browser struct {
	h  *harness
	hc *http.Client
}

func (h *harness) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{h: h, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var formRE = regexp.MustCompile(`name="(request|csrf)" value="([^"]+)"`)

// open GETs an authorization URL: the page's status and body, and where it
// redirected ("" none).
func (b *browser) open(u string) (int, string, string) {
	b.h.t.Helper()
	resp, err := b.hc.Get(u)
	if err != nil {
		b.h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

// answer posts the consent form of page.
func (b *browser) answer(page, code, action string, cookie bool) (int, string, string) {
	b.h.t.Helper()
	v := url.Values{"code": {code}, "action": {action}}
	for _, m := range formRE.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], m[2])
	}
	hc := b.hc
	if !cookie {
		hc = &http.Client{CheckRedirect: b.hc.CheckRedirect}
	}
	resp, err := hc.PostForm(b.h.ts.URL+AuthorizePath, v)
	if err != nil {
		b.h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

// login runs the whole flow for a client with x/oauth2 and returns the
// token.
func (h *harness) login(cfg *oauth2.Config) *oauth2.Token {
	h.t.Helper()
	v := oauth2.GenerateVerifier()
	b := h.browser()
	code, page, _ := b.open(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v), oauth2.SetAuthURLParam("resource", h.resource())))
	if code != 200 {
		h.t.Fatalf("consent page: %d %s", code, page)
	}
	_, _, loc := b.answer(page, h.lastProof(), "approve", true)
	u, err := url.Parse(loc)
	if err != nil || u.Query().Get("code") == "" {
		h.t.Fatalf("no code in the redirect")
	}
	tok, err := cfg.Exchange(context.Background(), u.Query().Get("code"), oauth2.VerifierOption(v))
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

func (h *harness) config(clientID, redirect string) *oauth2.Config {
	return &oauth2.Config{ClientID: clientID, RedirectURL: redirect, Scopes: []string{"mcp"},
		Endpoint: oauth2.Endpoint{AuthURL: h.ts.URL + AuthorizePath, TokenURL: h.ts.URL + TokenPath, AuthStyle: oauth2.AuthStyleInParams}}
}

// TestTokenLifecycle: tokens are checked for resource and expiry; refresh
// rotates; a spent refresh token presented again ends the grant; RFC 7009
// revocation ends it too.
func TestTokenLifecycle(t *testing.T) {
	h := newHarness(t, Options{})
	cb := "http://127.0.0.1:9/callback"
	cfg := h.config(h.register(cb), cb)
	tok := h.login(cfg)
	ctx := context.Background()
	verify := func(tok, res string) error { _, err := h.srv.Verify(ctx, tok, res); return err }
	if err := verify(tok.AccessToken, h.resource()); err != nil {
		t.Fatal(err)
	}
	if err := verify(tok.AccessToken, "http://localhost:1/mcp"); !errors.Is(err, mcpauth.ErrInvalidToken) {
		t.Errorf("another resource: %v", err)
	}
	if err := verify(tok.RefreshToken, h.resource()); !errors.Is(err, mcpauth.ErrInvalidToken) {
		t.Errorf("a refresh token used as an access token: %v", err)
	}
	h.clock.add(AccessTTL)
	if err := verify(tok.AccessToken, h.resource()); !errors.Is(err, mcpauth.ErrInvalidToken) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired: %v", err)
	}
	refresh := func(rt string) (*oauth2.Token, error) {
		return cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
	}
	t2, err := refresh(tok.RefreshToken)
	if err != nil || t2.RefreshToken == tok.RefreshToken {
		t.Fatalf("refresh: %v", err)
	}
	if err := verify(t2.AccessToken, h.resource()); err != nil {
		t.Fatal(err)
	}
	// The spent refresh token again: the grant ends, the new tokens too.
	if _, err := refresh(tok.RefreshToken); err == nil {
		t.Fatal("a rotated refresh token was accepted again")
	}
	if err := verify(t2.AccessToken, h.resource()); err == nil {
		t.Error("tokens of a grant whose refresh token was replayed still work")
	}
	if _, err := refresh(t2.RefreshToken); err == nil {
		t.Error("the newest refresh token of a replayed grant still works")
	}
	// Revocation (RFC 7009) of a refresh token ends its grant.
	t3 := h.login(cfg)
	if code, _ := h.post(RevokePath, "application/x-www-form-urlencoded", url.Values{"token": {t3.RefreshToken}}.Encode()); code != 200 {
		t.Fatalf("revoke: %d", code)
	}
	if err := verify(t3.AccessToken, h.resource()); err == nil {
		t.Error("an access token of a revoked grant still works")
	}
	// Codes expire.
	v := oauth2.GenerateVerifier()
	b := h.browser()
	_, page, _ := b.open(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)))
	_, _, loc := b.answer(page, h.lastProof(), "approve", true)
	u, _ := url.Parse(loc)
	h.clock.add(CodeTTL)
	if _, err := cfg.Exchange(ctx, u.Query().Get("code"), oauth2.VerifierOption(v)); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("an expired code: %v", err)
	}
}

// TestTokenRefusals: a code is bound to its verifier, redirect URI and
// client.
func TestTokenRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	cb := "http://127.0.0.1:9/callback"
	id := h.register(cb)
	other := h.register(cb)
	for _, c := range []struct {
		name string
		edit func(url.Values)
		want string
	}{
		{"wrong verifier", func(v url.Values) { v.Set("code_verifier", oauth2.GenerateVerifier()) }, "code_verifier does not match"},
		{"no verifier", func(v url.Values) { v.Del("code_verifier") }, "PKCE is required"},
		{"other redirect", func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:9/other") }, "redirect_uri does not match"},
		{"other client", func(v url.Values) { v.Set("client_id", other) }, "another client"},
		{"other resource", func(v url.Values) { v.Set("resource", "http://localhost:1/mcp") }, "invalid_target"},
		{"unknown grant", func(v url.Values) { v.Set("grant_type", "password") }, "unsupported_grant_type"},
		{"unknown code", func(v url.Values) { v.Set("code", "hostc_nope") }, "unknown"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := h.config(id, cb)
			v := oauth2.GenerateVerifier()
			b := h.browser()
			_, page, _ := b.open(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)))
			_, _, loc := b.answer(page, h.lastProof(), "approve", true)
			u, _ := url.Parse(loc)
			form := url.Values{"grant_type": {"authorization_code"}, "code": {u.Query().Get("code")}, "client_id": {id},
				"redirect_uri": {cb}, "code_verifier": {v}}
			c.edit(form)
			code, body := h.post(TokenPath, "application/x-www-form-urlencoded", form.Encode())
			if code != 400 || !strings.Contains(body, c.want) {
				t.Errorf("%d %s, want 400 with %q", code, body, c.want)
			}
			if strings.Contains(body, u.Query().Get("code")) {
				t.Error("the error holds the code")
			}
		})
	}
}

// TestAuthorizeRefusals: what cannot be sent back to the client is a page;
// the rest goes back as an OAuth error.
func TestAuthorizeRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	cb := "http://127.0.0.1:9/callback"
	id := h.register(cb)
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	base := url.Values{"response_type": {"code"}, "client_id": {id}, "redirect_uri": {cb}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}, "state": {"st"}}
	for _, c := range []struct {
		name      string
		edit      func(url.Values)
		page      string // a refusal page with this text
		redirect  string // else a redirect with this error
		wantState bool
	}{
		{"unknown client", func(v url.Values) { v.Set("client_id", "host-client-nope") }, "does not know this client", "", false},
		{"no client", func(v url.Values) { v.Del("client_id") }, "names no client", "", false},
		{"unregistered redirect", func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:9/evil") }, "not one this client registered", "", false},
		{"foreign redirect", func(v url.Values) { v.Set("redirect_uri", "https://evil.example/callback") }, "not one this client registered", "", false},
		{"repeated parameter", func(v url.Values) { v.Add("state", "two") }, "repeats state", "", false},
		{"no PKCE", func(v url.Values) { v.Del("code_challenge") }, "", "invalid_request", true},
		{"plain PKCE", func(v url.Values) { v.Set("code_challenge_method", "plain") }, "", "invalid_request", true},
		{"implicit", func(v url.Values) { v.Set("response_type", "token") }, "", "unsupported_response_type", true},
		{"other resource", func(v url.Values) { v.Set("resource", "https://other.example/mcp") }, "", "invalid_target", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range base {
				q[k] = append([]string(nil), v...)
			}
			c.edit(q)
			code, body, loc := h.browser().open(h.ts.URL + AuthorizePath + "?" + q.Encode())
			if c.page != "" {
				if code != 400 || loc != "" || !strings.Contains(body, c.page) {
					t.Errorf("%d %q: want a 400 page saying %q:\n%s", code, loc, c.page, body)
				}
				return
			}
			u, err := url.Parse(loc)
			if err != nil || !strings.HasPrefix(loc, cb+"?") || u.Query().Get("error") != c.redirect || u.Query().Get("state") != "st" || u.Query().Get("iss") != h.ts.URL {
				t.Errorf("%d redirect %q, want error=%s with state and iss", code, loc, c.redirect)
			}
		})
	}
}

// TestConsentAnswers: the answer needs the page's cookie and check; a
// wrong code is asked again, five close the request; deny goes back as
// access_denied; the static token works as the proof.
func TestConsentAnswers(t *testing.T) {
	h := newHarness(t, Options{StaticToken: "fake-static-token-0000"})
	cb := "http://127.0.0.1:9/callback"
	cfg := h.config(h.register(cb), cb)
	challenge := oauth2.S256ChallengeOption(oauth2.GenerateVerifier())
	b := h.browser()
	_, page, _ := b.open(cfg.AuthCodeURL("s", challenge))
	if !strings.Contains(page, `id="client">Unit<`) || !strings.Contains(page, "127.0.0.1:9") || !strings.Contains(page, "only what it says it is") {
		t.Errorf("the page does not name the client and where it returns:\n%s", page)
	}
	if code, body, _ := b.answer(page, h.lastProof(), "approve", false); code != 403 || !strings.Contains(body, "did not come from the page") {
		t.Errorf("an answer without the page's cookie: %d", code)
	}
	for i := 1; i < maxTries; i++ {
		if code, body, loc := b.answer(page, "AAAA-AAAA", "approve", true); code != 200 || loc != "" || !strings.Contains(body, "not the code") {
			t.Fatalf("wrong code %d: %d %q", i, code, loc)
		}
	}
	if code, body, _ := b.answer(page, "AAAA-AAAA", "approve", true); code != 403 || !strings.Contains(body, "Too many wrong codes") {
		t.Errorf("the last wrong code: %d", code)
	}
	if code, body, _ := b.answer(page, h.lastProof(), "approve", true); code != 400 || !strings.Contains(body, "no longer waiting") {
		t.Errorf("the right code after the request closed: %d", code)
	}
	_, page, _ = b.open(cfg.AuthCodeURL("s", challenge))
	if _, _, loc := b.answer(page, "", "deny", true); !strings.Contains(loc, "error=access_denied") {
		t.Errorf("deny: %q", loc)
	}
	_, page, _ = b.open(cfg.AuthCodeURL("s", challenge))
	if _, _, loc := b.answer(page, "fake-static-token-0000", "approve", true); !strings.Contains(loc, "code=hostc_") {
		t.Errorf("the static token as proof: %q", loc)
	}
	// Typed in lower case, with a space for the dash: the code still fits.
	_, page, _ = b.open(cfg.AuthCodeURL("s", challenge))
	typed := strings.ToLower(strings.Replace(h.lastProof(), "-", " ", 1))
	if _, _, loc := b.answer(page, typed, "approve", true); !strings.Contains(loc, "code=hostc_") {
		t.Errorf("the code as a person types it: %q", loc)
	}
}

// TestRegister: public clients only; redirect URIs must be https,
// loopback http or an app's own scheme.
func TestRegister(t *testing.T) {
	h := newHarness(t, Options{})
	for _, c := range []struct {
		body, want string
		code       int
	}{
		{`{"redirect_uris":["http://127.0.0.1:5/cb"],"client_name":"a"}`, `"token_endpoint_auth_method":"none"`, 201},
		{`{"redirect_uris":["https://app.example/cb"]}`, `"client_id":"host-client-`, 201},
		{`{"redirect_uris":["cursor://anysphere.cursor-mcp/oauth/callback"]}`, `"client_id"`, 201},
		{`{"redirect_uris":["http://app.example/cb"]}`, "invalid_redirect_uri", 400},
		{`{"redirect_uris":["javascript:alert(1)"]}`, "invalid_redirect_uri", 400},
		{`{"redirect_uris":["https://app.example/cb#frag"]}`, "invalid_redirect_uri", 400},
		{`{"redirect_uris":[]}`, "redirect_uris is missing", 400},
		{`{"redirect_uris":["http://127.0.0.1/cb"],"grant_types":["client_credentials"]}`, "not supported", 400},
		{`not json`, "invalid_client_metadata", 400},
	} {
		code, body := h.post(RegisterPath, "application/json", c.body)
		if code != c.code || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s, want %d with %q", c.body, code, body, c.code, c.want)
		}
	}
	// A form a page of another site can post without a preflight.
	if code, body := h.post(RegisterPath, "text/plain", `{"redirect_uris":["http://127.0.0.1:5/cb"]}`); code != 400 || !strings.Contains(body, "application/json") {
		t.Errorf("text/plain registration: %d %s", code, body)
	}
}

// TestClientMetadataDocument: an https client_id is fetched (a real TLS
// server) and must name itself; its redirect URIs are the only ones; a
// loopback one matches any port (RFC 8252).
func TestClientMetadataDocument(t *testing.T) {
	docs := map[string]string{}
	var mu sync.Mutex
	site := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		d, ok := docs[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/redirect.json" {
			http.Redirect(w, r, "/good.json", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, d)
	}))
	defer site.Close()
	id := func(p string) string { return site.URL + p }
	mu.Lock()
	docs["/good.json"] = fmt.Sprintf(`{"client_id":%q,"client_name":"Site Client","redirect_uris":["http://127.0.0.1/callback"]}`, id("/good.json"))
	docs["/liar.json"] = fmt.Sprintf(`{"client_id":%q,"client_name":"Liar","redirect_uris":["http://127.0.0.1/callback"]}`, id("/good.json"))
	docs["/big.json"] = `{"client_id":"` + strings.Repeat("x", 6000) + `"}`
	docs["/redirect.json"] = ""
	docs["/secret.json"] = fmt.Sprintf(`{"client_id":%q,"redirect_uris":["http://127.0.0.1/callback"],"token_endpoint_auth_method":"client_secret_basic"}`, id("/secret.json"))
	mu.Unlock()
	h := newHarness(t, Options{HTTPClient: site.Client()})
	challenge := oauth2.S256ChallengeOption(oauth2.GenerateVerifier())
	for _, c := range []struct{ path, redirect, want string }{
		{"/good.json", "http://127.0.0.1:4711/callback", `published by <strong id="vouch">` + strings.TrimPrefix(site.URL, "https://")},
		{"/good.json", "http://127.0.0.1:4711/elsewhere", "not one this client registered"},
		{"/liar.json", "http://127.0.0.1:4711/callback", "names another client_id"},
		{"/big.json", "http://127.0.0.1:4711/callback", "larger than"},
		{"/redirect.json", "http://127.0.0.1:4711/callback", "302"},
		{"/missing.json", "http://127.0.0.1:4711/callback", "404"},
		{"/secret.json", "http://127.0.0.1:4711/callback", "public clients only"},
	} {
		cfg := h.config(id(c.path), c.redirect)
		_, body, _ := h.browser().open(cfg.AuthCodeURL("s", challenge))
		if !strings.Contains(body, c.want) {
			t.Errorf("%s → %s: the page lacks %q:\n%s", c.path, c.redirect, c.want, body)
		}
	}
	// The whole flow with the metadata client.
	cfg := h.config(id("/good.json"), "http://127.0.0.1:4711/callback")
	tok := h.login(cfg)
	if _, err := h.srv.Verify(context.Background(), tok.AccessToken, h.resource()); err != nil {
		t.Fatal(err)
	}
	list, err := h.srv.o.Store.Clients(context.Background(), false)
	if err != nil || len(list) != 1 || list[0].Kind != KindMetadata || list[0].Name != "Site Client" {
		t.Errorf("clients: %+v %v", list, err)
	}
}

// TestDisplayName: a client's name reaches the terminal and the page
// without control characters and bounded.
func TestDisplayName(t *testing.T) {
	for in, want := range map[string]string{
		"Claude":                    "Claude",
		"evil\x1b[2J\rname":         "evil[2Jname",
		"rtl\u202Egnp.exe":          "rtlgnp.exe",
		"   ":                       "fallback",
		strings.Repeat("ab", 50):    strings.Repeat("ab", 40) + "…",
		"host-client\nsays approve": "host-clientsays approve",
	} {
		if got := displayName(in, "fallback"); got != want {
			t.Errorf("displayName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDatabaseFailure: a database that fails for another reason than a
// lock held elsewhere is not called busy: the client gets server_error
// (not "try again"), and the serve's terminal is told what failed.
func TestDatabaseFailure(t *testing.T) {
	h := newHarness(t, Options{})
	var said []string
	var mu sync.Mutex
	h.srv.o.Say = func(line string) {
		mu.Lock()
		said = append(said, line)
		mu.Unlock()
	}
	h.srv.o.Store.db.Close()
	code, body := h.post(RegisterPath, "application/json", `{"redirect_uris":["http://127.0.0.1:5/cb"],"client_name":"a"}`)
	if code != http.StatusInternalServerError || !strings.Contains(body, `"server_error"`) || strings.Contains(body, "busy") {
		t.Errorf("register on a closed database: %d %s", code, body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(said) != 1 || !strings.Contains(said[0], "the OAuth database failed: ") {
		t.Errorf("the serve's terminal was told %q", said)
	}
}
