package main

// Plugins as packages, end to end: the real host binary installs, lists,
// updates, removes and links plugins published to a real npm registry
// (Verdaccio on loopback, started here), against a real Secret Service,
// and wires AI clients' config files on a temporary HOME.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/rogpeppe/go-internal/testscript"

	"host/bindings/plugin"
	"host/cmd/host/internal/pkgstore/registrytest"
)

// pkgRegistry is the one Verdaccio of this test binary, with the fixture
// plugins published (started by the first test that needs it).
var pkgRegistry struct {
	once   sync.Once
	reg    *registrytest.Registry
	marker string // the file the fixtures' install scripts would create
	skip   string
}

// registryT is a testing.TB whose cleanups run at process exit (the
// registry outlives the test that started it).
type registryT struct{ testing.TB }

func (registryT) Cleanup(func()) {}

func (r registryT) TempDir() string {
	d, err := os.MkdirTemp("", "host-pkg-registry-")
	if err != nil {
		r.Fatal(err)
	}
	return d
}

// fixtureRegistry starts Verdaccio once and publishes the fixtures:
//
//	hostfix-inner 1.0.0, hostfix-words 1.0.0 (needs hostfix-inner ^1, has
//	install scripts), @hostfix/greeter 1.0.0 (needs hostfix-words ^1; install
//	scripts; network:api.github.com), hostfix-altered 1.0.0 (its stored
//	tarball altered after publishing), hostfix-grows 1.0.0
//	(network:api.github.com), hostfix-keeper 1.0.0 (keeps config, secrets,
//	store rows, messages).
//
// When startFixtureRegistry began that already, it waits for it.
func fixtureRegistry(t testing.TB) (*registrytest.Registry, string) {
	t.Helper()
	registrytest.Find(t) // skips (or fails under CI) without the tools
	pkgRegistry.once.Do(func() { startRegistry(registryT{t}) })
	if pkgRegistry.reg == nil {
		t.Fatalf("the fixture registry did not start: %s", pkgRegistry.skip)
	}
	return pkgRegistry.reg, pkgRegistry.marker
}

// startFixtureRegistry starts the fixture registry in a goroutine of its
// own, for a test that is about to wait for its turn (t.Parallel):
// Verdaccio's start and the publishing take seconds that then overlap the
// wait. A failure is said by the fixtureRegistry call that finds no
// registry. The test must have checked registrytest.Find first.
func startFixtureRegistry() {
	go pkgRegistry.once.Do(func() {
		bg := &bgTB{}
		defer bg.failed() // after a Fatal (runtime.Goexit), too
		startRegistry(bg)
	})
}

// startRegistry is fixtureRegistry's start: Verdaccio, the fixtures
// published, hostfix-altered's tarball altered.
func startRegistry(t testing.TB) {
	dir, err := os.MkdirTemp("", "host-pkg-registry-")
	if err != nil {
		pkgRegistry.skip = err.Error()
		return
	}
	pkgRegistry.marker = filepath.Join(dir, "install-script-ran")
	reg := registrytest.Start(t)
	pkgRegistry.reg = reg
	scripts := map[string]string{}
	for _, s := range []string{"preinstall", "install", "postinstall", "prepare"} {
		scripts[s] = "node -e \"require('fs').writeFileSync(process.argv[1], '" + s + "')\" " + pkgRegistry.marker
	}
	reg.PublishAll(t, []registrytest.Package{
		registrytest.LibPackage("hostfix-inner", "1.0.0", nil, nil),
		registrytest.LibPackage("hostfix-words", "1.0.0", map[string]string{"hostfix-inner": "^1.0.0"}, scripts),
		registrytest.PluginPackage(registrytest.PluginOpts{Name: "@hostfix/greeter", Version: "1.0.0",
			Deps: map[string]string{"hostfix-words": "^1.0.0"}, Permissions: []string{"network:api.github.com"}, Scripts: scripts}),
		registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-altered", Version: "1.0.0"}),
		registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-grows", Version: "1.0.0", Permissions: []string{"network:api.github.com"}}),
		registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-keeper", Version: "1.0.0", Source: registrytest.KeeperSource,
			Permissions: []string{"secrets:read", "secrets:write"}}),
	})
	if err := reg.AlterTarball("hostfix-altered", "1.0.0"); err != nil {
		t.Fatal(err)
	}
}

// bgTB is the testing.TB of startFixtureRegistry's goroutine, which must
// not end a test: a Fatal (or Skip) keeps what it says for
// fixtureRegistry to report and ends the goroutine; the registry, if it
// started, is stopped then.
type bgTB struct {
	testing.TB // never set: only to have testing.TB's methods
	msg        string
	cleanups   []func()
}

func (b *bgTB) Helper()             {}
func (b *bgTB) Cleanup(f func())    { b.cleanups = append(b.cleanups, f) }
func (b *bgTB) Log(args ...any)     {}
func (b *bgTB) Logf(string, ...any) {}
func (b *bgTB) Name() string        { return "fixture registry" }
func (b *bgTB) Fatal(args ...any)   { b.fail(fmt.Sprint(args...)) }
func (b *bgTB) Fatalf(f string, a ...any) {
	b.fail(fmt.Sprintf(f, a...))
}
func (b *bgTB) Skip(args ...any)          { b.fail(fmt.Sprint(args...)) }
func (b *bgTB) Skipf(f string, a ...any)  { b.fail(fmt.Sprintf(f, a...)) }
func (b *bgTB) Error(args ...any)         { b.fail(fmt.Sprint(args...)) }
func (b *bgTB) Errorf(f string, a ...any) { b.fail(fmt.Sprintf(f, a...)) }
func (b *bgTB) FailNow()                  { b.fail("failed") }
func (b *bgTB) TempDir() string {
	d, err := os.MkdirTemp("", "host-pkg-registry-")
	if err != nil {
		b.fail(err.Error())
	}
	return d
}

func (b *bgTB) fail(msg string) {
	b.msg = msg
	runtime.Goexit()
}

// failed, deferred in the goroutine, records a failure and stops what
// started.
func (b *bgTB) failed() {
	if b.msg == "" {
		return
	}
	pkgRegistry.skip, pkgRegistry.reg = b.msg, nil
	for i := len(b.cleanups) - 1; i >= 0; i-- {
		b.cleanups[i]()
	}
}

// TestPackages: plugins installed, updated, removed and linked from the
// fixture registry through every surface, each part in parallel with the
// others (the registry starts while the test waits for its turn):
// "scripts" runs testdata/pkgscript/*.txtar, where each script gets the
// fixture registry (NPM_CONFIG_USERCONFIG names it with its token), its
// own Secret Service, HOME=$WORK/home, HOST_DATA_DIR=$WORK/data (NS its
// keyring namespace) and MARKER, the file install scripts would write;
// then serve, mcp, the page in Chromium and the consent in a terminal.
func TestPackages(t *testing.T) {
	registrytest.Find(t) // skips (or fails under CI) without the tools
	startFixtureRegistry()
	t.Parallel()
	t.Cleanup(closeFixtureRegistry) // after every part
	for _, part := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"scripts", testPackageScripts},
		{"serve", testServeInstalled},
		{"mcp", testMCPInstalled},
		{"page", packagesPage},
		{"terminal", consentInTerminal},
	} {
		if part.run == nil {
			continue
		}
		t.Run(part.name, func(t *testing.T) {
			t.Parallel()
			part.run(t)
		})
	}
}

// packagesPage is the installed plugins on the setup page in Chromium
// (Linux: pkg_page_test.go).
var packagesPage func(*testing.T)

// consentInTerminal is the consent asked in a terminal (a pty; Linux:
// pkg_tty_test.go).
var consentInTerminal func(*testing.T)

// closeFixtureRegistry stops the fixture registry; the next test that
// needs one starts it again.
func closeFixtureRegistry() {
	if pkgRegistry.reg != nil {
		pkgRegistry.reg.Close()
	}
	pkgRegistry.once, pkgRegistry.reg = sync.Once{}, nil
}

func testPackageScripts(t *testing.T) {
	reg, marker := fixtureRegistry(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/pkgscript",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			if err := scriptKeyring(e); err != nil {
				return err
			}
			home := filepath.Join(e.WorkDir, "home")
			if err := os.MkdirAll(home, 0o700); err != nil {
				return err
			}
			e.Setenv("HOME", home)
			e.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			e.Setenv("NPM_CONFIG_USERCONFIG", reg.NPMRC())
			e.Setenv("REGISTRY", reg.URL)
			e.Setenv("MARKER", marker)
			e.Setenv("HOST_DATA_DIR", filepath.Join(e.WorkDir, "data"))
			e.Setenv("NS", plugin.DataDirNamespace(filepath.Join(e.WorkDir, "data")))
			e.Values[registryKey{}] = reg
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":     cmdExits,
			"publish":   cmdPublish,
			"nothingof": cmdNothingOf,
			"keyitems":  cmdKeyItems,
		},
	})
}

type registryKey struct{}

// cmdPublish publishes a fixture plugin: `publish NAME VERSION [PERMISSION...]`.
func cmdPublish(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: publish NAME VERSION [PERMISSION...]")
	}
	reg := ts.Value(registryKey{}).(*registrytest.Registry)
	reg.Publish(tsTB{ts}, registrytest.PluginPackage(registrytest.PluginOpts{Name: args[0], Version: args[1], Permissions: args[2:]}))
}

// cmdNothingOf fails when a file under DIR (which may be empty or
// missing) contains any of the strings: `nothingof DIR STRING...`.
func cmdNothingOf(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: nothingof DIR STRING...")
	}
	root := ts.MkAbs(args[0])
	_ = filepath.Walk(root, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		for _, s := range args[1:] {
			if strings.Contains(rel, s) {
				ts.Fatalf("%s is named after %q", path, s)
			}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			ts.Fatalf("%v", err)
		}
		for _, s := range args[1:] {
			if bytes.Contains(data, []byte(s)) {
				ts.Fatalf("%s holds %q", path, s)
			}
		}
		return nil
	})
}

// cmdKeyItems checks how many keyring items the Secret Service holds for
// a service, searching as a user would (secret-tool search --all):
// `keyitems SERVICE N` (N: a number, or "some").
func cmdKeyItems(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: keyitems SERVICE N")
	}
	cmd := exec.Command("secret-tool", "search", "--all", "--unlock", "service", args[0])
	cmd.Env = os.Environ()
	for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "HOME"} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	_ = cmd.Run()                            // exit 1 when nothing matches
	n := strings.Count(out.String(), "\n[/") // each item starts with its object path
	if strings.HasPrefix(out.String(), "[/") {
		n++
	}
	switch {
	case args[1] == "some" && n == 0:
		ts.Fatalf("no keyring items of %s (secret-tool: %s %s)", args[0], out.String(), errb.String())
	case args[1] != "some" && fmt.Sprint(n) != args[1]:
		ts.Fatalf("%d keyring items of %s, want %s:\n%s", n, args[0], args[1], out.String())
	}
}

// tsTB lets registrytest report through a script.
type tsTB struct{ ts *testscript.TestScript }

func (t tsTB) Helper()                   {}
func (t tsTB) Fatal(args ...any)         { t.ts.Fatalf("%s", fmt.Sprint(args...)) }
func (t tsTB) Fatalf(f string, a ...any) { t.ts.Fatalf(f, a...) }
func (t tsTB) TempDir() string {
	d, err := os.MkdirTemp(t.ts.Getenv("WORK"), "publish-")
	if err != nil {
		t.ts.Fatalf("%v", err)
	}
	return d
}

// installedHost installs the greeter and hostfix-grows (disabled) from the
// fixture registry and links a local plugin, in a fresh data dir; it
// returns the binary, its environment, and the linked plugin's file.
func installedHost(t *testing.T) (bin string, env []string, linked string) {
	t.Helper()
	reg, _ := fixtureRegistry(t)
	bin, _, env = hostBinary(t, nil)
	env = append(env, "NPM_CONFIG_USERCONFIG="+reg.NPMRC(), "HOST_DATA_DIR="+filepath.Join(t.TempDir(), "data"), "HOME="+t.TempDir())
	dir := filepath.Join(t.TempDir(), "linked-demo")
	os.MkdirAll(dir, 0o755)
	linked = filepath.Join(dir, "plugin.ts")
	writeVersionPlugin(t, linked, "v1")
	for _, args := range [][]string{
		{"install", "--yes", "@hostfix/greeter"},
		{"install", "--yes", "hostfix-grows"},
		{"disable", "hostfix-grows"},
		{"link", "--yes", dir},
	} {
		hostRun(t, bin, env, args...)
	}
	return bin, env, linked
}

func writeVersionPlugin(t *testing.T, path, version string) {
	t.Helper()
	src := `export default definePlugin({
  tools: [{ name: 'version', description: 'Which version runs', parameters: z.object({}),
    execute: async () => ({ content: '` + version + `' }) }],
});
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func hostRun(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("host %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// `host serve` without arguments serves exactly the installed, enabled
// plugins and the linked one; a save in the linked directory reloads it.
func testServeInstalled(t *testing.T) {
	bin, env, linked := installedHost(t)
	cmd := exec.Command(bin, "serve", "--page", "off")
	cmd.Env = env
	h := startHost(t, cmd)
	stuck := time.AfterFunc(3*time.Minute, func() { _ = cmd.Process.Kill() }) // waitFor blocks on a silent process
	defer stuck.Stop()
	for !strings.Contains(h.output(), "hostfix.greeter: active") || !strings.Contains(h.output(), "linked-demo: active") {
		if !h.waitFor(": active") {
			t.Fatalf("not both active:\n%s", h.output())
		}
	}
	var states []struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if err := json.Unmarshal([]byte(hostRun(t, bin, env, "status", "--json")), &states); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range states {
		ids = append(ids, s.ID)
	}
	sort.Strings(ids)
	if strings.Join(ids, ",") != "hostfix.greeter,linked-demo" {
		t.Errorf("the serve runs %v, want hostfix.greeter and linked-demo (hostfix-grows is disabled)", ids)
	}
	if out := hostRun(t, bin, env, "call", "linked-demo", "version"); !strings.Contains(out, "v1") {
		t.Errorf("call: %s", out)
	}
	writeVersionPlugin(t, linked, "v2")
	if !h.waitFor("linked-demo: reloaded") {
		t.Fatalf("no reload after a save:\n%s", h.output())
	}
	if out := hostRun(t, bin, env, "call", "linked-demo", "version"); !strings.Contains(out, "v2") {
		t.Errorf("call after the reload: %s", out)
	}
	if _, out, err := h.stop(syscall.SIGTERM, 30*time.Second); err != nil {
		t.Fatalf("stop: %v\n%s", err, out)
	}
}

// `host mcp` without arguments lists the tools of exactly the installed,
// enabled plugins and the linked one.
func testMCPInstalled(t *testing.T) {
	bin, env, _ := installedHost(t)
	cmd := exec.Command(bin, "mcp")
	cmd.Env = env
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
	}
	sort.Strings(names)
	if got := strings.Join(names, ","); got != "hostfix_greeter_greet,hostfix_greeter_wipe,linked-demo_version" {
		t.Errorf("tools = %s", got)
	}
	r, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "hostfix_greeter_greet", Arguments: map[string]any{"name": "Cy"}})
	if err != nil || len(r.Content) == 0 || !strings.Contains(r.Content[0].(*mcp.TextContent).Text, "hello Cy from hostfix-words@1.0.0") {
		t.Errorf("call: %+v %v", r, err)
	}
}
