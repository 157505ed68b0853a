//go:build linux

package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"host/cmd/host/internal/ptytest"
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
	setup := func(answers ...string) (shown, output string, code int) {
		t.Helper()
		cmd := exec.Command(bin, "setup", plugin, "--data-dir", data)
		cmd.Env = env // no HOST_CONFIG_TOKEN: the token comes from the keyring
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		p := ptytest.Start(t, cmd)
		for i, a := range answers {
			p.WaitShown("> ", i+1) // each prompt ends so
			p.Type(a)
		}
		code = p.Wait()
		return p.Shown(), out.String(), code
	}
	shown, out, code := setup("")
	if code != 0 || !strings.Contains(out, "nothing was changed") {
		t.Errorf("Enter: exit %d\n%s\n%s", code, shown, out)
	}
	for _, want := range []string{"is set up", "1. API Token: saved (hidden)", "2. Region: eu-1", "Change which settings?"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the offer lacks %q:\n%s", want, shown)
		}
	}
	if strings.Contains(shown+out, "fake-token-for-tests") {
		t.Error("the token is shown")
	}
	shown, out, code = setup("region", "us-2")
	if code != 0 || !strings.Contains(out, "activated in us-2") {
		t.Errorf("changing the region: exit %d\n%s\n%s", code, shown, out)
	}
	if !strings.Contains(shown, "[eu-1] > ") {
		t.Errorf("the region is not asked with its current value:\n%s", shown)
	}
	if out, err := run("call", plugin, "where"); err != nil || !strings.HasSuffix(out, "\nus-2\n") {
		t.Errorf("after the change, where: %v %q", err, out)
	}
	// The token kept: a change of it, answered empty, keeps the saved one.
	shown, out, code = setup("1", "")
	if code != 0 || !strings.Contains(out, "activated in us-2") {
		t.Errorf("keeping the token: exit %d\n%s\n%s", code, shown, out)
	}
}
