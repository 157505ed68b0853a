package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
	"host/internal/hosttest"
)

// TestFastPath: a tools/call that needs no stream is answered by the fast
// path (application/json) with the same JSON-RPC answer the SDK's path
// gives (results, tool errors, unknown tools; both revisions); a call the
// fast path cannot serve (a client that takes elicitations, a progress
// token, a session that set a log level or is not initialized, another
// user's session, a header that disagrees) takes the SDK's path; a
// client's notifications/cancelled ends a fast call.
func TestFastPath(t *testing.T) {
	release := make(chan struct{})
	cancelled := make(chan struct{}, 1)
	b := &fakeBackend{plugins: []PluginInfo{{ID: "a", State: setup.Active, Tools: []Tool{echoTool, {Name: "wait", InputSchema: json.RawMessage(`{"type":"object"}`)}}},
		{ID: "off", State: setup.SecretsUnavailable, Reason: "no keyring", Tools: []Tool{echoTool}}}}
	b.call = func(ctx context.Context, c *Call) (*mcp.CallToolResult, error) {
		if c.Plugin == "off" {
			return nil, &UnavailableError{Plugin: "off", State: setup.SecretsUnavailable, Reason: "no keyring"}
		}
		switch c.Tool {
		case "wait":
			select {
			case <-ctx.Done():
				cancelled <- struct{}{}
				return nil, ctx.Err()
			case <-release:
			}
		}
		if strings.Contains(string(c.Input), "meta") {
			return &mcp.CallToolResult{Meta: mcp.Meta{"x.example/n": 1}, Content: []mcp.Content{&mcp.TextContent{Text: "with meta"}}}, nil
		}
		if strings.Contains(string(c.Input), "fail") {
			return ErrorResult("it failed: "+string(c.Input), nil), nil
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "echo " + string(c.Input)}}, StructuredContent: map[string]any{"n": 1}}, nil
	}
	s := New(b, Options{})
	t.Cleanup(s.Close)
	users := map[string]string{"Bearer fake-alice": "alice", "Bearer fake-bob": "bob"}
	srv := httptest.NewServer(s.HTTPHandler(HTTPOptions{Authorize: func(w http.ResponseWriter, r *http.Request) (string, bool) {
		u, ok := users[r.Header.Get("Authorization")]
		if !ok {
			http.Error(w, "no", http.StatusUnauthorized)
		}
		return u, ok
	}}))
	t.Cleanup(srv.Close)
	url := srv.URL + Path
	alice := map[string]string{"Authorization": "Bearer fake-alice"}
	open := func(caps string, initialized bool) map[string]string {
		t.Helper()
		code, hdr, body := post(t, url, alice, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":`+caps+`,"clientInfo":{"name":"c","version":"1"}}}`)
		if code != 200 {
			t.Fatalf("initialize: %d %s", code, body)
		}
		h := map[string]string{"Authorization": alice["Authorization"], "Mcp-Session-Id": hdr.Get("Mcp-Session-Id"), "MCP-Protocol-Version": "2025-11-25"}
		if initialized {
			post(t, url, h, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
			// The SDK handles the notification after its 202.
			hosttest.WaitFor(t, 30*time.Second, "the session initialized", func() bool {
				s.mu.Lock()
				defer s.mu.Unlock()
				for ss := range s.initialized {
					if ss.ID() == h["Mcp-Session-Id"] {
						return true
					}
				}
				return false
			}, func() string {
				s.mu.Lock()
				defer s.mu.Unlock()
				return fmt.Sprintf("%d other session(s) initialized", len(s.initialized))
			})
		}
		return h
	}
	// answer is the JSON-RPC message of a response, and whether it came
	// as JSON (the fast path) rather than an event stream.
	answer := func(code int, hdr http.Header, body string) (map[string]any, bool) {
		t.Helper()
		fast := code == 200 && strings.HasPrefix(hdr.Get("Content-Type"), "application/json")
		if !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
			i := strings.LastIndex(body, "data: {")
			if i < 0 {
				t.Fatalf("no message in %q", body)
			}
			body = strings.TrimSpace(body[i+len("data: "):])
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%v: %q", err, body)
		}
		return m, fast
	}
	call := func(h map[string]string, msg string) (map[string]any, bool) {
		t.Helper()
		return answer(post(t, url, h, msg))
	}
	modern := func(name string) map[string]string {
		return map[string]string{"Authorization": alice["Authorization"], "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": name}
	}
	meta := `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}`
	sess := open(`{}`, true)
	for _, c := range []struct{ name, args string }{
		{"a_echo", `{"x":1}`}, {"a_echo", `{"fail":true}`}, {"a_echo", `{"meta":true}`}, {"off_echo", `{}`},
	} {
		for _, rev := range []struct {
			h   map[string]string
			msg string
		}{
			{sess, `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"` + c.name + `","arguments":` + c.args + `}}`},
			{modern(c.name), `{"jsonrpc":"2.0","id":"s-5","method":"tools/call","params":{"name":"` + c.name + `","arguments":` + c.args + `,` + meta + `}}`},
		} {
			s.noFast = false
			got, fast := call(rev.h, rev.msg)
			s.noFast = true
			want, _ := call(rev.h, rev.msg)
			s.noFast = false
			if !fast {
				t.Errorf("%s %s: not the fast path", c.name, rev.h["MCP-Protocol-Version"])
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s:\nfast %v\nSDK  %v", c.name, rev.h["MCP-Protocol-Version"], got, want)
			}
		}
	}
	// What takes the SDK's path.
	for what, c := range map[string]struct {
		h   map[string]string
		msg string
	}{
		"elicitation":     {open(`{"elicitation":{}}`, true), `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"a_echo","arguments":{}}}`},
		"not initialized": {open(`{}`, false), `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"a_echo","arguments":{}}}`},
		"progress":        {sess, `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"a_echo","arguments":{},"_meta":{"progressToken":"p"}}}`},
		"2026 sampling":   {modern("a_echo"), `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"a_echo","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"sampling":{}}}}}`},
		"2026 name":       {modern("a_other"), `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"a_echo","arguments":{},` + meta + `}}`},
		"unknown tool":    {sess, `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"a_nosuch","arguments":{}}}`},
	} {
		got, fast := call(c.h, c.msg)
		if fast {
			t.Errorf("%s: took the fast path: %v", what, got)
		}
	}
	leveled := open(`{}`, true)
	post(t, url, leveled, `{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"info"}}`)
	if got, fast := call(leveled, `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"a_echo","arguments":{}}}`); fast {
		t.Errorf("a session with a log level took the fast path: %v", got)
	}
	// Another user's request for alice's session is refused, as the SDK
	// refuses it.
	bob := map[string]string{"Authorization": "Bearer fake-bob", "Mcp-Session-Id": sess["Mcp-Session-Id"], "MCP-Protocol-Version": "2025-11-25"}
	if code, _, body := post(t, url, bob, `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"a_echo","arguments":{}}}`); code != http.StatusForbidden {
		t.Errorf("bob on alice's session: %d %s", code, body)
	}
	// A client's cancellation ends a fast call.
	done := make(chan string, 1)
	go func() {
		body := "(the request failed)"
		defer func() { done <- body }() // also when post fails the test
		_, _, body = post(t, url, sess, `{"jsonrpc":"2.0","id":"w1","method":"tools/call","params":{"name":"a_wait","arguments":{}}}`)
	}()
	hosttest.WaitFor(t, 30*time.Second, "the call on the fast path", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.fastCalls) == 1
	}, func() string {
		s.mu.Lock()
		defer s.mu.Unlock()
		return fmt.Sprintf("%d calls on the fast path", len(s.fastCalls))
	})
	post(t, url, sess, `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"w1","reason":"the user stopped it"}}`)
	select {
	case <-cancelled:
	case <-time.After(30 * time.Second):
		close(release)
		t.Fatal("notifications/cancelled did not end the fast call")
	}
	// A cancelled request gets no answer (the specification's ask).
	if body := <-done; body != "" {
		t.Errorf("the cancelled call was answered: %s", body)
	}
}

// TestParseFast: only a tools/call the fast path reads exactly as the SDK
// does is taken: keys matched exactly, nothing unknown, an integer or
// string id, arguments an object.
func TestParseFast(t *testing.T) {
	s := New(&fakeBackend{plugins: []PluginInfo{{ID: "a", State: setup.Active, Tools: []Tool{echoTool}}}}, Options{})
	t.Cleanup(s.Close)
	h := http.Header{}
	for msg, want := range map[string]bool{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_echo","arguments":{"x":1}}}`:         true,
		` {"jsonrpc":"2.0","id":"q","method":"tools/call","params":{"name":"a_echo"}} `:                         true,
		`{"jsonrpc":"2.0","id":1,"Method":"tools/call","params":{"name":"a_echo"}}`:                             false,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"Name":"a_echo"}}`:                             false,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_echo","task":{}}}`:                   false,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_echo"},"extra":1}`:                   false,
		`[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_echo"}}]`:                           false,
		`{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"a_echo"}}`:                          false,
		`{"jsonrpc":"2.0","id":1.5,"method":"tools/call","params":{"name":"a_echo"}}`:                           false,
		`{"jsonrpc":"2.0","method":"tools/call","params":{"name":"a_echo"}}`:                                    false,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_echo","arguments":[1]}}`:             false,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_echo","_meta":{"progressToken":1}}}`: false,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_nosuch"}}`:                           false,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_echo"}} {}`:                          false,
	} {
		if _, got := s.parseFast([]byte(msg), h, false); got != want {
			t.Errorf("%s: fast %v, want %v", msg, got, want)
		}
	}
	// 2026-07-28: the _meta holds the revision and the capabilities,
	// nothing else; only capabilities that cannot be used during a call.
	call := func(meta string) string {
		return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_echo","arguments":{},"_meta":` + meta + `}}`
	}
	for meta, want := range map[string]bool{
		`{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}`:                               true,
		`{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"roots":{},"experimental":{}}}`:   true,
		`{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}}`:               false,
		`{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"extensions":{}}}`:                false,
		`{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"progressToken":"p"}`:           false,
		`{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/x":1}`: false,
		`{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}`:                                                                               false,
		`{"io.modelcontextprotocol/clientCapabilities":{}}`:                                                                                      false,
		`{"io.modelcontextprotocol/protocolVersion":"","io.modelcontextprotocol/clientCapabilities":{}}`:                                         false,
	} {
		if _, got := s.parseFast([]byte(call(meta)), h, true); got != want {
			t.Errorf("2026-07-28 %s: fast %v, want %v", meta, got, want)
		}
	}
	if _, got := s.parseFast([]byte(call(`{}`)), h, false); !got {
		t.Error("2025-11-25 with an empty _meta: not fast")
	}
	if _, got := s.parseFast([]byte(call(`{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}`)), h, false); got {
		t.Error("2025-11-25 with a 2026-07-28 _meta: fast")
	}
}

// TestFastPathSessionExpires: a session whose calls all took the fast path
// (which the SDK's idle timer does not see) is still closed by the SDK once
// idle for the session timeout, and a call on it then is refused as on
// any closed session.
func TestFastPathSessionExpires(t *testing.T) {
	b := &fakeBackend{plugins: []PluginInfo{{ID: "a", State: setup.Active, Tools: []Tool{echoTool}}}}
	b.call = func(ctx context.Context, c *Call) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "echo"}}}, nil
	}
	s := New(b, Options{})
	t.Cleanup(s.Close)
	srv := httptest.NewServer(s.HTTPHandler(HTTPOptions{SessionTimeout: 2 * time.Second}))
	t.Cleanup(srv.Close)
	url := srv.URL + Path
	call := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"a_echo","arguments":{}}}`
	var id string
	var h map[string]string
	live := func() bool {
		for ss := range s.mcp.Sessions() {
			if ss.ID() == id {
				return true
			}
		}
		return false
	}
	// A session whose call took the fast path (the fast path serves a
	// session the SDK saw within half the timeout: on a machine too busy
	// for that, a new session is tried).
	for try := 0; ; try++ {
		code, hdr, body := post(t, url, nil, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`)
		if code != 200 {
			t.Fatalf("initialize: %d %s", code, body)
		}
		id = hdr.Get("Mcp-Session-Id")
		h = map[string]string{"Mcp-Session-Id": id, "MCP-Protocol-Version": "2025-11-25"}
		post(t, url, h, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
		hosttest.WaitFor(t, 30*time.Second, "the session initialized", func() bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			for ss := range s.initialized {
				if ss.ID() == id {
					return true
				}
			}
			return !live()
		}, func() string { return "not yet" })
		code, hdr, body = post(t, url, h, call)
		if code == 200 && strings.HasPrefix(hdr.Get("Content-Type"), "application/json") && strings.Contains(body, "echo") {
			break
		}
		if try == 10 {
			t.Fatalf("no call took the fast path in 10 sessions; the last: %d %s %s", code, hdr.Get("Content-Type"), body)
		}
	}
	hosttest.WaitFor(t, 30*time.Second, "the idle session closed by the SDK", func() bool { return !live() },
		func() string { return "session " + id + " still open" })
	code, hdr, body := post(t, url, h, call)
	if code != http.StatusNotFound || strings.Contains(body, "echo") {
		t.Errorf("a call on the expired session: %d %s %s", code, hdr.Get("Content-Type"), body)
	}
}

// TestEncodeResult: the fast path's responses are the bytes
// jsonrpc.EncodeMessage writes for the same id and result.
func TestEncodeResult(t *testing.T) {
	for _, raw := range []any{float64(5), float64(0), float64(-7), float64(1 << 53), "a", `q"<&>é`, ""} {
		id, err := jsonrpc.MakeID(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, res := range []string{`{"content":[]}`, `{"content":[{"type":"text","text":"<&> é \u2028"}],"structuredContent":{"a":[1,2.5,null,true]}}`} {
			want, err := jsonrpc.EncodeMessage(&jsonrpc.Response{ID: id, Result: json.RawMessage(res)})
			if err != nil {
				t.Fatal(err)
			}
			if got := encodeResult(id, []byte(res)); string(got) != string(want) {
				t.Errorf("id %#v:\ngot  %s\nwant %s", raw, got, want)
			}
		}
	}
}
