package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
)

// post sends one JSON-RPC message to url with hdr and returns the HTTP
// status, the response's headers and its body.
func post(t *testing.T, url string, hdr map[string]string, msg string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(msg))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestProtocolDetails: what the conformance suite and the SDK clients
// showed, over HTTP on a 2025-11-25 session: an event stream starts with a
// retry field and a priming event (an id, no data); an unknown method is
// JSON-RPC -32601 with the request's id (not a plain-text 400); an unknown
// resource is -32002 (-32602 on 2026-07-28); prompts/list and
// resources/templates/list, capabilities host does not declare, are
// -32601.
func TestProtocolDetails(t *testing.T) {
	b := &fakeBackend{plugins: []PluginInfo{{ID: "a", State: setup.Active, Tools: []Tool{echoTool}}}}
	s := New(b, Options{})
	t.Cleanup(s.Close)
	srv := httptest.NewServer(s.HTTPHandler(HTTPOptions{}))
	t.Cleanup(srv.Close)
	url := srv.URL + Path
	code, hdr, body := post(t, url, nil, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`)
	sid := hdr.Get("Mcp-Session-Id")
	if code != 200 || sid == "" {
		t.Fatalf("initialize: %d %s", code, body)
	}
	if !strings.HasPrefix(body, "retry: 3000\n\n") || !strings.Contains(body, "event: prime\nid: ") {
		t.Errorf("the stream does not start with a retry field and a priming event:\n%s", body)
	}
	session := map[string]string{"Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25"}
	post(t, url, session, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	code, _, body = post(t, url, session, `{"jsonrpc":"2.0","id":7,"method":"nosuch/method","params":{}}`)
	if code != 200 || !strings.Contains(body, `"code":-32601`) || !strings.Contains(body, `"id":7`) {
		t.Errorf("unknown method: %d %s", code, body)
	}
	for _, m := range []string{"prompts/list", "resources/templates/list"} {
		_, _, body = post(t, url, session, `{"jsonrpc":"2.0","id":8,"method":"`+m+`","params":{}}`)
		if !strings.Contains(body, `"code":-32601`) {
			t.Errorf("%s: %s", m, body)
		}
	}
	_, _, body = post(t, url, session, `{"jsonrpc":"2.0","id":9,"method":"resources/read","params":{"uri":"host://nosuch/messages"}}`)
	if !strings.Contains(body, `"code":-32002`) {
		t.Errorf("unknown resource on 2025-11-25: %s", body)
	}
	modern := map[string]string{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "resources/read", "Mcp-Name": "host://nosuch/messages"}
	_, _, body = post(t, url, modern, `{"jsonrpc":"2.0","id":10,"method":"resources/read","params":{"uri":"host://nosuch/messages","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`)
	if !strings.Contains(body, `"code":-32602`) {
		t.Errorf("unknown resource on 2026-07-28: %s", body)
	}
	// tools/list carries its caching hints.
	modern["Mcp-Method"] = "tools/list"
	delete(modern, "Mcp-Name")
	_, _, body = post(t, url, modern, `{"jsonrpc":"2.0","id":11,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`)
	if !strings.Contains(body, `"ttlMs":10000`) || !strings.Contains(body, `"cacheScope":"private"`) || !strings.Contains(body, `"a_echo"`) {
		t.Errorf("tools/list on 2026-07-28: %s", body)
	}
}

// TestMultiRoundTrip: on 2026-07-28 a tool that asks the user (the
// backend's Call.Elicit and Call.Sample) answers its request with an
// input_required result; the retry with the answers and the requestState
// resumes the same call, round after round; a tampered or reused state is
// -32602 and the call it named is not run twice. The Go SDK client does
// the rounds itself; the raw requests check the wire.
func TestMultiRoundTrip(t *testing.T) {
	runs := make(chan string, 8)
	b := &fakeBackend{plugins: []PluginInfo{{ID: "a", State: setup.Active, Tools: []Tool{echoTool}}}}
	b.call = func(ctx context.Context, c *Call) (*mcp.CallToolResult, error) {
		runs <- c.Tool
		if c.Elicit == nil || c.Sample == nil {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "cannot ask"}}}, nil
		}
		er, err := c.Elicit(ctx, &mcp.ElicitParams{Message: "name?", RequestedSchema: map[string]any{"type": "object", "properties": map[string]any{"name": map[string]any{"type": "string"}}}})
		if err != nil {
			return nil, err
		}
		sr, err := c.Sample(ctx, &mcp.CreateMessageParams{MaxTokens: 10, Messages: []*mcp.SamplingMessage{{Role: "user", Content: &mcp.TextContent{Text: "say hi"}}}})
		if err != nil {
			return nil, err
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "hello " + er.Content["name"].(string) + ", model says " + sr.Content.(*mcp.TextContent).Text}}}, nil
	}
	s := New(b, Options{})
	t.Cleanup(s.Close)
	srv := httptest.NewServer(s.HTTPHandler(HTTPOptions{}))
	t.Cleanup(srv.Close)
	url := srv.URL + Path
	ctx := context.Background()

	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, &mcp.ClientOptions{
		ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"name": "Ada"}}, nil
		},
		CreateMessageHandler: func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
			return &mcp.CreateMessageResult{Role: "assistant", Model: "m", Content: &mcp.TextContent{Text: "hi"}}, nil
		},
	}).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url, DisableStandaloneSSE: true}, &mcp.ClientSessionOptions{ProtocolVersion: "2026-07-28"})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "a_echo", Arguments: map[string]any{}})
	if err != nil || firstText(res) != "hello Ada, model says hi" {
		t.Fatalf("call = %v, %v", res, err)
	}
	if n := len(runs); n != 1 {
		t.Errorf("the tool ran %d times over the rounds, want once", n)
	}
	<-runs

	// The wire: round 1 is input_required with a requestState.
	caps := `"io.modelcontextprotocol/clientCapabilities":{"elicitation":{"form":{}},"sampling":{}}`
	hdr := map[string]string{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "a_echo"}
	call := func(extra string) map[string]any {
		_, _, body := post(t, url, hdr, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a_echo","arguments":{}`+extra+`,"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",`+caps+`}}}`)
		sc := bufio.NewScanner(strings.NewReader(body))
		for sc.Scan() {
			line := strings.TrimPrefix(sc.Text(), "data: ")
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["id"] != nil {
				return m
			}
		}
		t.Fatalf("no answer: %s", body)
		return nil
	}
	r1 := call("")["result"].(map[string]any)
	state, _ := r1["requestState"].(string)
	if r1["resultType"] != "input_required" || state == "" {
		t.Fatalf("round 1 = %v", r1)
	}
	var key string
	for k, v := range r1["inputRequests"].(map[string]any) {
		if v.(map[string]any)["method"] == "elicitation/create" {
			key = k
		}
	}
	if key == "" {
		t.Fatalf("no elicitation in %v", r1)
	}
	tampered := call(`,"requestState":"` + state + `-TAMPERED","inputResponses":{"` + key + `":{"action":"accept","content":{"name":"Eve"}}}`)
	if e, _ := tampered["error"].(map[string]any); e == nil || e["code"] != float64(-32602) {
		t.Errorf("tampered state = %v", tampered)
	}
	r2 := call(`,"requestState":"` + state + `","inputResponses":{"` + key + `":{"action":"accept","content":{"name":"Bob"}}}`)["result"].(map[string]any)
	if r2["resultType"] != "input_required" || r2["requestState"] != state || bytes.Contains(mustJSON(r2), []byte("elicitation/create")) {
		t.Fatalf("round 2 (sampling) = %v", r2)
	}
	var skey string
	for k := range r2["inputRequests"].(map[string]any) {
		skey = k
	}
	r3 := call(`,"requestState":"` + state + `","inputResponses":{"` + skey + `":{"role":"assistant","model":"m","content":{"type":"text","text":"yo"}}}`)["result"].(map[string]any)
	if r3["resultType"] != "complete" || !bytes.Contains(mustJSON(r3), []byte("hello Bob, model says yo")) {
		t.Fatalf("round 3 = %v", r3)
	}
	reused := call(`,"requestState":"` + state + `","inputResponses":{"` + skey + `":{"role":"assistant","model":"m","content":{"type":"text","text":"again"}}}`)
	if e, _ := reused["error"].(map[string]any); e == nil || e["code"] != float64(-32602) {
		t.Errorf("a finished call's state = %v", reused)
	}
	if n := len(runs); n != 1 {
		t.Errorf("the raw rounds ran the tool %d times, want once", n)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestSessionCaps: sessions are capped per bearer token and in total: past
// a cap a new session gets 429 with a JSON-RPC error naming the cap and
// what to do, reported once through OnProblem; a closed session frees its
// place; requests of open sessions and sessionless 2026-07-28 requests
// are not refused.
func TestSessionCaps(t *testing.T) {
	b := &fakeBackend{plugins: []PluginInfo{{ID: "a", State: setup.Active, Tools: []Tool{echoTool}}}}
	var problems []string
	var mu sync.Mutex
	s := New(b, Options{OnProblem: func(err error) { mu.Lock(); problems = append(problems, err.Error()); mu.Unlock() }})
	t.Cleanup(s.Close)
	srv := httptest.NewServer(s.HTTPHandler(HTTPOptions{Token: "fake-token-1", MaxSessions: 3, MaxSessionsPerToken: 2}))
	t.Cleanup(srv.Close)
	url := srv.URL + Path
	auth := map[string]string{"Authorization": "Bearer fake-token-1"}
	initialize := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`
	open := func() (int, string, string) {
		code, hdr, body := post(t, url, auth, initialize)
		return code, hdr.Get("Mcp-Session-Id"), body
	}
	_, first, _ := open()
	_, second, _ := open()
	code, _, body := open()
	if code != http.StatusTooManyRequests || !strings.Contains(body, "too many MCP sessions for this token: 2 are open") || !strings.Contains(body, "DELETE") {
		t.Fatalf("third session of one token: %d %s", code, body)
	}
	// An open session still works.
	sess := map[string]string{"Authorization": auth["Authorization"], "Mcp-Session-Id": first, "MCP-Protocol-Version": "2025-11-25"}
	post(t, url, sess, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	if code, _, body := post(t, url, sess, `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`); code != 200 || !strings.Contains(body, "a_echo") {
		t.Errorf("an open session: %d %s", code, body)
	}
	// Closing one frees its place.
	req, _ := http.NewRequest("DELETE", url, nil)
	req.Header.Set("Authorization", auth["Authorization"])
	req.Header.Set("Mcp-Session-Id", second)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	if code, id, body := open(); code != 200 || id == "" {
		t.Errorf("after a DELETE: %d %s", code, body)
	}
	// Sessionless requests are not sessions.
	modern := map[string]string{"Authorization": auth["Authorization"], "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"}
	if code, _, body := post(t, url, modern, `{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`); code != 200 || !strings.Contains(body, "a_echo") {
		t.Errorf("sessionless at the cap: %d %s", code, body)
	}
	mu.Lock()
	if len(problems) != 1 || !strings.Contains(problems[0], "refusing new MCP sessions") {
		t.Errorf("problems = %q", problems)
	}
	mu.Unlock()
	// The total cap.
	total := httptest.NewServer(s.HTTPHandler(HTTPOptions{MaxSessions: 1, MaxSessionsPerToken: 5}))
	t.Cleanup(total.Close)
	if code, _, body := post(t, total.URL+Path, nil, initialize); code != 200 {
		t.Fatalf("first session: %d %s", code, body)
	}
	if code, _, body := post(t, total.URL+Path, nil, initialize); code != http.StatusTooManyRequests || !strings.Contains(body, "too many MCP sessions: ") {
		t.Errorf("past the total cap: %d %s", code, body)
	}
}
