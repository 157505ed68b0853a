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
	srv := demo.NewAPI(scriptToken)
	defer srv.Close()
	bin, _, env := hostBinary(t, srv.CertPEM())
	dir := t.TempDir()
	plugin, _ := filepath.Abs("../../testdata/plugins/lifecycle/plugin.ts")

	for i, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "run", plugin, "--data-dir", filepath.Join(dir, "data"),
			"--connect-to", "api.myservice.com:443:127.0.0.1:"+portOf(srv.Addr()))
		cmd.Env = append(env, "HOST_CONFIG_TOKEN="+scriptToken)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var lines []string
		sc := bufio.NewScanner(stderr)
		active := false
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if strings.Contains(sc.Text(), "is active") {
				active = true
				break
			}
		}
		if !active {
			_ = cmd.Wait()
			t.Fatalf("never became active:\n%s", strings.Join(lines, "\n"))
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%v: exit %v\n%s", sig, err, strings.Join(lines, "\n"))
			}
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("%v: host did not stop", sig)
		}
		out := strings.Join(lines, "\n")
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
