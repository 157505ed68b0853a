package main

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"host/cmd/host/internal/demo"
)

// TestRunStopsOnSignal starts the real binary without --once, waits until
// the plugin is active, sends SIGTERM (and SIGINT, as Ctrl-C does) and
// expects onDeactivate to run and exit code 0.
func TestRunStopsOnSignal(t *testing.T) {
	t.Parallel()
	srv := demo.NewAPI(scriptToken)
	defer srv.Close()
	bin, _, env := hostBinary(t, srv.CertPEM())
	dir := t.TempDir()
	plugin, _ := filepath.Abs("../../testdata/plugins/lifecycle/plugin.ts")

	for i, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "run", plugin, "--data-dir", filepath.Join(dir, "data"),
			"--connect-to", "api.myservice.com:443:127.0.0.1:"+portOf(srv.Addr()))
		cmd.Env = append(env, "HOST_CONFIG_TOKEN="+scriptToken)
		h := startHost(t, cmd)
		if !h.waitFor("is active") {
			t.Fatalf("never became active:\n%s", h.output())
		}
		_, out, err := h.stop(sig, 20*time.Second)
		if err != nil {
			t.Fatalf("%v: exit %v\n%s", sig, err, out)
		}
		for _, want := range []string{
			"[lifecycle] activated, run " + string(rune('1'+i)),
			"[lifecycle] signal aborted",
			"[lifecycle] deactivated cleanly (signal aborted: true)",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: output lacks %q:\n%s", sig, want, out)
			}
		}
	}
}

// hostProc is a host process a test starts, reads and signals: the lines
// of its stderr read so far.
type hostProc struct {
	t     *testing.T
	cmd   *exec.Cmd
	sc    *bufio.Scanner
	lines []string
}

// startHost starts cmd with its stderr read by the returned hostProc.
func startHost(t *testing.T, cmd *exec.Cmd) *hostProc {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return &hostProc{t: t, cmd: cmd, sc: bufio.NewScanner(stderr)}
}

// waitFor reads stderr until a line contains sub; false when it ended
// first (the process is then waited for).
func (h *hostProc) waitFor(sub string) bool {
	for h.sc.Scan() {
		h.lines = append(h.lines, h.sc.Text())
		if strings.Contains(h.sc.Text(), sub) {
			return true
		}
	}
	_ = h.cmd.Wait()
	return false
}

// stop sends sig, reads the rest of stderr and waits for the exit, at
// most within (then the process is killed and the test fails). It returns
// the time from the signal to the exit, all of stderr and the exit error.
func (h *hostProc) stop(sig syscall.Signal, within time.Duration) (took time.Duration, out string, exit error) {
	h.t.Helper()
	start := time.Now()
	if err := h.cmd.Process.Signal(sig); err != nil {
		h.t.Fatal(err)
	}
	for h.sc.Scan() {
		h.lines = append(h.lines, h.sc.Text())
	}
	done := make(chan error, 1)
	go func() { done <- h.cmd.Wait() }()
	select {
	case exit = <-done:
	case <-time.After(within):
		_ = h.cmd.Process.Kill()
		h.t.Fatalf("%v: host did not stop within %s:\n%s", sig, within, h.output())
	}
	return time.Since(start), h.output(), exit
}

func (h *hostProc) output() string { return strings.Join(h.lines, "\n") }
