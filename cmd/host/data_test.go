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

	"host/internal/hosttest"
)

// TestDataClearTellsServe: `host data --clear inbox` beside a running
// `host serve --http` empties the plugin's inbox, and the MCP client subscribed to
// its messages resource hears it changed and reads it empty.
func TestDataClearTellsServe(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	plugin := filepath.Join(dir, "inboxer", "plugin.ts")
	if err := os.MkdirAll(filepath.Dir(plugin), 0o700); err != nil {
		t.Fatal(err)
	}
	src := `export default definePlugin({
  id: 'inboxer',
  onActivate: async (ctx) => {
    await ctx.emitMessages([{ source: 'a', channel: 'c', content: 'fake first' }, { source: 'b', channel: 'c', content: 'fake second' }]);
  },
});
`
	if err := os.WriteFile(plugin, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	updated := make(chan string, 16)
	client := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, &mcp.ClientOptions{
		ResourceUpdatedHandler: func(_ context.Context, req *mcp.ResourceUpdatedNotificationRequest) {
			updated <- req.Params.URI
		},
	})
	url, _ := mcpHTTPProc(t, env, bin, "serve", "--data-dir", data, "--page", "off", "--http", "127.0.0.1:0", "--no-auth", filepath.Dir(plugin))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	const uri = "host://inboxer/messages"
	read := func() string {
		res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
		if err != nil {
			return "error: " + err.Error()
		}
		return res.Contents[0].Text
	}
	// The resource appears once the plugin is active; wait for both messages.
	var got string
	hosttest.WaitFor(t, time.Minute, "the inbox to hold both messages", func() bool {
		got = read()
		return strings.Contains(got, "fake second")
	}, func() string { return "last read: " + got })
	if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: uri}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(ctx, bin, "data", "--clear", "inbox", "--yes", "--data-dir", data, "inboxer").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "cleared inboxer's inbox: 2 messages") || !strings.Contains(string(out), "told the running serve: its clients see the empty inbox") {
		t.Fatalf("host data: %v\n%s", err, out)
	}
	for {
		select {
		case u := <-updated:
			if u != uri {
				continue
			}
			if got := read(); strings.Contains(got, "fake") {
				t.Fatalf("after the update the inbox reads %s", got)
			}
			return
		case <-ctx.Done():
			t.Fatal("the client was not told the inbox changed")
		}
	}
}
