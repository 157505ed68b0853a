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

func init() { consentInTerminal = testConsentInTerminal }

// testConsentInTerminal: with a terminal, host install shows the consent
// and asks y/N there; "n" installs nothing, "y" installs.
func testConsentInTerminal(t *testing.T) {
	reg, _ := fixtureRegistry(t)
	bin, _, env := hostBinary(t, nil)
	data := filepath.Join(t.TempDir(), "data")
	env = append(env, "NPM_CONFIG_USERCONFIG="+reg.NPMRC(), "HOST_DATA_DIR="+data, "HOME="+t.TempDir())
	install := func(answer string) (string, string, int) {
		cmd := exec.Command(bin, "install", "@hostfix/greeter")
		cmd.Env = env
		p := ptytest.Start(t, cmd)
		p.WaitShown("Install hostfix.greeter? [y/N]", 1)
		p.Type(answer)
		code := p.Wait()
		return p.Stdout(), p.Stderr(), code
	}
	out, errs, code := install("n")
	if code == 0 || !strings.Contains(errs, "nothing was installed: you declined") || !strings.Contains(out, "  - network: api.github.com") {
		t.Errorf("answer n: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "packages", "hostfix.greeter")); err == nil {
		t.Error("installed after n")
	}
	out, errs, code = install("y")
	if code != 0 || !strings.Contains(out, "installed hostfix.greeter 1.0.0") {
		t.Errorf("answer y: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
}
