package main

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"host/bindings/oauth/oauthtest"
	"host/bindings/plugin"
)

// TestLoginPaste drives `host auth login --paste --no-browser` in the real
// binary as a user on a remote machine would: read the URL it prints, open
// it "elsewhere" (the provider's redirect is not followed), paste the
// address the browser ends up on (after a wrong paste and one from another
// login, each asked again), and expect the login to finish.
func TestLoginPaste(t *testing.T) {
	t.Parallel()
	prov, cmd, loggedIn := pasteLogin(t)
	stdin, _ := cmd.StdinPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	out := newLines(t, bufio.NewScanner(stderr))
	out.expect(`^To log in to oauth2, open this URL in a browser:$`)
	authURL := strings.TrimSpace(out.expect(`^Paste the address|^On another machine`)[0])
	if !strings.HasPrefix(authURL, "https://myservice.com/oauth/authorize?") {
		t.Fatalf("URL line = %q", authURL)
	}
	redirect, err := prov.RedirectOnly(authURL)
	if err != nil {
		t.Fatal(err)
	}
	// Text that is no such address, and an address from another login,
	// are refused with the reason and asked again; host keeps waiting.
	if _, err := stdin.Write([]byte("myservice.com/oauth/authorize\n")); err != nil {
		t.Fatal(err)
	}
	out.expect(`^That is not the address the browser ended on: copy the whole address`)
	out.expect(`^Paste it again and press Enter:$`)
	if _, err := stdin.Write([]byte("http://127.0.0.1:1/callback?code=x&state=not-this-login\n")); err != nil {
		t.Fatal(err)
	}
	out.expect(`not from this login`)
	if _, err := stdin.Write([]byte(redirect + "\n")); err != nil {
		t.Fatal(err)
	}
	out.expect(`^Logged in to oauth2`)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, strings.Join(out.all, "\n"))
	}
	loggedIn()
}

// pasteLogin is `host auth login --paste --no-browser` of the oauth2
// plugin against a provider of its own (the command not started yet), and
// the check that it logged in: the access token in the keyring, one code
// exchange.
func pasteLogin(t *testing.T) (prov *oauthtest.Provider, cmd *exec.Cmd, loggedIn func()) {
	t.Helper()
	prov = oauthtest.New(oauthtest.Options{RequirePKCE: true})
	t.Cleanup(prov.Close)
	bin, sess, env := hostBinary(t, prov.CertPEM())
	data := filepath.Join(t.TempDir(), "data")
	pluginFile, _ := filepath.Abs("../../plugins/oauth2/plugin.ts")
	cmd = exec.Command(bin, "auth", "login", "--paste", "--no-browser", "--data-dir", data,
		"--connect-to", "myservice.com:443:"+prov.Addr(), pluginFile)
	cmd.Env = env
	return prov, cmd, func() {
		t.Helper()
		if v, err := sess.Lookup("host:oauth2"+plugin.DataDirNamespace(data), "oauth_access_token"); err != nil || v == "" {
			t.Errorf("no access token in the keyring: %v", err)
		}
		if prov.ExchangeCount() != 1 {
			t.Errorf("%d code exchanges, want 1", prov.ExchangeCount())
		}
	}
}
