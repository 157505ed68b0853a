package setuppage

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"host/bindings/fetch"
	"host/bindings/oauth/oauthtest"
	"host/bindings/secrets"
	"host/bindings/secrets/keyringtest"
	"host/cmd/host/internal/browsertest"
	"host/cmd/host/internal/demo"
	"host/internal/hosttest"
)

func visible(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(sel))
}
func click(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
func keys(sel, v string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.CSS(sel), v)
}

// dom is the page's whole DOM as HTML, with the values the browser holds
// in its inputs.
func dom(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `document.documentElement.outerHTML + JSON.stringify([...document.querySelectorAll('input,textarea')].map(e => e.value))`)
}

// TestTokenPluginInChromium drives the documents' token plugin through the
// page in a real browser, against an HTTPS stand-in for its API and a
// real Secret Service: a wrong token shows the plugin's own refusal at the
// form and saves nothing; the valid one activates the plugin and is in the
// keyring; no response the browser received and no DOM ever holds either
// token.
func TestTokenPluginInChromium(t *testing.T) {
	t.Parallel()
	kr := keyringtest.Shared(t)
	api := demo.NewAPI(goodToken)
	defer api.Close()
	_, port, _ := net.SplitHostPort(api.Addr())
	client := fetch.NewClient(fetch.ClientOptions{
		ConnectTo: []fetch.ConnectTo{{Host: "api.myservice.com", Port: "443", ToHost: "127.0.0.1", ToPort: port}},
		RootCAs:   api.Pool(),
	})
	h := newHarness(t, harnessOptions{files: []string{repoFile(t, "plugins/token-auth/plugin.ts")}, backend: secrets.NewOSKeyring(), http: client})
	// No item of an earlier run.
	_ = h.host.Secrets.Delete(context.Background(), "host:token-auth", "config.token")

	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/setup/token-auth")), visible("#setup-form"))
	if got := browsertest.Text(t, ctx, "label[for=f-token]"); !strings.Contains(got, "API Token") {
		t.Errorf("the field's label %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('fieldset.section legend').textContent`); got != "Authentication" {
		t.Errorf("the section %q", got)
	}
	if got := browsertest.Text(t, ctx, "#f-token-help"); !strings.Contains(got, "Create a token with read/write permissions") {
		t.Errorf("the auth field's helpText %q", got)
	}
	if href := browsertest.Attr(t, ctx, "#f-token-help a", "href"); href != "https://myservice.com/settings/tokens" {
		t.Errorf("Get a token links to %q", href)
	}
	if got := browsertest.Text(t, ctx, "#secret-note"); !strings.Contains(got, "never shown again") {
		t.Errorf("the secrets note %q", got)
	}
	if typ := browsertest.Attr(t, ctx, "#f-token", "type"); typ != "password" {
		t.Errorf("the secret field is a %q input", typ)
	}

	// A wrong token: the plugin's message at the form, nothing saved.
	browsertest.Do(t, ctx,
		keys("#f-token", badToken),
		click("#setup-form button.primary"),
		visible(".refusal"))
	if got := browsertest.Text(t, ctx, ".refusal"); !strings.Contains(got, "Invalid API token") {
		t.Errorf("the refusal shown %q", got)
	}
	if _, err := kr.Lookup("host:token-auth", "config.token"); err == nil {
		t.Error("the refused token was saved")
	}
	browsertest.Screenshot(t, ctx, "setup-token-refused")
	if d := dom(t, ctx); strings.Contains(d, badToken) {
		t.Error("the refused token is in the page")
	}

	// The valid token: active, saved in the keyring.
	browsertest.Do(t, ctx,
		keys("#f-token", goodToken),
		click("#setup-form button.primary"),
		visible("#result.ok"))
	if got := browsertest.Text(t, ctx, "#result"); !strings.Contains(got, "Saved and tested") || !strings.Contains(got, "API Token") {
		t.Errorf("the result shown %q", got)
	}
	if v, err := kr.Lookup("host:token-auth", "config.token"); err != nil || v != goodToken {
		t.Errorf("keyring item: %v", err)
	}
	// The settings form now shows the token as saved, never its value.
	if got := browsertest.Text(t, ctx, ".saved .badge"); got != "saved" {
		t.Errorf("the saved secret shows as %q", got)
	}
	browsertest.Screenshot(t, ctx, "setup-token-active")
	browsertest.Do(t, ctx, browsertest.ColorScheme("dark"))
	browsertest.Screenshot(t, ctx, "setup-token-active-dark")
	if bg := browsertest.Eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(20, 23, 28)" {
		t.Errorf("dark theme background %q", bg)
	}
	browsertest.Do(t, ctx, browsertest.ColorScheme("light"))

	// Phone width: the form fits.
	browsertest.Do(t, ctx, chromedp.EmulateViewport(390, 844))
	if browsertest.Eval[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Error("the page scrolls sideways at phone width")
	}
	browsertest.Screenshot(t, ctx, "setup-token-phone")

	for _, secret := range []string{goodToken, badToken} {
		if d := dom(t, ctx); strings.Contains(d, secret) {
			t.Errorf("a token is in the DOM")
		}
		if h.rec.contains(secret) {
			t.Errorf("a response of the page holds a token")
		}
	}

	// The index (a link to all plugins) lists the plugin as set up.
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/")), visible(".plugins"))
	if got := browsertest.Text(t, ctx, `[data-plugin="token-auth"] [data-field="state"]`); got != "ready" {
		t.Errorf("the list shows %q", got)
	}
}

// TestOAuthConnectInChromium: "Connect" on the documents' OAuth2 plugin
// sends the same browser to the (stand-in) provider, its callback page
// names the plugin and the outcome and leads back to the setup page, which
// shows the plugin set up.
func TestOAuthConnectInChromium(t *testing.T) {
	t.Parallel()
	prov := oauthtest.New(oauthtest.Options{RequirePKCE: true})
	defer prov.Close()
	client := fetch.NewClient(fetch.ClientOptions{ConnectTo: prov.ConnectTo(), RootCAs: prov.Pool()})
	h := newHarness(t, harnessOptions{files: []string{repoFile(t, "plugins/oauth2/plugin.ts")}, http: client})
	ctx := browsertest.Start(t, browsertest.Options{HostRules: []string{"MAP myservice.com " + prov.Addr()}})

	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/setup/oauth2")), visible("#setup-form"))
	// Its permissions, an undeclared category said plainly, and its OAuth
	// URLs by exact origin.
	if got := browsertest.Text(t, ctx, "#permissions"); !strings.Contains(got, "network: any host (not declared)") || !strings.Contains(got, "OAuth: https://myservice.com:443") {
		t.Errorf("the permissions shown: %q", got)
	}
	if got := browsertest.Text(t, ctx, `.plugin [data-field="state"]`); got != "login needed" {
		t.Errorf("state %q before the login", got)
	}
	// Not logged in: no "Log out"; no secret field, so no word on where
	// secrets go.
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('button[formaction$="/logout"], #secret-note').length`); n != 0 {
		t.Errorf("the page before the login shows Log out or the secrets note (%d)", n)
	}
	browsertest.Do(t, ctx,
		click(`button[formaction$="/connect"]`),
		visible("#outcome"))
	page := browsertest.Text(t, ctx, "main")
	if !strings.Contains(page, "Signed in") || !strings.Contains(page, "oauth2") || !strings.Contains(page, "read") {
		t.Errorf("the callback page shows %q", page)
	}
	browsertest.Screenshot(t, ctx, "setup-oauth-callback")
	browsertest.Do(t, ctx, click("#back"), visible("#result.ok"))
	if got := browsertest.Text(t, ctx, "#result"); !strings.Contains(got, "Saved and tested") {
		t.Errorf("the setup page after the login shows %q", got)
	}
	if got := browsertest.Text(t, ctx, "#login-info"); !strings.Contains(got, "Logged in") || !strings.Contains(got, "read") || !strings.Contains(got, "valid until") {
		t.Errorf("the login shown: %q", got)
	}
	browsertest.Screenshot(t, ctx, "setup-oauth-result")
	if prov.ExchangeCount() != 1 {
		t.Errorf("%d code exchanges, want 1", prov.ExchangeCount())
	}
	tok, err := h.host.Secrets.Get(context.Background(), "host:oauth2", "oauth_access_token")
	if err != nil || !prov.ValidAccess(tok) {
		t.Errorf("the access token was not saved: %v", err)
	}
	if h.rec.contains(tok) {
		t.Error("a response of the page holds the access token")
	}

	// Log out deletes the tokens: login needed again.
	// The result of the login goes, so the wait below sees the logout's.
	browsertest.Eval[bool](t, ctx, `document.getElementById('result').remove() || true`)
	browsertest.Do(t, ctx, click(`button[formaction$="/logout"]`), visible("#result"))
	if got := browsertest.Text(t, ctx, "#result"); !strings.Contains(got, "Logged out") {
		t.Errorf("after Log out the page shows %q", got)
	}
	if _, err := h.host.Secrets.Get(context.Background(), "host:oauth2", "oauth_access_token"); err == nil {
		t.Error("the access token is still saved after Log out")
	}
	if got := browsertest.Text(t, ctx, `.plugin [data-field="state"]`); got != "login needed" {
		t.Errorf("state %q after Log out", got)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#login-info, button[formaction$="/logout"]').length`); n != 0 {
		t.Errorf("after Log out the page still shows the login or Log out (%d)", n)
	}
}

// everyKind is an SDK-style plugin with a field of every kind the form
// renders.
const everyKind = `import { definePlugin, z } from '@hivemind-os/plugin-sdk';
export default definePlugin({
  configSchema: z.object({
    apiKey: z.string().secret().label('API key').section('Account').helpText('From the account page'),
    workspace: z.string().label('Workspace').section('Account').placeholder('acme').describe('Your workspace slug'),
    region: z.enum(['eu', 'us']).default('eu').label('Region').section('Options'),
    plan: z.enum(['free', 'team', 'enterprise']).radio().label('Plan').section('Options'),
    verbose: z.boolean().default(false).label('Verbose logs').section('Options'),
    limit: z.number().int().min(1).default(10).label('Page size').section('Options'),
    labels: z.array(z.string()).default([]).label('Labels').section('Options'),
  }),
  onActivate: async (ctx) => { console.log('activated for', ctx.config.workspace, ctx.config.plan, ctx.config.labels.join('+')); },
});
`

// TestEveryFieldKindInChromium: sections, labels, help, placeholders,
// defaults, a select, radio buttons, a checkbox, a number and a list
// editor, filled in a real browser; the values land in the config file and
// the secret in the secret backend.
func TestEveryFieldKindInChromium(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{files: []string{writePlugin(t, "kinds", everyKind)}})
	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/setup/kinds")), visible("#setup-form"))

	legends := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('fieldset.section > legend')].map(e => e.textContent)`)
	if strings.Join(legends, ",") != "Account,Options" {
		t.Errorf("sections %v", legends)
	}
	kinds := browsertest.Eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll('.field')].map(f => [f.dataset.key, (f.querySelector('select') ? 'select' : (f.querySelector('[data-list]') ? 'list' : f.querySelector('input:not([type=hidden])').type))]))`)
	want := map[string]string{"apiKey": "password", "workspace": "text", "plan": "radio"}
	for k, v := range want {
		if kinds[k] != v {
			t.Errorf("field %s is %q, want %q (all: %v)", k, kinds[k], v, kinds)
		}
	}
	// Labels are bound to their inputs.
	unbound := browsertest.Eval[int](t, ctx, `[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(e => !e.labels || e.labels.length === 0).filter(e => !e.getAttribute('aria-label')).length`)
	if unbound != 0 {
		t.Errorf("%d inputs without a label", unbound)
	}
	if ph := browsertest.Attr(t, ctx, "#f-workspace", "placeholder"); ph != "acme" {
		t.Errorf("placeholder %q", browsertest.Attr(t, ctx, "#f-workspace", "placeholder"))
	}
	if got := browsertest.Text(t, ctx, "#f-workspace-desc"); got != "Your workspace slug" {
		t.Errorf("describe %q", got)
	}
	browsertest.Screenshot(t, ctx, "setup-every-kind")

	browsertest.Do(t, ctx,
		keys("#f-apiKey", "fake-kinds-key-1234"),
		keys("#f-workspace", "acme-labs"),
		click(`label[for="f-plan-1"]`),
	)
	// Only the missing fields are asked: the defaulted ones are listed.
	// Submit; then change the defaulted ones on the settings form.
	browsertest.Do(t, ctx, click("#setup-form button.primary"), visible("#result.ok"))
	browsertest.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#f-region"), "us"),
		click("#f-verbose"),
		chromedp.SetValue(chromedp.CSS("#f-limit"), "25"),
		keys(`[data-list="labels"] input`, "bug"),
		click(`[data-list="labels"] [data-add-item]`),
		keys(`[data-list="labels"] .item:nth-of-type(2) input`, "urgent"),
	)
	// The result of the first save goes, so the wait below sees the new one.
	browsertest.Eval[bool](t, ctx, `document.getElementById('result').remove() || true`)
	browsertest.Do(t, ctx, click("#setup-form button.primary"), visible("#result.ok"))
	b, err := os.ReadFile(filepath.Join(h.host.DataDir, "plugins", "kinds", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	wantCfg := `{"labels":["bug","urgent"],"limit":25,"plan":"team","region":"us","verbose":true,"workspace":"acme-labs"}`
	if got, _ := json.Marshal(cfg); string(got) != wantCfg {
		t.Errorf("config.json %s, want %s", got, wantCfg)
	}
	if strings.Contains(string(b), "fake-kinds-key-1234") {
		t.Error("the secret is in config.json")
	}
	if v, err := h.host.Secrets.Get(context.Background(), "host:kinds", "config.apiKey"); err != nil || v != "fake-kinds-key-1234" {
		t.Errorf("the secret was not saved: %v", err)
	}
	if h.rec.contains("fake-kinds-key-1234") {
		t.Error("a response holds the secret")
	}
}

// TestCrossSiteAndRebindingInChromium: a form on another site posting to
// the page is refused (no cookie crosses sites, no CSRF token, a foreign
// Origin), and the page refuses a foreign Host name that resolves to it.
func TestCrossSiteAndRebindingInChromium(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{files: []string{writePlugin(t, "simple", simplePlugin)}})
	target := h.srv.URL("/setup/simple")
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><form id=f method=post action="` + target + `"><input name=token value="` + goodToken + `"><input name=csrf value=guess></form><script>document.getElementById('f').submit()</script>`))
	}))
	defer evil.Close()
	_, pagePort, _ := net.SplitHostPort(strings.TrimPrefix(h.srv.Origin(), "http://"))
	ctx := browsertest.Start(t, browsertest.Options{HostRules: []string{"MAP evil.test " + strings.TrimPrefix(evil.URL, "http://"), "MAP rebind.test 127.0.0.1"}})
	// The user has a session on the page.
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/")), visible(".plugins"))
	browsertest.Do(t, ctx, chromedp.Navigate("http://evil.test/"), visible("main h1"))
	if got := browsertest.Text(t, ctx, "main h1"); got != "Open the link host printed" && got != "Request refused" {
		t.Errorf("the cross-site POST got %q", got)
	}
	if _, err := h.host.Secrets.Get(context.Background(), "host:simple", "config.token"); err == nil {
		t.Error("the cross-site POST saved a token")
	}
	browsertest.Do(t, ctx, chromedp.Navigate("http://rebind.test:"+pagePort+"/"), visible("main h1"))
	if got := browsertest.Text(t, ctx, "main h1"); got != "Wrong address" {
		t.Errorf("a foreign Host got %q", got)
	}
}

// TestLiveUpdate: a state change reaches an open page without a reload.
func TestLiveUpdateInChromium(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{files: []string{writePlugin(t, "simple", simplePlugin)}})
	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/")), visible(".plugins"))
	browsertest.Eval[int](t, ctx, `window.marker = 1`)
	hosttest.WaitFor(t, time.Minute, "the page's event stream", func() bool {
		h.srv.mu.Lock()
		defer h.srv.mu.Unlock()
		return len(h.srv.subs) > 0
	}, func() string { return "no subscriber" })
	h.local.mu.Lock()
	h.local.plugins["simple"].info.State = "error"
	h.local.plugins["simple"].info.Reason = "plugin.ts:3:9: a changed state"
	h.local.mu.Unlock()
	h.local.notify()
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.Search(`//p[@data-field="reason"][contains(., "a changed state")]`)))
	if browsertest.Eval[int](t, ctx, `window.marker`) != 1 {
		t.Error("the page reloaded")
	}
	if got := browsertest.Text(t, ctx, `[data-plugin="simple"] [data-field="state"]`); got != "error" {
		t.Errorf("state %q", got)
	}
}

const dateField = `export default definePlugin({
  configSchema: z.object({
    since: z.date().label('Since'),
    until: z.date().default(new Date('2030-06-01T00:00:00Z')).label('Until'),
  }),
  onActivate: async (ctx) => {
    if (!(ctx.config.since instanceof Date)) throw new Error('since is not a Date');
  },
});
`

// TestDateFieldInChromium: a z.date() field is a date input (its default
// shown as the date), and the date picked lands in the config file as ISO
// text and reaches the plugin as a Date.
func TestDateFieldInChromium(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{files: []string{writePlugin(t, "dates", dateField)}})
	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/setup/dates")), visible("#setup-form"))
	if typ := browsertest.Attr(t, ctx, "#f-since", "type"); typ != "date" {
		t.Fatalf("since input type %q, want date", typ)
	}
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#f-since"), "2024-05-01"), click("#setup-form button.primary"), visible("#result.ok"))
	b, err := os.ReadFile(filepath.Join(h.host.DataDir, "plugins", "dates", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"since": "2024-05-01T00:00:00Z"`) {
		t.Errorf("config.json %s", b)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/setup/dates")), visible("#setup-form"))
	if v := browsertest.Eval[string](t, ctx, `document.getElementById('f-until').value`); v != "2030-06-01" {
		t.Errorf("until shows %q, want its default 2030-06-01", v)
	}
}

// TestSessionStaysOffOtherPortsInChromium: browsers send a host's cookies
// to every port of it, so a server on another port of 127.0.0.1 that the
// user's browser visits would receive the page's session (and with it the
// CSRF token) if the cookie covered every path. The session cookie is
// scoped to the page's random base path: the other server, at every path
// it tries and with every request its page makes, never receives it, and
// the page's own answers to requests without a session never name the
// base.
func TestSessionStaysOffOtherPortsInChromium(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{files: []string{writePlugin(t, "simple", simplePlugin)}})
	var mu sync.Mutex
	var got []string // the Cookie headers the other server received
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.Path+": "+r.Header.Get("Cookie"))
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		// The page probes the paths a guesser would, and asks the setup
		// page itself (a cross-origin request: no answer to read).
		w.Write([]byte(`<!doctype html><h1>other</h1><script>
for (const p of ['/', '/setup/simple', '/s/', '/events', '/assets/page.css']) fetch(p, {credentials: 'include'});
fetch('` + h.srv.Origin() + `/', {credentials: 'include', mode: 'no-cors'});
</script>`))
	}))
	defer other.Close()
	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/")), visible(".plugins"))
	browsertest.Do(t, ctx, chromedp.Navigate(other.URL+"/setup/simple"), visible("h1"))
	hosttest.WaitFor(t, time.Minute, "the other page's requests", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) >= 6
	}, func() string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("%d requests: %q", len(got), got)
	})
	// The session still works on the page itself.
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.URL("/setup/simple")), visible("#setup-form"))
	mu.Lock()
	defer mu.Unlock()
	for _, g := range got {
		if strings.Contains(g, cookieName) {
			t.Errorf("the server on another port received the session: %s", g)
		}
	}
	res, err := http.Get(h.srv.Origin() + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Contains(string(b), h.srv.base) {
		t.Error("the page without a session names its base")
	}
}

// TestCodeLinkInChromium: the link an AI client gets in a tool result
// (the model and transcripts read it) opens nothing by itself: the page
// asks for the code host showed the user (on the terminal, and on the list
// page of the user's own session); a wrong code is refused, five spend the
// link; the right one opens that plugin's page only.
func TestCodeLinkInChromium(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{files: []string{writePlugin(t, "simple", simplePlugin)}})
	link, code := h.srv.CodeLink("simple")
	if strings.Contains(link, code) {
		t.Fatal("the link holds its code")
	}
	// The user's own session lists the code.
	jar, _ := cookiejar.New(nil)
	user := &http.Client{Jar: jar}
	res, err := user.Get(h.srv.Link("/"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res, err = user.Get(h.srv.URL("/")); err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `data-code-for="simple">`+code+`<`) {
		t.Errorf("the list page does not show the code:\n%s", body)
	}
	// Whoever holds only the link: no session, however often they try.
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	other, otherCode := h.srv.CodeLink("simple")
	try := func(code string) *http.Response {
		t.Helper()
		form := url.Values{"token": {strings.SplitN(other, "token=", 2)[1]}, "code": {code}}
		req, _ := http.NewRequest("POST", h.srv.URL("/code"), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", h.srv.Origin())
		res, err := plain.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for i := 0; i < codeTries; i++ {
		wrong := fmt.Sprintf("%06d", i)
		if wrong == otherCode {
			wrong = "x" + wrong
		}
		if res := try(wrong); res.StatusCode != http.StatusForbidden || len(res.Cookies()) > 0 {
			t.Errorf("wrong code %d: %s %v", i, res.Status, res.Cookies())
		}
	}
	if res := try(otherCode); res.StatusCode != http.StatusForbidden || len(res.Cookies()) > 0 {
		t.Errorf("the right code after %d wrong ones: %s %v", codeTries, res.Status, res.Cookies())
	}

	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(link), visible("#code-form"))
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.URL("/setup/simple")), visible("main h1"))
	if got := browsertest.Text(t, ctx, "main h1"); got != "Open the link host printed" {
		t.Errorf("the plugin's page without the code: %q", got)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(link), visible("#code-form"), keys("#code", "999999x"), click("#code-form button.primary"), visible("#code-wrong"))
	if got := browsertest.Text(t, ctx, "#code-wrong"); !strings.Contains(got, "Wrong code") {
		t.Errorf("a wrong code says %q", got)
	}
	browsertest.Do(t, ctx, keys("#code", code), click("#code-form button.primary"), visible("#setup-form"))
	if got := browsertest.Text(t, ctx, "h1"); !strings.Contains(got, "simple") {
		t.Errorf("the right code opened %q", got)
	}
	// The link is spent; its session opens this plugin's page only.
	browsertest.Do(t, ctx, chromedp.Navigate(link), visible("main h1"))
	if got := browsertest.Text(t, ctx, "main h1"); got != usedLinkTitle {
		t.Errorf("the spent link: %q", got)
	}
	// Commands show as code, not with literal backticks.
	if got := browsertest.Text(t, ctx, "main p"); strings.Contains(got, "`") || browsertest.Eval[int](t, ctx, `document.querySelectorAll('main p code').length`) == 0 {
		t.Errorf("the spent link's page says %q", got)
	}
}

// TestFreshFormShowsOptionalInChromium: a fresh setup form shows the
// optional settings beside what it needs, and what the user sets there is
// saved with the rest.
func TestFreshFormShowsOptionalInChromium(t *testing.T) {
	t.Parallel()
	src := strings.Replace(simplePlugin, `name: z.string().default('x')`, `name: z.string().default('x'), note: z.string().optional().label('Note')`, 1)
	h := newHarness(t, harnessOptions{files: []string{writePlugin(t, "simple", src)}})
	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(h.srv.Link("/setup/simple")), visible("#f-token"), visible("#f-note"))
	browsertest.Do(t, ctx, keys("#f-note", "hello"), keys("#f-token", goodToken), click("#setup-form button.primary"), visible("#result.ok"))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('#f-note').value`); got != "hello" {
		t.Errorf("the saved Note shows %q", got)
	}
}
