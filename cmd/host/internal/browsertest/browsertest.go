// Package browsertest starts Debian's headless Chromium for tests of host's
// pages (the setup page, the OAuth callback page) through chromedp, runs
// and reads pages in it for those tests (failing the test on an error),
// and writes screenshots as test artifacts. It is imported by tests only.
package browsertest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"host/internal/hosttest"
)

// Options change the browser a test gets.
type Options struct {
	// HostRules are Chromium --host-resolver-rules, e.g. "MAP
	// myservice.com 127.0.0.1:8443", so the browser reaches a stand-in for
	// a named host.
	HostRules []string
	// Timeout bounds the whole browser session (default 90 s).
	Timeout time.Duration
}

// Start starts a fresh headless Chromium (its own profile, no network but
// what the test serves, certificate errors ignored for self-signed
// stand-ins) and returns a browser context for chromedp.Run. It skips t
// when chromium is not installed, except under CI=true, where it fails.
func Start(t testing.TB, o Options) context.Context {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		hosttest.Require(t, "chromium is not installed (apt-get install chromium; .ci/run does)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("ignore-certificate-errors", true),
		chromedp.WindowSize(1100, 900),
	}
	if len(o.HostRules) > 0 {
		opts = append(opts, chromedp.Flag("host-resolver-rules", strings.Join(o.HostRules, ",")))
	}
	if o.Timeout <= 0 {
		o.Timeout = 90 * time.Second
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(bctx, o.Timeout)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal("starting chromium:", err)
	}
	return ctx
}

// ArtifactDir is where tests write screenshots: $HOST_TEST_ARTIFACTS, else
// host-test-artifacts in the temp dir. It is kept after the test.
func ArtifactDir(t testing.TB) string {
	dir := os.Getenv("HOST_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "host-test-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// ColorScheme makes the page prefer "dark" or "light".
func ColorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// Screenshot saves the whole page as ArtifactDir/name.png and logs where.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal("screenshot:", err)
	}
	path := filepath.Join(ArtifactDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// Do runs actions in the browser context ctx, one after the other; an
// error fails t. An action that looked up a node the page has since
// replaced (Chromium's "Could not find node with given id", when a form's
// new page or a live re-render lands between the lookup and the action)
// did nothing yet: it runs again, looking the node up anew, a few times.
func Do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for _, a := range actions {
		err := chromedp.Do(ctx, a)
		for try := 1; err != nil && try < 5 && strings.Contains(err.Error(), "Could not find node with given id"); try++ {
			t.Logf("retrying an action on a replaced node: %v", err)
			err = chromedp.Do(ctx, a)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Text is the visible text (innerText) of the first element matching the
// CSS selector sel, once there is one; an error fails t. It is read in one
// step in the page: host's pages re-render parts of themselves on live
// events, so a node looked up first may be gone when its text is read.
func Text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	q, _ := json.Marshal(sel)
	s, err := chromedp.Run(ctx, chromedp.Poll[[]string](`(() => { const e = document.querySelector(`+string(q)+`); return e ? [e.innerText] : null; })()`))
	if err != nil || len(s) != 1 {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s[0]
}

// Eval is the value of the JavaScript expression expr in the page; an
// error fails t.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// Attr is the attribute name of the first element matching the CSS
// selector sel; an error fails t.
func Attr(t testing.TB, ctx context.Context, sel, name string) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		t.Fatalf("%s of %s: %v", name, sel, err)
	}
	return a.Value
}
