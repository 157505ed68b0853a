//go:build linux

package main

import (
	"context"
	"encoding/json"
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

// surfaceCase is a plugin of testdata/surfaces and the state every
// surface must give it.
type surfaceCase struct {
	id     string
	phase  setup.Phase
	kind   setup.Kind
	reason []string // each in the reason, on every surface
	// terminal: what `host run` says (nil: not run; a login would start).
	terminal []string
	// activates: the state comes from onActivate, which `host status`
	// without a serve does not run: it shows the plugin ready.
	activates bool
}

// TestSurfacesAgree: the same plugins, config and secrets give the same
// state with the same reason on every surface: `host run` in a terminal
// (its error), `host status` without a serve (text and --json: the state
// before onActivate, setup.Inspect), `host serve` (its lines, `host status
// --json`, its MCP surface over HTTP: the tools offered and the URL
// elicitation a call makes), the serve's setup page (Chromium), and `host
// mcp` (what it logs, which tools the client sees and what their
// descriptions say). One plugin for each way a setup ends without
// activating: credentials refused, a bug, the service unreachable, a field
// missing, a saved value the schema refuses, a login never made, a file
// that does not build; and, with DBUS_SESSION_BUS_ADDRESS naming a socket
// nobody listens on, a plugin whose secrets cannot be read.
func TestSurfacesAgree(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../../testdata/surfaces")
	cases := []surfaceCase{
		{id: "refused", phase: setup.NeedsSetup, kind: setup.Refused, reason: []string{"plugin.ts:6:11", "Invalid API token"},
			terminal: []string{"refused/plugin.ts:6:11", "Invalid API token"}, activates: true},
		{id: "bug", phase: setup.Error, kind: setup.Bug, reason: []string{"plugin.ts:7:25", "TypeError: Cannot read property 'missing' of undefined"},
			terminal: []string{"bug/plugin.ts:7:25", "TypeError: Cannot read property 'missing' of undefined"}, activates: true},
		{id: "down", phase: setup.Error, kind: setup.HostFailed, reason: []string{"plugin.ts:6:29", "connection refused"},
			terminal: []string{"down/plugin.ts:6:29", "connection refused"}, activates: true},
		{id: "missing", phase: setup.NeedsSetup, kind: setup.Missing, reason: []string{"missing token"},
			terminal: []string{"plugin missing needs configuration that was not supplied", "token (API Token, secret)"}},
		{id: "invalid", phase: setup.NeedsSetup, kind: setup.Invalid, reason: []string{"limit: Number must be greater than or equal to 1"},
			terminal: []string{"plugin invalid: invalid configuration", "limit: Number must be greater than or equal to 1"}},
		{id: "login", phase: setup.NeedsLogin, kind: setup.LoginNeeded, reason: []string{"not logged in"}},
		{id: "broken", phase: setup.Error, kind: setup.LoadFailed, reason: []string{"plugin.ts:3:12", `Unexpected "}"`},
			terminal: []string{"broken/plugin.ts:3:12", `Unexpected "}"`}},
	}
	// The saved config of "invalid": a page size the schema refuses.
	prep := func(t *testing.T, dataDir string) {
		d := filepath.Join(dataDir, "plugins", "invalid")
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "config.json"), []byte(`{"limit": 0}`+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("keyring", func(t *testing.T) {
		t.Parallel()
		surfacesAgree(t, dir, cases, nil, prep)
	})

	// Secrets unavailable: the session bus the keyring is on is gone.
	t.Run("no keyring", func(t *testing.T) {
		t.Parallel()
		dir, _ := filepath.Abs("../../testdata/surfaces-nokeyring")
		dead := "DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "nobody-listens")
		surfacesAgree(t, dir, []surfaceCase{
			{id: "secret", phase: setup.SecretsUnavailable, kind: setup.HostFailed, reason: []string{"D-Bus session"},
				terminal: []string{"looking up API Token of plugin secret", "DBUS_SESSION_BUS_ADDRESS"}},
		}, []string{dead}, func(*testing.T, string) {})
	})
}

// surfacesAgree runs the plugins of dir (one directory per case) on every
// surface with extraEnv, prep readying each surface's fresh data dir, and
// checks that each says what its case says.
func surfacesAgree(t *testing.T, dir string, cases []surfaceCase, extraEnv []string, prep func(*testing.T, string)) {
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
		env = append(env, extraEnv...)
		data := filepath.Join(t.TempDir(), "data")
		prep(t, data)
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
		// host status after those runs, without a serve: the state each
		// run left, the activation failures too (its last start).
		for _, c := range cases {
			if c.terminal == nil {
				continue
			}
			cmd := exec.Command(bin, "status", "--json", "--data-dir", data, filepath.Join(dir, c.id, "plugin.ts"))
			cmd.Env, cmd.Dir = env, dir
			out, err := cmd.Output()
			var rows []struct {
				setup.State
				LastStart *setup.LastStart `json:"lastStart"`
			}
			if err != nil || json.Unmarshal(out, &rows) != nil || len(rows) != 1 {
				t.Fatalf("%s: host status --json after host run: %v\n%s", c.id, err, out)
			}
			st := rows[0]
			if st.Phase != c.phase || st.Kind != c.kind || !has(st.Reason, c.reason) || (st.LastStart != nil) != c.activates {
				t.Errorf("%s: host status --json after host run: state %q kind %q reason %q last start %+v; want %q %q with %q (a last start: %v)",
					c.id, st.Phase, st.Kind, st.Reason, st.LastStart, c.phase, c.kind, c.reason, c.activates)
			}
			if c.activates && (st.LastStart.Surface != "host run" || !strings.HasPrefix(st.Reason, "failed at last start: ")) {
				t.Errorf("%s: host status --json after host run: reason %q, last start %+v; want the failure at the last start via host run", c.id, st.Reason, st.LastStart)
			}
		}
	})

	// host status without a serve: each plugin (a file not yet known by
	// its path), in text and --json.
	t.Run("status", func(t *testing.T) {
		t.Parallel()
		bin, _, env := hostBinary(t, nil)
		env = append(env, extraEnv...)
		data := filepath.Join(t.TempDir(), "data")
		prep(t, data)
		status := func(args ...string) string {
			cmd := exec.Command(bin, append([]string{"status", "--data-dir", data}, args...)...)
			cmd.Env, cmd.Dir = env, dir
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("host status %q: %v\n%s%s", args, err, out, stderr.String())
			}
			return string(out)
		}
		for _, c := range cases {
			want, kind, reason := c.phase, c.kind, c.reason
			if c.activates {
				want, kind, reason = setup.Ready, "", nil
			}
			var rows []struct {
				ID      string `json:"id"`
				Running bool   `json:"running"`
				setup.State
			}
			out := status("--json", c.id)
			if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 {
				t.Fatalf("host status --json %s: %v\n%s", c.id, err, out)
			}
			if st := rows[0]; st.ID != c.id || st.Running || st.Phase != want || st.Kind != kind || !has(st.Reason, reason) {
				t.Errorf("host status --json %s (no serve): %q state %q kind %q reason %q; want %q %q with %q", c.id, st.ID, st.Phase, st.Kind, st.Reason, want, kind, reason)
			}
			line, _, _ := strings.Cut(status(c.id), "\n")
			if !strings.HasPrefix(line, c.id+": "+string(want)) || !has(line, reason) {
				t.Errorf("host status %s (no serve): %q; want %s: %s with %q", c.id, line, c.id, want, reason)
			}
		}
	})

	// The serve: its lines, host status --json and its setup page.
	t.Run("serve", func(t *testing.T) {
		t.Parallel()
		bin, _, env := hostBinary(t, nil)
		data := filepath.Join(t.TempDir(), "data")
		prep(t, data)
		s := startServeIn(t, bin, append(env, extraEnv...), data, "--http", "127.0.0.1:0", "--no-auth", dir)
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
			if c.phase == setup.SecretsUnavailable {
				// Nothing to ask: the answer says why and what to do.
				if err != nil || !res.IsError || len(got) != 0 || len(res.Content) == 0 || !has(textOf(res.Content[0]), c.reason) {
					t.Errorf("serve --http: %s_ping: %v, %+v, asked %q; want an error saying %q, no question", c.id, err, res, got, c.reason)
				}
				continue
			}
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
		if err := chromedp.Do(browser, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-plugin="`+cases[len(cases)-1].id+`"]`))); err != nil {
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
		data := filepath.Join(t.TempDir(), "data")
		prep(t, data)
		cmd := exec.Command(bin, "mcp", "--data-dir", data, dir)
		cmd.Env, cmd.Dir = append(env, extraEnv...), dir
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
			hosttest.WaitFor(t, time.Minute, "host mcp's line for "+c.id, func() bool { return said(c) }, stderr.String)
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

// textOf is the text of an MCP content item ("" when it holds none).
func textOf(c mcp.Content) string {
	if tc, ok := c.(*mcp.TextContent); ok {
		return tc.Text
	}
	return ""
}
