//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"host/cmd/host/internal/demo"
	"host/internal/hosttest"
)

// startupRun is one whole-process run: wall time, CPU time (user +
// system) and peak resident memory.
type startupRun struct {
	wall, cpu time.Duration
	peak      int64 // bytes
}

// runMeasured runs cmd to its end and measures it. The peak is measured
// through a small launcher (rusageLauncher) when one was built (b's
// benchmark called useLauncher): a child that Go starts directly reports
// as its peak at least this test process's own (Go starts children with
// vfork, and the kernel counts the resident high-water mark of the memory
// a process had before its exec: here, this process's, ~32 MiB).
func runMeasured(b *testing.B, cmd *exec.Cmd) startupRun {
	b.Helper()
	var errb strings.Builder
	cmd.Stderr = &errb
	if cmd.Stdout == nil {
		cmd.Stdout = io.Discard
	}
	var report *os.File
	if launcher != "" {
		r, w, err := os.Pipe()
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		cmd.Args = append([]string{launcher, cmd.Path}, cmd.Args[1:]...)
		cmd.Path = launcher
		cmd.ExtraFiles = []*os.File{w}
		defer w.Close()
		report = r
	}
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s: %v: %s", strings.Join(cmd.Args, " "), err, errb.String())
	}
	r := startupRun{wall: time.Since(start), cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peak = ru.Maxrss << 10 // KiB on Linux
	}
	if report != nil {
		cmd.ExtraFiles[0].Close()
		line, err := io.ReadAll(report)
		var wall, cpu, peak int64
		if _, err2 := fmt.Sscan(string(line), &wall, &cpu, &peak); err != nil || err2 != nil {
			b.Fatalf("the launcher's report %q: %v %v", line, err, err2)
		}
		r = startupRun{wall: time.Duration(wall), cpu: time.Duration(cpu), peak: peak << 10}
	}
	return r
}

// launcher is the path of the launcher runMeasured runs commands through
// ("" runs them directly).
var launcher string

// launcherSrc runs its arguments as a command and writes to fd 3 the
// command's wall time and CPU time in ns and its peak resident memory in
// KiB (its wait4 rusage). Its own memory, a few MiB, is the floor of the
// peaks it reports.
const launcherSrc = `package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	fmt.Fprintf(os.NewFile(3, "report"), "%d %d %d\n", wall.Nanoseconds(), cpu.Nanoseconds(), ru.Maxrss)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`

// useLauncher builds the launcher (static, as hello is) and has
// runMeasured use it until b ends.
func useLauncher(b *testing.B) {
	b.Helper()
	dir := b.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module launcher\n\ngo 1.24\n"), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "main.go"), []byte(launcherSrc), 0o644)
	bin := filepath.Join(dir, "launcher")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build launcher: %v\n%s", err, out)
	}
	launcher = bin
	b.Cleanup(func() { launcher = "" })
}

// medianOf is the median of f over runs.
func medianOf[T any](runs []T, f func(T) float64) float64 {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// startupPeer is the Node peer of `host run --once` (testdata/startup-peer:
// tsx, zod, @napi-rs/keyring, undici on Node 22), or "" with a reason.
func startupPeer(b *testing.B) (node, script string) {
	node, _ = nodeHarness(b)
	dir, _ := filepath.Abs("../../testdata/startup-peer")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "tsx")); err != nil {
		hosttest.Require(b, fmt.Sprintf("the Node start-up peer is not installed in %s (run `npm ci` there; .ci/run does)", dir))
	}
	return node, filepath.Join(dir, "run-once.mjs")
}

// BenchmarkStartupBudget is issue 23 §1's comparison and start-up budget:
// `host run --once` of the token plugin (the static binary as a user
// builds it, the real Secret Service, the loopback HTTPS stand-in with
// the system's roots beside its certificate) against its Node peer (the
// same plugin and keyring item, testdata/startup-peer), and each start-up
// choice of cmdutil/startup.go turned off, alternating within every
// iteration so that a shared machine's noise falls on all alike. It
// reports medians per setting: wall, CPU and peak memory; the ratios
// host/node (targets: wall <= 0.03, peak <= 0.2); and the budget: when
// each step of an all-on run was reached from the process start (trace
// steps of HOST_TRACE: main is the runtime and package init; built, the
// bundle taken from the cache; installed, the JS APIs installed in the
// fresh runtime; loaded, the plugin's file run and its definition read;
// setup, its saved settings and keyring secrets read; activated, its
// onActivate done; roots, the system's roots loaded on a helper goroutine
// beside the others); and what it had resident at its end (end-*-MiB:
// the binary's text, rodata and data pages, and its anonymous memory,
// cmdutil.TraceMemory). all-on-again
// is a second all-on run, the noise. HOST_BENCH_PEER_BIN adds another host
// binary (say, main's) as "peer". Run with -benchtime=Nx (N rounds).
func BenchmarkStartupBudget(b *testing.B) {
	srv := demo.NewAPI(scriptToken)
	defer srv.Close()
	_, _, env := hostBinary(b, srv.CertPEM())
	bin := builtHost(b)
	node, script := startupPeer(b)
	useLauncher(b)
	peer := os.Getenv("HOST_BENCH_PEER_BIN")
	dir := b.TempDir()
	plugin, _ := filepath.Abs("../../plugins/token-auth/plugin.ts")
	connectTo := "api.myservice.com:443:127.0.0.1:" + portOf(srv.Addr())
	var steps []map[string]float64
	run := func(off string, extra ...string) startupRun {
		if off == "node" {
			args := append([]string{"--import", "tsx", script, "--connect-to", connectTo}, extra...)
			cmd := exec.Command(node, append(args, plugin)...)
			cmd.Dir = filepath.Dir(script) // tsx resolves from here
			cmd.Env = env
			return runMeasured(b, cmd)
		}
		args := append([]string{"run", "--once", "--data-dir", filepath.Join(dir, "data"), "--connect-to", connectTo, plugin}, extra...)
		cmd := exec.Command(bin, args...)
		if off == "peer" {
			cmd = exec.Command(peer, args...)
		}
		cmd.Env = append(append([]string(nil), env...), "HOST_STARTUP_OFF="+off)
		var trace strings.Builder
		if off == "" {
			cmd.Env = append(cmd.Env, "HOST_TRACE=1", "HOST_TRACE_T0="+strconv.FormatInt(time.Now().UnixNano(), 10))
		}
		r := runMeasured(b, cmd)
		if off == "" {
			trace.WriteString(cmd.Stderr.(*strings.Builder).String())
			steps = append(steps, traceSteps(trace.String()))
		}
		return r
	}
	// Set up once: the measured runs ask nothing.
	run("", "--set", "token="+scriptToken)
	run("node", "--set", "token="+scriptToken)
	steps = nil
	settings := []string{"", "node", "none", "gogc", "roots", "cache"}
	if peer != "" {
		settings = append(settings, "peer")
	}
	runs := make([][]startupRun, len(settings))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, off := range settings {
			runs[j] = append(runs[j], run(off))
		}
	}
	b.StopTimer()
	wall := func(r startupRun) float64 { return ms(r.wall) }
	cpu := func(r startupRun) float64 { return ms(r.cpu) }
	peak := func(r startupRun) float64 { return mib(r.peak) }
	for j, off := range settings {
		name := "host"
		switch off {
		case "none":
			name = "host-again" // the noise: a second all-on
		case "node", "peer":
			name = off
		case "":
		default:
			name = off + "-off"
		}
		b.ReportMetric(medianOf(runs[j], wall), name+"-wall-ms")
		b.ReportMetric(medianOf(runs[j], cpu), name+"-cpu-ms")
		b.ReportMetric(medianOf(runs[j], peak), name+"-peak-MiB")
	}
	// Ratios pair by pair (host and node of the same round), then the median.
	// The CPU ratio beside the wall one: on a loaded machine Node's threads
	// wait longer for a core than host's, which flatters the wall ratio.
	var wr, cr, pr []float64
	for i := range runs[0] {
		wr = append(wr, float64(runs[0][i].wall)/float64(runs[1][i].wall))
		cr = append(cr, float64(runs[0][i].cpu)/float64(runs[1][i].cpu))
		pr = append(pr, float64(runs[0][i].peak)/float64(runs[1][i].peak))
	}
	id := func(x float64) float64 { return x }
	b.ReportMetric(medianOf(wr, id), "host/node-wall")
	b.ReportMetric(medianOf(cr, id), "host/node-cpu")
	b.ReportMetric(medianOf(pr, id), "host/node-peak")
	for _, step := range []string{"main", "built", "installed", "loaded", "setup", "activated", "deactivated", "roots"} {
		if len(steps) > 0 {
			b.ReportMetric(medianOf(steps, func(m map[string]float64) float64 { return m[step] }), "at-"+step+"-ms")
		}
	}
	// The memory side of the budget: what the all-on run had resident at
	// its end, by kind (its peak is about their sum).
	for _, part := range []string{"text", "rodata", "data", "anon"} {
		if len(steps) > 0 {
			b.ReportMetric(medianOf(steps, func(m map[string]float64) float64 { return m["rss-"+part] / 1024 }), "end-"+part+"-MiB")
		}
	}
}

// traceSteps reads HOST_TRACE's "trace   25.0ms loaded" lines: step ->
// milliseconds from the process start; and its last line, "trace-rss
// text=KiB rodata=KiB data=KiB anon=KiB": "rss-text" -> KiB, ...
func traceSteps(stderr string) map[string]float64 {
	out := map[string]float64{}
	for _, ln := range strings.Split(stderr, "\n") {
		f := strings.Fields(ln)
		if len(f) > 1 && f[0] == "trace-rss" {
			for _, kv := range f[1:] {
				k, v, _ := strings.Cut(kv, "=")
				if n, err := strconv.ParseFloat(v, 64); err == nil {
					out["rss-"+k] = n
				}
			}
			continue
		}
		if len(f) == 3 && f[0] == "trace" && strings.HasSuffix(f[1], "ms") {
			if v, err := strconv.ParseFloat(strings.TrimSuffix(f[1], "ms"), 64); err == nil {
				if _, seen := out[f[2]]; !seen {
					out[f[2]] = v
				}
			}
		}
	}
	return out
}

// BenchmarkVersionVsHello is issue 23 §1's floor: `host version` against
// a static Go hello world (built here the same way, CGO_ENABLED=0),
// alternating, as whole processes. Reports both medians and the median of
// the pairwise wall ratio (target <= 3) and CPU ratio.
func BenchmarkVersionVsHello(b *testing.B) {
	bin := builtHost(b)
	dir := b.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.24\n"), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"), 0o644)
	hello := filepath.Join(dir, "hello")
	build := exec.Command("go", "build", "-o", hello, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build hello: %v\n%s", err, out)
	}
	var hosts, hellos []startupRun
	var wr, cr []float64
	for range 3 { // warm the page cache
		runMeasured(b, exec.Command(bin, "version"))
		runMeasured(b, exec.Command(hello))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := runMeasured(b, exec.Command(bin, "version"))
		w := runMeasured(b, exec.Command(hello))
		hosts, hellos = append(hosts, h), append(hellos, w)
		wr = append(wr, float64(h.wall)/float64(w.wall))
		cr = append(cr, float64(h.cpu)/float64(max(w.cpu, time.Millisecond)))
	}
	b.StopTimer()
	b.ReportMetric(medianOf(hosts, func(r startupRun) float64 { return ms(r.wall) }), "host-wall-ms")
	b.ReportMetric(medianOf(hellos, func(r startupRun) float64 { return ms(r.wall) }), "hello-wall-ms")
	b.ReportMetric(medianOf(wr, func(x float64) float64 { return x }), "host/hello-wall")
	b.ReportMetric(medianOf(cr, func(x float64) float64 { return x }), "host/hello-cpu")
	b.ReportMetric(medianOf(hosts, func(r startupRun) float64 { return ms(r.cpu) }), "host-cpu-ms")
	b.ReportMetric(medianOf(hellos, func(r startupRun) float64 { return ms(r.cpu) }), "hello-cpu-ms")
}
