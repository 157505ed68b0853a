package main

import (
	democmd "host/cmd/host/internal/cmd/demo"
	"os/exec"
	"strings"
	"testing"
)

// TestDemo runs `host demo` (the README's first command) against a
// private Secret Service holding items of the user's own token-auth and
// oauth2 plugins, and checks the story it tells (a refused token, a saved
// one, a second run without questions, the OAuth2 login and a second run
// without a browser) and that the user's items are unchanged after it.
func TestDemo(t *testing.T) {
	t.Parallel()
	bin, sess, env := hostBinary(t, nil)
	const userToken, userAccess = "fake-users-own-token", "fake-users-own-access"
	if err := sess.Store("host:token-auth", "config.token", userToken); err != nil {
		t.Fatal(err)
	}
	if err := sess.Store("host:oauth2", "oauth_access_token", userAccess); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "demo")
	cmd.Env = env
	cmd.Dir = t.TempDir()
	outb, err := cmd.CombinedOutput()
	got := string(outb)
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, got)
	}
	for _, want := range []string{
		"Secret backend: the OS keyring",
		"host: token-auth/plugin.ts:23:7: Invalid API token\n-> exit code 1",
		"== 2. The valid token",
		"== 3. Second run",
		"Logged in to oauth2 (scopes: read write",
		"The provider exchanged 1 code(s)",
		"The stand-in answered GET /me 3 times.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "-> exit code 0"); n != 4 {
		t.Errorf("%d steps exited 0, want 4:\n%s", n, got)
	}
	if strings.Contains(got, democmd.Token) {
		t.Errorf("the demo printed its token")
	}
	if v, err := sess.Lookup("host:token-auth", "config.token"); err != nil || v != userToken {
		t.Errorf("the user's token-auth token is now %q, %v", v, err)
	}
	if v, err := sess.Lookup("host:oauth2", "oauth_access_token"); err != nil || v != userAccess {
		t.Errorf("the user's oauth2 token is now %q, %v", v, err)
	}
	// The demo's own items are gone again.
	found := false
	for _, line := range strings.Split(got, "\n") {
		if svc, ok := strings.CutPrefix(line, "The token is in the keyring backend under service \""); ok {
			svc, _, _ = strings.Cut(svc, "\"")
			found = true
			if !strings.Contains(svc, "-demo") {
				t.Errorf("the demo used service %q", svc)
			}
			if v, err := sess.Lookup(svc, "config.token"); err == nil {
				t.Errorf("the demo left its token %q behind", v)
			}
		}
	}
	if !found {
		t.Errorf("the demo did not say where the token went:\n%s", got)
	}
}
