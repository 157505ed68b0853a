package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestDemo runs `host demo` (the README's first command) in-process and
// checks the story it tells: a refused token, a saved one, a second run
// without questions, then the OAuth2 login and a second run without a
// browser.
func TestDemo(t *testing.T) {
	var out, errb bytes.Buffer
	io := &IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getwd: func() (string, error) { return t.TempDir(), nil },
		LookupEnv: func(string) (string, bool) { return "", false }}
	if code := Run(context.Background(), []string{"demo"}, io); code != ExitOK {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	got := out.String()
	for _, want := range []string{
		"Secret backend: ",
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
	if strings.Contains(got, demoToken) {
		t.Errorf("the demo printed its token")
	}
}
