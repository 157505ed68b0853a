package plugin

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"

	"host/bindings/console"
	"host/bindings/secrets"
	"host/bindings/store"
	"host/jsrt"
	"host/schema"
)

type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) sink(e console.Entry) {
	l.mu.Lock()
	l.lines = append(l.lines, e.Plugin+" "+e.Level.String()+" "+e.Message)
	l.mu.Unlock()
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// newHost is a Host on a temp data dir with a real store file and the
// memory secret backend (unit tests; the CLI tests use the real keyring).
func newHost(t testing.TB) (*Host, *logs) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l := &logs{}
	return &Host{DataDir: dir, Secrets: secrets.NewMemory(), Store: db, Log: l.sink, WorkDir: dir}, l
}

func writePlugin(t testing.TB, h *Host, rel, src string) string {
	t.Helper()
	p := filepath.Join(h.WorkDir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// loadActive loads and activates the plugin at path with no config input.
func loadActive(t testing.TB, h *Host, path string) *Plugin {
	t.Helper()
	ctx := context.Background()
	p, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.Setup(ctx, Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultID(t *testing.T) {
	for path, want := range map[string]string{
		"/x/token-auth/plugin.ts": "token-auth",
		"/x/My-Plugin/index.ts":   "my-plugin",
		"/x/weather.ts":           "weather",
		"/x/y/github.plugin.js":   "github.plugin",
	} {
		if got := DefaultID(path); got != want {
			t.Errorf("DefaultID(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestDefinitionErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"no default export", `definePlugin({});`,
			"plugin.ts:1:14: invalid plugin definition: definePlugin(...) was called but its result is not the default export"},
		{"nothing", `export const x = 1;`,
			"plugin.ts: invalid plugin definition: the file has no default export; write `export default definePlugin({ ... })`"},
		{"not definePlugin", `export default { onActivate() {} };`,
			"the default export is not the result of definePlugin(...)"},
		{"not an object", `export default definePlugin(42 as any);`,
			"plugin.ts:1:29: TypeError: definePlugin expects an object like { configSchema, auth, onActivate }, got a number"},
		{"field not in schema", `export default definePlugin({
  configSchema: z.object({ token: z.string().secret() }),
  auth: { type: 'token', fields: [{ key: 'tokn', label: 'API Token' }] },
});`, `plugin.ts:1:29: invalid plugin definition: auth.fields[0].key "tokn" is not a field of configSchema (fields: token)`},
		{"no schema", `export default definePlugin({ auth: { type: 'token', fields: [{ key: 'token' }] } });`,
			`auth.fields[0].key "token" is not a field of configSchema (configSchema has no fields); add ` + "`token: z.string().secret()`"},
		{"unknown auth type", `export default definePlugin({ auth: { type: 'basic' } as any });`,
			`auth.type "basic" is not supported; use 'token' or 'oauth2'`},
		{"typo key", `export default definePlugin({ onActivated: async () => {} } as any);`,
			`unknown key "onActivated" (did you mean "onActivate"?)`},
		{"schema not zod", `export default definePlugin({ configSchema: { token: 'string' } as any });`,
			`configSchema must be a z.object({...}), got an object`},
		{"schema not object", `export default definePlugin({ configSchema: z.string() as any });`,
			`configSchema must be a z.object({...}), got z.string()`},
		{"onActivate not fn", `export default definePlugin({ onActivate: 'yes' as any });`,
			`onActivate must be a function, got a string`},
		{"bad id", `export default definePlugin({ id: 'Bad Id!' });`,
			`id "Bad Id!" must be 1-64 characters`},
		{"oauth without client", `export default definePlugin({ auth: { type: 'oauth2', authorizationUrl: 'https://a/x', tokenUrl: 'https://a/t' } });`,
			`auth.clientId is not set and configSchema has no clientId field`},
		{"oauth over http to another host", `export default definePlugin({ auth: { type: 'oauth2', clientId: 'c', authorizationUrl: 'http://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/token' } });`,
			`plugin.ts:1:29: invalid plugin definition: auth.authorizationUrl "http://auth.example.com/authorize" is http:// to another machine: the authorization code, the PKCE verifier and the tokens would travel unencrypted; use https://`},
		{"oauth token and device URLs over http", `export default definePlugin({ auth: { type: 'oauth2', clientId: 'c', authorizationUrl: 'https://a.example/x', tokenUrl: 'HTTP://10.0.0.7/token', deviceAuthorizationUrl: 'http://a.example/device' } });`,
			`auth.tokenUrl "HTTP://10.0.0.7/token" is http:// to another machine`},
		{"oauth device URL over http", `export default definePlugin({ auth: { type: 'oauth2', clientId: 'c', authorizationUrl: 'https://a.example/x', tokenUrl: 'https://a.example/t', deviceAuthorizationUrl: 'http://a.example/device' } });`,
			`auth.deviceAuthorizationUrl "http://a.example/device" is http:// to another machine`},
		{"oauth URL not http", `export default definePlugin({ auth: { type: 'oauth2', clientId: 'c', authorizationUrl: 'ftp://a.example/x', tokenUrl: 'https://a.example/t' } });`,
			`auth.authorizationUrl must be an http(s) URL, got "ftp://a.example/x"`},
		{"bad loop", `export default definePlugin({ loop: { every: 'often', run() {} } });`,
			`loop.every: "often" is not a duration`},
		{"throw at load", "const x = 1;\nthrow new Error('load failed');\nexport default definePlugin({});",
			"plugin.ts:2:7: load failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newHost(t)
			path := writePlugin(t, h, "plugin.ts", tt.src)
			p, err := Load(context.Background(), h, path)
			if err == nil {
				p.Close()
				t.Fatal("loaded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n  %s\nwant it to contain:\n  %s", err, tt.want)
			}
		})
	}
}

func TestLoadReadsDefinition(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "weather/plugin.ts", `import { definePlugin, z } from 'host:plugin';
export default definePlugin({
  name: 'Weather', version: '1.2.3',
  configSchema: z.object({
    token: z.string().secret().label('API Token').section('Authentication'),
    city: z.string().default('Berlin').describe('City to watch'),
  }),
  auth: { type: 'token', fields: [{ key: 'token', label: 'Weather Token', helpUrl: 'https://w.example/t', helpText: 'Make one' }] },
});`)
	p, err := Load(context.Background(), h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.ID != "weather" || p.Name != "Weather" || p.Version != "1.2.3" || p.File != "weather/plugin.ts" {
		t.Errorf("got id %q name %q version %q file %q", p.ID, p.Name, p.Version, p.File)
	}
	s, err := p.Setup(context.Background(), Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	miss := s.Missing()
	if len(miss) != 1 || miss[0].Key != "token" || miss[0].Label != "Weather Token" || miss[0].HelpURL != "https://w.example/t" ||
		miss[0].HelpText != "Make one" || !miss[0].Secret || miss[0].Section != "Authentication" {
		t.Fatalf("missing = %+v", miss)
	}
	if f, _ := s.Field("city"); f.Source != FromDefault || f.Value != "Berlin" || f.HelpText != "City to watch" {
		t.Errorf("city = %+v", f)
	}
}

func TestSetupSourcesAndSave(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "svc/plugin.ts", `export default definePlugin({
  configSchema: z.object({
    token: z.string().secret(),
    port: z.number().int(),
    verbose: z.boolean().default(false),
    mode: z.enum(['a', 'b']).optional(),
  }),
  onActivate: async (ctx) => {
    if (typeof ctx.config.port !== 'number') throw new Error('port is ' + typeof ctx.config.port);
    if (Object.isFrozen(ctx.config) !== true) throw new Error('config not frozen');
  },
});`)
	env := map[string]string{"HOST_CONFIG_TOKEN": "fake-env-token", "HOST_CONFIG_PORT": "99"}
	in := Inputs{Set: map[string]string{"port": "8080"}, LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	ctx := context.Background()
	p, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.Setup(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := s.Field("token")
	port, _ := s.Field("port")
	if tok.Source != FromEnv || port.Source != FromFlag || port.Value != int64(8080) && port.Value != float64(8080) {
		t.Fatalf("token %+v port %+v", tok, port)
	}
	if err := p.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Deactivate(ctx); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p.ConfigPath())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(string(data)), ""); got != `{"port":8080}` {
		t.Errorf("config.json = %s", data)
	}
	if fi, _ := os.Stat(p.ConfigPath()); fi.Mode().Perm() != 0o600 {
		t.Errorf("config.json mode %v", fi.Mode().Perm())
	}
	sc, _ := secrets.NewScoped(h.Secrets, "svc")
	if v, err := sc.GetConfig(ctx, "token"); err != nil || v != "fake-env-token" {
		t.Errorf("secret = %q, %v", v, err)
	}

	// Reload with nothing supplied: everything comes from what was saved.
	p2, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	s2, err := p2.Setup(ctx, Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.Missing()) != 0 {
		t.Fatalf("missing after save: %v", s2.Missing())
	}
	for _, f := range s2.Fields {
		if f.Key == "token" || f.Key == "port" {
			if f.Source != FromSaved {
				t.Errorf("%s from %q, want saved", f.Key, f.Source)
			}
		}
	}

	// Bad input is an InputError naming the field and where it came from.
	_, err = p2.Setup(ctx, Inputs{Set: map[string]string{"port": "eighty", "nope": "1"}})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "the value given for port: port:") || len(ie.Fields) != 2 || ie.Fields[0].From != FromFlag || !strings.Contains(err.Error(), `no config field "nope"`) {
		t.Errorf("bad input: %v", err)
	}
}

func TestActivateValidatesAndReportsPosition(t *testing.T) {
	h, l := newHost(t)
	path := writePlugin(t, h, "v/plugin.ts", `export default definePlugin({
  configSchema: z.object({ url: z.string().url() }),
  onActivate: async (ctx) => {
    console.log('starting', { id: ctx.id });
    await new Promise((r) => setTimeout(r, 5));
    throw new Error('refused ' + ctx.config.url);
  },
});`)
	ctx := context.Background()
	p, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s, _ := p.Setup(ctx, Inputs{Set: map[string]string{"url": "not a url"}})
	err = p.Activate(ctx, s)
	var ve *schema.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "url: Invalid url") {
		t.Fatalf("err = %v, want a validation error", err)
	}
	_ = s.Supply("url", "https://example.com")
	err = p.Activate(ctx, s)
	var ae *ActivateError
	je, _ := jsrt.AsJSError(err)
	if !errors.As(err, &ae) || je == nil || je.Position() != "v/plugin.ts:6:11" || je.Message != "refused https://example.com" {
		t.Fatalf("err = %v, want refused at v/plugin.ts:6:11", err)
	}
	if got := l.String(); got != "v info starting { id: 'v' }" {
		t.Errorf("log = %q", got)
	}
}

// ctx.signal is made on first read (its AbortController is the runtime's
// first use of abort's JS): a plugin that never reads it never makes it,
// and one that reads it only after deactivation finds it aborted, as it
// would have been had it been made at activation.
func TestSignalMadeOnFirstRead(t *testing.T) {
	h, l := newHost(t)
	path := writePlugin(t, h, "s/plugin.ts", `export default definePlugin({
  onActivate: async (ctx) => {
    const d = Object.getOwnPropertyDescriptor(ctx, 'signal');
    console.log('keys', Object.keys(ctx).includes('signal'), d.enumerable);
  },
  onDeactivate: async (ctx) => {
    console.log('late', ctx.signal instanceof AbortSignal, ctx.signal.aborted, ctx.signal.reason.name, ctx.signal.reason.message);
    const d = Object.getOwnPropertyDescriptor(ctx, 'signal');
    console.log('read', 'value' in d, d.writable, d.enumerable, d.configurable, ctx.signal === ctx.signal);
  },
});`)
	ctx := context.Background()
	p := loadActive(t, h, path)
	var made bool
	if err := p.Runtime().Do(ctx, func(*goja.Runtime) error { made = p.controller != nil; return nil }); err != nil {
		t.Fatal(err)
	}
	if made {
		t.Error("ctx.signal was made though the plugin never read it")
	}
	if err := p.Deactivate(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := l.String(), "s info keys true true\ns info late true true AbortError plugin deactivated\ns info read true false true false true"; got != want {
		t.Errorf("log = %q, want %q", got, want)
	}
}

func TestDeactivateStopsEverything(t *testing.T) {
	h, l := newHost(t)
	path := writePlugin(t, h, "d/plugin.ts", `let ticks = 0;
export default definePlugin({
  onActivate: async (ctx) => {
    setInterval(() => { ticks++; }, 1);
    ctx.signal.addEventListener('abort', () => console.log('aborted', ctx.signal.reason.name));
    await ctx.store.set('k', { n: 1 });
    await new Promise((r) => setTimeout(r, 5)); // the 1 ms interval has ticked by then
  },
  onDeactivate: async (ctx) => {
    console.log('bye', (await ctx.store.get('k')).n, ticks > 0);
  },
});`)
	ctx := context.Background()
	p := loadActive(t, h, path)
	if err := p.Deactivate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := l.String(); got != "d info aborted AbortError\nd info bye 1 true" {
		t.Errorf("log = %q", got)
	}
	if err := p.Runtime().Do(ctx, func(*goja.Runtime) error { return nil }); !errors.Is(err, jsrt.ErrClosed) {
		t.Errorf("runtime still open after Deactivate: %v", err)
	}
}
