package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestServeConcurrentElicitations: two calls of a served plugin ask the user
// at the same time (ctx.elicit in both, the worker holding both questions
// open): each question reaches the client and each answer its own call, on
// both revisions. (A worker's questions once carried no call, and with two
// calls in flight the serve declined both rather than guess.)
func TestServeConcurrentElicitations(t *testing.T) {
	t.Parallel()
	_, _, env := hostBinary(t, nil)
	for _, version := range mcpRevisions {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			_, url := revisionsServer(t, "http", env)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var mu sync.Mutex
			asked := 0
			both := make(chan struct{})  // both questions are open
			ended := make(chan struct{}) // a call returned (its question declined)
			var endOnce sync.Once
			client := mcp.NewClient(&mcp.Implementation{Name: "two-askers", Version: "1"}, &mcp.ClientOptions{
				Capabilities: &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapabilities{Form: &mcp.FormElicitationCapabilities{}}},
				ElicitationHandler: func(ctx context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
					mu.Lock()
					asked++
					n := asked
					if n == 2 {
						close(both)
					}
					mu.Unlock()
					// The user answers once both questions are on screen.
					select {
					case <-both:
					case <-ended:
					case <-ctx.Done():
						return nil, ctx.Err()
					}
					return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"name": fmt.Sprintf("User%d", n)}}, nil
				},
			})
			cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url, DisableStandaloneSSE: true}, &mcp.ClientSessionOptions{ProtocolVersion: version})
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			results := make([]string, 2)
			var wg sync.WaitGroup
			for i := range results {
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer endOnce.Do(func() { close(ended) })
					res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "rev_ask", Arguments: map[string]any{}})
					if err != nil {
						results[i] = "error: " + err.Error()
						return
					}
					for _, c := range res.Content {
						if tc, ok := c.(*mcp.TextContent); ok {
							results[i] += tc.Text
						}
					}
				}()
			}
			wg.Wait()
			got := strings.Join(results, " | ")
			if !(got == "Hello, User1! | Hello, User2!" || got == "Hello, User2! | Hello, User1!") {
				t.Errorf("the two calls returned %q, want each greeting its own answer (questions seen: %d)", got, func() int { mu.Lock(); defer mu.Unlock(); return asked }())
			}
		})
	}
}
