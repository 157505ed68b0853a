package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"host/bindings/secrets"
)

// In a terminal, `host secrets passphrase` asks the current passphrase,
// then the new one twice; two different answers change nothing.
func TestSecretsPassphrasePrompts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, secrets.FileName)
	f, err := secrets.OpenFile(path, []byte("fake-pass-old"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := f.Set(ctx, "host:p", "config.token", "fake-token-value-1"); err != nil {
		t.Fatal(err)
	}
	f.Close()

	run := func(answers ...string) (ExitCode, string, *fakePrompter) {
		pr := &fakePrompter{answers: answers}
		var out, errb bytes.Buffer
		io := &IO{In: strings.NewReader(""), Out: &out, Err: &errb, Prompter: pr,
			LookupEnv: func(string) (string, bool) { return "", false }}
		code := Run(ctx, []string{"secrets", "passphrase", "--data-dir", dir}, io)
		return code, errb.String(), pr
	}
	opens := func(pass string) bool {
		g, err := secrets.OpenFile(path, []byte(pass))
		if err != nil {
			if !errors.Is(err, secrets.ErrWrongPassphrase) {
				t.Fatal(err)
			}
			return false
		}
		defer g.Close()
		v, err := g.Get(ctx, "host:p", "config.token")
		return err == nil && v == "fake-token-value-1"
	}

	code, stderr, pr := run("fake-pass-old", "fake-pass-new", "fake-pass-typo")
	if code != ExitUsage || !strings.Contains(stderr, "the two new passphrases differ; nothing changed") {
		t.Fatalf("mismatch: exit %d, %s", code, stderr)
	}
	if len(pr.asked) != 3 || !pr.asked[1].Secret || !pr.asked[2].Secret {
		t.Errorf("questions: %+v", pr.asked)
	}
	if !opens("fake-pass-old") {
		t.Fatal("a refused change changed the file")
	}

	code, stderr, _ = run("fake-pass-old", "fake-pass-new", "fake-pass-new")
	if code != ExitOK || !strings.Contains(stderr, "every secret in it is kept") || strings.Contains(stderr, "fake-pass") {
		t.Fatalf("change: exit %d, %s", code, stderr)
	}
	if opens("fake-pass-old") || !opens("fake-pass-new") {
		t.Error("after the change: the old passphrase still opens the file, or the new one does not read the secret")
	}
}
