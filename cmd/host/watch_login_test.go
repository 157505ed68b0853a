package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"host/bindings/oauth/oauthtest"
)

// TestWatchLoginNotBrokenByReload: while `host run --watch` waits for the
// user to finish the OAuth login, the plugin file is saved again. The login
// completes, the first version becomes active, and only then the change is
// picked up, without a second login.
func TestWatchLoginNotBrokenByReload(t *testing.T) {
	t.Parallel()
	prov := oauthtest.New(oauthtest.Options{RequirePKCE: true})
	defer prov.Close()
	bin, _, env := hostBinary(t, prov.CertPEM())
	dir := t.TempDir()
	src, err := os.ReadFile("../../plugins/oauth2/plugin.ts")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "oauth2", "plugin.ts")
	_ = os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	gate := filepath.Join(dir, "approve-now")
	cmd := exec.Command(bin, "run", "--watch", "--data-dir", filepath.Join(dir, "data"),
		"--connect-to", "myservice.com:443:"+prov.Addr(), path)
	cmd.Env = append(env, "BROWSER=fakebrowser", "OAUTH_ADDR="+prov.Addr(), "FAKEBROWSER_WAIT_FOR="+gate,
		"FAKEBROWSER_LOG="+filepath.Join(dir, "browser.log"))
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	out := newLines(t, bufio.NewScanner(stderr))
	out.expect(`^Waiting for the login to finish`)
	// Save a new version while the login is in progress.
	if err := os.WriteFile(path, append(src, []byte("// edited during the login\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gate, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	out.expect(`^Logged in to oauth2`)
	out.expect(`is active \(version 1`)
	out.expect(`plugin.ts changed, reloading`)
	before := out.expect(`reloaded \(version 2`)
	for _, l := range before {
		if strings.Contains(l, "log in") || strings.Contains(l, "Logged in") {
			t.Errorf("the reload asked for a second login: %q", l)
		}
	}
	if n := prov.ExchangeCount(); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, strings.Join(out.all, "\n"))
	}
}
