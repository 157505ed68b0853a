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
	clean := noPassphraseEnv(env)
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

// TestServeTypedPassphraseNewFile: a serve that makes the secrets file
// (its new passphrase typed twice) hands its worker the key of the file
// it just wrote: the plugin becomes active, no worker asks.
func TestServeTypedPassphraseNewFile(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	clean := noPassphraseEnv(env)
	dir, _ := filepath.Abs("../../testdata/serve/states/fine")
	data := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--secrets", "file", "--data-dir", data, dir)
	cmd.Env = append(clean, "HOST_TRACE=1")
	p := ptytest.Start(t, cmd)
	for i := 1; i <= 2; i++ {
		p.WaitShown("input hidden", i)
		p.Send("fake-passphrase-new\r")
	}
	hosttest.WaitFor(t, time.Minute, "fine active", func() bool { return strings.Contains(p.Stderr(), "fine: active") },
		func() string { return p.Stderr() })
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	code, stderr := p.Wait(), p.Stderr()
	if code != 0 || strings.Contains(stderr, "needs a passphrase") || strings.Count(stderr, "secrets file opened with the serve's key") != 1 {
		t.Errorf("exit %d; the worker did not open the new file with the serve's key:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "secrets.enc")); err != nil {
		t.Error(err)
	}
	if strings.Contains(p.Shown()+stderr, "fake-passphrase-new") {
		t.Error("the passphrase was shown")
	}
}

// noPassphraseEnv is env without HOST_SECRETS* (no passphrase: it is
// typed) and HOST_TRACE (set where counted).
func noPassphraseEnv(env []string) []string {
	var clean []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HOST_SECRETS") && !strings.HasPrefix(kv, "HOST_TRACE") {
			clean = append(clean, kv)
		}
	}
	return clean
}
