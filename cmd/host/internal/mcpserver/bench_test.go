package mcpserver

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/mask"
	"host/bindings/setup"
)

// BenchmarkHTTPToolCall is one tools/call of a trivial plugin tool through
// the Streamable HTTP handler and Local, in process (go-sdk clients, 16
// sessions in parallel): where the server's time per call goes (run with
// -cpuprofile). The whole-process comparison with the TypeScript SDK is
// cmd/host's BenchmarkMCPHTTPToolCall.
func BenchmarkHTTPToolCall(b *testing.B) {
	m := mask.New()
	p := testPlugin(b, m, "bench.ts", `export default definePlugin({ id: 'bench', tools: [
  { name: 'noop', description: 'ok', parameters: z.object({}), execute: async () => ({ content: 'ok' }) } ] })`)
	l := NewLocal(m)
	l.Put(p, setup.Active, "", nil)
	s := New(l, Options{Masker: m})
	defer s.Close()
	srv := httptest.NewServer(s.HTTPHandler(HTTPOptions{}))
	defer srv.Close()
	ctx := context.Background()
	clients := 16
	if os.Getenv("BENCH_CLIENTS") == "1" {
		clients = 1
	}
	sessions := make([]*mcp.ClientSession, clients)
	for i := range sessions {
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "b", Version: "1"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: srv.URL + Path, DisableStandaloneSSE: true, HTTPClient: ownClient()}, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer cs.Close()
		sessions[i] = cs
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	per := b.N/clients + 1
	for _, cs := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "bench_noop", Arguments: map[string]any{}}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func ownClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
}

// BenchmarkHTTPToolCallRevisions is one tools/call of a trivial plugin
// tool over Streamable HTTP on each revision, side by side (go-sdk client,
// one session, calls in a row): a 2026-07-28 call is a sessionless POST run
// as a job; a 2025-11-25 call rides its session. Run with -count to
// alternate them; the speed issue asks 2026-07-28 to be at least as fast.
func BenchmarkHTTPToolCallRevisions(b *testing.B) {
	m := mask.New()
	p := testPlugin(b, m, "bench.ts", `export default definePlugin({ id: 'bench', tools: [
  { name: 'noop', description: 'ok', parameters: z.object({}), execute: async () => ({ content: 'ok' }) } ] })`)
	l := NewLocal(m)
	l.Put(p, setup.Active, "", nil)
	s := New(l, Options{Masker: m})
	defer s.Close()
	srv := httptest.NewServer(s.HTTPHandler(HTTPOptions{}))
	defer srv.Close()
	ctx := context.Background()
	for _, version := range []string{"2026-07-28", "2025-11-25"} {
		b.Run(version, func(b *testing.B) {
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "b", Version: "1"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: srv.URL + Path, DisableStandaloneSSE: true, HTTPClient: ownClient()}, &mcp.ClientSessionOptions{ProtocolVersion: version})
			if err != nil {
				b.Fatal(err)
			}
			defer cs.Close()
			if got := cs.InitializeResult().ProtocolVersion; got != version {
				b.Fatalf("negotiated %s", got)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "bench_noop", Arguments: map[string]any{}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkServerToolCallRevisions is BenchmarkHTTPToolCallRevisions with
// a raw HTTP client (one request body made once, the answer read whole):
// the server's share of a call on each revision.
func BenchmarkServerToolCallRevisions(b *testing.B) {
	m := mask.New()
	p := testPlugin(b, m, "bench.ts", `export default definePlugin({ id: 'bench', tools: [
  { name: 'noop', description: 'ok', parameters: z.object({}), execute: async () => ({ content: 'ok' }) } ] })`)
	l := NewLocal(m)
	l.Put(p, setup.Active, "", nil)
	s := New(l, Options{Masker: m})
	defer s.Close()
	srv := httptest.NewServer(s.HTTPHandler(HTTPOptions{}))
	defer srv.Close()
	hc := ownClient()
	do := func(b *testing.B, hdr map[string]string, body string) http.Header {
		req, _ := http.NewRequest("POST", srv.URL+Path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 || (bytes.Contains(out, []byte(`"error"`)) && !bytes.Contains(out, []byte(`"result"`))) {
			b.Fatalf("%d %s", resp.StatusCode, out)
		}
		return resp.Header
	}
	b.Run("2026-07-28", func(b *testing.B) {
		hdr := map[string]string{"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "bench_noop"}
		body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"bench_noop","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			do(b, hdr, body)
		}
	})
	b.Run("2025-11-25", func(b *testing.B) {
		h := do(b, nil, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`)
		hdr := map[string]string{"MCP-Protocol-Version": "2025-11-25", "Mcp-Session-Id": h.Get("Mcp-Session-Id")}
		do(b, hdr, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
		body := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"bench_noop","arguments":{}}}`
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			do(b, hdr, body)
		}
	})
}

// BenchmarkPipeToolCallRevisions is one tools/call on each revision over
// one in-memory connection, as on stdio (no HTTP; a 2026-07-28 request
// carries its _meta, runs as a job, and answers on the same connection).
func BenchmarkPipeToolCallRevisions(b *testing.B) {
	m := mask.New()
	p := testPlugin(b, m, "bench.ts", `export default definePlugin({ id: 'bench', tools: [
  { name: 'noop', description: 'ok', parameters: z.object({}), execute: async () => ({ content: 'ok' }) } ] })`)
	l := NewLocal(m)
	l.Put(p, setup.Active, "", nil)
	s := New(l, Options{Masker: m})
	defer s.Close()
	ctx := context.Background()
	for _, version := range []string{"2026-07-28", "2025-11-25"} {
		b.Run(version, func(b *testing.B) {
			st, ct := mcp.NewInMemoryTransports()
			ss, err := s.MCP().Connect(ctx, st, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer ss.Close()
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "b", Version: "1"}, nil).Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: version})
			if err != nil {
				b.Fatal(err)
			}
			defer cs.Close()
			if got := cs.InitializeResult().ProtocolVersion; got != version {
				b.Fatalf("negotiated %s", got)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "bench_noop", Arguments: map[string]any{}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
