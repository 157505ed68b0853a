//go:build linux

package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestSetupOffersChange: `host setup PLUGIN` in a terminal, for a plugin
// that is set up, shows its settings (the token only as saved) and offers
// to change them instead of saying it is done: Enter changes nothing;
// choosing the region asks it again with the current value as default, an
// empty answer for the token keeps the saved one, and the plugin is
// activated with the new region, which is saved.
func TestSetupOffersChange(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	data := filepath.Join(t.TempDir(), "data")
	plugin, _ := filepath.Abs("../../testdata/serve/states/needsetup/plugin.ts")
	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, append(args, "--data-dir", data)...)
		cmd.Env = append(env, "HOST_CONFIG_TOKEN=fake-token-for-tests")
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	if out, err := run("setup", plugin, "--set", "region=eu-1"); err != nil {
		t.Fatalf("first setup: %v\n%s", err, out)
	}
	// In a terminal: answers is what the user types at each prompt.
	setup := func(answers ...string) (shown, stderr string, err error) {
		t.Helper()
		controller, tty := openPTY(t)
		cmd := exec.Command(bin, "setup", plugin, "--data-dir", data)
		cmd.Env = env // no HOST_CONFIG_TOKEN: the token comes from the keyring
		cmd.Stdin = tty
		var se bytes.Buffer
		cmd.Stdout, cmd.Stderr = &se, &se
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var screen bytes.Buffer
		go func() {
			b := make([]byte, 4096)
			for {
				n, err := controller.Read(b)
				mu.Lock()
				screen.Write(b[:n])
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
		prompts := 0
		for _, a := range answers {
			prompts++
			deadline := time.Now().Add(time.Minute)
			for {
				mu.Lock()
				n := strings.Count(screen.String(), "> ")
				mu.Unlock()
				if n >= prompts {
					break
				}
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatalf("prompt %d never came; the terminal showed %q, output %q", prompts, screen.String(), se.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			if _, err := controller.Write([]byte(a + "\n")); err != nil {
				t.Fatal(err)
			}
		}
		stuck := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Kill() })
		err = cmd.Wait()
		stuck.Stop()
		tty.Close()
		mu.Lock()
		defer mu.Unlock()
		return screen.String(), se.String(), err
	}
	shown, out, err := setup("")
	if err != nil || !strings.Contains(out, "nothing was changed") {
		t.Errorf("Enter: %v\n%s\n%s", err, shown, out)
	}
	for _, want := range []string{"is set up", "1. API Token: saved (hidden)", "2. Region: eu-1", "Change which settings?"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the offer lacks %q:\n%s", want, shown)
		}
	}
	if strings.Contains(shown+out, "fake-token-for-tests") {
		t.Error("the token is shown")
	}
	shown, out, err = setup("region", "us-2")
	if err != nil || !strings.Contains(out, "activated in us-2") {
		t.Errorf("changing the region: %v\n%s\n%s", err, shown, out)
	}
	if !strings.Contains(shown, "[eu-1] > ") {
		t.Errorf("the region is not asked with its current value:\n%s", shown)
	}
	if out, err := run("call", plugin, "where"); err != nil || !strings.HasSuffix(out, "\nus-2\n") {
		t.Errorf("after the change, where: %v %q", err, out)
	}
	// The token kept: a change of it, answered empty, keeps the saved one.
	shown, out, err = setup("1", "")
	if err != nil || !strings.Contains(out, "activated in us-2") {
		t.Errorf("keeping the token: %v\n%s\n%s", err, shown, out)
	}
}
