//go:build linux

package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/serve"
	"host/internal/hosttest"
)

// TestServeBackend: the supervisor as mcpserver's Backend (what `host mcp`
// and `host serve --http` serve): a client of the aggregate server lists
// the worker's tools under mcpserver's names and calls them; results,
// tool errors, progress, logs and elicitation pass through the worker.
func TestServeBackend(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dataDir := filepath.Join(t.TempDir(), "data")
	path, _ := filepath.Abs("../../testdata/plugins/mcp-conformance/test/plugin.ts")
	ctx, cancel := context.WithCancel(context.Background())
	active := make(chan serve.State, 8)
	sup := serve.Start(ctx, []string{path}, serve.Options{
		Command: func(p string) *exec.Cmd {
			cmd := exec.Command(bin, "worker", "--data-dir", dataDir, p)
			cmd.Env = env
			return cmd
		},
		OnState: func(st serve.State) {
			if st.Phase == setup.Active || st.Phase == setup.Error {
				active <- st
			}
		},
	})
	defer func() { cancel(); sup.Wait() }()
	select {
	case st := <-active:
		if st.Phase != setup.Active {
			t.Fatalf("the plugin did not activate: %s", st.Line())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the plugin did not activate")
	}
	id := sup.States()[0].ID

	srv := mcpserver.New(sup, mcpserver.Options{})
	defer srv.Close()
	st, ct := mcp.NewInMemoryTransports()
	go func() { _ = srv.Run(ctx, st) }()
	var mu sync.Mutex
	var progress []float64
	var logs []string
	client := mcp.NewClient(&mcp.Implementation{Name: "test"}, &mcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, r *mcp.ProgressNotificationClientRequest) {
			mu.Lock()
			progress = append(progress, r.Params.Progress)
			mu.Unlock()
		},
		LoggingMessageHandler: func(_ context.Context, r *mcp.LoggingMessageRequest) {
			mu.Lock()
			logs = append(logs, r.Params.Logger+": "+r.Params.Data.(string))
			mu.Unlock()
		},
		ElicitationHandler: func(_ context.Context, r *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"username": "ann", "email": "ann@example.com"}}, nil
		},
	})
	cs, err := client.Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	_ = cs.SetLoggingLevel(ctx, &mcp.SetLoggingLevelParams{Level: "info"})
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, tl := range tools.Tools {
		names[tl.Name] = true
	}
	name := func(tool string) string { n, _ := mcpserver.ToolName(id, tool); return n }
	for _, want := range []string{"simple_text", "tool_with_progress", "error_handling", "elicitation"} {
		if !names[name(want)] {
			t.Errorf("tools/list lacks %s: %v", name(want), names)
		}
	}
	text := func(res *mcp.CallToolResult) string { return resultText(res) }

	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name("simple_text"), Arguments: map[string]any{}})
	if err != nil || res.IsError || !strings.Contains(text(res), "simple text") {
		t.Errorf("simple_text: %v %s", err, text(res))
	}
	res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: name("error_handling"), Arguments: map[string]any{}})
	if err != nil || !res.IsError || !strings.Contains(text(res), "intentionally returns an error") || !strings.Contains(text(res), "plugin.ts:") {
		t.Errorf("error_handling: %v %s", err, text(res))
	}
	p := &mcp.CallToolParams{Name: name("tool_with_progress"), Arguments: map[string]any{}}
	p.SetProgressToken("tok")
	if res, err = cs.CallTool(ctx, p); err != nil || res.IsError {
		t.Errorf("tool_with_progress: %v %s", err, text(res))
	}
	if res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: name("tool_with_logging"), Arguments: map[string]any{}}); err != nil || res.IsError {
		t.Errorf("tool_with_logging: %v %s", err, text(res))
	}
	res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: name("elicitation"), Arguments: map[string]any{"message": "who?"}})
	if err != nil || res.IsError || !strings.Contains(text(res), "ann") {
		t.Errorf("elicitation: %v %s", err, text(res))
	}
	// Notifications are handled on the client's own goroutine: they may
	// come after the call's result.
	hosttest.WaitFor(t, time.Minute, "three progress notifications and the log", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(progress) >= 3 && strings.Contains(strings.Join(logs, "\n"), "Tool execution completed")
	}, func() string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("progress %v, logs %q", progress, logs)
	})
	mu.Lock()
	defer mu.Unlock()
	if len(progress) != 3 || progress[2] != 100 {
		t.Errorf("progress: %v, want 0 50 100", progress)
	}
	if strings.Join(logs, "\n") == "" || !strings.Contains(strings.Join(logs, "\n"), "Tool execution completed") {
		t.Errorf("logs: %v", logs)
	}
}
