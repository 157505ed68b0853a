package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"host/internal/hosttest"
)

// TestMCPHTTPFastPath: `host serve --http` answers a tools/call that needs
// no stream on its fast path (application/json, the call forwarded to the
// worker as bytes) with the same result the SDK's path gives (an event
// stream: the same request with a progress token), on both revisions: a
// plain result, a tool that reports progress nobody asked for, a tool
// whose question cannot be asked (ctx.elicit rejects), a tool error for
// bad arguments; an unknown tool is the SDK's error either way. A fast
// call the client cancels (notifications/cancelled on 2025-11-25, closing
// the request on 2026-07-28) aborts the tool's ctx.signal in its worker.
func TestMCPHTTPFastPath(t *testing.T) {
	t.Parallel()
	_, _, env := hostBinary(t, nil)
	_, url := revisionsServer(t, "http", env)
	var postCtx func(context.Context, map[string]string, string) (bool, map[string]any)
	post := func(hdr map[string]string, msg string) (fast bool, answer map[string]any) {
		return postCtx(context.Background(), hdr, msg)
	}
	postCtx = func(ctx context.Context, hdr map[string]string, msg string) (fast bool, answer map[string]any) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(msg))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return false, nil
			}
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body := string(b)
		if id := resp.Header.Get("Mcp-Session-Id"); id != "" {
			hdr["Mcp-Session-Id"] = id
		}
		fast = resp.StatusCode == 200 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
			i := strings.LastIndex(body, "data: {")
			if i < 0 {
				t.Fatalf("no message in %q", body)
			}
			body = strings.TrimSpace(body[i+len("data: "):])
		}
		if body == "" {
			return fast, nil
		}
		if err := json.Unmarshal([]byte(body), &answer); err != nil {
			t.Fatalf("%v: %q", err, body)
		}
		return fast, answer
	}
	session := map[string]string{"MCP-Protocol-Version": "2025-11-25"}
	post(session, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	post(session, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	for _, c := range []struct{ tool, args string }{
		{"rev_echo", `{"text":"hi"}`}, {"rev_steps", `{}`}, {"rev_ask", `{}`}, {"rev_echo", `{"text":1}`}, {"rev_nosuch", `{}`},
	} {
		for _, rev := range []string{"2025-11-25", "2026-07-28"} {
			hdr, meta, tokenMeta := session, "", `,"_meta":{"progressToken":"p1"}`
			if rev != "2025-11-25" {
				hdr = map[string]string{"MCP-Protocol-Version": rev, "Mcp-Method": "tools/call", "Mcp-Name": c.tool}
				meta = `,"_meta":{"io.modelcontextprotocol/protocolVersion":"` + rev + `","io.modelcontextprotocol/clientCapabilities":{}}`
				tokenMeta = `,"_meta":{"progressToken":"p1","io.modelcontextprotocol/protocolVersion":"` + rev + `","io.modelcontextprotocol/clientCapabilities":{}}`
			}
			msg := `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"` + c.tool + `","arguments":` + c.args
			var fast bool
			var got map[string]any
			// The first call of a session may come before the SDK has
			// taken its initialized notification (then it is not fast).
			for i := 0; i < 50 && !fast; i++ {
				fast, got = post(hdr, msg+meta+`}}`)
				if c.tool == "rev_nosuch" {
					break
				}
			}
			slow, want := post(hdr, msg+tokenMeta+`}}`)
			if slow {
				t.Errorf("%s %s with a progress token: the fast path", c.tool, rev)
			}
			if fast != (c.tool != "rev_nosuch") {
				t.Errorf("%s %s: fast path %v", c.tool, rev, fast)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s:\nfast %v\nSDK  %v", c.tool, rev, got, want)
			}
		}
	}
	// Cancelled fast calls.
	text := func(tool string) string {
		fast, a := post(session, `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"`+tool+`","arguments":{}}}`)
		if !fast {
			t.Errorf("%s: not the fast path", tool)
		}
		return fmt.Sprint(a["result"])
	}
	slow := func(n int, hdr map[string]string, msg string, cancel func(ctx context.CancelFunc)) {
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		done := make(chan bool, 1)
		go func() {
			fast := false
			defer func() { done <- fast }() // also when postCtx fails the test
			fast, _ = postCtx(ctx, hdr, msg)
		}()
		var last string
		hosttest.WaitFor(t, time.Minute, fmt.Sprintf("slow call %d to start", n), func() bool {
			last = text("rev_started")
			return strings.Contains(last, fmt.Sprintf("started %d", n))
		}, func() string { return last })
		cancel(stop)
		hosttest.WaitFor(t, time.Minute, fmt.Sprintf("slow call %d to be aborted", n), func() bool {
			last = text("rev_aborted")
			return strings.Contains(last, fmt.Sprintf("aborted %d", n))
		}, func() string { return last })
		<-done
	}
	slow(1, session, `{"jsonrpc":"2.0","id":"s1","method":"tools/call","params":{"name":"rev_slow","arguments":{}}}`, func(context.CancelFunc) {
		post(session, `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"s1","reason":"the user stopped it"}}`)
	})
	modern := map[string]string{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "rev_slow"}
	slow(2, modern, `{"jsonrpc":"2.0","id":"s2","method":"tools/call","params":{"name":"rev_slow","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`, func(stop context.CancelFunc) {
		stop() // the client closes the request
	})
}
