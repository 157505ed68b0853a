//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"host/cmd/host/internal/ptytest"
)

// startTTY runs host ARGS on a pseudo-terminal; answer types a line
// once the next hidden-input prompt shows.
func startTTY(t *testing.T, env []string, bin string, args ...string) (p *ptytest.Term, answer func(string)) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	p = ptytest.Start(t, cmd)
	prompts := 0 // answered so far
	return p, func(line string) {
		t.Helper()
		prompts++
		p.WaitShown("input hidden", prompts)
		p.Send(line + "\r")
	}
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

	r, answer := startTTY(t, clean, bin, "doctor", "--secrets", "file", "--data-dir", data)
	answer("short7!")
	answer("fake-passphrase-one")
	answer("fake-passphrase-two")
	answer("fake-passphrase-one")
	answer("fake-passphrase-one")
	code, stderr := r.Wait(), r.Stderr()
	if code != 0 || !strings.Contains(stderr, "host: too short: use at least 8 characters (try 1 of 3)") ||
		!strings.Contains(stderr, "host: the two passphrases differ (try 2 of 3)") {
		t.Fatalf("new file: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "secrets.enc")); err != nil {
		t.Fatal(err)
	}

	// The file exists: used without the flag; a wrong passphrase is asked again.
	r, answer = startTTY(t, clean, bin, "doctor", "--data-dir", data)
	answer("fake-passphrase-wrong")
	answer("fake-passphrase-one")
	if code, stderr := r.Wait(), r.Stderr(); code != 0 || !strings.Contains(stderr, "host: wrong passphrase (try 1 of 3)") {
		t.Fatalf("existing file: exit %d\n%s", code, stderr)
	}

	// Three wrong ones: an error, exit 1.
	r, answer = startTTY(t, clean, bin, "doctor", "--data-dir", data)
	for range 3 {
		answer("fake-passphrase-wrong")
	}
	if code, stderr := r.Wait(), r.Stderr(); code != 1 || strings.Count(stderr, "wrong passphrase (try") != 2 || !strings.Contains(stderr, "passphrase does not open") {
		t.Fatalf("three wrong: exit %d\n%s", code, stderr)
	}
	if strings.Contains(r.Shown()+r.Stderr(), "fake-passphrase") {
		t.Error("a passphrase was shown")
	}
}
