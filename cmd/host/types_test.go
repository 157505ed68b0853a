package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"host/bindings/console"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/bindings/store"
	"host/bindings/types"
	"host/internal/hosttest"
)

// The command line the issue promises works for every plugin.
var tscArgs = []string{"--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler"}

// findTSC is TypeScript's compiler: $TSC (may hold arguments, e.g.
// "npx tsc"), else tsc on PATH, else node_modules/.bin/tsc in the
// repository. Without one the test is skipped, except under CI=true.
func findTSC(t *testing.T) []string {
	t.Helper()
	if v := strings.Fields(os.Getenv("TSC")); len(v) > 0 {
		return v
	}
	if p, err := exec.LookPath("tsc"); err == nil {
		return []string{p}
	}
	if p, err := filepath.Abs("../../node_modules/.bin/tsc"); err == nil {
		if _, err := os.Stat(p); err == nil {
			return []string{p}
		}
	}
	hosttest.Require(t, "no TypeScript compiler: set $TSC, or run `npm install -g typescript@7`")
	return nil
}

// tsc runs the compiler in dir and returns its output and whether it
// passed.
func tsc(t *testing.T, cmd []string, dir string, args ...string) (string, bool) {
	t.Helper()
	c := exec.Command(cmd[0], append(cmd[1:len(cmd):len(cmd)], args...)...)
	c.Dir = dir
	out, err := c.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("running %s: %v", strings.Join(cmd, " "), err)
		}
	}
	return string(out), err == nil
}

// putFile writes text to path, creating its directory.
func putFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyPlugin copies a plugin directory (without node_modules) to dst.
func copyPlugin(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(src, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		putFile(t, filepath.Join(dst, rel), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// examplePlugins are the plugin directories under plugins/ (the documents'
// plugins, unchanged) and testdata/plugins/ (the CLI tests' plugins), each
// with its entry file.
func examplePlugins(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, root := range []string{"plugins", "testdata/plugins"} {
		dirs, err := filepath.Glob(filepath.Join("../..", root, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dirs {
			if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
				continue
			}
			for _, entry := range []string{"plugin.ts", "index.ts", "src/index.ts"} {
				if _, err := os.Stat(filepath.Join(d, entry)); err == nil {
					out[filepath.Join(root, filepath.Base(d))] = entry
					break
				}
			}
		}
	}
	if len(out) == 0 || out[filepath.Join("plugins", "token-auth")] == "" {
		t.Fatalf("found no plugins under plugins/ (got %v)", out)
	}
	return out
}

// starterDir runs `host init` into a new directory and returns it.
func starterDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "starter")
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"init", dir}, &IO{Out: &out, Err: &errb}); code != ExitOK {
		t.Fatalf("host init: exit %d: %s", code, errb.String())
	}
	return dir
}

// TestTypesCheckPlugins runs the tsc command on every example
// plugin with the DOM-compatible host.d.ts (the default `host types`), and
// with the standalone one (`host types --no-dom`) under --lib es2022.
func TestTypesCheckPlugins(t *testing.T) {
	t.Parallel()
	cmd := findTSC(t)
	if out, ok := tsc(t, cmd, t.TempDir(), "--version"); ok {
		t.Logf("tsc: %s", strings.TrimSpace(out))
	}
	forms := []struct {
		name  string
		dom   bool
		extra []string
	}{
		{"dom", true, nil},
		{"no-dom", false, []string{"--lib", "es2022"}},
	}
	for name, entry := range examplePlugins(t) {
		for _, f := range forms {
			t.Run(f.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				rel := filepath.Join("plugins", filepath.Base(name))
				copyPlugin(t, filepath.Join("../..", name), filepath.Join(dir, rel))
				putFile(t, filepath.Join(dir, "host.d.ts"), types.Declarations(f.dom))
				args := append(append(append([]string{}, tscArgs...), f.extra...), "host.d.ts", filepath.Join(rel, entry))
				if out, ok := tsc(t, cmd, dir, args...); !ok {
					t.Errorf("tsc %s failed:\n%s", strings.Join(args, " "), out)
				}
			})
		}
	}
}

// TestTypesStarter checks the plugin `host init` writes, with the issue's
// command line, with its own tsconfig.json, and in the standalone form.
func TestTypesStarter(t *testing.T) {
	t.Parallel()
	cmd := findTSC(t)
	t.Run("command line", func(t *testing.T) {
		t.Parallel()
		dir := starterDir(t)
		_ = os.Remove(filepath.Join(dir, "tsconfig.json")) // tsc refuses files on the command line next to one
		args := append(append([]string{}, tscArgs...), "host.d.ts", "plugin.ts")
		if out, ok := tsc(t, cmd, dir, args...); !ok {
			t.Errorf("tsc %s failed:\n%s", strings.Join(args, " "), out)
		}
	})
	t.Run("tsconfig", func(t *testing.T) {
		t.Parallel()
		dir := starterDir(t)
		if out, ok := tsc(t, cmd, dir, "-p", "."); !ok {
			t.Errorf("tsc -p . failed:\n%s", out)
		}
	})
	t.Run("no-dom", func(t *testing.T) {
		t.Parallel()
		dir := starterDir(t)
		_ = os.Remove(filepath.Join(dir, "tsconfig.json"))
		putFile(t, filepath.Join(dir, "host.d.ts"), types.Declarations(false))
		args := append(append([]string{}, tscArgs...), "--lib", "es2022", "host.d.ts", "plugin.ts")
		if out, ok := tsc(t, cmd, dir, args...); !ok {
			t.Errorf("tsc %s failed:\n%s", strings.Join(args, " "), out)
		}
	})
}

// apiPlugin uses most of the declared API, through the "host:plugin"
// module; it must type-check in both forms.
const apiPlugin = `import host, { definePlugin, z, fetch, type PluginContext } from "host:plugin";

const schema = z.object({
  clientId: z.string().label('Client ID'),
  region: z.enum(['eu', 'us']).default('eu'),
  verbose: z.boolean().optional(),
});
type Config = z.infer<typeof schema>;

async function call(ctx: PluginContext<Config>): Promise<unknown> {
  const res = await fetch('https://' + ctx.config.region + '.example.com/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ a: 1 }),
  });
  return res.ok ? res.json() : res.status;
}

export async function webPlatform(url: string): Promise<string[]> {
  const bus = new EventTarget();
  bus.addEventListener('msg', (e) => console.log((e as CustomEvent<number>).detail), { once: true });
  bus.dispatchEvent(new CustomEvent('msg', { detail: 1 }));
  const res = await fetch(url);
  const lines: string[] = [];
  for await (const text of res.body!.pipeThrough(new TextDecoderStream())) lines.push(text);
  const upload = new ReadableStream<Uint8Array>({ pull(c) { c.enqueue(new TextEncoder().encode('x')); c.close(); } });
  await fetch(url, { method: 'POST', body: upload, duplex: 'half' });
  const w = new WritableStream<string>({ write(chunk) { lines.push(chunk); } }).getWriter();
  await w.write('y');
  const ws = new WebSocket('wss://example.com/live', ['v1']);
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (e) => lines.push(typeof e.data === 'string' ? e.data : String((e.data as ArrayBuffer).byteLength));
  ws.addEventListener('close', (e) => lines.push(String(e.code)));
  ws.send(new Uint8Array(1));
  return lines;
}

export default definePlugin({
  id: 'typed',
  name: 'Typed',
  version: '1.0.0',
  configSchema: schema,
  auth: {
    type: 'oauth2',
    authorizationUrl: 'https://example.com/auth',
    tokenUrl: 'https://example.com/token',
    scopes: ['read'],
    deviceAuthorizationUrl: 'https://example.com/device',
    redirectPort: 8765,
  },
  async onActivate(ctx) {
    const region: 'eu' | 'us' = ctx.config.region;
    ctx.log.debug(region, ctx.config.verbose ?? false);
    ctx.signal.addEventListener('abort', () => ctx.log.info('bye'));
  },
  onDeactivate: (ctx) => ctx.log.info(ctx.id),
  tools: {
    list: {
      description: 'List',
      input: z.object({ limit: z.number().int().positive().default(10), tags: z.array(z.string()).optional() }),
      run: async ({ limit, tags }, ctx) => ({ next: limit + 1, tags: tags ?? [], keys: await ctx.store.keys() }),
    },
    call: { description: 'Call', run: (_input, ctx) => call(ctx) },
  },
  loop: {
    every: 60_000,
    async run(ctx) {
      if (await ctx.secrets.has('old')) await ctx.secrets.delete('old');
      const t = await refreshOAuthToken('fake-refresh-token');
      await ctx.secrets.set('oauth_access_token', t.access_token);
      await ctx.store.set('token_expiry', Date.now() + t.expires_in * 1000);
      setTimeout(() => ctx.log.warn(t.token_type), 10);
    },
  },
});

export const same: typeof definePlugin = host.definePlugin;
`

// TestTypesAcceptAPI type-checks apiPlugin in both forms.
func TestTypesAcceptAPI(t *testing.T) {
	t.Parallel()
	cmd := findTSC(t)
	for _, dom := range []bool{true, false} {
		t.Run(map[bool]string{true: "dom", false: "no-dom"}[dom], func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			putFile(t, filepath.Join(dir, "host.d.ts"), types.Declarations(dom))
			putFile(t, filepath.Join(dir, "plugins", "typed", "plugin.ts"), apiPlugin)
			args := append([]string{}, tscArgs...)
			if !dom {
				args = append(args, "--lib", "es2022")
			}
			args = append(args, "host.d.ts", filepath.Join("plugins", "typed", "plugin.ts"))
			if out, ok := tsc(t, cmd, dir, args...); !ok {
				t.Errorf("tsc %s failed:\n%s", strings.Join(args, " "), out)
			}
		})
	}
}

// TestTypesCatchMistakes proves the check bites: each plugin has one
// mistake the declarations must turn into a tsc error.
func TestTypesCatchMistakes(t *testing.T) {
	t.Parallel()
	cmd := findTSC(t)
	tests := []struct {
		name, src, want string
	}{
		{
			name: "config field not in the schema",
			src: `export default definePlugin({
  configSchema: z.object({ token: z.string().secret() }),
  onActivate: async (ctx) => { ctx.log.info(ctx.config.nope); },
});`,
			want: "Property 'nope' does not exist",
		},
		{
			name: "config field of the wrong type",
			src: `export default definePlugin({
  configSchema: z.object({ token: z.string().secret(), retries: z.number().default(3) }),
  loop: { every: '30s', run: async (ctx) => { const n: number = ctx.config.token; ctx.log.info(n + ctx.config.retries); } },
});`,
			want: "Type 'string' is not assignable to type 'number'",
		},
		{
			name: "tool input field not in its schema",
			src: `export default definePlugin({
  tools: {
    echo: { description: 'Echo', input: z.object({ message: z.string() }), run: async (input) => input.mesage },
  },
});`,
			want: "Property 'mesage' does not exist",
		},
		{
			name: "auth field not in the config schema",
			src: `export default definePlugin({
  configSchema: z.object({ token: z.string().secret() }),
  auth: { type: 'token', fields: [{ key: 'api_key', label: 'API key' }] },
});`,
			want: `Type '"api_key"' is not assignable to type '"token"'`,
		},
		{
			name: "secrets are strings",
			src: `async function f(ctx: PluginContext): Promise<number> {
  const n: number | undefined = await ctx.secrets.get('count');
  return n ?? 0;
}
export default definePlugin({ onActivate: async (ctx) => { await f(ctx); } });`,
			want: "is not assignable to type 'number | undefined'",
		},
		{
			name: "unknown auth type",
			src:  `export default definePlugin({ auth: { type: 'basic' } });`,
			want: `Type '"basic"' is not assignable to type`,
		},
		{
			name: "bad loop interval",
			src:  `export default definePlugin({ loop: { every: '30 sec', run: async () => {} } });`,
			want: "is not assignable to type 'PluginInterval'",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			putFile(t, filepath.Join(dir, "host.d.ts"), types.Declarations(true))
			putFile(t, filepath.Join(dir, "plugins", "bad", "plugin.ts"), tt.src+"\n")
			args := append(append([]string{}, tscArgs...), "host.d.ts", filepath.Join("plugins", "bad", "plugin.ts"))
			out, ok := tsc(t, cmd, dir, args...)
			if ok {
				t.Fatalf("tsc accepted the plugin; want an error containing %q", tt.want)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("tsc output does not contain %q:\n%s", tt.want, out)
			}
			if strings.Contains(out, "host.d.ts(") {
				t.Errorf("tsc found errors in host.d.ts itself:\n%s", out)
			}
		})
	}
}

// TestTypesCommand checks `host types` output and -o.
func TestTypesCommand(t *testing.T) {
	t.Parallel()
	run := func(args ...string) (string, string, ExitCode) {
		var out, errb bytes.Buffer
		io := &IO{Out: &out, Err: &errb}
		code := Run(context.Background(), append([]string{"types"}, args...), io)
		return out.String(), errb.String(), code
	}
	dom, _, code := run()
	if code != ExitOK {
		t.Fatalf("host types: exit %d", code)
	}
	for _, want := range []string{"declare function definePlugin", "declare const z", "declare function refreshOAuthToken", "interface PluginContext", `declare module "host:plugin"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("host types lacks %q", want)
		}
	}
	if strings.Contains(dom, "declare function fetch") || strings.Contains(dom, "declare var AbortController") {
		t.Errorf("host types (DOM form) declares what the DOM lib has")
	}
	standalone, _, _ := run("--no-dom")
	for _, want := range []string{"declare function definePlugin", "declare function fetch", "declare var AbortController", "declare var console"} {
		if !strings.Contains(standalone, want) {
			t.Errorf("host types --no-dom lacks %q", want)
		}
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "host.d.ts")
	putFile(t, file, "old")
	if out, _, code := run("-o", file, "--no-dom"); code != ExitOK || out != "" {
		t.Fatalf("host types -o: exit %d, stdout %q", code, out)
	}
	if b, _ := os.ReadFile(file); string(b) != standalone {
		t.Errorf("-o wrote something else than stdout shows")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("-o left files behind: %v", ents)
	}

	if _, errOut, code := run("extra"); code != ExitUsage || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Errorf("host types extra: exit %d, stderr %q", code, errOut)
	}
	if _, errOut, code := run("-o", filepath.Join(dir, "missing", "host.d.ts")); code != ExitFailure || !strings.Contains(errOut, "cannot write") {
		t.Errorf("-o into a missing directory: exit %d, stderr %q", code, errOut)
	}
}

// TestInitCommand checks `host init`: files, next steps, and never
// overwriting.
func TestInitCommand(t *testing.T) {
	t.Parallel()
	run := func(args ...string) (string, string, ExitCode) {
		var out, errb bytes.Buffer
		io := &IO{Out: &out, Err: &errb}
		code := Run(context.Background(), append([]string{"init"}, args...), io)
		return out.String(), errb.String(), code
	}
	dir := filepath.Join(t.TempDir(), "Weather Station")
	out, errOut, code := run(dir)
	if code != ExitOK {
		t.Fatalf("host init: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"host run --watch plugin.ts", "cd '" + dir + "'", `Created plugin "weather-station"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	src, err := os.ReadFile(filepath.Join(dir, "plugin.ts"))
	if err != nil || !strings.Contains(string(src), "id: 'weather-station'") {
		t.Errorf("plugin.ts does not declare the directory's id (err %v)", err)
	}
	if got := plugin.DefaultID(filepath.Join(dir, "plugin.ts")); got != "weather-station" {
		t.Errorf("the directory's default id is %q, not the declared weather-station", got)
	}
	var tsconfig struct {
		CompilerOptions map[string]any `json:"compilerOptions"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "tsconfig.json"))
	if err := json.Unmarshal(b, &tsconfig); err != nil || tsconfig.CompilerOptions["strict"] != true || tsconfig.CompilerOptions["moduleResolution"] != "bundler" {
		t.Errorf("tsconfig.json: %v %s", err, b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "host.d.ts")); string(b) != types.Declarations(true) {
		t.Errorf("host.d.ts is not the DOM form of host types")
	}

	// A second init refuses, names every file that exists, changes nothing.
	putFile(t, filepath.Join(dir, "plugin.ts"), "// mine\n")
	_ = os.Remove(filepath.Join(dir, "host.d.ts"))
	out, errOut, code = run(dir)
	if code != ExitUsage || out != "" {
		t.Fatalf("init over existing files: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{filepath.Join(dir, "plugin.ts"), filepath.Join(dir, "tsconfig.json"), "not overwriting"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q: %s", want, errOut)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "plugin.ts")); string(b) != "// mine\n" {
		t.Errorf("init changed an existing plugin.ts")
	}
	if _, err := os.Stat(filepath.Join(dir, "host.d.ts")); err == nil {
		t.Errorf("a refused init still wrote host.d.ts")
	}

	if _, _, code := run("a", "b"); code != ExitUsage {
		t.Errorf("init a b: exit %d, want 2", code)
	}
}

// TestInitStarterRuns activates the starter plugin on a real runtime (the
// memory secret backend stands in for the keyring), calls its tool and
// runs its loop once.
func TestInitStarterRuns(t *testing.T) {
	t.Parallel()
	dir := starterDir(t)
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	var logs []string
	h := &plugin.Host{DataDir: t.TempDir(), Secrets: secrets.NewMemory(), Store: db, WorkDir: dir,
		Log: func(e console.Entry) { mu.Lock(); logs = append(logs, e.Message); mu.Unlock() }}
	p, err := plugin.Load(ctx, h, filepath.Join(dir, "plugin.ts"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s, err := p.Setup(ctx, plugin.Inputs{Set: map[string]string{"token": "fake-token-123"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{`{"message":"Hello, Ada!","count":1}`, `{"message":"Hello, Ada!","count":2}`} {
		out, err := p.CallTool(ctx, "greet", json.RawMessage(`{"name":"Ada","excited":true}`))
		if err != nil || out.Text() != want {
			t.Errorf("greet #%d = %v, %v; want %s", i+1, out, err, want)
		}
	}
	if err := p.RunLoopOnce(ctx); err != nil {
		t.Errorf("loop: %v", err)
	}
	if err := p.Deactivate(ctx); err != nil {
		t.Errorf("deactivate: %v", err)
	}
	mu.Lock()
	joined := strings.Join(logs, "\n")
	mu.Unlock()
	for _, want := range []string{"active, using https://api.example.com", "loop run 1"} {
		if !strings.Contains(joined, want) {
			t.Errorf("log lacks %q:\n%s", want, joined)
		}
	}
}
