//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
	"host/cmd/host/internal/browsertest"
	"host/internal/hosttest"
)

var pageLink = regexp.MustCompile(`http://127\.0\.0\.1:\d+/\S*\?token=\S+`)

// TestServeSetupPage: `host serve` prints its setup page's address with a
// one-time token; in a real browser the plugin that waits for setup gets
// its token and region on the page (a wrong token first: the plugin's own
// message, nothing saved), and the serve starts it without restarting.
func TestServeSetupPage(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/serve/states")
	s := startServe(t, nil, dir)
	s.waitLines("setup page: http://127.0.0.1:", 1, 30*time.Second)
	s.waitLines("needsetup: needs setup", 1, 30*time.Second)
	link := pageLink.FindString(s.output())
	if link == "" {
		t.Fatalf("no setup page link in:\n%s", s.output())
	}
	servePID := s.cmd.Process.Pid

	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-plugin="needsetup"]`)))
	if got := browsertest.Text(t, ctx, `[data-plugin="needsetup"] [data-field="state"]`); got != "needs setup" {
		t.Errorf("the list shows needsetup as %q", got)
	}
	if got := browsertest.Text(t, ctx, `[data-plugin="fine"] [data-field="state"]`); got != "active" {
		t.Errorf("the list shows fine as %q", got)
	}
	// The cards' way to set up is their button, not a terminal command.
	if got := browsertest.Text(t, ctx, "main"); strings.Contains(got, "run 'host setup") {
		t.Errorf("a card tells to run a command: %q", got)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`a[href$="/setup/needsetup"]`)), chromedp.WaitVisible(chromedp.CSS("#setup-form")))
	// "Save and test" with the required fields empty: each says so at the
	// field.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#setup-form button.primary")), chromedp.WaitVisible(chromedp.CSS("#f-region-issues")))
	for _, sel := range []string{"#f-token-issues", "#f-region-issues"} {
		if got := browsertest.Text(t, ctx, sel); !strings.Contains(got, "Required") {
			t.Errorf("%s says %q", sel, got)
		}
	}
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-token"), "fake-token-refused"), chromedp.SendKeys(chromedp.CSS("#f-region"), "eu-2"),
		chromedp.Click(chromedp.CSS("#setup-form button.primary")), chromedp.WaitVisible(chromedp.CSS(".refusal")))
	if got := browsertest.Text(t, ctx, ".refusal"); !strings.Contains(got, "that token was refused") {
		t.Errorf("the refusal shows %q", got)
	}
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-token"), "fake-token-for-tests"),
		chromedp.Click(chromedp.CSS("#setup-form button.primary")), chromedp.WaitVisible(chromedp.CSS("#result.ok")))
	s.waitLines("needsetup: active", 1, 20*time.Second)
	if st := s.state("needsetup"); st.Phase != setup.Active {
		t.Errorf("needsetup after the page: %+v", st)
	}
	if out, err := s.host("call", "needsetup", "where"); err != nil || strings.TrimSpace(out) != "eu-2" {
		t.Errorf("host call needsetup where: %v %s", err, out)
	}
	if s.cmd.Process.Pid != servePID || s.count("serving 4 plugin(s)") != 1 {
		t.Error("the serve restarted")
	}
	if strings.Contains(s.output(), "fake-token-for-tests") || strings.Contains(s.output(), "fake-token-refused") {
		t.Error("a token is in the serve's output")
	}
	// The page's state follows the serve (live update).
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.Search(`//span[@data-field="state"][.="active"]`)))
	// The form shows what was saved at once, and after a reload: the
	// region, the token as saved (never its value).
	shows := func(when string) {
		t.Helper()
		region, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#f-region').value`))
		if err != nil || region != "eu-2" {
			t.Errorf("%s: the Region field shows %q (%v), want eu-2", when, region, err)
		}
		if got := browsertest.Text(t, ctx, ".saved .badge"); got != "saved" {
			t.Errorf("%s: the token shows as %q, want saved", when, got)
		}
	}
	shows("after Save and test")
	browsertest.Do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#setup-form")))
	shows("after a reload")
	// A required field emptied on the settings form says so; nothing changes.
	browsertest.Eval[bool](t, ctx, `(document.querySelector('#f-region').value = '') === ''`)
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#setup-form button.primary")),
		chromedp.WaitVisible(chromedp.CSS("#f-region-issues")))
	if got := browsertest.Text(t, ctx, "#f-region-issues"); !strings.Contains(got, "Required") {
		t.Errorf("the emptied Region says %q", got)
	}
	if out, err := s.host("call", "needsetup", "where"); err != nil || strings.TrimSpace(out) != "eu-2" {
		t.Errorf("after the refused change, host call needsetup where: %v %s", err, out)
	}
}

// TestSetupBrowserCommand: `host setup PLUGIN --browser` without a serve
// serves the page for that plugin on a short-lived port, prints the link,
// and exits 0 once the page set the plugin up.
func TestSetupBrowserCommand(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dataDir := filepath.Join(t.TempDir(), "data")
	plugin, _ := filepath.Abs("../../testdata/serve/states/needsetup/plugin.ts")
	cmd := exec.Command(bin, "setup", plugin, "--browser", "--no-browser", "--data-dir", dataDir)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	links := make(chan string, 1)
	var out strings.Builder
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if l := pageLink.FindString(sc.Text()); l != "" {
				links <- l
			}
		}
		close(done)
	}()
	var link string
	select {
	case link = <-links:
	case <-time.After(30 * time.Second):
		t.Fatal("no link printed")
	}
	if !strings.Contains(link, "/setup/needsetup?token=") {
		t.Errorf("the link %q is not the plugin's page", link)
	}
	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#setup-form")),
		chromedp.SendKeys(chromedp.CSS("#f-token"), "fake-token-for-tests"), chromedp.SendKeys(chromedp.CSS("#f-region"), "us-1"),
		chromedp.Click(chromedp.CSS("#setup-form button.primary")), chromedp.WaitVisible(chromedp.CSS("#result.ok")))
	werr := make(chan error, 1)
	go func() { <-done; werr <- cmd.Wait() }()
	select {
	case err := <-werr:
		if err != nil {
			t.Fatalf("host setup --browser: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("host setup --browser did not exit after the setup:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "is set up") {
		t.Errorf("output:\n%s", out.String())
	}
	// The last page is complete without the server that is gone: styled
	// (inline), no link or form leading back to it, and it says the window
	// can be closed.
	final, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`({
		radius: getComputedStyle(document.querySelector('#result')).borderTopLeftRadius,
		external: document.querySelectorAll('link[rel=stylesheet], script[src]').length,
		back: [...document.querySelectorAll('a[href], form, button')].map(e => e.outerHTML),
		close: document.querySelector('#close') ? document.querySelector('#close').textContent : '',
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if final["radius"] != "12px" || final["external"] != float64(0) {
		t.Errorf("the last page is not styled by itself: %v", final)
	}
	if back, _ := final["back"].([]any); len(back) > 0 {
		t.Errorf("the last page leads back to the stopped server: %v", back)
	}
	if c, _ := final["close"].(string); !strings.Contains(c, "you can close this window") {
		t.Errorf("the last page says %q", c)
	}
	// Saved: a second setup has nothing to ask.
	show := exec.Command(bin, "config", "show", plugin, "--data-dir", dataDir)
	show.Env = env
	b, _ := show.CombinedOutput()
	if !strings.Contains(string(b), "us-1") || strings.Contains(string(b), "fake-token-for-tests") {
		t.Errorf("config show:\n%s", b)
	}
}

// TestSetupBrowserLinkNotInArgv: `host setup PLUGIN --browser` opens the
// browser without the one-time link on any command line (every local user
// reads /proc/PID/cmdline, and a poller could spend the link first): the
// browser gets a file only the user can read, which leads on to the page;
// the user completes the setup through it, and at no point does any
// process's command line hold the link's token.
func TestSetupBrowserLinkNotInArgv(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	args := filepath.Join(dir, "browser-args")
	browser := filepath.Join(dir, "browser.sh")
	if err := os.WriteFile(browser, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > "+args+".tmp && mv "+args+".tmp "+args+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	plugin, _ := filepath.Abs("../../testdata/serve/states/needsetup/plugin.ts")
	cmd := exec.Command(bin, "setup", plugin, "--browser", "--data-dir", dataDir)
	cmd.Env = append(env, "BROWSER="+browser)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	links := make(chan string, 1)
	var mu sync.Mutex
	var out strings.Builder
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			out.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if l := pageLink.FindString(sc.Text()); l != "" {
				links <- l
			}
		}
		close(done)
	}()
	var link string
	select {
	case link = <-links:
	case <-time.After(30 * time.Second):
		t.Fatal("no link printed")
	}
	token := link[strings.Index(link, "token=")+len("token="):]
	// inArgv names the processes whose command line holds the token.
	inArgv := func() []string {
		var found []string
		ps, _ := filepath.Glob("/proc/[0-9]*/cmdline")
		for _, p := range ps {
			b, err := os.ReadFile(p)
			if err == nil && bytes.Contains(b, []byte(token)) {
				found = append(found, p+": "+string(bytes.ReplaceAll(b, []byte{0}, []byte{' '})))
			}
		}
		return found
	}
	var opened []byte
	hosttest.WaitFor(t, time.Minute, "the browser command", func() bool {
		opened, err = os.ReadFile(args)
		return err == nil
	}, func() string { return err.Error() })
	if p := inArgv(); len(p) > 0 {
		t.Errorf("the token is on a command line: %v", p)
	}
	fileURL := strings.TrimSpace(string(opened))
	if strings.Contains(fileURL, token) || !strings.HasPrefix(fileURL, "file:///") {
		t.Fatalf("the browser was given %q", fileURL)
	}
	fi, err := os.Stat(strings.TrimPrefix(fileURL, "file://"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("the file the browser opens has mode %v, want 0600", fi.Mode().Perm())
	}
	ctx := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, ctx, chromedp.Navigate(fileURL), chromedp.WaitVisible(chromedp.CSS("#setup-form")))
	if p := inArgv(); len(p) > 0 {
		t.Errorf("the token is on a command line: %v", p)
	}
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-token"), "fake-token-for-tests"), chromedp.SendKeys(chromedp.CSS("#f-region"), "us-1"),
		chromedp.Click(chromedp.CSS("#setup-form button.primary")), chromedp.WaitVisible(chromedp.CSS("#result.ok")))
	werr := make(chan error, 1)
	go func() { <-done; werr <- cmd.Wait() }()
	select {
	case err := <-werr:
		if err != nil {
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("host setup --browser: %v\n%s", err, out.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("host setup --browser did not exit after the setup")
	}
	if _, err := os.Stat(strings.TrimPrefix(fileURL, "file://")); err == nil {
		t.Error("the file holding the link is left behind")
	}
}

// TestServeHTTPCodeLink: an MCP client without URL elicitation calls a
// tool of a plugin that needs setup on `host serve --http`: the tool
// result (which the model reads) holds a link that opens nothing without
// the code the serve shows only on its terminal; with it, the user sets
// the plugin up in Chromium and the call then works.
func TestServeHTTPCodeLink(t *testing.T) {
	t.Parallel()
	plugin, _ := filepath.Abs("../../testdata/plugins/mcp-setup/tokened")
	s := startServe(t, nil, "--http", "127.0.0.1:0", "--no-auth", plugin)
	s.waitLines("MCP: http://", 1, 30*time.Second)
	mcpURL := regexp.MustCompile(`MCP: (http://\S+/mcp)`).FindStringSubmatch(s.output())[1]
	waitTools(t, mcpURL, "", "tokened_whoami")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: mcpURL, DisableStandaloneSSE: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	call := func() string {
		t.Helper()
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "tokened_whoami"})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, c := range res.Content {
			if tc, ok := c.(*mcp.TextContent); ok {
				b.WriteString(tc.Text)
			}
		}
		return b.String()
	}
	text := call()
	link := pageLink.FindString(text)
	if link == "" {
		t.Fatalf("the tool result has no setup link: %q", text)
	}
	s.waitLines("asks for the code", 1, 30*time.Second)
	code := regexp.MustCompile(`plugin tokened that the AI client got asks for the code (\d{6})`).FindStringSubmatch(s.output())
	if code == nil {
		t.Fatal("the serve did not show the code")
	}
	if strings.Contains(text, code[1]) {
		t.Error("the tool result holds the code")
	}
	browser := browsertest.Start(t, browsertest.Options{})
	browsertest.Do(t, browser, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#code-form")))
	if n, err := chromedp.Run(browser, chromedp.Evaluate[int](`document.querySelectorAll('#setup-form, #f-token').length`)); err != nil || n != 0 {
		t.Errorf("the link alone shows the setup form (%d, %v)", n, err)
	}
	browsertest.Do(t, browser, chromedp.SendKeys(chromedp.CSS("#code"), code[1]), chromedp.Click(chromedp.CSS("#code-form button.primary")),
		chromedp.WaitVisible(chromedp.CSS("#f-token")), chromedp.SendKeys(chromedp.CSS("#f-token"), "fake-good-token-0123"),
		chromedp.Click(chromedp.CSS("#setup-form button.primary")), chromedp.WaitVisible(chromedp.CSS("#result.ok")))
	s.waitLines("tokened: active", 1, 30*time.Second)
	if got := call(); pageLink.MatchString(got) || strings.Contains(got, "needs setup") {
		t.Errorf("after the setup the call says %q", got)
	}
}
