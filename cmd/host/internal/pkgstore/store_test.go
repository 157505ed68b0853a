package pkgstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"host/bindings/plugin"
	"host/cmd/host/internal/pkgstore/registrytest"
)

// manifestDescribe stands in for the worker that loads a plugin (cmd/host
// tests the real one): id and permissions from package.json.
func manifestDescribe(_ context.Context, dir string) (*Description, error) {
	m, err := plugin.ReadManifest(dir)
	if err != nil || m == nil {
		return nil, errors.New("no package.json")
	}
	return &Description{ID: m.ID(), Permissions: m.Permissions, Tools: []Tool{{Name: "greet", ReadOnly: true}}}, nil
}

func newStore(t *testing.T, reg *registrytest.Registry, npmrc string) *Store {
	t.Helper()
	env := map[string]string{"NPM_CONFIG_USERCONFIG": npmrc}
	cfg, err := LoadNPMConfig(func(k string) string { return env[k] }, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &Store{DataDir: t.TempDir(), Registry: NewRegistry(cfg, func(string) string { return "" }, "host-test"), Describe: manifestDescribe}
}

func install(t *testing.T, s *Store, spec string, opts InstallOptions) (*Record, error) {
	t.Helper()
	sp, err := ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	plan, err := s.Prepare(context.Background(), sp, opts)
	if err != nil {
		return nil, err
	}
	return plan.Commit(context.Background())
}

// treeHash hashes every file under dir (path and content).
func treeHash(t *testing.T, dir string) (string, []string) {
	t.Helper()
	h := sha256.New()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(f + "\x00"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), files
}

func leftovers(t *testing.T, s *Store) []string {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(s.DataDir, packagesDir))
	var out []string
	for _, e := range entries {
		if e.Name() != lockName {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestRegistryInstall: installs from a real registry (Verdaccio), its
// parts in parallel (each with a store of its own; none relies on what
// another publishes).
func TestRegistryInstall(t *testing.T) {
	reg := registrytest.Start(t)
	marker := filepath.Join(t.TempDir(), "scripts-ran")
	scripts := map[string]string{
		"preinstall":  "node -e \"require('fs').writeFileSync(process.argv[1], 'pre')\" " + marker,
		"install":     "node -e \"require('fs').writeFileSync(process.argv[1], 'install')\" " + marker,
		"postinstall": "node -e \"require('fs').writeFileSync(process.argv[1], 'post')\" " + marker,
	}
	reg.PublishAll(t, []registrytest.Package{
		registrytest.LibPackage("hostfix-inner", "1.0.0", nil, nil),
		registrytest.LibPackage("hostfix-inner", "2.0.0", nil, nil),
		registrytest.LibPackage("hostfix-words", "1.0.0", map[string]string{"hostfix-inner": "^1.0.0"}, scripts),
		registrytest.PluginPackage(registrytest.PluginOpts{Name: "@hostfix/greeter", Version: "1.0.0",
			Deps:        map[string]string{"hostfix-words": "^1.0.0", "hostfix-inner": "^2.0.0"},
			Permissions: []string{"network:api.github.com"}, Scripts: scripts}),
		registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-altered", Version: "1.0.0"}),
		registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-grows", Version: "1.0.0", Permissions: []string{"network:api.github.com"}}),
	})

	t.Run("dependencies", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, reg, reg.NPMRC())
		r, err := install(t, s, "@hostfix/greeter@^1", InstallOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != "hostfix.greeter" || r.Version != "1.0.0" || r.Range != "^1" || !r.Enabled || r.Dependencies != 3 {
			t.Errorf("record = %+v", r)
		}
		root := s.Root(r)
		for _, want := range []string{
			"package.json", "dist/index.js",
			"node_modules/hostfix-words/index.js",
			"node_modules/hostfix-inner/package.json",                            // 2.0.0 for the plugin, at the top
			"node_modules/hostfix-words/node_modules/hostfix-inner/package.json", // 1.0.0 for hostfix-words
		} {
			if _, err := os.Stat(filepath.Join(root, want)); err != nil {
				t.Errorf("not installed: %s", want)
			}
		}
		if _, err := os.Stat(filepath.Join(root, "node_modules", "@hivemind-os")); err == nil {
			t.Error("the SDK was installed; host provides it")
		}
		top, _ := os.ReadFile(filepath.Join(root, "node_modules/hostfix-inner/package.json"))
		nested, _ := os.ReadFile(filepath.Join(root, "node_modules/hostfix-words/node_modules/hostfix-inner/package.json"))
		if !strings.Contains(string(top), `"2.0.0"`) || !strings.Contains(string(nested), `"1.0.0"`) {
			t.Errorf("layout: top hostfix-inner %s, nested %s", top, nested)
		}
		lock, err := ReadLock(filepath.Join(s.DataDir, packagesDir, r.ID, LockName))
		if err != nil {
			t.Fatal(err)
		}
		if lock.Name != "@hostfix/greeter" || lock.Version != "1.0.0" || !strings.HasPrefix(lock.Integrity, "sha512-") || len(lock.Packages) != 3 ||
			lock.Packages["node_modules/hostfix-words/node_modules/hostfix-inner"].Version != "1.0.0" {
			t.Errorf("lock = %+v", lock)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Error("an install script ran")
		}
		if l := leftovers(t, s); !slices.Equal(l, []string{"hostfix.greeter"}) {
			t.Errorf("packages dir holds %v", l)
		}
		if _, err := install(t, s, "@hostfix/greeter", InstallOptions{}); !errors.As(err, new(*AlreadyInstalledError)) {
			t.Errorf("second install: %v, want already installed", err)
		}

		// A newer hostfix-inner 2.x is published: a fresh install takes it,
		// an install from the lock is the first install's tree exactly.
		reg.Publish(t, registrytest.LibPackage("hostfix-inner", "2.1.0", nil, nil))
		s2 := newStore(t, reg, reg.NPMRC())
		if _, err := install(t, s2, "@hostfix/greeter@^1", InstallOptions{Lock: lock}); err != nil {
			t.Fatal(err)
		}
		h1, f1 := treeHash(t, root)
		h2, f2 := treeHash(t, s2.Root(r))
		if h1 != h2 {
			t.Errorf("install from the lock differs:\n%v\n%v", f1, f2)
		}
		s3 := newStore(t, reg, reg.NPMRC())
		r3, err := install(t, s3, "@hostfix/greeter@^1", InstallOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(filepath.Join(s3.Root(r3), "node_modules/hostfix-inner/package.json")); !strings.Contains(string(b), `"2.1.0"`) {
			t.Errorf("a fresh install did not take hostfix-inner 2.1.0: %s", b)
		}
	})

	t.Run("token", func(t *testing.T) {
		t.Parallel()
		npmrc := filepath.Join(t.TempDir(), "npmrc")
		os.WriteFile(npmrc, []byte("registry="+reg.URL+"\n"), 0o600)
		s := newStore(t, reg, npmrc)
		_, err := install(t, s, "@hostfix/greeter", InstallOptions{})
		var re *RegistryError
		if !errors.As(err, &re) || re.Status != 401 || !strings.Contains(err.Error(), "_authToken") {
			t.Errorf("without the token: %v", err)
		}
	})

	t.Run("altered", func(t *testing.T) {
		t.Parallel()
		if err := reg.AlterTarball("hostfix-altered", "1.0.0"); err != nil {
			t.Fatal(err)
		}
		s := newStore(t, reg, reg.NPMRC())
		_, err := install(t, s, "hostfix-altered", InstallOptions{})
		var ie *IntegrityError
		if !errors.As(err, &ie) {
			t.Fatalf("altered tarball: %v, want an integrity error", err)
		}
		if l := leftovers(t, s); len(l) != 0 {
			t.Errorf("left behind: %v", l)
		}
	})

	t.Run("update", func(t *testing.T) {
		t.Parallel()
		s := newStore(t, reg, reg.NPMRC())
		r, err := install(t, s, "hostfix-grows", InstallOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetEnabled(context.Background(), r.ID, false); err != nil {
			t.Fatal(err)
		}
		if plan, err := s.PrepareUpdate(context.Background(), r.ID, false); err != nil || plan != nil {
			t.Fatalf("up to date: %v %v", plan, err)
		}
		// One after the other: the last published is "latest".
		reg.Publish(t, registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-grows", Version: "1.1.0", Permissions: []string{"network:api.github.com", "network:*"}}))
		reg.Publish(t, registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-grows", Version: "2.0.0"}))
		s.Registry = newStore(t, reg, reg.NPMRC()).Registry // a new command sees the new versions
		plan, err := s.PrepareUpdate(context.Background(), r.ID, false)
		if err != nil || plan == nil {
			t.Fatalf("update: %v %v", plan, err)
		}
		u := plan.Summary.Update
		if plan.Record.Version != "1.1.0" || u.From != "1.0.0" || !slices.Equal(u.Added, []string{"network: any host"}) ||
			!slices.Equal(u.Removed, []string{"network: api.github.com"}) || !plan.Summary.NeedsConsent() || u.Changelog != "Release 1.1.0 of hostfix-grows." {
			t.Errorf("update summary = %+v %+v", plan.Summary, u)
		}
		r2, err := plan.Commit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if r2.Version != "1.1.0" || r2.Enabled {
			t.Errorf("after update: %+v (disabled stays disabled)", r2)
		}
		plan, err = s.PrepareUpdate(context.Background(), r.ID, true)
		if err != nil || plan == nil || plan.Record.Version != "2.0.0" || plan.Record.Range != "^2.0.0" {
			t.Fatalf("--major: %+v %v", plan, err)
		}
		plan.Discard()
		if l := leftovers(t, s); !slices.Equal(l, []string{"hostfix-grows"}) {
			t.Errorf("packages dir holds %v", l)
		}
	})
}
