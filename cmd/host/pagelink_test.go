//go:build linux

package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"host/cmd/host/internal/browsertest"
)

// TestUsedLinkPage: a used setup link's page says how to get a fresh one
// (no literal backticks, no way back to the spent link), and what it says
// works: `host status` names the way, `host setup --browser` without a
// plugin prints a fresh link to the running serve's page, which opens the
// list of plugins in a real browser. Without a serve the command says
// what to do instead (exit 2).
func TestUsedLinkPage(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/states/fine")
	s := startServe(t, nil, dir)
	s.waitLines("setup page: http://127.0.0.1:", 1, 30*time.Second)
	s.waitLines("fine: active", 1, 30*time.Second)
	link := pageLink.FindString(s.output())
	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-plugin="fine"]`)))
	// The same link again, in a browser without the session (a second
	// browser: the first keeps its cookie).
	ctx2 := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx2, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("main h1")))
	page := browsertest.Text(t, ctx2, "main")
	for _, want := range []string{"used already or has expired", "host setup --browser", "host status"} {
		if !strings.Contains(page, want) {
			t.Errorf("the used link's page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "`") {
		t.Errorf("the used link's page shows literal backticks:\n%s", page)
	}
	code, err := chromedp.Run(ctx2, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main code')].map(e => e.textContent)`))
	if err != nil || !contains(code, "host setup --browser") {
		t.Errorf("commands as code: %v %v", code, err)
	}
	links, err := chromedp.Run(ctx2, chromedp.Evaluate[int](`document.querySelectorAll('a[href*="token="], form').length`))
	if err != nil || links != 0 {
		t.Errorf("the used link's page leads back to a link or form (%d, %v)", links, err)
	}

	// What the page says is true: host status names the way ...
	if out, err := s.host("status"); err != nil || !strings.Contains(out, "setup page: 'host setup --browser'") {
		t.Errorf("host status: %v\n%s", err, out)
	}
	// ... and host setup --browser prints a fresh link to the same page.
	sc := exec.Command(s.bin, "setup", "--browser", "--no-browser", "--data-dir", s.dataDir)
	sc.Env = s.env
	outb, err := sc.CombinedOutput()
	out := string(outb)
	fresh := pageLink.FindString(out)
	if err != nil || fresh == "" || fresh == link {
		t.Fatalf("host setup --browser: %v\n%s", err, out)
	}
	browsertest.Do(t, ctx2, chromedp.Navigate(fresh), chromedp.WaitVisible(chromedp.CSS(`[data-plugin="fine"]`)))
	if got := browsertest.Text(t, ctx, "main h1"); got != "Plugins" {
		t.Errorf("the first browser's page shows %q", got)
	}

	// Without a serve: what to do instead.
	bin, _, env := hostBinary(t, nil)
	cmd := exec.Command(bin, "setup", "--browser", "--no-browser", "--data-dir", filepath.Join(t.TempDir(), "none"))
	cmd.Env = env
	b, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(b), "no serve is running") || !strings.Contains(string(b), "host setup PLUGIN --browser") {
		t.Errorf("host setup --browser without a serve: %v\n%s", err, b)
	}
}
