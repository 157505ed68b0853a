package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// mcpStdio starts `host mcp` with args under the official Go SDK's client
// and returns the session.
func mcpStdio(t *testing.T, args ...string) *mcp.ClientSession {
	t.Helper()
	bin, _, env := hostBinary(t, nil)
	cmd := exec.Command(bin, append([]string{"mcp"}, args...)...)
	cmd.Env = env
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

// TestMCPSecretDefaultMasked: through `host mcp`, a tool result and a tool
// error carrying a .secret() field's default value show it masked.
func TestMCPSecretDefaultMasked(t *testing.T) {
	plugin, _ := filepath.Abs("../../testdata/harden/secret-default/plugin.ts")
	cs := mcpStdio(t, "--data-dir", filepath.Join(t.TempDir(), "data"), plugin)
	ctx := context.Background()
	for _, tool := range []string{"sd_show", "sd_fail"} {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: map[string]any{}})
		if err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
		text := resultText(res)
		if strings.Contains(text, "LeakySecret") || !strings.Contains(text, "***") {
			t.Errorf("%s: %s", tool, text)
		}
	}
}
