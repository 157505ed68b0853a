//go:build linux

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
	"host/cmd/host/internal/serve"
	"host/internal/hosttest"
)

// TestServeGroup (issue 23 §3's opt-in): `host serve --group` runs the
// plugins of a group in one worker process, from the attacker's side.
// keeper and prober share a worker, other and third another. prober
// finds nothing of keeper's through the plugin API (the same secret and
// store keys, a config field of the same name, process.env, the
// runtime's globals). Killing the group's process restarts both its
// members, each line saying why, while the other group answers every
// call of a steady stream and is not restarted. `host status --json`
// shows every member with its group and its group's pid. A save of
// prober under --watch reloads prober alone, in the same process: keeper
// keeps its count (no restart). Above the memory cap, which is the
// group's, both members restart.
func TestServeGroup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src, _ := filepath.Abs("../../testdata/serve/group")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	const token = "fake-keeper-token-9999"
	s := startServe(t, []string{"HOST_SERVE_BACKOFF=200ms", "HOST_CONFIG_KEEPER_TOKEN=" + token},
		"--page", "off", "--watch", "--group", "keeper,prober", "--group", "other, third", dir)
	s.waitLines(": active", 4, 60*time.Second)
	ctx := context.Background()
	var c *serve.Client
	call := func(id, tool string, args string) string {
		t.Helper()
		res, err := c.Call(ctx, id, tool, json.RawMessage(args))
		if err != nil {
			t.Fatalf("%s %s: %v", id, tool, err)
		}
		return resultText(res)
	}

	// Each member is shown with its group; a group's members share a pid.
	st := map[string]int{}
	for id, group := range map[string]string{"keeper": "keeper,prober", "prober": "keeper,prober", "other": "other,third", "third": "other,third"} {
		got := s.state(id)
		if got.Group != group || got.Phase != setup.Active || got.PID <= 0 {
			t.Fatalf("%s: %+v, want active in group %s", id, got, group)
		}
		st[id] = got.PID
	}
	if st["keeper"] != st["prober"] || st["other"] != st["third"] || st["keeper"] == st["other"] {
		t.Fatalf("pids %v: want one process per group", st)
	}
	if got, _ := s.state("keeper").Status.(map[string]any); got["message"] != "keeper is keeping" || got["state"] != "connected" {
		t.Errorf("keeper's status: %v", got)
	}
	if out, err := s.host("status", "keeper"); err != nil || !strings.Contains(out, "(pid "+fmt.Sprint(st["keeper"])+", the worker of group keeper,prober)") {
		t.Errorf("host status keeper: %v\n%s", err, out)
	}
	if got := s.state("prober").Status; got != nil {
		t.Errorf("prober's status: %v, want none", got)
	}

	// (Dialled just before its first call: the control channel closes a
	// connection that sends no request within 5 s, the probe's too.)
	c = s.client()
	if got := call("keeper", "count", "{}"); got != "1 token ends in 9999" {
		t.Errorf("keeper: %q", got)
	}
	// The attacker's view from inside keeper's process.
	if got, want := call("prober", "probe", "{}"), "version=1 secret=- store=- token=- global=- env={}"; got != want {
		t.Errorf("prober found:\n%s\nwant:\n%s", got, want)
	}
	environ, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", st["keeper"]))
	cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", st["keeper"]))
	if strings.Contains(string(environ)+string(cmdline), token) || strings.Contains(string(environ), "HOST_CONFIG_") {
		t.Errorf("the group's worker has a config value in its environment or command line")
	}

	// The other group answers a steady stream of calls throughout.
	steady := startSteady(func(i int) error {
		id, tool, args, want := "other", "echo", fmt.Sprintf(`{"n":%d}`, i), fmt.Sprint(i)
		if i%2 == 1 {
			id, tool, args, want = "third", "ping", "{}", "pong"
		}
		res, err := c.Call(ctx, id, tool, json.RawMessage(args))
		if err != nil || res.IsError || resultText(res) != want {
			return fmt.Errorf("call %d to %s: %v %+v", i, id, err, res)
		}
		return nil
	})

	// The group's process killed: both members restart, each saying so.
	if err := syscall.Kill(st["keeper"], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"keeper", "prober"} {
		s.waitLines(id+": restarting: crash 1 of 5 in a row: its group's worker (keeper,prober) ended: the worker was killed (killed)", 1, 20*time.Second)
		s.waitLines(id+": active", 2, 30*time.Second)
	}
	if got := call("keeper", "count", "{}"); got != "1 token ends in 9999" {
		t.Errorf("keeper after the restart: %q, want a fresh count", got)
	}
	restarted := s.state("keeper").PID
	if restarted == st["keeper"] || s.state("prober").PID != restarted {
		t.Errorf("after the kill: keeper %d, prober %d (before %d): want one new process", restarted, s.state("prober").PID, st["keeper"])
	}
	after := steady.calls.Load() + 10
	hosttest.WaitFor(t, 20*time.Second, "ten more calls to the other group", func() bool { return steady.calls.Load() >= after }, steady.String)
	if calls, failures, first := steady.stop(); failures != 0 {
		t.Errorf("the other group: %d of %d calls failed (first: %v)", failures, calls, first)
	}
	if s.count("other: active") != 1 || s.count("third: active") != 1 || s.state("other").PID != st["other"] {
		t.Errorf("the other group was restarted")
	}

	// --watch: prober reloads in place; keeper is not touched.
	if got := call("keeper", "count", "{}"); got != "2 token ends in 9999" {
		t.Errorf("keeper: %q", got)
	}
	probe := filepath.Join(dir, "prober", "plugin.ts")
	body, err := os.ReadFile(probe)
	if err != nil {
		t.Fatal(err)
	}
	var saved time.Time
	hosttest.WaitFor(t, 30*time.Second, "prober to reload after a save", func() bool {
		if s.count("prober: reloaded (plugin.ts changed)") > 0 {
			return true
		}
		if time.Since(saved) > 500*time.Millisecond {
			if err := os.WriteFile(probe, []byte(strings.Replace(string(body), "const version = 1;", "const version = 2;", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			saved = time.Now()
		}
		return false
	}, s.output)
	if got := call("prober", "probe", "{}"); !strings.HasPrefix(got, "version=2 secret=- store=- token=- global=- ") {
		t.Errorf("prober after the save: %q", got)
	}
	if got := call("keeper", "count", "{}"); got != "3 token ends in 9999" {
		t.Errorf("keeper after prober's reload: %q, want its count kept", got)
	}
	if s.count("keeper: active") != 2 || s.state("keeper").PID != restarted || s.state("prober").PID != restarted {
		t.Errorf("prober's reload restarted keeper or left the group's process")
	}

	// Above the memory cap (the group's): the caller is told, and both
	// members restart, saying why.
	const capped = "its group's worker (keeper,prober) ended: the group used more than 512 MiB (its plugins share one worker and its cap)"
	if _, err := c.Call(ctx, "prober", "hog", nil); err == nil || !strings.Contains(err.Error(), "plugin prober, tool hog: "+capped) {
		t.Errorf("prober hog: %v, want the group's memory cap", err)
	}
	for _, id := range []string{"keeper", "prober"} {
		s.waitLines(id+": restarting: crash 2 of 5 in a row: "+capped+"; next try in 400ms", 1, 20*time.Second) // the second in a row: backoff doubles for both
		s.waitLines(id+": active", 3, 30*time.Second)
	}
	if s.count("other: active") != 1 || s.count("third: active") != 1 {
		t.Errorf("the other group was restarted")
	}
	s.stop(syscall.SIGTERM, 15*time.Second)
	for _, id := range []string{"keeper", "prober", "other", "third"} {
		if s.count(id+": stopped") != 1 {
			t.Errorf("%s was not stopped at the end", id)
		}
	}
}

// TestServeGroupUsage: a --group that names no served plugin, names one
// twice or in two groups, or holds one plugin is one usage error (exit 2)
// saying what is wrong and what to do, before any worker starts.
func TestServeGroupUsage(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dir, _ := filepath.Abs("../../testdata/serve/group")
	for _, tc := range []struct {
		groups []string
		want   string
	}{
		{[]string{"keeper,nobody"}, "host: serve: --group keeper,nobody: nobody is not a plugin this serve runs (it runs keeper, other, prober, third); name a group's plugins by id, file or directory"},
		{[]string{"keeper,prober", "prober,other"}, "host: serve: --group prober,other: prober is already in --group keeper,prober; a plugin can be in one group only"},
		{[]string{"keeper"}, `host: serve: --group "keeper": a group needs at least two plugins (a plugin not in a group has a worker of its own); name them with commas: --group keeper,OTHER`},
		{[]string{"keeper," + filepath.Join(dir, "keeper")}, "host: serve: --group keeper," + filepath.Join(dir, "keeper") + ": keeper and " + filepath.Join(dir, "keeper") + " are the same plugin; name each plugin once"},
	} {
		args := []string{"serve", "--data-dir", filepath.Join(t.TempDir(), "data"), "--page", "off"}
		for _, g := range tc.groups {
			args = append(args, "--group", g)
		}
		cmd := exec.Command(bin, append(args, dir)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || strings.TrimSpace(string(out)) != tc.want {
			t.Errorf("--group %v: %v\n%s\nwant exit 2 and:\n%s", tc.groups, err, out, tc.want)
		}
	}
}

// TestServeGroupStop: a member stopped while the serve runs (host
// disable, host remove: Supervisor.Stop) ends its instance alone: its
// mate keeps the group's process and answers; the last member stopped
// ends the process; a reload then starts a new one.
func TestServeGroupStop(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	env = append(env, "HOST_CONFIG_KEEPER_TOKEN=fake-keeper-token-9999")
	dataDir := filepath.Join(t.TempDir(), "data")
	dir, _ := filepath.Abs("../../testdata/serve/group")
	keeper, prober := filepath.Join(dir, "keeper", "plugin.ts"), filepath.Join(dir, "prober", "plugin.ts")
	ctx, cancel := context.WithCancel(context.Background())
	sup := serve.Start(ctx, []string{keeper, prober}, serve.Options{
		GroupCommand: func(name string) *exec.Cmd {
			cmd := exec.Command(bin, "worker", "--data-dir", dataDir, "--shared", "--"+serve.GroupFlag, name)
			cmd.Env = env
			return cmd
		},
		Groups:  map[string]string{keeper: "keeper,prober", prober: "keeper,prober"},
		Environ: env,
	})
	defer func() { cancel(); sup.Wait() }()
	phases := func() string {
		var out []string
		for _, st := range sup.States() {
			out = append(out, fmt.Sprintf("%s %s pid %d", st.Line(), st.Group, st.PID))
		}
		return strings.Join(out, "; ")
	}
	active := func(ids ...string) func() bool {
		return func() bool {
			n := 0
			for _, st := range sup.States() {
				for _, id := range ids {
					if st.ID == id && st.Phase == setup.Active {
						n++
					}
				}
			}
			return n == len(ids)
		}
	}
	hosttest.WaitFor(t, 60*time.Second, "keeper and prober active", active("keeper", "prober"), phases)
	pid := sup.States()[0].PID
	alive := func(pid int) bool { return syscall.Kill(pid, 0) == nil }

	st, err := sup.Stop(ctx, "prober", "disabled")
	if err != nil || st.Phase != setup.Stopped {
		t.Fatalf("stop prober: %v %s", err, st.Line())
	}
	if res, err := sup.Call(ctx, "keeper", "count", nil); err != nil || resultText(res) != "1 token ends in 9999" {
		t.Errorf("keeper after prober stopped: %v %+v", err, res)
	}
	if !alive(pid) || sup.States()[0].PID != pid {
		t.Errorf("prober's stop ended the group's process: %s", phases())
	}

	if _, err := sup.Stop(ctx, "keeper", "disabled"); err != nil {
		t.Fatal(err)
	}
	hosttest.WaitFor(t, 20*time.Second, "the group's process to end with its last member", func() bool { return !alive(pid) }, phases)

	if st, replaced, err := sup.Reload(ctx, "prober"); err != nil || !replaced || st.Phase != setup.Active || st.PID == pid || st.PID == 0 {
		t.Errorf("prober reloaded: %v %v %s pid %d (before %d)", err, replaced, st.Line(), st.PID, pid)
	}
}

// TestServeGroupHTTP: an MCP client of `host serve --http` calls group
// members' tools (the call path forwards them to the member's channel of
// the group's worker) and an ungrouped plugin's: each answers as its own.
func TestServeGroupHTTP(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dir, _ := filepath.Abs("../../testdata/serve/group")
	url, _ := mcpHTTPProc(t, append(env, "HOST_CONFIG_KEEPER_TOKEN=fake-keeper-token-9999"), bin, "serve", "--data-dir", filepath.Join(t.TempDir(), "data"),
		"--page", "off", "--http", "127.0.0.1:0", "--no-auth", "--group", "keeper,prober", dir)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	call := func(name, args string) string {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: json.RawMessage(args)})
		if err != nil {
			return "error: " + err.Error()
		}
		return resultText(res)
	}
	var got string
	hosttest.WaitFor(t, time.Minute, "keeper to answer", func() bool {
		got = call("keeper_count", "{}")
		return strings.HasSuffix(got, " token ends in 9999")
	}, func() string { return "last: " + got })
	for _, c := range []struct{ name, args, want string }{
		{"prober_probe", "{}", "version=1 secret=- store=- token=- global=- env={}"},
		{"other_echo", `{"n":7}`, "7"},
		{"third_ping", "{}", "pong"},
	} {
		hosttest.WaitFor(t, time.Minute, c.name+" to answer", func() bool {
			got = call(c.name, c.args)
			return got == c.want
		}, func() string { return "last: " + got + ", want: " + c.want })
	}
}

// TestServeGroupStuck: a group's worker that stops answering (here:
// SIGSTOP, as plugin code stuck in a native call would) past the timeout
// is killed at the call that waited: the caller is told, and every member
// restarts, saying which plugin's call it was.
func TestServeGroupStuck(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/group")
	s := startServe(t, []string{"HOST_SERVE_BACKOFF=200ms", "HOST_CONFIG_KEEPER_TOKEN=fake-keeper-token-9999"},
		"--page", "off", "--timeout", "2s", "--group", "keeper,prober", dir)
	s.waitLines(": active", 4, 60*time.Second)
	pid := s.state("keeper").PID
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(pid, syscall.SIGCONT)
	c := s.client()
	var err error
	for try := 0; try < 3; try++ {
		// (Rarely a call right after SIGSTOP is still answered.)
		if _, err = c.Call(context.Background(), "keeper", "count", nil); err != nil {
			break
		}
	}
	const why = "the tool did not finish within 2s (plugin code that cannot be interrupted, e.g. a long native call)"
	if err == nil || !strings.Contains(err.Error(), "plugin keeper, tool count: "+why) {
		t.Errorf("keeper count: %v, want the timeout", err)
	}
	for _, id := range []string{"keeper", "prober"} {
		s.waitLines(id+": restarting: crash 1 of 5 in a row: its group's worker (keeper,prober) ended: plugin keeper: "+why, 1, 20*time.Second)
		s.waitLines(id+": active", 2, 30*time.Second)
	}
	if got := s.state("prober").PID; got == pid || got != s.state("keeper").PID {
		t.Errorf("after the kill: prober pid %d, keeper %d (before %d)", got, s.state("keeper").PID, pid)
	}
	if s.count("other: active") != 1 || s.count("third: active") != 1 {
		t.Errorf("the ungrouped plugins were restarted")
	}
	s.stop(syscall.SIGTERM, 15*time.Second)
}
