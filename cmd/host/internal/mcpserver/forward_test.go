package mcpserver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
)

// TestForwardedCalls: a worker (RunWorker) answers the calls the serve's
// hop forwards (ids starting with ForwardedID) beside the SDK, with the
// same lines the SDK's path writes for the same call (results, a result
// without content, tool errors, protocol errors, progress before the
// result with its count, a question to the client tagged with the call,
// text needing no HTML escaping, a cancelled call) and without the SDK
// seeing them; a forwarded call it cannot serve exactly (before
// initialize, a tool not registered, another shape) gets the SDK's
// answer.
func TestForwardedCalls(t *testing.T) {
	started := make(chan struct{}, 1)
	cancelled := make(chan struct{}, 1)
	tool := func(name string) Tool { return Tool{Name: name, InputSchema: json.RawMessage(`{"type":"object"}`)} }
	b := &fakeBackend{plugins: []PluginInfo{
		{ID: "a", State: setup.Active, Tools: []Tool{echoTool, tool("empty"), tool("wait"), tool("report"), tool("ask"), tool("gone"), tool("boom")}},
		{ID: "off", State: setup.SecretsUnavailable, Reason: "no keyring", Tools: []Tool{echoTool}},
	}}
	b.call = func(ctx context.Context, c *Call) (*mcp.CallToolResult, error) {
		if c.Plugin == "off" {
			return nil, &UnavailableError{Plugin: "off", State: setup.SecretsUnavailable, Reason: "no keyring"}
		}
		switch c.Tool {
		case "empty":
			return &mcp.CallToolResult{Meta: mcp.Meta{"x.example/n": 1}}, nil
		case "wait":
			started <- struct{}{}
			<-ctx.Done()
			cancelled <- struct{}{}
			return nil, context.Cause(ctx)
		case "report":
			c.Progress(Progress{Progress: 1, Total: 2, Message: "half"})
			c.Progress(Progress{Progress: 2, Total: 2, Message: "all"})
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "reported"}}}, nil
		case "ask":
			if c.Elicit == nil {
				return ErrorResult("no elicitation", nil), nil
			}
			r, err := c.Elicit(ctx, &mcp.ElicitParams{Message: "name?", RequestedSchema: map[string]any{"type": "object"}})
			if err != nil {
				return nil, err
			}
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "got " + r.Action}}, StructuredContent: r.Content}, nil
		case "gone":
			return nil, &UnknownToolError{Name: "a_gone"}
		case "boom":
			return nil, errors.New("it broke <&>")
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "echo " + string(c.Input)}}, StructuredContent: map[string]any{"html": "<a href='x'>&</a>"}}, nil
	}
	s := New(b, Options{TagCalls: true})
	t.Cleanup(s.Close)
	// The progress tokens of the calls the SDK's handler saw.
	var mu sync.Mutex
	sdkSaw := map[any]bool{}
	s.MCP().AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if p, ok := req.GetParams().(*mcp.CallToolParamsRaw); ok && method == "tools/call" {
				mu.Lock()
				sdkSaw[p.GetProgressToken()] = true
				mu.Unlock()
			}
			return next(ctx, method, req)
		}
	})
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- s.RunWorker(ctx, &mcp.IOTransport{Reader: inR, Writer: outW}) }()
	t.Cleanup(func() {
		cancel()
		inW.Close()
		select {
		case <-ran:
		case <-time.After(30 * time.Second):
			t.Error("RunWorker did not return")
		}
	})
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(outR)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	send := func(msg string) {
		t.Helper()
		if _, err := io.WriteString(inW, msg+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	next := func() string {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the worker's output ended")
			}
			return l
		case <-time.After(30 * time.Second):
			t.Fatal("no line from the worker in 30 s")
		}
		return ""
	}
	// until collects the lines up to the answer of id (answering the
	// worker's elicitations with accept), each with id and token named
	// alike for both paths.
	until := func(id, token string) []string {
		t.Helper()
		var got []string
		for {
			l := next()
			var m struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
			}
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("%v: %s", err, l)
			}
			if m.Method == "elicitation/create" {
				send(`{"jsonrpc":"2.0","id":` + string(m.ID) + `,"result":{"action":"accept","content":{"name":"Ada"}}}`)
				l = strings.Replace(l, `"id":`+string(m.ID), `"id":"REQ"`, 1)
			}
			l = strings.ReplaceAll(strings.ReplaceAll(l, `"`+id+`"`, `"ID"`), `"`+token+`"`, `"TOKEN"`)
			got = append(got, l)
			if string(m.ID) == `"`+id+`"` {
				return got
			}
		}
	}
	callMsg := func(id, name, args, token string) string {
		return `{"jsonrpc":"2.0","id":"` + id + `","method":"tools/call","params":{"name":"` + name + `","arguments":` + args + `,"_meta":{"progressToken":"` + token + `"}}}`
	}
	// Before initialize: the SDK's refusal.
	send(callMsg(ForwardedID+"0", "a_echo", `{}`, "t0"))
	if got := next(); !strings.Contains(got, "invalid during session initialization") {
		t.Fatalf("a forwarded call before initialize: %s", got)
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"elicitation":{},"sampling":{}},"clientInfo":{"name":"host-serve","version":"1"}}}`)
	if got := next(); !strings.Contains(got, `"protocolVersion":"2025-11-25"`) {
		t.Fatalf("initialize: %s", got)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	for i, c := range []struct{ name, args string }{
		{"a_echo", `{"x":"<&> é"}`}, {"a_empty", `{}`}, {"off_echo", `{}`}, {"a_gone", `{}`}, {"a_boom", `{}`},
		{"a_report", `{}`}, {"a_ask", `{}`}, {"a_echo", `{}`},
	} {
		n := string(rune('a' + i))
		hop, sdk := ForwardedID+n, "sdk-"+n
		send(callMsg(hop, c.name, c.args, "t-hop-"+n))
		fast := until(hop, "t-hop-"+n)
		send(callMsg(sdk, c.name, c.args, "t-sdk-"+n))
		want := until(sdk, "t-sdk-"+n)
		if strings.Join(fast, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s %s:\nforwarded %s\nSDK       %s", c.name, c.args, strings.Join(fast, "\n          "), strings.Join(want, "\n          "))
		}
		mu.Lock()
		if sdkSaw["t-hop-"+n] || !sdkSaw["t-sdk-"+n] {
			t.Errorf("%s: the SDK saw the forwarded call %v, its own %v", c.name, sdkSaw["t-hop-"+n], sdkSaw["t-sdk-"+n])
		}
		mu.Unlock()
	}
	// Cancelled by the serve: the plugin's call ends, the answer is the
	// SDK's for a cancelled call.
	for _, id := range []string{ForwardedID + "w", "sdk-w"} {
		send(callMsg(id, "a_wait", `{}`, "t-"+id))
		<-started
		send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"` + id + `","reason":"the client went away"}}`)
		select {
		case <-cancelled:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: the cancellation did not reach the call", id)
		}
		got := until(id, "t-"+id)
		if len(got) != 1 || got[0] != `{"jsonrpc":"2.0","id":"ID","error":{"code":0,"message":"context canceled"}}` {
			t.Errorf("%s cancelled: %s", id, got)
		}
	}
	mu.Lock()
	if sdkSaw["t-"+ForwardedID+"w"] {
		t.Error("the SDK saw the forwarded call that was cancelled")
	}
	mu.Unlock()
	// What the worker leaves to the SDK: a tool not registered, another
	// shape of message.
	for what, msg := range map[string]string{
		"unknown tool":  callMsg(ForwardedID+"u1", "a_nosuch", `{}`, "t-u1"),
		"numeric token": `{"jsonrpc":"2.0","id":"` + ForwardedID + `u2","method":"tools/call","params":{"name":"a_echo","arguments":{},"_meta":{"progressToken":7}}}`,
		"another key":   `{"jsonrpc":"2.0","id":"` + ForwardedID + `u3","method":"tools/call","params":{"name":"a_echo","arguments":{},"_meta":{"progressToken":"t-u3","x":1}}}`,
	} {
		send(msg)
		got := next()
		switch what {
		case "unknown tool":
			if !strings.Contains(got, `"code":-32602`) || !strings.Contains(got, "a_nosuch") {
				t.Errorf("%s: %s", what, got)
			}
		default:
			if !strings.Contains(got, `echo {}`) {
				t.Errorf("%s: %s", what, got)
			}
		}
	}
	mu.Lock()
	if !sdkSaw[float64(7)] || !sdkSaw["t-u3"] {
		t.Errorf("the calls left to the SDK did not reach it: %v", sdkSaw)
	}
	mu.Unlock()
}
