//go:build linux

package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunMemoryCap: a single `host run` whose plugin goes above the cap is
// stopped with the serve's message and exit 1, not a Go out-of-memory dump.
func TestRunMemoryCap(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	plugin, _ := filepath.Abs("../../testdata/serve/run/hog/plugin.ts")
	cmd := exec.Command(bin, "run", "--once", "--memory", "256MiB", "--data-dir", filepath.Join(t.TempDir(), "data"), plugin)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "host: plugin hog used more than 256 MiB") || strings.Contains(string(out), "fatal error") {
		t.Errorf("exit %v, want 1 with the cap's message:\n%s", err, out)
	}
}

// TestRunSignalWhileNative: Ctrl-C or SIGTERM end `host run` even while
// plugin code is stuck in a native call: once its 5 s grace is up it says
// the plugin did not stop and exits.
func TestRunSignalWhileNative(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	plugin, _ := filepath.Abs("../../testdata/serve/run/stuck/plugin.ts")
	for name, sig := range map[string]syscall.Signal{"SIGTERM": syscall.SIGTERM, "SIGINT": syscall.SIGINT} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// A cap far above what the stuck stringify reaches in the grace
			// period: this test is about the signal, not the memory guard
			// (which would otherwise end the process first, see TestRunMemoryCap).
			cmd := exec.Command(bin, "run", "--memory", "8GiB", "--data-dir", filepath.Join(t.TempDir(), "data"), plugin)
			cmd.Env = env
			h := startHost(t, cmd)
			if !h.waitFor("calling JSON.stringify") {
				t.Fatalf("%v: the plugin never reached JSON.stringify:\n%s", sig, h.output())
			}
			// It ends (stop fails the test past its bound) and by the
			// grace path, which says so; how soon after the grace is up is
			// not asserted: a busy machine decides that.
			took, out, _ := h.stop(sig, 2*time.Minute)
			if !strings.Contains(out, "did not stop within 5s of the signal") {
				t.Errorf("%v: ended after %s without the grace's words:\n%s", sig, took, out)
			}
		})
	}
}
