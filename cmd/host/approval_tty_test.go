//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"host/cmd/host/internal/ptytest"
	"host/cmd/host/internal/serve"
)

// TestServeCallApproval: `host call` through a running serve of a tool
// marked approval: 'always' asks in the caller's terminal, as without a
// serve (the serve's worker asks; the serve relays the question over its
// control channel to host call): "n" denies (the tool does not run, exit
// 1), "y" runs it once, "always" runs it and records the choice (the next
// call without a terminal runs). Without a terminal the call is refused
// with why (exit 2), never reported as denied. The serve keeps the call's
// time limit stopped while the user thinks: the answer comes after the
// serve's --timeout has passed and the tool still runs.
func TestServeCallApproval(t *testing.T) {
	t.Parallel()
	pdir := filepath.Join(t.TempDir(), "gate")
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pdir, "plugin.ts"), []byte(approvalPluginTS), 0o644); err != nil {
		t.Fatal(err)
	}
	const timeout = 2 * time.Second
	s := startServe(t, nil, "--page", "off", "--timeout", timeout.String(), pdir)
	s.waitLines("gate: active", 1, 60*time.Second)

	// Without a terminal: refused, saying why; the tool did not run.
	out, err := s.host("call", "gate", "wipe", `{"confirm":"fake-confirm-word"}`)
	if ptytest.ExitCode(err) != 2 || !strings.Contains(out, "no terminal to ask in") || strings.Contains(out, "denied") || !strings.Contains(out, "host tools gate --always-allow wipe") {
		t.Errorf("without a terminal: exit %d\n%s", ptytest.ExitCode(err), out)
	}

	// In a terminal: the question, then the answer.
	call := func(answer string, wait time.Duration, meanwhile ...func()) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(s.bin, "call", "gate", "wipe", `{"confirm":"fake-confirm-word"}`, "--data-dir", s.dataDir)
		cmd.Env = s.env
		p := ptytest.Start(t, cmd)
		p.WaitShown("Run it? [y/N/always]", 1)
		time.Sleep(wait) // the user thinks (past the serve's --timeout and its grace)
		for _, fn := range meanwhile {
			fn()
		}
		p.Type(answer)
		code = p.Wait()
		return p.Stdout(), p.Stderr(), code
	}
	so, se, code := call("n", 0)
	if code != 1 || !strings.Contains(se, "did not run: the user denied it") {
		t.Errorf("answer n: exit %d\nstdout %s\nstderr %s", code, so, se)
	}
	for _, want := range []string{"Tool wipe of plugin gate asks for your approval", `"confirm":"fake-confirm-word"`} {
		if !strings.Contains(se, want) {
			t.Errorf("the question lacks %q:\n%s", want, se)
		}
	}
	if so, se, code := call("y", timeout+serve.DefaultGrace+2*time.Second); code != 0 || so != "wiped 1\n" {
		t.Errorf("answer y after the serve's timeout: exit %d\nstdout %q\nstderr %s", code, so, se)
	}
	if so, se, code := call("always", 0); code != 0 || so != "wiped 2\n" {
		t.Errorf("answer always: exit %d\nstdout %q\nstderr %s", code, so, se)
	}
	if out, err := s.host("call", "gate", "wipe", `{"confirm":"x"}`); err != nil || out != "wiped 3\n" {
		t.Errorf("after always, without a terminal: %v %q", err, out)
	}
	if strings.Contains(s.output(), "restart") || s.count("gate: active") != 1 {
		t.Errorf("the worker restarted:\n%s", s.output())
	}
	// The worker ends while the user is asked (killed, as by a memory
	// cap): the answer finds no call, host call says why the tool did not
	// finish, asks nothing more and does not run the tool itself.
	if out, err := s.host("tools", pdir, "--ask", "wipe"); err != nil {
		t.Fatalf("host tools --ask: %v\n%s", err, out)
	}
	pid := s.state("gate").PID
	so, se, code = call("y", 0, func() {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		s.waitLines("gate: restarting", 1, 30*time.Second)
	})
	if code != 1 || strings.Count(se, "asks for your approval") != 1 || strings.Contains(so, "wiped") {
		t.Errorf("the worker ended during the question: exit %d\nstdout %q\nstderr %s", code, so, se)
	}
}
