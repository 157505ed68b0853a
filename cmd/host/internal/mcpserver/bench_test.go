package mcpserver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/mask"
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
	l.Put(p, Active, "", nil)
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
