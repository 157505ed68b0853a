package pkgstore

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestNPMConfig(t *testing.T) {
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, ".npmrc"), []byte(`
; comment
registry = https://npm.example.com/repo
@acme:registry=https://acme.example.com/npm/
//npm.example.com/repo/:_authToken=${FAKE_TOKEN}
//acme.example.com/npm/:_auth="dXNlcjpwYXNz"
//other.example.com/:username=u
//other.example.com/:_password=cGFzcw==
https-proxy=http://proxy.example.com:3128
`), 0o600)
	env := map[string]string{"FAKE_TOKEN": "fake-token-1"}
	c, err := LoadNPMConfig(func(k string) string { return env[k] }, home)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want string }{
		{"left-pad", "https://npm.example.com/repo/"},
		{"@acme/x", "https://acme.example.com/npm/"},
		{"@ACME/x", "https://acme.example.com/npm/"},
		{"@other/x", "https://npm.example.com/repo/"},
	} {
		if got := c.RegistryFor(tc.name); got != tc.want {
			t.Errorf("RegistryFor(%s) = %s, want %s", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct{ url, want string }{
		{"https://npm.example.com/repo/left-pad", "Bearer fake-token-1"},
		{"https://npm.example.com/repo/left-pad/-/left-pad-1.0.0.tgz", "Bearer fake-token-1"},
		{"https://npm.example.com/other/left-pad", ""}, // another path on the host
		{"https://evil.example.com/repo/left-pad", ""},
		{"https://acme.example.com/npm/@acme%2fx", "Basic dXNlcjpwYXNz"},
		{"https://other.example.com/x", "Basic dTpwYXNz"},
	} {
		if got := c.Authorization(tc.url); got != tc.want {
			t.Errorf("Authorization(%s) = %q, want %q", tc.url, got, tc.want)
		}
	}
	if c.HTTPSProxy != "http://proxy.example.com:3128" {
		t.Errorf("https-proxy = %q", c.HTTPSProxy)
	}
	env["npm_config_registry"] = "https://env.example.com"
	c, _ = LoadNPMConfig(func(k string) string { return env[k] }, home)
	if c.Registry != "https://env.example.com/" {
		t.Errorf("npm_config_registry: %s", c.Registry)
	}
	c, err = LoadNPMConfig(func(string) string { return "" }, t.TempDir())
	if err != nil || c.Registry != DefaultRegistry {
		t.Errorf("no .npmrc: %v %v", c, err)
	}
}

func TestPickVersion(t *testing.T) {
	p := &Packument{Name: "x", DistTags: map[string]string{"latest": "1.4.0", "next": "2.0.0-rc.1"}, Versions: map[string]*VersionMeta{}}
	for _, v := range []string{"0.9.0", "1.0.0", "1.2.0", "1.2.5", "1.4.0", "1.5.0", "2.0.0-rc.1", "3.0.0", "3.1.0"} {
		p.Versions[v] = &VersionMeta{Name: "x", Version: v}
	}
	for _, tc := range []struct{ rng, want string }{
		{"", "1.4.0"}, {"latest", "1.4.0"}, {"next", "2.0.0-rc.1"}, {"*", "1.4.0"},
		{"^1.2", "1.4.0"}, {"~1.2.0", "1.2.5"}, {"1.2.x", "1.2.5"}, {"1.x", "1.4.0"},
		{"^3", "3.1.0"}, {">=1 <1.3 || ^3.0.0", "3.1.0"}, {"1.2.0 - 1.2.3", "1.2.0"}, {"0.9.0", "0.9.0"},
		{"=1.0.0", "1.0.0"}, {"v1.2.0", "1.2.0"},
	} {
		m, err := pickVersion(p, tc.rng)
		if err != nil || m.Version != tc.want {
			t.Errorf("pickVersion(%q) = %v, %v; want %s", tc.rng, m, err, tc.want)
		}
	}
	if _, err := pickVersion(p, "^4"); !errors.As(err, new(*VersionError)) {
		t.Errorf("^4: %v", err)
	}
}

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct{ arg, name, rng string }{
		{"left-pad", "left-pad", ""}, {"left-pad@^1.2", "left-pad", "^1.2"},
		{"@acme/github", "@acme/github", ""}, {"@acme/github@next", "@acme/github", "next"},
	} {
		sp, err := ParseSpec(tc.arg)
		if err != nil || sp.Kind != "registry" || sp.Name != tc.name || sp.Range != tc.rng {
			t.Errorf("ParseSpec(%s) = %+v, %v", tc.arg, sp, err)
		}
	}
	for _, bad := range []string{"../x", "./missing.tgz", "a b", "x@git+https://e.com/x.git", "x@github:a/b", "@/x", "x/../y"} {
		if _, err := ParseSpec(bad); err == nil {
			t.Errorf("ParseSpec(%q) accepted", bad)
		}
	}
}

func tgz(t *testing.T, entries []tar.Header, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, h := range entries {
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(body))
		}
		h.Mode = 0o644
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write([]byte(body))
		}
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// A tarball cannot write outside its package's folder: climbing names are
// refused, links are not created, and a link planted earlier is not
// followed.
func TestExtractConfined(t *testing.T) {
	for _, name := range []string{"package/../../evil.js", "../evil.js", "/etc/evil", "package/a/../../../evil", `package\..\..\evil`, "C:/evil"} {
		dir := t.TempDir()
		root, _ := os.OpenRoot(dir)
		err := extract(root, "package", "x@1", tgz(t, []tar.Header{{Name: name, Typeflag: tar.TypeReg}}, "x"), &budget{})
		root.Close()
		if !errors.As(err, new(*UnsafeTarballError)) {
			t.Errorf("%s: %v, want refused", name, err)
		}
	}
	dir := t.TempDir()
	outside := t.TempDir()
	root, _ := os.OpenRoot(dir)
	defer root.Close()
	data := tgz(t, []tar.Header{
		{Name: "package/link", Typeflag: tar.TypeSymlink, Linkname: outside},
		{Name: "package/hard", Typeflag: tar.TypeLink, Linkname: "/etc/passwd"},
		{Name: "package/link/pwned", Typeflag: tar.TypeReg},
		{Name: "package/ok.js", Typeflag: tar.TypeReg},
	}, "x")
	err := extract(root, "package", "x@1", data, &budget{})
	if _, serr := os.Stat(filepath.Join(outside, "pwned")); serr == nil {
		t.Fatal("a file was written through a symlink")
	}
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "package", "link")); err != nil || fi.Mode()&os.ModeSymlink != 0 {
		t.Errorf("link: %v %v", fi, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "package", "hard")); err == nil {
		t.Error("a hard link was created")
	}
	// A symlink planted in the staging folder by anything else is not
	// followed either.
	os.Symlink(outside, filepath.Join(dir, "planted"))
	err = extract(root, "planted", "x@1", tgz(t, []tar.Header{{Name: "package/pwned", Typeflag: tar.TypeReg}}, "x"), &budget{})
	if _, serr := os.Stat(filepath.Join(outside, "pwned")); serr == nil || err == nil {
		t.Errorf("wrote through a planted symlink (err %v)", err)
	}
}

func TestExtractBudget(t *testing.T) {
	b := &budget{bytes: maxUnpacked - 1}
	root, _ := os.OpenRoot(t.TempDir())
	defer root.Close()
	if err := extract(root, "p", "x@1", tgz(t, []tar.Header{{Name: "package/big", Typeflag: tar.TypeReg}}, "xx"), b); err == nil {
		t.Error("over the size budget: no error")
	}
}

func TestPermissionWords(t *testing.T) {
	for _, tc := range []struct {
		declared []string
		loop     bool
		want     []string
	}{
		{nil, false, []string{"network: any host", "reads and writes its secrets", "reads and writes files in its own data folder"}},
		{nil, true, []string{"network: any host", "reads and writes its secrets", "reads and writes files in its own data folder", "runs in the background"}},
		{[]string{"network:api.github.com", "secrets:read"}, true, []string{"network: api.github.com", "reads its secrets", "reads and writes files in its own data folder", "runs in the background"}},
		{[]string{"network:api.github.com", "network:*", "secrets:write", "filesystem:read", "loop:background"}, false, []string{"network: any host", "writes its secrets", "reads files in its own data folder", "runs in the background"}},
		{[]string{"filesystem:~/notes", "secrets:read"}, false, []string{"network: any host", "reads its secrets", "reads and writes files in its own data folder"}},
	} {
		if got := PermissionWords(tc.declared, tc.loop); !slices.Equal(got, tc.want) {
			t.Errorf("PermissionWords(%v, %v) = %q, want %q", tc.declared, tc.loop, got, tc.want)
		}
	}
	if m := (Tool{SideEffects: true, Approval: "always"}).Marks(); !slices.Equal(m, []string{"changes things", "asks you before each run"}) {
		t.Errorf("marks = %v", m)
	}
}

func TestReadLockRefusesPaths(t *testing.T) {
	for _, p := range []string{"node_modules/../x", "x", "node_modules/a/../../b", "node_modules/a/node_modules/"} {
		l := `{"lockfileVersion":1,"name":"a","version":"1.0.0","integrity":"","packages":{"` + p + `":{"name":"x","version":"1.0.0","integrity":"sha512-AAAA"}}}`
		path := filepath.Join(t.TempDir(), "l.json")
		os.WriteFile(path, []byte(l), 0o600)
		if _, err := ReadLock(path); err == nil {
			t.Errorf("lock path %q accepted", p)
		}
	}
}
