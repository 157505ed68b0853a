//go:build linux

package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"host/bindings/setup"
	"host/cmd/host/internal/browsertest"
)

// TestServePageSecretsFileKey: with the encrypted secrets file, the serve
// hands its page workers the key it derived (serve/secretskey.go): they
// open the file without deriving it again, and what they write and read
// is the file the passphrase opens. "Save and test" on the page saves the
// token (a page worker); the plugin's own worker, with the serve's key
// too, reads it and activates; the page, reloaded (another page worker),
// shows it saved.
func TestServePageSecretsFileKey(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/states/needsetup")
	s := startServe(t, []string{"HOST_SECRETS=file", "HOST_SECRETS_PASSPHRASE=fake-passphrase-page", "HOST_TRACE=1"}, dir)
	s.waitLines("setup page: http://127.0.0.1:", 1, 30*time.Second)
	s.waitLines("needsetup: needs setup", 1, 30*time.Second)
	link := pageLink.FindString(s.output())
	if link == "" {
		t.Fatalf("no setup page link in:\n%s", s.output())
	}
	// The serve derives it; the plugin's worker gets the serve's key.
	if n := s.count("secrets file key derived"); n != 1 {
		t.Errorf("the key was derived %d times at the start, want once (the serve):\n%s", n, s.output())
	}

	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-plugin="needsetup"]`)),
		chromedp.Click(chromedp.CSS(`a[href$="/setup/needsetup"]`)), chromedp.WaitVisible(chromedp.CSS("#setup-form")))
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-token"), "fake-token-for-tests"), chromedp.SendKeys(chromedp.CSS("#f-region"), "eu-3"),
		chromedp.Click(chromedp.CSS("#setup-form button.primary")), chromedp.WaitVisible(chromedp.CSS("#result.ok")))
	s.waitLines("needsetup: active", 1, 30*time.Second)
	if st := s.state("needsetup"); st.Phase != setup.Active {
		t.Errorf("needsetup after the page: %+v", st)
	}
	if out, err := s.host("call", "needsetup", "where"); err != nil || strings.TrimSpace(out) != "eu-3" {
		t.Errorf("host call needsetup where: %v %s", err, out)
	}
	browsertest.Do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#setup-form")))
	if got := browsertest.Text(t, ctx, ".saved .badge"); got != "saved" {
		t.Errorf("after a reload the token shows as %q, want saved", got)
	}
	// Each page worker (the fields, the session, the fields again) and
	// the plugin's worker, first and restarted, opened the file with the
	// serve's key; none derived it again.
	if n := s.count("secrets file opened with the serve's key"); n < 5 {
		t.Errorf("%d workers opened the file with the serve's key, want 5 or more:\n%s", n, s.output())
	}
	if n := s.count("secrets file key derived"); n != 1 {
		t.Errorf("the key was derived %d times after the start, want none:\n%s", n-1, s.output())
	}
	if strings.Contains(s.output(), "fake-token-for-tests") || strings.Contains(s.output(), "fake-passphrase-page") {
		t.Error("a secret is in the serve's output")
	}
}
