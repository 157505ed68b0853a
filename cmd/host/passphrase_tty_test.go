//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"host/internal/hosttest"
)

// ttyRun is a host command on a pseudo-terminal: what the terminal shows,
// and lines typed when a prompt is shown.
type ttyRun struct {
	t       *testing.T
	cmd     *exec.Cmd
	ctl     *os.File
	mu      sync.Mutex
	screen  bytes.Buffer
	stderr  bytes.Buffer
	prompts int // prompts answered so far
}

func startTTY(t *testing.T, env []string, bin string, args ...string) *ttyRun {
	t.Helper()
	ctl, tty := openPTY(t)
	r := &ttyRun{t: t, ctl: ctl}
	r.cmd = exec.Command(bin, args...)
	r.cmd.Env = env
	r.cmd.Stdin = tty
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	r.cmd.Stderr = &lockedWriter{mu: &r.mu, b: &r.stderr}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.cmd.Process.Kill(); _ = r.cmd.Wait() })
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := ctl.Read(b)
			r.mu.Lock()
			r.screen.Write(b[:n])
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return r
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// answer waits for the next hidden-input prompt and types line.
func (r *ttyRun) answer(line string) {
	r.t.Helper()
	r.prompts++
	var s string
	hosttest.WaitFor(r.t, time.Minute, fmt.Sprintf("prompt %d", r.prompts), func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		s = r.screen.String()
		return strings.Count(s, "input hidden") >= r.prompts
	}, func() string { return "the terminal shows:\n" + s })
	if _, err := r.ctl.Write([]byte(line + "\r")); err != nil {
		r.t.Fatal(err)
	}
}

func (r *ttyRun) wait() (code int, stderr string) {
	r.t.Helper()
	err := r.cmd.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), r.stderr.String()
	}
	if err != nil {
		r.t.Fatal(err)
	}
	return 0, r.stderr.String()
}

// TestPassphrasePrompts (issue 19 §5): a new encrypted secrets file's
// passphrase is asked twice, a short one (under 8 characters) and two that
// differ are refused and asked again; a wrong passphrase for an existing
// file says "wrong passphrase" and asks again, 3 tries in all. The data dir
// with the file then uses it without --secrets file.
func TestPassphrasePrompts(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	data := filepath.Join(t.TempDir(), "data")
	var clean []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HOST_SECRETS") {
			clean = append(clean, kv)
		}
	}

	r := startTTY(t, clean, bin, "doctor", "--secrets", "file", "--data-dir", data)
	r.answer("short7!")
	r.answer("fake-passphrase-one")
	r.answer("fake-passphrase-two")
	r.answer("fake-passphrase-one")
	r.answer("fake-passphrase-one")
	code, stderr := r.wait()
	if code != 0 || !strings.Contains(stderr, "host: too short: use at least 8 characters (try 1 of 3)") ||
		!strings.Contains(stderr, "host: the two passphrases differ (try 2 of 3)") {
		t.Fatalf("new file: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "secrets.enc")); err != nil {
		t.Fatal(err)
	}

	// The file exists: used without the flag; a wrong passphrase is asked again.
	r = startTTY(t, clean, bin, "doctor", "--data-dir", data)
	r.answer("fake-passphrase-wrong")
	r.answer("fake-passphrase-one")
	if code, stderr := r.wait(); code != 0 || !strings.Contains(stderr, "host: wrong passphrase (try 1 of 3)") {
		t.Fatalf("existing file: exit %d\n%s", code, stderr)
	}

	// Three wrong ones: an error, exit 1.
	r = startTTY(t, clean, bin, "doctor", "--data-dir", data)
	for range 3 {
		r.answer("fake-passphrase-wrong")
	}
	if code, stderr := r.wait(); code != 1 || strings.Count(stderr, "wrong passphrase (try") != 2 || !strings.Contains(stderr, "passphrase does not open") {
		t.Fatalf("three wrong: exit %d\n%s", code, stderr)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if strings.Contains(r.screen.String()+r.stderr.String(), "fake-passphrase") {
		t.Error("a passphrase was shown")
	}
}
