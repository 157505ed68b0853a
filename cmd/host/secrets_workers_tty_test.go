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
	"host/internal/hosttest"
)

// TestServeTypedPassphraseWorkers: `host serve --secrets file` whose
// passphrase the user typed at its prompt (none in the environment) hands
// the key it derived to its workers (serve/secretskey.go), which have no
// terminal to ask in and no passphrase: two plugins whose token is saved
// in the file become active and answer `host call`, each in a worker of
// its own and then both in one group's worker (--group). Without the key
// every worker ended with "needs a passphrase" and the serve restarted it
// in a loop. No worker derives the key: each opens the file with the
// serve's.
func TestServeTypedPassphraseWorkers(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	var clean []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HOST_SECRETS") && !strings.HasPrefix(kv, "HOST_TRACE") {
			clean = append(clean, kv)
		}
	}
	const pass = "fake-passphrase-typed"
	src, err := os.ReadFile("../../testdata/serve/states/needsetup/plugin.ts")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	plugins, data := filepath.Join(root, "plugins"), filepath.Join(root, "data")
	regions := map[string]string{"alpha": "eu-3", "beta": "us-5"}
	for id, region := range regions {
		dir := filepath.Join(plugins, id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "plugin.ts"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		// The token into the encrypted file (the passphrase from the
		// environment, for this setup only).
		cmd := exec.Command(bin, "setup", "--secrets", "file", "--data-dir", data,
			"--set", "token=fake-token-for-tests", "--set", "region="+region, dir)
		cmd.Env = append(clean, "HOST_SECRETS_PASSPHRASE="+pass)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("host setup %s: %v\n%s", id, err, out)
		}
	}

	for _, tc := range []struct {
		name string
		args []string
	}{
		{"workers", nil},
		{"group", []string{"--group", "alpha,beta"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"serve", "--secrets", "file", "--data-dir", data}, tc.args...)
			cmd := exec.Command(bin, append(args, plugins)...)
			cmd.Env = append(clean, "HOST_TRACE=1", "HOST_SERVE_BACKOFF=200ms")
			p := ptytest.Start(t, cmd)
			p.WaitShown("input hidden", 1)
			p.Send(pass + "\r")
			hosttest.WaitFor(t, time.Minute, tc.name+": both plugins active", func() bool {
				return strings.Contains(p.Stderr(), "alpha: active") && strings.Contains(p.Stderr(), "beta: active")
			}, func() string { return p.Stderr() })
			for id, region := range regions {
				// Through the serve's worker: without a passphrase the call
				// could not run the plugin itself.
				call := exec.Command(bin, "call", id, "where", "--data-dir", data)
				call.Env = clean
				out, err := call.CombinedOutput()
				if err != nil || strings.TrimSpace(string(out)) != region {
					t.Errorf("%s: host call %s where: %v %s", tc.name, id, err, out)
				}
			}
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			code := p.Wait()
			stderr := p.Stderr()
			if code != 0 {
				t.Errorf("%s: the serve exited %d after Ctrl-C", tc.name, code)
			}
			if strings.Contains(stderr, "needs a passphrase") || strings.Contains(stderr, "restarting") {
				t.Errorf("%s: a worker could not open the secrets file:\n%s", tc.name, stderr)
			}
			// Each plugin's session opened the file with the serve's key;
			// nobody derived it but the serve (at the prompt, untraced).
			if n := strings.Count(stderr, "secrets file opened with the serve's key"); n != 2 {
				t.Errorf("%s: %d sessions opened the file with the serve's key, want 2:\n%s", tc.name, n, stderr)
			}
			if n := strings.Count(stderr, "secrets file key derived"); n != 0 {
				t.Errorf("%s: the key was derived %d times after the prompt:\n%s", tc.name, n, stderr)
			}
			if strings.Contains(p.Shown()+stderr, pass) || strings.Contains(stderr, "fake-token-for-tests") {
				t.Errorf("%s: a secret was shown", tc.name)
			}
		})
	}
}
