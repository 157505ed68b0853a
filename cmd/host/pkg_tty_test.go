//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func init() { consentInTerminal = testConsentInTerminal }

// testConsentInTerminal: with a terminal, host install shows the consent
// and asks y/N there; "n" installs nothing, "y" installs.
func testConsentInTerminal(t *testing.T) {
	reg, _ := fixtureRegistry(t)
	bin, _, env := hostBinary(t, nil)
	data := filepath.Join(t.TempDir(), "data")
	env = append(env, "NPM_CONFIG_USERCONFIG="+reg.NPMRC(), "HOST_DATA_DIR="+data, "HOME="+t.TempDir())
	install := func(answer string) (string, string, error) {
		controller, tty := openPTY(t)
		cmd := exec.Command(bin, "install", "@hostfix/greeter")
		cmd.Env = env
		cmd.Stdin = tty
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var shown bytes.Buffer
		go func() {
			b := make([]byte, 4096)
			for {
				n, err := controller.Read(b)
				mu.Lock()
				shown.Write(b[:n])
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
		deadline := time.Now().Add(2 * time.Minute)
		for {
			mu.Lock()
			asked := strings.Contains(shown.String(), "Install hostfix.greeter? [y/N]")
			mu.Unlock()
			if asked {
				break
			}
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("never asked; the terminal showed %q, stdout %q, stderr %q", shown.String(), stdout.String(), stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if _, err := controller.Write([]byte(answer + "\n")); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		tty.Close()
		return stdout.String(), stderr.String(), err
	}
	out, errs, err := install("n")
	if err == nil || !strings.Contains(errs, "nothing was installed: you declined") || !strings.Contains(out, "  - network: api.github.com") {
		t.Errorf("answer n: %v\nstdout %s\nstderr %s", err, out, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "packages", "hostfix.greeter")); err == nil {
		t.Error("installed after n")
	}
	out, errs, err = install("y")
	if err != nil || !strings.Contains(out, "installed hostfix.greeter 1.0.0") {
		t.Errorf("answer y: %v\nstdout %s\nstderr %s", err, out, errs)
	}
}
