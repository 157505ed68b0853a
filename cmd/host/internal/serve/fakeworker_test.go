package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
	"host/cmd/host/internal/mcpserver"
	"host/internal/hosttest"
)

// The fake worker: this test binary, started by the supervisor as
// "fake-worker MODEFILE" (an argument: a worker gets little of the
// environment, see WorkerEnv), speaks the worker's side of the protocol (MCP over
// stdio, the state resource) for one plugin "fake", doing what the mode
// file says at its start:
//
//	active       active, tools echo and hang (hang never returns)
//	needs        needs setup: token missing (kind missing)
//	refused      needs setup: the plugin refused its credentials
//	crash        writes "host: boom" to stderr and exits 1 at once
//	memory       active, holding 96 MiB
//	exitmemory   exits with ExitMemory after saying it went above its cap
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == "fake-worker" {
		os.Exit(fakeWorker(os.Args[2]))
	}
	os.Exit(hosttest.Main(m))
}

func fakeWorker(file string) int {
	b, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "host: fake worker:", err)
		return 1
	}
	mode := strings.TrimSpace(string(b))
	switch mode {
	case "crash":
		fmt.Fprintln(os.Stderr, "host: boom")
		return 1
	case "exitmemory":
		fmt.Fprintln(os.Stderr, "host: plugin fake used more than 7 MiB; stopped")
		return ExitMemory
	}
	var ballast []byte
	st := State{ID: "fake", Name: "Fake", File: "fake.ts", Phase: setup.Active, Tools: []string{"echo", "hang"}}
	switch mode {
	case "needs":
		st.Phase, st.Kind, st.Reason, st.Tools = setup.NeedsSetup, setup.Missing, "missing token", []string{"echo"}
		st.Fields = []Field{{Key: "token", Label: "API Token", Secret: true, Env: "HOST_CONFIG_FAKE_TOKEN"}}
	case "refused":
		st.Phase, st.Kind, st.Reason, st.Tools = setup.NeedsSetup, setup.Refused, "plugin.ts:9:11: Error: Invalid API token", []string{"echo"}
	case "memory":
		ballast = make([]byte, 96<<20)
		for i := range ballast {
			ballast[i] = byte(i)
		}
	}
	srv := mcp.NewServer(&mcp.Implementation{Name: "fake-worker", Version: "1"}, &mcp.ServerOptions{
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
	})
	obj := json.RawMessage(`{"type":"object"}`)
	srv.AddTool(&mcp.Tool{Name: "fake_echo", InputSchema: obj}, func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "echo " + string(req.Params.Arguments)}}}, nil
	})
	if mode == "active" || mode == "memory" {
		srv.AddTool(&mcp.Tool{Name: "fake_hang", InputSchema: obj}, func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			select {} // plugin code stuck where nothing interrupts it
		})
	}
	pub := Publish(srv, State{ID: "fake", File: "fake.ts", Phase: setup.Starting})
	go pub.Update(func(s *State) { *s = st })
	_ = srv.Run(context.Background(), &mcp.StdioTransport{})
	_ = ballast[len(ballast)/2:]
	return 0
}

// fake is a supervisor over one fake worker whose mode the test sets.
type fake struct {
	t    *testing.T
	sup  *Supervisor
	mode string // the mode file
	stop context.CancelFunc

	mu     sync.Mutex
	states []State
	change chan struct{}
}

func startFake(t *testing.T, mode string, o Options) *fake {
	t.Helper()
	f := &fake{t: t, mode: filepath.Join(t.TempDir(), "mode"), change: make(chan struct{}, 1)}
	f.setMode(mode)
	o.Command = func(string) *exec.Cmd {
		return exec.Command(os.Args[0], "fake-worker", f.mode)
	}
	if o.StopWait == 0 {
		o.StopWait = 5 * time.Second
	}
	o.OnState = func(st State) {
		f.mu.Lock()
		f.states = append(f.states, st)
		f.mu.Unlock()
		select {
		case f.change <- struct{}{}:
		default:
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.stop = cancel
	f.sup = Start(ctx, []string{filepath.Join(t.TempDir(), "fake.ts")}, o)
	t.Cleanup(func() { cancel(); f.sup.Wait() })
	return f
}

func (f *fake) setMode(mode string) {
	if err := os.WriteFile(f.mode, []byte(mode), 0o600); err != nil {
		f.t.Fatal(err)
	}
}

// waitFor waits until an emitted state satisfies ok and returns it; it
// fails the test after a minute (a margin no loaded machine eats).
func (f *fake) waitFor(what string, ok func(State) bool) State {
	f.t.Helper()
	return f.waitAfter(0, what, ok)
}

// waitAfter is waitFor for the states emitted after the first seen.
func (f *fake) waitAfter(seen int, what string, ok func(State) bool) State {
	f.t.Helper()
	deadline := time.After(time.Minute)
	for {
		f.mu.Lock()
		states := f.states[seen:]
		seen = len(f.states)
		f.mu.Unlock()
		for _, st := range states {
			if ok(st) {
				return st
			}
		}
		select {
		case <-f.change:
		case <-deadline:
			f.t.Fatalf("no state %s; saw %s", what, f.phases())
		}
	}
}

func (f *fake) phases() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, st := range f.states {
		out = append(out, fmt.Sprintf("%s (%s)", st.Phase, st.Reason))
	}
	return strings.Join(out, " -> ")
}

func phase(ph setup.Phase) func(State) bool { return func(st State) bool { return st.Phase == ph } }

// TestSupervisorStates: a worker's state (phase, kind, reason, fields)
// reaches the supervisor's States, its MCP backend and its calls as the
// worker reported it; a reload after the setup makes the plugin active
// and its tools callable.
func TestSupervisorStates(t *testing.T) {
	t.Parallel()
	f := startFake(t, "needs", Options{})
	st := f.waitFor("needs setup", phase(setup.NeedsSetup))
	if st.Kind != setup.Missing || st.Reason != "missing token" || len(st.Fields) != 1 || st.Fields[0].Env != "HOST_CONFIG_FAKE_TOKEN" || st.ID != "fake" {
		t.Errorf("state %+v", st)
	}
	if got := f.sup.States()[0].Line(); got != "fake: needs setup (missing token)" {
		t.Errorf("line %q", got)
	}
	infos := f.sup.Plugins()
	if len(infos) != 1 || infos[0].State != setup.NeedsSetup || infos[0].Setup == nil || strings.Join(infos[0].Setup.Fields, ",") != "token" || len(infos[0].Tools) != 1 {
		t.Errorf("MCP backend: %+v", infos)
	}
	_, err := f.sup.CallTool(context.Background(), &mcpserver.Call{Plugin: "fake", Tool: "echo"})
	var sr *mcpserver.SetupRequiredError
	if !errors.As(err, &sr) || sr.Plugin != "fake" || strings.Join(sr.Setup.Fields, ",") != "token" {
		t.Errorf("call before setup: %v, want a SetupRequiredError for token", err)
	}
	var na *NotActiveError
	if _, err := f.sup.Call(context.Background(), "fake", "echo", nil); !errors.As(err, &na) || !strings.Contains(err.Error(), "needs setup (missing token)") {
		t.Errorf("host call before setup: %v", err)
	}

	f.setMode("active")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, replaced, err := f.sup.Reload(ctx, "fake")
	if err != nil || !replaced || st.Phase != setup.Active || st.Kind != "" || st.Reason != "" || strings.Join(st.Tools, ",") != "echo,hang" || st.PID <= 0 {
		t.Fatalf("reload: %+v replaced %v, %v", st, replaced, err)
	}
	res, err := f.sup.Call(ctx, "fake", "echo", json.RawMessage(`{"a":1}`))
	if err != nil || len(res.Content) != 1 || res.Content[0].(*mcp.TextContent).Text != `echo {"a":1}` {
		t.Errorf("call: %+v, %v", res, err)
	}

	// A reload whose new worker is not active keeps the active one.
	f.setMode("refused")
	st, replaced, err = f.sup.Reload(ctx, "fake")
	if err != nil || replaced || st.Phase != setup.Active || !strings.Contains(st.Reason, "needs setup: plugin.ts:9:11: Error: Invalid API token; run 'host setup fake'") {
		t.Errorf("reload to a refused worker: %+v replaced %v, %v", st, replaced, err)
	}
}

// TestSupervisorRestartBackoff: a worker that crashes restarts after the
// backoff, doubling, each crash said with its reason and the next try; at
// MaxCrashes in a row the plugin is disabled; a reload starts it afresh.
func TestSupervisorRestartBackoff(t *testing.T) {
	t.Parallel()
	f := startFake(t, "crash", Options{MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, MaxCrashes: 3})
	st := f.waitFor("disabled", phase(setup.Disabled))
	if st.Reason != "crashed 3 times in a row; last: the worker did not start: the worker crashed (boom)" {
		t.Errorf("disabled: %q", st.Reason)
	}
	var restarts []string
	f.mu.Lock()
	for _, s := range f.states {
		if s.Phase == setup.Restarting {
			restarts = append(restarts, s.Reason)
		}
	}
	f.mu.Unlock()
	want := []string{
		"crash 1 of 3 in a row: the worker did not start: the worker crashed (boom); next try in 10ms",
		"crash 2 of 3 in a row: the worker did not start: the worker crashed (boom); next try in 20ms",
	}
	if strings.Join(restarts, "\n") != strings.Join(want, "\n") {
		t.Errorf("restarts:\n%s\nwant:\n%s", strings.Join(restarts, "\n"), strings.Join(want, "\n"))
	}
	if got := f.sup.States()[0]; got.Crashes != 3 || got.Phase != setup.Disabled {
		t.Errorf("state %+v", got)
	}

	f.setMode("active")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, replaced, err := f.sup.Reload(ctx, "fake")
	if err != nil || !replaced || st.Phase != setup.Active || st.Crashes != 0 {
		t.Errorf("reload of a disabled plugin: %+v replaced %v, %v", st, replaced, err)
	}
}

// TestSupervisorMemoryCap: a worker above the memory cap is stopped (by
// the supervisor, which reads its resident memory, or by itself), and the
// plugin's state says so.
func TestSupervisorMemoryCap(t *testing.T) {
	t.Parallel()
	t.Run("supervisor", func(t *testing.T) {
		t.Parallel()
		if _, ok := residentBytes(os.Getpid()); !ok {
			t.Skip("no resident memory on this platform")
		}
		f := startFake(t, "memory", Options{Memory: 48 << 20, MaxCrashes: 1})
		st := f.waitFor("disabled", phase(setup.Disabled))
		if !strings.Contains(st.Reason, "plugin fake used more than 48 MiB") {
			t.Errorf("reason %q", st.Reason)
		}
	})
	t.Run("worker", func(t *testing.T) {
		t.Parallel()
		f := startFake(t, "exitmemory", Options{MaxCrashes: 1})
		st := f.waitFor("disabled", phase(setup.Disabled))
		if st.Reason != "crashed 1 times in a row; last: the worker did not start: plugin fake used more than 7 MiB" {
			t.Errorf("reason %q", st.Reason)
		}
	})
}

// TestSupervisorCallTimeout: a call whose worker does not answer within
// the timeout plus the grace ends with a WorkerError, the worker is
// stopped, and the plugin restarts.
func TestSupervisorCallTimeout(t *testing.T) {
	t.Parallel()
	f := startFake(t, "active", Options{Timeout: 200 * time.Millisecond, Grace: 200 * time.Millisecond, MinBackoff: 10 * time.Millisecond})
	f.waitFor("active", phase(setup.Active))
	_, err := f.sup.Call(context.Background(), "fake", "hang", nil)
	var we *WorkerError
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "the tool did not finish within 200ms") {
		t.Fatalf("call: %v, want a WorkerError", err)
	}
	st := f.waitFor("restarting", phase(setup.Restarting))
	if !strings.Contains(st.Reason, "crash 1 of 5 in a row: the tool did not finish within 200ms") {
		t.Errorf("reason %q", st.Reason)
	}
	f.mu.Lock()
	n := len(f.states)
	f.mu.Unlock()
	f.waitAfter(n, "active again", phase(setup.Active))
}
