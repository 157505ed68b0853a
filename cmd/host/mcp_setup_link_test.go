//go:build linux

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestMCPStdioSetupLinkNotForModel (issue 25 item 12, under host mcp): a
// client without URL elicitation (the official Go SDK's, declaring none)
// calling a tool of a plugin that needs setup gets a tool error that says
// what to run in a terminal, never the setup page's one-time link: the
// model and the transcript read tool results, and whoever holds such a
// link first gets the page. Asked twice, the same.
func TestMCPStdioSetupLinkNotForModel(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dir := t.TempDir()
	plugins := filepath.Join(dir, "plugins")
	if err := os.MkdirAll(plugins, 0o700); err != nil {
		t.Fatal(err)
	}
	needy := filepath.Join(plugins, "needy.ts")
	for name, src := range map[string]string{
		"needy.ts": `export default definePlugin({
  id: 'needy',
  configSchema: z.object({ token: z.string().secret() }),
  tools: [{ name: 'check', description: 'needs its token', parameters: z.object({}), execute: async () => ({ content: 'ok' }) }],
});`,
		"other.ts": `export default definePlugin({ id: 'other' });`,
	} {
		if err := os.WriteFile(filepath.Join(plugins, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "mcp", "--data-dir", filepath.Join(dir, "data"), plugins)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	want := "Plugin needy needs setup before its tools can run (missing: token). Run `host run --once " + needy + "` in a terminal, then call the tool again. Secrets are entered there, never in this chat."
	for range 2 {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "needy_check", Arguments: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		text := ""
		if len(res.Content) > 0 {
			text = res.Content[0].(*mcp.TextContent).Text
		}
		if !res.IsError || text != want {
			t.Errorf("the tool result: %q\nwant %q", text, want)
		}
		if strings.Contains(text, "token=") || strings.Contains(text, "http://") {
			t.Errorf("the tool result holds a link: %q", text)
		}
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", stderr.String())
	}
}
