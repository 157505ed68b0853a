package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
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

func TestPermissionChecks(t *testing.T) {
	h, _ := newHost(t)
	ctx := context.Background()
	// Declared permissions gate secrets, the loop and the data dir.
	p := loadActive(t, h, writePlugin(t, h, "gated/plugin.ts", `export default definePlugin({
  permissions: ['secrets:read', 'filesystem:read'],
  tools: [{ name: 'try', description: '', parameters: z.object({}), execute: async (_p, ctx) => {
    const out = [];
    for (const [name, f] of [
      ['get', () => ctx.secrets.get('a')],
      ['set', () => ctx.secrets.set('a', 'b')],
      ['write', () => ctx.dataDir.writeFile('x', 'y')],
      ['exists', () => ctx.dataDir.exists('x')],
      ['schedule', () => ctx.schedule({ id: 'x', intervalSeconds: 1, handler: async () => {} })],
    ]) {
      try { await f(); out.push(name + ': ok'); } catch (e) { out.push(name + ': ' + e.code + ' ' + e.message); }
    }
    return { content: out.join('\n') };
  } }],
});`))
	defer p.Deactivate(ctx)
	r, err := p.CallTool(ctx, "try", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"get: ok",
		`set: ERR_PERMISSION permission denied: ctx.secrets.set is not in the permissions of plugin gated; add "secrets:write"`,
		`write: ERR_PERMISSION permission denied: ctx.dataDir.writeFile is not in the permissions of plugin gated; add "filesystem:write"`,
		"exists: ok",
		`schedule: ERR_PERMISSION permission denied: ctx.schedule (background work) is not in the permissions of plugin gated; add "loop:background"`,
	} {
		if !strings.Contains(r.Text(), want) {
			t.Errorf("lacks %q:\n%s", want, r.Text())
		}
	}
	if ps := p.Permissions(); !ps.Declared || len(ps.List) != 2 {
		t.Errorf("Permissions = %+v", ps)
	}

	// A loop without loop:background, and a misspelt permission, are load errors.
	for src, want := range map[string]string{
		`permissions: ['network:x.test'], loop: async (ctx) => {}`: `the plugin has a loop but its permissions do not include "loop:background"`,
		`permissions: ['secret:read']`:                             `permissions[0]: "secret:read" is not a known permission`,
		`permissions: ['network:https://x.test/']`:                 `write network:HOST, e.g. network:api.github.com`,
	} {
		_, err := Load(ctx, h, writePlugin(t, h, "bad/plugin.ts", "export default definePlugin({ "+src+" });"))
		var de *DefinitionError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", src, err, want)
		}
	}

	// Nothing declared: unrestricted.
	p2 := loadActive(t, h, writePlugin(t, h, "free/plugin.ts", `export default definePlugin({});`))
	defer p2.Deactivate(ctx)
	if p2.Permissions().Declared || !p2.Permissions().Allows("secrets:write") {
		t.Errorf("a plugin that declares nothing is restricted: %+v", p2.Permissions())
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
