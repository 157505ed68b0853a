package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"host/cmd/host/internal/pkgstore"
	"host/cmd/host/internal/pkgstore/registrytest"
)

// BenchmarkList50 is `host list` (the process, start to exit) over a data
// dir with 50 installed plugins. Target: under 50 ms.
func BenchmarkList50(b *testing.B) {
	bin, err := exec.LookPath("host")
	if err != nil {
		b.Fatal(err)
	}
	data := b.TempDir()
	s := &pkgstore.Store{DataDir: data, Describe: func(_ context.Context, dir string) (*pkgstore.Description, error) {
		return &pkgstore.Description{ID: filepath.Base(filepath.Dir(dir)), Permissions: []string{"network:api.example.com"}}, nil
	}}
	for i := range 50 {
		name := fmt.Sprintf("bench-plugin-%02d", i)
		tgz := filepath.Join(b.TempDir(), name+".tgz")
		if err := os.WriteFile(tgz, benchTarball(b, name), 0o644); err != nil {
			b.Fatal(err)
		}
		s.Describe = func(context.Context, string) (*pkgstore.Description, error) {
			return &pkgstore.Description{ID: name, Permissions: []string{"network:api.example.com"}}, nil
		}
		sp, _ := pkgstore.ParseSpec(tgz)
		plan, err := s.Prepare(context.Background(), sp, pkgstore.InstallOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := plan.Commit(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		out, err := exec.Command(bin, "list", "--data-dir", data).CombinedOutput()
		times = append(times, time.Since(start))
		if err != nil || bytes.Count(out, []byte("\n")) != 51 {
			b.Fatalf("host list: %v\n%s", err, out)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}

func benchTarball(b *testing.B, name string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for file, body := range map[string]string{
		"package/package.json":  fmt.Sprintf(`{"name":%q,"version":"1.0.0","main":"dist/index.js"}`, name),
		"package/dist/index.js": "export default definePlugin({});\n",
	} {
		if err := tw.WriteHeader(&tar.Header{Name: file, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			b.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// BenchmarkInstall20Deps is `host install` of a plugin with 20
// dependencies from the local registry (Verdaccio), side by side with npm
// itself installing the same package (npm install --ignore-scripts
// --omit=dev, an empty cache each time, as host has none), alternating.
// Target: host under 5 s. Reported: each one's median and host/npm.
func BenchmarkInstall20Deps(b *testing.B) {
	bin, err := exec.LookPath("host")
	if err != nil {
		b.Fatal(err)
	}
	reg, _ := fixtureRegistry(b)
	deps := map[string]string{}
	var pkgs []registrytest.Package
	for i := range 20 {
		name := fmt.Sprintf("hostfix-bench-dep-%02d", i)
		deps[name] = "^1.0.0"
		pkgs = append(pkgs, registrytest.LibPackage(name, "1.0.0", nil, nil))
	}
	pkgs = append(pkgs, registrytest.PluginPackage(registrytest.PluginOpts{Name: "hostfix-bench-many", Version: "1.0.0", Deps: deps, NoSDK: true}))
	reg.PublishAll(registryT{b}, pkgs)
	npm := registrytest.Find(b).NPM
	var hostT, npmT []time.Duration
	b.ResetTimer()
	for b.Loop() {
		data := b.TempDir()
		cmd := exec.Command(bin, "install", "--yes", "--data-dir", data, "hostfix-bench-many")
		cmd.Env = append(os.Environ(), "NPM_CONFIG_USERCONFIG="+reg.NPMRC())
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("host install: %v\n%s", err, out)
		}
		hostT = append(hostT, time.Since(start))

		dir := b.TempDir()
		os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"bench","version":"1.0.0","dependencies":{"hostfix-bench-many":"1.0.0"}}`), 0o644)
		cmd = exec.Command(npm, "install", "--ignore-scripts", "--omit=dev", "--no-audit", "--no-fund", "--userconfig", reg.NPMRC(), "--cache", filepath.Join(dir, ".cache"))
		cmd.Dir = dir
		start = time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("npm install: %v\n%s", err, out)
		}
		npmT = append(npmT, time.Since(start))
	}
	b.StopTimer()
	med := func(ts []time.Duration) float64 {
		s := append([]time.Duration(nil), ts...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return float64(s[len(s)/2].Microseconds()) / 1000
	}
	b.ReportMetric(med(hostT), "host-ms")
	b.ReportMetric(med(npmT), "npm-ms")
	b.ReportMetric(med(hostT)/med(npmT), "host/npm")
	closeFixtureRegistry()
}
