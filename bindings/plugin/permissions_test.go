package plugin

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"host/bindings/fetch"
)

// TestNetworkPermissions runs a plugin that declares network:allowed.test
// against real loopback servers: allowed.test answers (and redirects to
// evil.test, also by IP address); evil.test counts every request that
// reaches it. The undeclared host is refused directly, on a redirect hop
// and by IP literal, and evil.test never sees a request.
func TestNetworkPermissions(t *testing.T) {
	var evilHits atomic.Int64
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evilHits.Add(1)
		_, _ = w.Write([]byte(`"stolen"`))
	}))
	defer evil.Close()
	_, evilPort, _ := net.SplitHostPort(evil.Listener.Addr().String())
	allowed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-evil":
			http.Redirect(w, r, "http://evil.test:"+evilPort+"/loot", http.StatusFound)
		case "/to-ip":
			http.Redirect(w, r, "http://127.0.0.1:"+evilPort+"/loot", http.StatusFound)
		case "/to-self":
			http.Redirect(w, r, "/ok", http.StatusFound)
		default:
			_, _ = w.Write([]byte(`"fine"`))
		}
	}))
	defer allowed.Close()
	_, allowedPort, _ := net.SplitHostPort(allowed.Listener.Addr().String())

	h, _ := newHost(t)
	h.HTTP = fetch.NewClient(fetch.ClientOptions{ConnectTo: []fetch.ConnectTo{
		{Host: "allowed.test", Port: allowedPort, ToHost: "127.0.0.1", ToPort: allowedPort},
		{Host: "evil.test", Port: evilPort, ToHost: "127.0.0.1", ToPort: evilPort},
	}})
	p := loadActive(t, h, writePlugin(t, h, "net/plugin.ts", `export default definePlugin({
  permissions: ['network:allowed.test'],
  tools: [{ name: 'get', description: '', parameters: z.object({ url: z.string(), redirect: z.string().optional() }),
    execute: async ({ url, redirect }, ctx) => {
      if (url.startsWith('ws:')) {
        return { content: await new Promise((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('error');
        }) };
      }
      try {
        const res = await ctx.http.fetch(url, { redirect: (redirect || 'follow') as RequestRedirect });
        return { content: res.status + ' ' + (await res.text()) };
      } catch (e) { return { content: e.name + ' ' + (e.code ?? '') + ': ' + e.message, isError: true }; }
    } }],
});`))
	defer p.Deactivate(context.Background())
	get := func(url, redirect string) (string, bool) {
		in, _ := json.Marshal(map[string]string{"url": url, "redirect": redirect})
		r, err := p.CallTool(context.Background(), "get", in)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		return r.Text(), r.IsError
	}
	base := "http://allowed.test:" + allowedPort
	if got, isErr := get(base+"/to-self", ""); isErr || got != `200 "fine"` {
		t.Errorf("declared host with a redirect to itself = %q", got)
	}
	for _, tt := range []struct{ url, redirect, need string }{
		{"http://evil.test:" + evilPort + "/loot", "", "network:evil.test"},
		{base + "/to-evil", "", "network:evil.test"},
		{base + "/to-ip", "", "network:127.0.0.1"},
		{"http://127.0.0.1:" + evilPort + "/loot", "", "network:127.0.0.1"},
		{"http://[::1]:" + evilPort + "/loot", "", "network:[::1]"},
		{"http://ALLOWED.test.evil.test:" + evilPort + "/", "", "network:allowed.test.evil.test"},
	} {
		got, isErr := get(tt.url, tt.redirect)
		if !isErr || !strings.Contains(got, "permission denied") || !strings.Contains(got, `add "`+tt.need+`" to permissions`) {
			t.Errorf("%s: %q, want a refusal naming %s", tt.url, got, tt.need)
		}
	}
	// WebSocket goes through the same check.
	if got, _ := get("ws://evil.test:"+evilPort+"/socket", ""); got != "error" {
		t.Errorf("WebSocket to an undeclared host = %q", got)
	}
	// redirect: 'manual' hands the 302 back without following it.
	if got, isErr := get(base+"/to-evil", "manual"); isErr || !strings.HasPrefix(got, "302") {
		t.Errorf("manual redirect = %q", got)
	}
	if n := evilHits.Load(); n != 0 {
		t.Errorf("the undeclared server got %d request(s)", n)
	}
}

// TestPermissionChecks: a declared category is enforced, an undeclared
// one allowed (the SDK's meaning) unless the data dir's permissions.json
// turns on strict mode; odd permissions are warnings, not refusals.
func TestPermissionChecks(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	h, _ := newHost(t)
	ctx := context.Background()
	src := `export default definePlugin({
  permissions: ['secrets:read', 'filesystem:read'],
  tools: [{ name: 'try', description: '', parameters: z.object({}), execute: async (_p, ctx) => {
    const out = [];
    for (const [name, f] of [
      ['get', () => ctx.secrets.get('a')],
      ['set', () => ctx.secrets.set('a', 'b')],
      ['write', () => ctx.dataDir.writeFile('x', 'y')],
      ['exists', () => ctx.dataDir.exists('x')],
      ['schedule', () => ctx.schedule({ id: 'x', intervalSeconds: 1, handler: async () => {} })],
      ['fetch', () => ctx.http.fetch('` + srv.URL + `/')],
    ]) {
      try { await f(); out.push(name + ': ok'); } catch (e) { out.push(name + ': ' + e.code + ' ' + e.message); }
    }
    return { content: out.join('\n') };
  } }],
});`
	p := loadActive(t, h, writePlugin(t, h, "gated/plugin.ts", src))
	r, err := p.CallTool(ctx, "try", nil)
	p.Deactivate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"get: ok",
		`set: ERR_PERMISSION permission denied: ctx.secrets.set is not in the permissions of plugin gated; add "secrets:write"`,
		`write: ERR_PERMISSION permission denied: ctx.dataDir.writeFile is not in the permissions of plugin gated; add "filesystem:write"`,
		"exists: ok",
		"schedule: ok", // loop: not declared, so allowed
		"fetch: ok",    // network: not declared, so allowed
	} {
		if !strings.Contains(r.Text(), want) {
			t.Errorf("lacks %q:\n%s", want, r.Text())
		}
	}
	if hits.Load() != 1 {
		t.Errorf("the server got %d requests, want 1", hits.Load())
	}
	if got, want := strings.Join(p.Permissions().Summary(), "; "), "network: any host (not declared); secrets: read; loop: background work allowed (not declared); files: its data directory, read only"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}

	// Strict mode for this plugin: the undeclared categories are denied.
	if err := os.WriteFile(filepath.Join(h.DataDir, StrictFile), []byte(`{"strictPlugins": ["gated"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	p = loadActive(t, h, writePlugin(t, h, "gated/plugin.ts", src))
	r, err = p.CallTool(ctx, "try", nil)
	p.Deactivate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"get: ok",
		`set: ERR_PERMISSION permission denied: ctx.secrets.set is not in the permissions of plugin gated; add "secrets:write"`,
		`schedule: ERR_PERMISSION permission denied: ctx.schedule (background work) is not in the permissions of plugin gated, and strict mode denies what a plugin does not declare; add "loop:background" to its permissions`,
		`fetch: ERR_FETCH_FAILED fetch failed: permission denied: a request to http://127.0.0.1:`,
	} {
		if !strings.Contains(r.Text(), want) {
			t.Errorf("strict: lacks %q:\n%s", want, r.Text())
		}
	}
	if hits.Load() != 1 {
		t.Errorf("strict: the server got %d requests, want 1", hits.Load())
	}
	if got := strings.Join(p.Permissions().Summary(), "; "); !strings.Contains(got, "network: none (not declared; strict mode)") {
		t.Errorf("strict Summary = %q", got)
	}
	// ...and another plugin of the data dir is not strict.
	free := loadActive(t, h, writePlugin(t, h, "free/plugin.ts", `export default definePlugin({});`))
	free.Deactivate(ctx)
	if ps := free.Permissions(); ps.Declared || ps.Strict || !ps.Allows("secrets:write") {
		t.Errorf("a plugin that declares nothing and is not listed is restricted: %+v", ps)
	}
	// Strict for the whole data dir, and a loop it does not declare.
	if err := os.WriteFile(filepath.Join(h.DataDir, StrictFile), []byte(`{"strict": true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(ctx, h, writePlugin(t, h, "looper/plugin.ts", `export default definePlugin({ loop: async (ctx) => {} });`))
	if err == nil || !strings.Contains(err.Error(), `the plugin has a loop, and strict mode denies what a plugin does not declare; add "loop:background"`) {
		t.Errorf("strict loop: %v", err)
	}
	if err := os.WriteFile(filepath.Join(h.DataDir, StrictFile), []byte(`{"strict": "yes"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(ctx, h, writePlugin(t, h, "free/plugin.ts", `export default definePlugin({});`))
	if err == nil || !strings.Contains(err.Error(), `permissions.json is not {"strict": true} or {"strictPlugins": ["plugin-id", ...]}`) {
		t.Errorf("a bad permissions.json: %v", err)
	}
	if err := os.Remove(filepath.Join(h.DataDir, StrictFile)); err != nil {
		t.Fatal(err)
	}

	// A declared loop category without loop:background is a load error;
	// odd permissions are warnings with their position.
	_, err = Load(ctx, h, writePlugin(t, h, "bad/plugin.ts", `export default definePlugin({ permissions: ['loop:foreground'], loop: async (ctx) => {} });`))
	if err == nil || !strings.Contains(err.Error(), `the plugin has a loop but its permissions do not include "loop:background"`) {
		t.Errorf("loop:foreground: %v", err)
	}
	for src, want := range map[string]string{
		`permissions: ['secret:read']`:             `bad/plugin.ts:1:29: permissions[0]: "secret:read" is not a known permission and is ignored`,
		`permissions: ['network:https://x.test/']`: `bad/plugin.ts:1:29: permissions[0]: "network:https://x.test/" is read as "network:x.test"; write network:HOST`,
	} {
		p, err := Load(ctx, h, writePlugin(t, h, "bad/plugin.ts", "export default definePlugin({ "+src+" });"))
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		p.Close()
		var ws []string
		for _, w := range p.Warnings {
			ws = append(ws, w.String())
		}
		if !slices.ContainsFunc(ws, func(w string) bool { return strings.HasPrefix(w, want) }) {
			t.Errorf("%s: warnings %q, want %q", src, ws, want)
		}
	}
	p, err = Load(ctx, h, writePlugin(t, h, "bad/plugin.ts", "export default definePlugin({ permissions: ['network:https://x.test/', 'filesystem:~/.config/x'] });"))
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if ps := p.Permissions(); !ps.Allows("filesystem:write") || !ps.allowsURL("https", "x.test", "443") || ps.allowsURL("https", "y.test", "443") {
		t.Errorf("filesystem:<path> and a network URL: %+v", ps)
	}
}

// TestFetchAtLoadWaitsForPermissions: a request made by top-level code,
// before definePlugin's permissions are read, is checked against them too.
func TestFetchAtLoadWaitsForPermissions(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	h, l := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "early/plugin.ts", `
const early = fetch('`+srv.URL+`/early').then(() => 'reached', (e) => e.message);
export default definePlugin({
  permissions: ['network:api.example.com'],
  tools: [{ name: 'early', description: '', parameters: z.object({}), execute: async () => ({ content: await early }) }],
});`))
	defer p.Deactivate(context.Background())
	r, err := p.CallTool(context.Background(), "early", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text(), "permission denied") || hits.Load() != 0 {
		t.Errorf("early fetch = %q (server hits %d)\n%s", r.Text(), hits.Load(), l)
	}
}

// TestOAuthOriginsExact: a plugin's OAuth URLs are allowed by exactly
// their scheme, host and port. An authorizationUrl on 127.0.0.1:1 does not
// open the other ports of 127.0.0.1 (issue 25 item 7), and the origins are
// shown with the permissions.
func TestOAuthOriginsExact(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	h, _ := newHost(t)
	ctx := context.Background()
	p := loadActive(t, h, writePlugin(t, h, "oauthy/plugin.ts", `export default definePlugin({
  permissions: ['network:api.github.com'],
  auth: { type: 'oauth2', clientId: 'fake-client', authorizationUrl: 'http://127.0.0.1:1/authorize', tokenUrl: 'https://127.0.0.1/token' },
  tools: [{ name: 'get', description: '', parameters: z.object({ url: z.string() }), execute: async ({ url }, ctx) => {
    try { const r = await ctx.http.fetch(url); return { content: 'reached ' + r.status }; }
    catch (e) { return { content: e.message, isError: true }; }
  } }],
});`))
	defer p.Deactivate(ctx)
	for _, u := range []string{srv.URL + "/", "https://" + strings.TrimPrefix(srv.URL, "http://") + "/", "http://127.0.0.1/"} {
		in, _ := json.Marshal(map[string]string{"url": u})
		r, err := p.CallTool(ctx, "get", in)
		if err != nil {
			t.Fatal(err)
		}
		if !r.IsError || !strings.Contains(r.Text(), `add "network:127.0.0.1" to permissions`) {
			t.Errorf("%s: %q, want a refusal", u, r.Text())
		}
	}
	if hits.Load() != 0 {
		t.Errorf("another local port got %d requests", hits.Load())
	}
	ps := p.Permissions()
	if !ps.allowsURL("http", "127.0.0.1", "1") || !ps.allowsURL("HTTPS", "127.0.0.1", "443") || ps.allowsURL("https", "127.0.0.1", "1") || ps.allowsURL("http", "127.0.0.1", "443") {
		t.Errorf("the OAuth origins are not exact: %+v", ps)
	}
	if got, want := strings.Join(ps.Summary(), "; "), "network: api.github.com; secrets: read and write (not declared); loop: background work allowed (not declared); files: its data directory, read and write (not declared); OAuth: http://127.0.0.1:1, https://127.0.0.1:443"; got != want {
		t.Errorf("Summary = %q\nwant      %q", got, want)
	}
}
