//go:build linux

package main

import (
	"context"
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

// surfaceCase is a plugin of testdata/surfaces and the state every
// surface must give it.
type surfaceCase struct {
	id     string
	phase  setup.Phase
	kind   setup.Kind
	reason []string // each in the reason, on every surface
	// terminal: what `host run` says (nil: not run; a login would start).
	terminal []string
}

// TestSurfacesAgree: the same plugins, config and secrets give the same
// state with the same reason on every surface: `host run` in a terminal
// (its error), `host serve` (its lines, `host status --json`, its MCP
// surface over HTTP: the tools offered and the URL elicitation a call
// makes), the serve's setup page (Chromium), and `host mcp` (what it
// logs, which tools the client sees and what their descriptions say). One plugin for
// each way a setup ends without activating: credentials refused, a bug,
// the service unreachable, a field missing, a login never made, a file
// that does not build.
func TestSurfacesAgree(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/surfaces")
	cases := []surfaceCase{
		{id: "refused", phase: setup.NeedsSetup, kind: setup.Refused, reason: []string{"plugin.ts:6:11", "Invalid API token"},
			terminal: []string{"refused/plugin.ts:6:11", "Invalid API token"}},
		{id: "bug", phase: setup.Error, kind: setup.Bug, reason: []string{"plugin.ts:7:25", "TypeError: Cannot read property 'missing' of undefined"},
			terminal: []string{"bug/plugin.ts:7:25", "TypeError: Cannot read property 'missing' of undefined"}},
		{id: "down", phase: setup.Error, kind: setup.HostFailed, reason: []string{"plugin.ts:6:29", "connection refused"},
			terminal: []string{"down/plugin.ts:6:29", "connection refused"}},
		{id: "missing", phase: setup.NeedsSetup, kind: setup.Missing, reason: []string{"missing token"},
			terminal: []string{"plugin missing needs configuration that was not supplied", "token (API Token, secret)"}},
		{id: "login", phase: setup.NeedsLogin, kind: setup.LoginNeeded, reason: []string{"not logged in"}},
		{id: "broken", phase: setup.Error, kind: setup.LoadFailed, reason: []string{"plugin.ts:3:12", `Unexpected "}"`},
			terminal: []string{"broken/plugin.ts:3:12", `Unexpected "}"`}},
	}
	has := func(text string, parts []string) bool {
		for _, p := range parts {
			if !strings.Contains(text, p) {
				return false
			}
		}
		return true
	}

	// The terminal: host run, nobody to ask.
	t.Run("terminal", func(t *testing.T) {
		t.Parallel()
		bin, _, env := hostBinary(t, nil)
		data := filepath.Join(t.TempDir(), "data")
		for _, c := range cases {
			if c.terminal == nil {
				continue
			}
			cmd := exec.Command(bin, "run", "--data-dir", data, filepath.Join(dir, c.id, "plugin.ts"))
			cmd.Env, cmd.Dir = env, dir
			out, err := cmd.CombinedOutput()
			if err == nil || !has(string(out), c.terminal) {
				t.Errorf("%s: host run: %v\n%s\nwant it to say %q", c.id, err, out, c.terminal)
			}
		}
	})

	// The serve: its lines, host status --json and its setup page.
	t.Run("serve", func(t *testing.T) {
		t.Parallel()
		s := startServe(t, nil, "--http", "127.0.0.1:0", "--no-auth", dir)
		s.waitLines("setup page: http://127.0.0.1:", 1, 30*time.Second)
		s.waitLines("MCP: http://", 1, 30*time.Second)
		for _, c := range cases {
			s.waitLines(c.id+": "+string(c.phase), 1, time.Minute)
		}
		for _, c := range cases {
			st := s.state(c.id)
			if st.Phase != c.phase || st.Kind != c.kind || !has(st.Reason, c.reason) {
				t.Errorf("host status --json: %s: state %q kind %q reason %q; want %q %q with %q", c.id, st.Phase, st.Kind, st.Reason, c.phase, c.kind, c.reason)
			}
			line := c.id + ": " + string(c.phase)
			if c.kind != setup.Missing && s.count(line) > 0 && !strings.Contains(s.output(), line+": ") {
				t.Errorf("the serve's line for %s gives no reason:\n%s", c.id, s.output())
			}
		}
		out, err := s.host("status")
		for _, c := range cases {
			if err != nil || !strings.Contains(out, c.id+": "+string(c.phase)) {
				t.Errorf("host status: %v, want %s: %s in\n%s", err, c.id, c.phase, out)
			}
		}

		// The serve's MCP surface: a tool of a plugin waiting for setup
		// or a login is offered and a call asks (URL elicitation to the
		// setup page) for what the state says; an error's tools are not
		// offered.
		mcpURL := regexp.MustCompile(`MCP: (http://\S+/mcp)`).FindStringSubmatch(s.output())[1]
		var mu sync.Mutex
		var asked []string
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, &mcp.ClientOptions{
			Capabilities: &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapabilities{URL: &mcp.URLElicitationCapabilities{}}},
			ElicitationHandler: func(_ context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
				mu.Lock()
				asked = append(asked, req.Params.Message)
				mu.Unlock()
				return &mcp.ElicitResult{Action: "decline"}, nil
			},
		}).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: mcpURL, DisableStandaloneSSE: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		tools, err := cs.ListTools(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		offered := map[string]bool{}
		for _, tl := range tools.Tools {
			offered[tl.Name] = true
		}
		for _, c := range cases {
			if offered[c.id+"_ping"] != c.phase.Listed() {
				t.Errorf("serve --http: %s_ping offered: %v, want %v (%s)", c.id, offered[c.id+"_ping"], c.phase.Listed(), c.phase)
			}
			if !c.phase.Listed() {
				continue
			}
			mu.Lock()
			n := len(asked)
			mu.Unlock()
			res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: c.id + "_ping", Arguments: map[string]any{}})
			mu.Lock()
			got := asked[n:]
			mu.Unlock()
			want := "Plugin " + c.id + " needs setup."
			if c.phase == setup.NeedsLogin {
				want = "Plugin " + c.id + " needs you to log in."
			}
			if err != nil || !res.IsError || len(got) != 1 || !strings.HasPrefix(got[0], want) {
				t.Errorf("serve --http: %s_ping: %v, asked %q; want one question starting %q and no pong", c.id, err, got, want)
			}
		}

		link := pageLink.FindString(s.output())
		browser := browsertest.Start(t, browsertest.Options{})
		if err := chromedp.Do(browser, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-plugin="broken"]`))); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			state, err := chromedp.Run(browser, chromedp.Text(chromedp.CSS(`[data-plugin="`+c.id+`"] [data-field="state"]`)))
			if err != nil {
				t.Fatal(err)
			}
			reason, err := chromedp.Run(browser, chromedp.Text(chromedp.CSS(`[data-plugin="`+c.id+`"] [data-field="reason"]`)))
			if err != nil {
				t.Fatal(err)
			}
			if state != string(c.phase) || !has(reason, c.reason) {
				t.Errorf("the page shows %s as %q: %q; want %q with %q", c.id, state, reason, c.phase, c.reason)
			}
		}
	})

	// host mcp over stdio: what it logs and what the client is offered.
	t.Run("mcp", func(t *testing.T) {
		t.Parallel()
		bin, _, env := hostBinary(t, nil)
		cmd := exec.Command(bin, "mcp", "--data-dir", filepath.Join(t.TempDir(), "data"), dir)
		cmd.Env, cmd.Dir = env, dir
		var stderr syncBuffer
		cmd.Stderr = &stderr
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		said := func(c surfaceCase) bool {
			for _, ln := range strings.Split(stderr.String(), "\n") {
				if strings.HasPrefix(ln, "host: "+c.id+": "+string(c.phase)) && has(ln, c.reason) {
					return true
				}
			}
			return false
		}
		for _, c := range cases {
			hosttest.WaitFor(t, time.Minute, "host mcp's line for "+c.id, func() bool { return said(c) })
		}
		tools, err := cs.ListTools(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		desc := map[string]string{}
		for _, tl := range tools.Tools {
			desc[tl.Name] = tl.Description
		}
		for _, c := range cases {
			d, listed := desc[c.id+"_ping"]
			if listed != c.phase.Listed() {
				t.Errorf("%s_ping listed: %v, want %v (%s)", c.id, listed, c.phase.Listed(), c.phase)
			}
			switch c.phase {
			case setup.NeedsSetup:
				if !strings.Contains(d, "needs setup first") {
					t.Errorf("%s_ping: %q", c.id, d)
				}
			case setup.NeedsLogin:
				if !strings.Contains(d, "needs a login first") {
					t.Errorf("%s_ping: %q", c.id, d)
				}
			}
		}
		if t.Failed() {
			t.Logf("host mcp's stderr:\n%s", stderr.String())
		}
	})
}
