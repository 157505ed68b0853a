package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/mask"
	"host/bindings/setup"
)

// fakeBackend is a Backend whose plugins and answers the test sets.
type fakeBackend struct {
	mu      sync.Mutex
	plugins []PluginInfo
	subs    []func(Event)
	call    func(ctx context.Context, c *Call) (*mcp.CallToolResult, error)
}

func (f *fakeBackend) Plugins() []PluginInfo {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]PluginInfo(nil), f.plugins...)
}

func (f *fakeBackend) CallTool(ctx context.Context, c *Call) (*mcp.CallToolResult, error) {
	return f.call(ctx, c)
}

func (f *fakeBackend) Messages(context.Context, string) (json.RawMessage, error) {
	return json.RawMessage("[]"), nil
}

func (f *fakeBackend) Subscribe(fn func(Event)) func() {
	f.mu.Lock()
	f.subs = append(f.subs, fn)
	f.mu.Unlock()
	return func() {}
}

func (f *fakeBackend) set(ps ...PluginInfo) {
	f.mu.Lock()
	f.plugins = ps
	subs := append([]func(Event){}, f.subs...)
	f.mu.Unlock()
	for _, fn := range subs {
		fn(Event{Kind: PluginChanged, Plugin: ps[0].ID})
	}
}

func (f *fakeBackend) publish(e Event) {
	f.mu.Lock()
	subs := append([]func(Event){}, f.subs...)
	f.mu.Unlock()
	for _, fn := range subs {
		fn(e)
	}
}

// fakePages is the setup-page interface as the setup page will implement
// it: StartSetup hands out the page's URL; the test completes the setup
// (as a user on the page would) with complete.
type fakePages struct {
	b       *fakeBackend
	started chan string
	done    chan error
	closed  bool
	forText string // the flow's ForText link, when set
}

func (p *fakePages) StartSetup(ctx context.Context, plugin string) (*SetupFlow, error) {
	p.done = make(chan error, 1)
	u := SetupURL("http://127.0.0.1:7331", plugin, "one-time-fake")
	p.started <- u
	f := &SetupFlow{URL: u, Done: p.done, Close: func() { p.closed = true }}
	if p.forText != "" {
		f.ForText = func() string { return p.forText }
	}
	return f, nil
}

func serve(t *testing.T, b Backend, o Options, co *mcp.ClientOptions) *mcp.ClientSession {
	t.Helper()
	_, cs := serveWith(t, b, o, co)
	return cs
}

// serveWith is serve that also returns the Server.
func serveWith(t *testing.T, b Backend, o Options, co *mcp.ClientOptions) (*Server, *mcp.ClientSession) {
	t.Helper()
	s := New(b, o)
	t.Cleanup(s.Close)
	st, ct := mcp.NewInMemoryTransports()
	ctx := context.Background()
	ss, err := s.MCP().Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, co).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return s, cs
}

// flushLogs waits until the log notifications queued for every session
// were sent (or dropped).
func flushLogs(s *Server) {
	s.mu.Lock()
	var qs []*logQueue
	for _, q := range s.logs {
		qs = append(qs, q)
	}
	s.mu.Unlock()
	for _, q := range qs {
		q.flush(time.Minute)
	}
}

var echoTool = Tool{Name: "echo", Description: "echoes", InputSchema: json.RawMessage(`{"type":"object"}`)}

func firstText(r *mcp.CallToolResult) string {
	for _, c := range r.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			return tc.Text
		}
	}
	return ""
}

// A token plugin that needs setup: the call answers with a URL
// elicitation to the plugin's setup page; when the page reports the setup
// complete, the client hears notifications/elicitation/complete and the
// call runs.
func TestSetupThroughURLElicitation(t *testing.T) {
	b := &fakeBackend{plugins: []PluginInfo{{ID: "tok", State: setup.NeedsSetup, Tools: []Tool{echoTool}, Setup: &SetupNeeded{Fields: []string{"token"}}}}}
	b.call = func(ctx context.Context, c *Call) (*mcp.CallToolResult, error) {
		for _, p := range b.Plugins() {
			if p.State != setup.Active {
				return nil, &SetupRequiredError{Plugin: c.Plugin, Setup: *p.Setup}
			}
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ran"}}}, nil
	}
	pages := &fakePages{b: b, started: make(chan string, 1)}
	var elicited []*mcp.ElicitParams
	completed := make(chan string, 1)
	cs := serve(t, b, Options{Setup: pages, Masker: mask.New()}, &mcp.ClientOptions{
		Capabilities: &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapabilities{Form: &mcp.FormElicitationCapabilities{}, URL: &mcp.URLElicitationCapabilities{}}},
		ElicitationHandler: func(ctx context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			elicited = append(elicited, req.Params)
			// The user opens the page and completes the setup there.
			go func() {
				<-pages.started
				b.set(PluginInfo{ID: "tok", State: setup.Active, Tools: []Tool{echoTool}})
				pages.done <- nil
			}()
			return &mcp.ElicitResult{Action: "accept"}, nil
		},
		ElicitationCompleteHandler: func(_ context.Context, req *mcp.ElicitationCompleteNotificationRequest) {
			completed <- req.Params.ElicitationID
		},
	})
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "tok_echo", Arguments: map[string]any{}})
	if err != nil || res.IsError || firstText(res) != "ran" {
		t.Fatalf("call = %q %+v, %v", firstText(res), res, err)
	}
	if len(elicited) != 1 || elicited[0].Mode != "url" || elicited[0].URL != "http://127.0.0.1:7331/setup/tok?token=one-time-fake" || elicited[0].ElicitationID == "" {
		t.Fatalf("elicitation = %+v", elicited)
	}
	if strings.Contains(strings.ToLower(elicited[0].Message), "paste") || elicited[0].RequestedSchema != nil {
		t.Errorf("a URL elicitation asks for nothing in the client: %+v", elicited[0])
	}
	select {
	case id := <-completed:
		if id != elicited[0].ElicitationID {
			t.Errorf("completed %q, elicited %q", id, elicited[0].ElicitationID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no notifications/elicitation/complete")
	}
	if !pages.closed {
		t.Error("the flow was not closed")
	}
}

// A client without elicitation gets a tool error that says what to run,
// never the page's one-time link (the model and transcripts read it):
// only a link the flow says is useless without the user (ForText); one
// that declines is told the tool did not run.
func TestSetupWithoutElicitation(t *testing.T) {
	b := &fakeBackend{plugins: []PluginInfo{{ID: "tok", State: setup.NeedsSetup, Tools: []Tool{echoTool}, Setup: &SetupNeeded{Fields: []string{"token"}}}}}
	b.call = func(context.Context, *Call) (*mcp.CallToolResult, error) {
		return nil, &SetupRequiredError{Plugin: "tok", Setup: SetupNeeded{Fields: []string{"token"}}}
	}
	pages := &fakePages{b: b, started: make(chan string, 1)}
	o := Options{Setup: pages, SetupCommand: func(id string) string { return "host run --once " + id }}
	cs := serve(t, b, o, nil)
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "tok_echo", Arguments: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	want := "Plugin tok needs setup before its tools can run (missing: token). Run `host run --once tok` in a terminal, then call the tool again. Secrets are entered there, never in this chat."
	if !res.IsError || firstText(res) != want {
		t.Fatalf("got %q (isError %v)\nwant %q", firstText(res), res.IsError, want)
	}
	<-pages.started

	pages.forText = "http://127.0.0.1:7331/setup/tok?token=asks-for-a-code"
	res, err = serve(t, b, o, nil).CallTool(context.Background(), &mcp.CallToolParams{Name: "tok_echo", Arguments: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	want = "Plugin tok needs setup before its tools can run (missing: token). Open http://127.0.0.1:7331/setup/tok?token=asks-for-a-code in a browser to set it up (or run `host run --once tok` in a terminal), then call the tool again. Secrets are entered there, never in this chat."
	if !res.IsError || firstText(res) != want {
		t.Fatalf("with ForText: got %q\nwant %q", firstText(res), want)
	}

	<-pages.started
	cs = serve(t, b, o, &mcp.ClientOptions{
		Capabilities: &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapabilities{URL: &mcp.URLElicitationCapabilities{}}},
		ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			<-pages.started
			return &mcp.ElicitResult{Action: "decline"}, nil
		},
	})
	res, _ = cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "tok_echo", Arguments: map[string]any{}})
	if !res.IsError || !strings.HasPrefix(firstText(res), "The setup of plugin tok was declined, so its tool did not run.") || !pages.closed {
		t.Fatalf("declined: %q", firstText(res))
	}
}

// Tools follow the backend: a plugin that stops takes its tools away and
// the client hears tools/list_changed; log lines are masked and honour
// logging/setLevel.
func TestToolListAndLogs(t *testing.T) {
	b := &fakeBackend{plugins: []PluginInfo{{ID: "a", State: setup.Active, Tools: []Tool{echoTool}}}}
	b.call = func(context.Context, *Call) (*mcp.CallToolResult, error) { return nil, errors.New("unused") }
	changed := make(chan struct{}, 4)
	logs := make(chan *mcp.LoggingMessageParams, 4)
	m := mask.New()
	m.Add("sk-fake-secret-value")
	srv, cs := serveWith(t, b, Options{Masker: m}, &mcp.ClientOptions{
		ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) { changed <- struct{}{} },
		LoggingMessageHandler:  func(_ context.Context, r *mcp.LoggingMessageRequest) { logs <- r.Params },
	})
	ctx := context.Background()
	lt, err := cs.ListTools(ctx, nil)
	if err != nil || len(lt.Tools) != 1 || lt.Tools[0].Name != "a_echo" {
		t.Fatalf("tools = %+v, %v", lt, err)
	}
	b.set(PluginInfo{ID: "a", State: setup.Disabled, Tools: []Tool{echoTool}})
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("no tools/list_changed")
	}
	if lt, _ := cs.ListTools(ctx, nil); len(lt.Tools) != 0 {
		t.Fatalf("tools after the plugin stopped = %+v", lt.Tools)
	}
	// Before setLevel nothing is sent; after it, warnings and above.
	b.publish(Event{Kind: Log, Plugin: "a", Log: &LogEntry{Level: "error", Message: "early"}})
	flushLogs(srv) // sent (or not) on its own goroutine
	if err := cs.SetLoggingLevel(ctx, &mcp.SetLoggingLevelParams{Level: "warning"}); err != nil {
		t.Fatal(err)
	}
	b.publish(Event{Kind: Log, Plugin: "a", Log: &LogEntry{Level: "info", Message: "hidden"}})
	b.publish(Event{Kind: Log, Plugin: "a", Log: &LogEntry{Level: "error", Message: "token sk-fake-secret-value refused"}})
	select {
	case l := <-logs:
		if l.Data != "token *** refused" || l.Logger != "a" || l.Level != "error" {
			t.Fatalf("log = %+v", l)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no log notification")
	}
	select {
	case l := <-logs:
		t.Fatalf("unexpected log %+v", l)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestShadowedToolNameGivenToNeither: a plugin whose id maps to the same
// MCP names as another's (victim.svc beside victim_svc, sorting first)
// does not take the name and the calls meant for the other: the name is
// listed for neither, a call to it is an unknown tool, and the problem is
// reported naming both; their other tools stay.
func TestShadowedToolNameGivenToNeither(t *testing.T) {
	pay := Tool{Name: "pay", Description: "pays", InputSchema: json.RawMessage(`{"type":"object"}`)}
	b := &fakeBackend{plugins: []PluginInfo{
		{ID: "victim.svc", State: setup.Active, Tools: []Tool{pay}},
		{ID: "victim_svc", State: setup.Active, Tools: []Tool{pay, echoTool}},
	}}
	called := make(chan string, 4)
	b.call = func(_ context.Context, c *Call) (*mcp.CallToolResult, error) {
		called <- c.Plugin
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ok"}}}, nil
	}
	var mu sync.Mutex
	var problems []string
	cs := serve(t, b, Options{OnProblem: func(err error) { mu.Lock(); problems = append(problems, err.Error()); mu.Unlock() }}, nil)
	ctx := context.Background()
	lt, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range lt.Tools {
		names = append(names, tl.Name)
	}
	if got := strings.Join(names, " "); got != "victim_svc_echo" {
		t.Errorf("tools = %s, want only victim_svc_echo", got)
	}
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "victim_svc_pay", Arguments: map[string]any{"to": "x"}}); err == nil {
		t.Error("a call to the shadowed name ran")
	}
	select {
	case p := <-called:
		t.Errorf("plugin %s got the call", p)
	default:
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(problems, "\n"); !strings.Contains(got, "victim.svc/pay") || !strings.Contains(got, "victim_svc/pay") || !strings.Contains(got, "neither is listed") {
		t.Errorf("problems = %s", got)
	}
}

// TestSetupWaitReportsProgress: while a call waits for the user to finish
// the setup on the page, a client that gave a progress token gets progress
// (so a 60 s request timeout that progress resets does not end the call),
// on 2025-11-25 and on 2026-07-28 (there on the retry that answered the
// URL elicitation).
func TestSetupWaitReportsProgress(t *testing.T) {
	for _, version := range []string{"2025-11-25", "2026-07-28"} {
		t.Run(version, func(t *testing.T) {
			b := &fakeBackend{plugins: []PluginInfo{{ID: "tok", State: setup.NeedsSetup, Tools: []Tool{echoTool}, Setup: &SetupNeeded{Fields: []string{"token"}}}}}
			b.call = func(ctx context.Context, c *Call) (*mcp.CallToolResult, error) {
				for _, p := range b.Plugins() {
					if p.State != setup.Active {
						return nil, &SetupRequiredError{Plugin: c.Plugin, Setup: *p.Setup}
					}
				}
				return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ran"}}}, nil
			}
			pages := &fakePages{b: b, started: make(chan string, 1)}
			progress := make(chan string, 64)
			s := New(b, Options{Setup: pages, Masker: mask.New(), SetupProgressEvery: 20 * time.Millisecond})
			t.Cleanup(s.Close)
			srv := httptest.NewServer(s.HTTPHandler(HTTPOptions{}))
			t.Cleanup(srv.Close)
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, &mcp.ClientOptions{
				Capabilities: &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapabilities{URL: &mcp.URLElicitationCapabilities{}}},
				ElicitationHandler: func(ctx context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
					// The user finishes on the page once two reports came.
					go func() {
						<-pages.started
						for i := 0; i < 2; i++ {
							<-progress
						}
						b.set(PluginInfo{ID: "tok", State: setup.Active, Tools: []Tool{echoTool}})
						pages.done <- nil
					}()
					return &mcp.ElicitResult{Action: "accept"}, nil
				},
				ProgressNotificationHandler: func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
					progress <- req.Params.Message
				},
			}).Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: srv.URL + Path, DisableStandaloneSSE: true}, &mcp.ClientSessionOptions{ProtocolVersion: version})
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			p := &mcp.CallToolParams{Name: "tok_echo", Arguments: map[string]any{}}
			p.SetProgressToken("setup-1")
			res, err := cs.CallTool(ctx, p)
			if err != nil || firstText(res) != "ran" {
				t.Fatalf("call = %v, %v", res, err)
			}
		})
	}
}
