//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"host/bindings/oauth/oauthtest"
	"host/bindings/setup"
	"host/cmd/host/internal/browsertest"
	"host/cmd/host/internal/serve"
	"host/internal/hosttest"
)

// TestServePageWorker (issue 25 item 5): the setup page's sessions run in
// a short-lived worker, never in the serve. On the page of a hostile
// plugin, "Save and test" runs setup code that tries to read another
// plugin's token from the serve's environment, allocates about 900 MiB,
// and spins until its worker is killed with SIGKILL: the page says what
// happened each time, nothing of the other plugin's token shows, and the
// serve (the same process) and its other plugin answer throughout.
func TestServePageWorker(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/pagework")
	const steadyToken = "fake-steady-token-7777"
	// --timeout 5m: the loop below spins until its worker is killed, not
	// until the timeout interrupts it, however loaded the machine.
	s := startServe(t, []string{"HOST_CONFIG_STEADY_TOKEN=" + steadyToken}, "--memory", "256MiB", "--timeout", "5m", dir)
	s.waitLines("setup page: http://127.0.0.1:", 1, 30*time.Second)
	s.waitLines("steady: active", 1, 30*time.Second)
	s.waitLines("hog: needs setup", 1, 30*time.Second)
	link := pageLink.FindString(s.output())
	if link == "" {
		t.Fatalf("no setup page link in:\n%s", s.output())
	}
	servePID := s.cmd.Process.Pid
	steadyAnswers := func(when string) {
		t.Helper()
		if out, err := s.host("call", "steady", "ping"); err != nil || strings.TrimSpace(out) != "pong 7777" {
			t.Fatalf("%s: host call steady ping: %v\n%s", when, err, out)
		}
		if s.cmd.Process.Pid != servePID || s.count("serving 2 plugin(s)") != 1 {
			t.Fatalf("%s: the serve restarted", when)
		}
		select {
		case <-s.done:
			t.Fatalf("%s: the serve ended: %v", when, s.err)
		default:
		}
	}

	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-plugin="hog"]`)),
		chromedp.Click(chromedp.CSS(`a[href$="/setup/hog"]`)), chromedp.WaitVisible(chromedp.CSS("#f-mode")))
	hogPage, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	saveWith := func(mode string) {
		t.Helper()
		browsertest.Do(t, ctx, chromedp.Navigate(hogPage), chromedp.WaitVisible(chromedp.CSS("#f-mode")),
			chromedp.SetValue(chromedp.CSS("#f-mode"), mode), chromedp.Click(chromedp.CSS("#setup-form button.primary")))
	}

	// The other plugin's token, by a field named for the variable: not
	// given (the page worker has only hog's own values).
	saveWith("steal")
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS(".refusal, #result.bad")))
	if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "got nothing") {
		t.Errorf("the steal attempt shows %q, want got nothing", got)
	}
	if got := browsertest.Text(t, ctx, "main"); strings.Contains(got, reverse(steadyToken)) || strings.Contains(got, steadyToken) {
		t.Errorf("the page shows steady's token: %q", got)
	}
	steadyAnswers("after the steal attempt")

	// About 900 MiB: the page worker is stopped at the cap, not the serve.
	saveWith("hog")
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#result.bad")))
	if got := browsertest.Text(t, ctx, "#result"); !strings.Contains(got, "plugin hog used more than 256 MiB") || !strings.Contains(got, "worker of its own") {
		t.Errorf("after the allocation the page shows %q", got)
	}
	steadyAnswers("after the allocation")

	// A loop: the serve answers while it spins; a SIGKILL of its worker
	// (a crash) is reported on the page.
	saveWith("loop")
	pid := waitPageWorker(t, servePID, "hog")
	steadyAnswers("while hog's setup spins")
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#result.bad")))
	if got := browsertest.Text(t, ctx, "#result"); !strings.Contains(got, "the worker was killed") {
		t.Errorf("after the crash the page shows %q", got)
	}
	steadyAnswers("after the crash")
	if st := s.state("hog"); st.Phase != setup.NeedsSetup {
		t.Errorf("hog: %+v, want needs setup", st)
	}
	if strings.Contains(s.output(), reverse(steadyToken)) {
		t.Error("steady's token (reversed) is in the serve's output")
	}
	s.stop(syscall.SIGTERM, 15*time.Second)
}

// waitPageWorker waits for the page worker of plugin id, a child of the
// serve, and returns its pid.
func waitPageWorker(t *testing.T, servePID int, id string) int {
	t.Helper()
	want := []byte("\x00--" + serve.PageFlag + "\x00" + id + "\x00")
	var pid int
	var children []string // the serve's children's command lines, last seen
	hosttest.WaitFor(t, time.Minute, "a page worker of "+id, func() bool {
		children = children[:0]
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			p, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
			if err != nil {
				continue
			}
			// pid (comm) state ppid ...: comm may hold spaces; ppid follows the last ')'.
			fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
			if len(fields) < 2 || fields[1] != strconv.Itoa(servePID) {
				continue
			}
			cmdline, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
			if bytes.Contains(append(cmdline, 0), want) {
				pid = p
				return true
			}
			children = append(children, string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
		}
		return false
	}, func() string { return fmt.Sprintf("the serve's children: %q", children) })
	return pid
}

// TestServePageWorkerOAuth: an OAuth2 plugin's "Connect" on the serve's
// setup page runs its login in a page worker (the loopback redirect
// listens there): the browser logs in at the provider, comes back at
// once (the page waits for the end of the session), the tokens are saved
// and the serve starts the plugin; "Log out" (in a page worker too)
// deletes them, and the serve restarts the plugin without them.
func TestServePageWorkerOAuth(t *testing.T) {
	t.Parallel()
	prov := oauthtest.New(oauthtest.Options{RequirePKCE: true})
	defer prov.Close()
	cert := filepath.Join(t.TempDir(), "prov.pem")
	if err := os.WriteFile(cert, prov.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	plugin, _ := filepath.Abs("../../plugins/oauth2/plugin.ts")
	steady, _ := filepath.Abs("../../testdata/serve/pagework/steady")
	s := startServe(t, []string{"SSL_CERT_FILE=" + cert, "HOST_CONFIG_STEADY_TOKEN=fake-steady-token-7777"},
		"--connect-to", "myservice.com:443:"+prov.Addr(), plugin, steady)
	s.waitLines("setup page: http://127.0.0.1:", 1, 30*time.Second)
	s.waitLines("oauth2: login needed", 1, 30*time.Second)
	link := pageLink.FindString(s.output())

	ctx := browsertest.Start(t, browsertest.Options{HostRules: []string{"MAP myservice.com " + prov.Addr()}})
	browsertest.Do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-plugin="oauth2"]`)),
		chromedp.Click(chromedp.CSS(`a[href$="/setup/oauth2"]`)), chromedp.WaitVisible(chromedp.CSS(`button[formaction$="/connect"]`)))
	if got := browsertest.Text(t, ctx, "#permissions"); !strings.Contains(got, "OAuth: https://myservice.com:443") {
		t.Errorf("the permissions shown: %q", got)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`button[formaction$="/connect"]`)), chromedp.WaitVisible(chromedp.CSS("#outcome")))
	if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "Signed in") {
		t.Errorf("the callback page shows %q", got)
	}
	// Back at once: the page waits for the session's end (the plugin's
	// worker restarting) and then shows it.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#back")), chromedp.WaitVisible(chromedp.CSS("#result")))
	if got := browsertest.Text(t, ctx, "#result"); !strings.Contains(got, "Saved and tested") {
		t.Fatalf("the page after the login shows %q", got)
	}
	s.waitLines("oauth2: active", 1, 30*time.Second)
	if prov.ExchangeCount() != 1 {
		t.Errorf("%d code exchanges, want 1", prov.ExchangeCount())
	}
	if got := browsertest.Text(t, ctx, "#login-info"); !strings.Contains(got, "Logged in") {
		t.Errorf("the login shown: %q", got)
	}
	// The login's result goes, so the wait below sees the logout's.
	browsertest.Eval[bool](t, ctx, `document.getElementById('result').remove() || true`)
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`button[formaction$="/logout"]`)), chromedp.WaitVisible(chromedp.CSS("#result")))
	if got := browsertest.Text(t, ctx, "#result"); !strings.Contains(got, "Logged out") {
		t.Errorf("after Log out the page shows %q", got)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#login-info').length`)); err != nil || n != 0 {
		t.Errorf("after Log out the page still shows a login (%d, %v)", n, err)
	}
	// The plugin does not go on with the tokens it had.
	s.waitLines("oauth2: login needed", 2, 30*time.Second)
	s.stop(syscall.SIGTERM, 15*time.Second)
}
