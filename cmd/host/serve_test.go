//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
	"host/cmd/host/internal/serve"
	"host/internal/hosttest"
)

// serveProc is a running `host serve` driven by a test.
type serveProc struct {
	t       testing.TB
	cmd     *exec.Cmd
	dataDir string
	env     []string
	bin     string

	mu    sync.Mutex
	lines []string
	seen  chan struct{} // pinged on every new line
	done  chan struct{}
	err   error
}

// startServe runs the real binary's `host serve` with args (the data dir
// added) and collects its stderr lines.
func startServe(t testing.TB, extraEnv []string, args ...string) *serveProc {
	t.Helper()
	bin, _, env := hostBinary(t, nil)
	return startServeIn(t, bin, append(env, extraEnv...), filepath.Join(t.TempDir(), "data"), args...)
}

// startServeIn is startServe with the binary, environment and data dir
// given.
func startServeIn(t testing.TB, bin string, env []string, dataDir string, args ...string) *serveProc {
	t.Helper()
	s := &serveProc{t: t, dataDir: dataDir, env: env, bin: bin,
		seen: make(chan struct{}, 1), done: make(chan struct{})}
	s.cmd = exec.Command(bin, append([]string{"serve", "--data-dir", s.dataDir}, args...)...)
	s.cmd.Env = s.env
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.lines = append(s.lines, sc.Text())
			s.mu.Unlock()
			select {
			case s.seen <- struct{}{}:
			default:
			}
		}
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = s.cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("serve output:\n%s", s.output())
		}
	})
	return s
}

func (s *serveProc) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.lines, "\n")
}

// count is how many lines contain sub.
func (s *serveProc) count(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.lines {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

// waitLines waits until n lines contain sub.
func (s *serveProc) waitLines(sub string, n int, within time.Duration) {
	s.t.Helper()
	deadline := time.After(within)
	for s.count(sub) < n {
		select {
		case <-s.seen:
		case <-s.done:
			if s.count(sub) >= n {
				return
			}
			s.t.Fatalf("serve ended (%v) before %d line(s) with %q", s.err, n, sub)
		case <-deadline:
			s.t.Fatalf("no %d line(s) with %q within %s; the serve printed:\n%s", n, sub, within, s.output())
		}
	}
}

func (s *serveProc) client() *serve.Client {
	s.t.Helper()
	c, err := serve.Dial(s.dataDir)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(c.Close)
	return c
}

// state is one plugin's state as `host status --json` shows it.
func (s *serveProc) state(id string) serve.State {
	s.t.Helper()
	out, err := s.host("status", "--json")
	if err != nil {
		s.t.Fatalf("host status --json: %v\n%s", err, out)
	}
	var states []serve.State
	if err := json.Unmarshal([]byte(out), &states); err != nil {
		s.t.Fatalf("host status --json: %v\n%s", err, out)
	}
	for _, st := range states {
		if st.ID == id {
			return st
		}
	}
	s.t.Fatalf("host status --json has no %s:\n%s", id, out)
	return serve.State{}
}

// host runs another host command against the serve's data dir; stdout.
func (s *serveProc) host(args ...string) (string, error) {
	cmd := exec.Command(s.bin, append(args, "--data-dir", s.dataDir)...)
	cmd.Env = s.env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out) + stderr.String(), err
	}
	return string(out), nil
}

// stop sends sig and waits (bounded) for the serve to exit.
func (s *serveProc) stop(sig syscall.Signal, within time.Duration) time.Duration {
	s.t.Helper()
	start := time.Now()
	_ = s.cmd.Process.Signal(sig)
	select {
	case <-s.done:
	case <-time.After(within):
		s.t.Fatalf("serve did not stop within %s of %v", within, sig)
	}
	if s.err != nil {
		s.t.Fatalf("serve exited with %v after %v", s.err, sig)
	}
	return time.Since(start)
}

// TestServeIsolation: four plugins in one serve. One allocates 4 GB in a
// tool, one stringifies a 1e6-deep object (a native call no timeout
// interrupts), one's worker is killed with SIGKILL three times; the fourth
// answers every call of a steady stream throughout, and the first three
// come back. A fifth goes above the cap in every activation and ends
// disabled after five crashes.
func TestServeIsolation(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/four")
	s := startServe(t, []string{"HOST_SERVE_BACKOFF=200ms"}, "--timeout", "3s", dir)
	s.waitLines(": active", 4, 30*time.Second)
	c := s.client()
	ctx := context.Background()

	// The steady stream: a call every 20 ms, each must answer.
	steady := startSteady(func(i int) error {
		res, err := c.Call(ctx, "steady", "echo", json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)))
		if err != nil || res.IsError || resultText(res) != fmt.Sprintf(`{"n":%d}`, i) {
			return fmt.Errorf("call %d: %v %+v", i, err, res)
		}
		return nil
	})

	// 4 GB: stopped at the cap, with the message, then restarted.
	_, err := c.Call(ctx, "hog", "hog", nil)
	if err == nil || !strings.Contains(err.Error(), "plugin hog used more than 512 MiB") {
		t.Errorf("hog: got %v, want the memory cap's message", err)
	}
	// JSON.stringify of a 1e6-deep object: interrupted at the timeout (a
	// tool error), or the worker ends (its stack above the memory cap, or
	// stuck past the timeout): either way the caller is told.
	res, err := c.Call(ctx, "deep", "deep", nil)
	switch {
	case err == nil && res.IsError && strings.Contains(resultText(res), "ran longer than 3s"):
	case err != nil && (strings.Contains(err.Error(), "did not finish within 3s") || strings.Contains(err.Error(), "used more than 512 MiB")):
	default:
		t.Errorf("deep: got %v %+v, want the timeout or the memory cap", err, res)
	}
	// SIGKILL three times, each after the worker came back.
	for i := 1; i <= 3; i++ {
		s.waitLines("victim: active", i, 20*time.Second)
		st := s.state("victim")
		if st.PID == 0 {
			t.Fatalf("victim has no worker pid: %+v", st)
		}
		if err := syscall.Kill(st.PID, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		s.waitLines(fmt.Sprintf("victim: restarting: crash %d of 5 in a row: the worker was killed (killed)", i), 1, 10*time.Second)
	}
	// A worker that stops answering (here: SIGSTOP) past the timeout is
	// killed; the caller gets a clear error and the plugin comes back.
	s.waitLines("victim: active", 4, 20*time.Second)
	stopped := s.state("victim").PID
	if err := syscall.Kill(stopped, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(stopped, syscall.SIGCONT)
	t0 := time.Now()
	for try := 0; try < 3; try++ {
		// (Rarely the first call after SIGSTOP was still answered; the
		// next ones cannot be.)
		if res, err = c.Call(ctx, "victim", "ping", nil); err != nil {
			break
		}
		t.Logf("call %d after SIGSTOP answered: %+v", try, res)
	}
	if err == nil || !strings.Contains(err.Error(), "plugin victim, tool ping: the tool did not finish within 3s") {
		t.Logf("after %s: %+v %v", time.Since(t0), res, res != nil && len(res.Content) > 0 && resultText(res) != "")
		if res != nil {
			t.Logf("text %q", resultText(res))
		}
		stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", stopped))
		t.Errorf("stopped victim (%s, now %d): got %v, want the timeout", stat, s.state("victim").PID, err)
	}
	s.waitLines("victim: active", 5, 20*time.Second)
	s.waitLines("hog: active", 2, 20*time.Second)
	s.waitLines("crasher: disabled: crashed 5 times in a row; last: plugin crasher used more than 512 MiB", 1, 60*time.Second)
	if n := s.count("crasher: restarting: crash"); n != 4 {
		t.Errorf("crasher restarted %d times before it was disabled, want 4", n)
	}
	// Each comes back (deep once its worker gave up on the native call,
	// if the interrupt did not stop it).
	for _, id := range []string{"hog", "deep", "victim"} {
		var got *mcp.CallToolResult
		var callErr error
		if err := hosttest.Wait(time.Minute, id+" to come back (ping: pong)", func() bool {
			got, callErr = c.Call(ctx, id, "ping", nil)
			return callErr == nil && resultText(got) == "pong"
		}, func() string { return fmt.Sprintf("%v %+v", callErr, got) }); err != nil {
			t.Errorf("%s did not come back: %v", id, err)
		}
	}
	if st := s.state("crasher"); st.Phase != setup.Disabled {
		t.Errorf("crasher: %+v, want disabled", st)
	}
	// The stream keeps answering after the last restart: ten more calls.
	after := steady.calls.Load() + 10
	hosttest.WaitFor(t, 20*time.Second, "ten more steady calls", func() bool { return steady.calls.Load() >= after }, steady.String)
	calls, failures, first := steady.stop()
	if failures != 0 || calls < 50 {
		t.Errorf("steady: %d of %d calls failed (first: %v)", failures, calls, first)
	}
	t.Logf("steady answered %d calls while the others failed", calls)
	s.stop(syscall.SIGTERM, 15*time.Second)
}

// TestServeTimeoutStopsNativeCall: the plugin of TestRunTimeoutStopsNativeCall
// (harden_test.go) under `host serve`:
// its worker ends soon after the timeout (jsrt's watchdog, not a poll of
// the idle worker), and the serve says why.
func TestServeTimeoutStopsNativeCall(t *testing.T) {
	t.Parallel()
	plugin, _ := filepath.Abs("../../testdata/harden/deep-stringify/plugin.ts")
	s := startServe(t, nil, "--timeout", "2s", "--memory", "8GiB", plugin)
	s.waitLines("plugin deep-stringify did not stop at its 2s timeout (stuck in a native call)", 1, 2*time.Minute)
}

// TestServeTrimsAfterRequests: a serve and its worker give back what
// answering took once quiet: one host status mapped the code it ran (6.5
// -> 12 MiB PSS the idle serve kept), one tool call the worker's (6.3 ->
// 14 MiB). HOST_TRACE says when each trims; BenchmarkServeMemory measures
// the trims.
func TestServeTrimsAfterRequests(t *testing.T) {
	t.Parallel()
	s := startServe(t, []string{"HOST_TRACE=1"}, pluginsDir(t, 1))
	s.waitLines("serve trimmed", 1, time.Minute)  // once started
	s.waitLines("worker trimmed", 1, time.Minute) // once active
	if out, err := s.host("status"); err != nil {
		t.Fatalf("host status: %v\n%s", err, out)
	}
	s.waitLines("serve trimmed", 2, time.Minute) // once quiet after the request
	if out, err := s.host("call", "p00", "ping"); err != nil || strings.TrimSpace(out) != "pong" {
		t.Fatalf("host call: %v\n%s", err, out)
	}
	s.waitLines("worker trimmed", 2, time.Minute) // once quiet after the call
}

// TestServeStates: a serve of plugins that need setup, need a login, have
// a bug in onActivate, and are fine, as its lines and `host status --json`
// show them; `host setup` then activates the waiting plugin without
// restarting the serve.
func TestServeStates(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/states")
	s := startServe(t, nil, dir)
	s.waitLines("fine: active (2 tool(s))", 1, 30*time.Second)
	s.waitLines("needsetup: needs setup (missing token, region)", 1, 30*time.Second)
	s.waitLines("login: login needed: not logged in; run 'host setup login'", 1, 30*time.Second)
	s.waitLines("broken: error: ", 1, 30*time.Second)

	if st := s.state("needsetup"); st.Phase != setup.NeedsSetup || len(st.Fields) != 2 || st.Fields[0].Key != "token" || !st.Fields[0].Secret || st.Fields[0].Env != "HOST_CONFIG_NEEDSETUP_TOKEN" {
		t.Errorf("needsetup: %+v", st)
	}
	if st := s.state("login"); st.Phase != setup.NeedsLogin {
		t.Errorf("login: %+v", st)
	}
	if st := s.state("broken"); st.Phase != setup.Error || !strings.Contains(st.Reason, "plugin.ts:5:") || !strings.Contains(st.Reason, "Cannot read property 'missing' of undefined") {
		t.Errorf("broken: %+v, want the error with its position", st)
	}
	st := s.state("fine")
	if st.Phase != setup.Active || strings.Join(st.Tools, ",") != "hello,slow" || st.MemoryBytes <= 0 || st.PID <= 0 {
		t.Errorf("fine: %+v", st)
	}
	out, err := s.host("status")
	if err != nil || !strings.Contains(out, "needsetup: needs setup (missing token, region)") || !strings.Contains(out, "  tools: hello, slow") || !strings.Contains(out, "  memory: ") {
		t.Errorf("host status: %v\n%s", err, out)
	}

	// host setup completes the setup in the terminal's stead (here from
	// the environment) and the serve starts the plugin.
	servePID := s.cmd.Process.Pid
	cmd := exec.Command(s.bin, "setup", "needsetup", "--data-dir", s.dataDir, "--set", "region=eu-1")
	cmd.Env = append(s.env, "HOST_CONFIG_TOKEN=fake-token-for-tests")
	b, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(b), "[needsetup] activated in eu-1") || !strings.Contains(string(b), "needsetup: active (1 tool(s))") {
		t.Fatalf("host setup: %v\n%s", err, b)
	}
	s.waitLines("[needsetup] activated in eu-1", 1, 10*time.Second)
	if st := s.state("needsetup"); st.Phase != setup.Active {
		t.Errorf("needsetup after host setup: %+v", st)
	}
	if out, err := s.host("call", "needsetup", "where"); err != nil || strings.TrimSpace(out) != "eu-1" {
		t.Errorf("host call needsetup where: %v %s", err, out)
	}
	if s.cmd.Process.Pid != servePID || s.count("serving 4 plugin(s)") != 1 {
		t.Errorf("the serve restarted")
	}

	// A disabled plugin shows as such too (TestServeIsolation makes one).
	s.stop(syscall.SIGTERM, 15*time.Second)
}

// TestServeCall: `host call` through a running serve is answered by the
// serve's instance: one activation in total, seen in the plugin's log.
func TestServeCall(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/states/fine")
	s := startServe(t, nil, dir)
	s.waitLines("fine: active", 1, 30*time.Second)
	for _, name := range []string{"fine", dir, filepath.Join(dir, "plugin.ts")} {
		out, err := s.host("call", name, "hello", `{"name":"ann"}`)
		if err != nil || strings.TrimSpace(out) != `{"greeting":"hello ann"}` {
			t.Errorf("host call %s: %v\n%s", name, err, out)
		}
	}
	out, err := s.host("call", "fine", "hello", `{"name":1}`)
	if err == nil || !strings.Contains(out, "invalid input") {
		t.Errorf("host call with bad input: %v\n%s", err, out)
	}
	s.stop(syscall.SIGINT, 15*time.Second)
	if n := s.count("[fine] fine activated"); n != 1 {
		t.Errorf("%d activations, want 1", n)
	}
}

// TestServeSIGTERMDuringCall: SIGTERM while a tool call runs: the serve
// stops within its bound, every onDeactivate runs, exit 0.
func TestServeSIGTERMDuringCall(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/states/fine")
	victim, _ := filepath.Abs("../../testdata/serve/four/victim")
	s := startServe(t, nil, dir, victim)
	s.waitLines(": active", 2, 30*time.Second)
	c := s.client()
	callErr := make(chan error, 1)
	go func() {
		_, err := c.Call(context.Background(), "fine", "slow", nil)
		callErr <- err
	}()
	s.waitLines("[fine] slow started", 1, 20*time.Second)
	took := s.stop(syscall.SIGTERM, 15*time.Second)
	if s.count("[fine] fine deactivated") != 1 {
		t.Errorf("onDeactivate did not run")
	}
	if s.count("fine: stopped") != 1 || s.count("victim: stopped") != 1 {
		t.Errorf("not every plugin stopped")
	}
	t.Logf("stopped in %s; the call: %v", took, <-callErr)
}

// TestServeWatch: under --watch a save to one plugin reloads only that
// plugin; a broken save leaves the old version running.
func TestServeWatch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		_ = os.MkdirAll(filepath.Join(dir, name), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name, "plugin.ts"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	version := func(name string, n int) string {
		return fmt.Sprintf("export default definePlugin({\n  onActivate: async (ctx) => ctx.log.info('%s version %d'),\n"+
			"  tools: { v: { description: 'version', run: async () => %d } },\n});\n", name, n, n)
	}
	write("a", version("a", 1))
	write("b", version("b", 1))
	s := startServe(t, nil, "--watch", dir)
	s.waitLines(": active", 2, 30*time.Second)
	c := s.client()
	// The serve sets its watchers after the first start and does not say
	// when; a save before that goes unseen. Save again every half second
	// until the reload shows.
	var saved time.Time
	hosttest.WaitFor(t, 30*time.Second, "a reload after saving a", func() bool {
		if s.count("a: reloaded (plugin.ts changed)") > 0 {
			return true
		}
		if time.Since(saved) > 500*time.Millisecond {
			write("a", version("a", 2))
			saved = time.Now()
		}
		return false
	}, s.output)
	if res, err := c.Call(context.Background(), "a", "v", nil); err != nil || resultText(res) != "2" {
		t.Errorf("a after the save: %v %+v", err, res)
	}
	if s.count("[b] b version") != 1 || s.count("b: active") != 1 {
		t.Errorf("b was touched")
	}
	write("a", "export default definePlugin({ tools: { v: { run: async () => } } });\n")
	s.waitLines("a: still running the previous version", 1, 10*time.Second)
	if res, err := c.Call(context.Background(), "a", "v", nil); err != nil || resultText(res) != "2" {
		t.Errorf("a after a broken save: %v %+v", err, res)
	}
	s.stop(syscall.SIGTERM, 15*time.Second)
}

// steadyStream is a call every 20 ms on a goroutine of its own, counting
// the calls and the failures (a call that returns an error), until stop.
type steadyStream struct {
	calls, failures atomic.Int64
	first           atomic.Value // the first failure's error
	quit, done      chan struct{}
}

func startSteady(call func(i int) error) *steadyStream {
	s := &steadyStream{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for i := 0; ; i++ {
			select {
			case <-s.quit:
				return
			case <-time.After(20 * time.Millisecond):
			}
			err := call(i)
			s.calls.Add(1)
			if err != nil {
				s.failures.Add(1)
				s.first.CompareAndSwap(nil, err)
			}
		}
	}()
	return s
}

// stop ends the stream and says how it went.
func (s *steadyStream) stop() (calls, failures int64, first error) {
	close(s.quit)
	<-s.done
	first, _ = s.first.Load().(error)
	return s.calls.Load(), s.failures.Load(), first
}

func (s *steadyStream) String() string {
	return fmt.Sprintf("%d calls, %d failed (first: %v)", s.calls.Load(), s.failures.Load(), s.first.Load())
}
