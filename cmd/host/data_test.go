package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/internal/hosttest"
)

// inboxerPlugin writes a plugin inboxer in dir that emits two messages
// and keeps one ctx.store value, and returns its file.
func inboxerPlugin(t *testing.T, dir string) string {
	t.Helper()
	plugin := filepath.Join(dir, "inboxer", "plugin.ts")
	if err := os.MkdirAll(filepath.Dir(plugin), 0o700); err != nil {
		t.Fatal(err)
	}
	src := `export default definePlugin({
  id: 'inboxer',
  onActivate: async (ctx) => {
    await ctx.store.set('cursor', 2);
    await ctx.emitMessages([{ source: 'a', channel: 'c', content: 'fake first' }, { source: 'b', channel: 'c', content: 'fake second' }]);
  },
});
`
	if err := os.WriteFile(plugin, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return plugin
}

// inboxClient is an MCP client whose resource-updated notifications arrive
// on updated.
func inboxClient() (client *mcp.Client, updated <-chan string) {
	ch := make(chan string, 16)
	client = mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, &mcp.ClientOptions{
		ResourceUpdatedHandler: func(_ context.Context, req *mcp.ResourceUpdatedNotificationRequest) {
			ch <- req.Params.URI
		},
	})
	return client, ch
}

// subscribeInbox waits until the inboxer's messages resource holds both
// its messages (it appears once the plugin is active) and subscribes cs to
// it; read reads it.
func subscribeInbox(t *testing.T, ctx context.Context, cs *mcp.ClientSession) (uri string, read func() string) {
	t.Helper()
	uri = "host://inboxer/messages"
	read = func() string {
		res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
		if err != nil {
			return "error: " + err.Error()
		}
		return res.Contents[0].Text
	}
	var got string
	hosttest.WaitFor(t, time.Minute, "the inbox to hold both messages", func() bool {
		got = read()
		return strings.Contains(got, "fake second")
	}, func() string { return "last read: " + got })
	if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: uri}); err != nil {
		t.Fatal(err)
	}
	return uri, read
}

// waitInboxEmptied waits for the client to be told uri changed, then
// reads it: none of the messages may be left.
func waitInboxEmptied(t *testing.T, ctx context.Context, updated <-chan string, uri string, read func() string) {
	t.Helper()
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

// TestDataClearTellsServe: `host data --clear inbox` beside a running
// `host serve --http` empties the plugin's inbox, and the MCP client subscribed to
// its messages resource hears it changed and reads it empty.
func TestDataClearTellsServe(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	plugin := inboxerPlugin(t, dir)
	client, updated := inboxClient()
	url, _ := mcpHTTPProc(t, env, bin, "serve", "--data-dir", data, "--page", "off", "--http", "127.0.0.1:0", "--no-auth", filepath.Dir(plugin))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	uri, read := subscribeInbox(t, ctx, cs)
	out, err := exec.CommandContext(ctx, bin, "data", "--clear", "inbox", "--yes", "--data-dir", data, "inboxer").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "cleared inboxer's inbox: 2 messages") || !strings.Contains(string(out), "told the running serve: its clients see the empty inbox") {
		t.Fatalf("host data: %v\n%s", err, out)
	}
	waitInboxEmptied(t, ctx, updated, uri, read)
}

// TestDataClearUnderMCP: beside a running `host mcp` (stdio, as an AI
// client starts it) serving the plugin, `host data --clear store` is
// refused naming that host mcp, and `host data --clear inbox` empties the
// inbox and the host mcp's client, subscribed to it, hears it changed and
// reads it empty. Once the host mcp ended, the store can be cleared.
func TestDataClearUnderMCP(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	plugin := inboxerPlugin(t, dir)
	client, updated := inboxClient()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.Command(bin, "mcp", "--data-dir", data, plugin)
	cmd.Env = env
	cmd.Stderr = os.Stderr
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	pid := cmd.Process.Pid
	uri, read := subscribeInbox(t, ctx, cs)
	hostData := func(args ...string) (string, error) {
		c := exec.CommandContext(ctx, bin, append([]string{"data", "--yes", "--data-dir", data}, args...)...)
		c.Env = env
		out, err := c.CombinedOutput()
		return string(out), err
	}

	out, err := hostData("--clear", "store", "inboxer")
	want := fmt.Sprintf("nothing was cleared: the host mcp (pid %d) running for this data dir serves inboxer to an AI client, and its ctx.store values are its working state", pid)
	if err == nil || !strings.Contains(out, want) {
		t.Fatalf("host data --clear store under host mcp: %v\n%s\nwant %q", err, out, want)
	}
	if out, err := hostData("--json", "inboxer"); err != nil || !strings.Contains(out, `{"kind":"store","rows":1,`) {
		t.Fatalf("after the refusal, the store should still hold its value: %v\n%s", err, out)
	}

	out, err = hostData("--clear", "inbox", "inboxer")
	if err != nil || !strings.Contains(out, "cleared inboxer's inbox: 2 messages") || !strings.Contains(out, fmt.Sprintf("told the running host mcp (pid %d): its clients see the empty inbox", pid)) {
		t.Fatalf("host data --clear inbox: %v\n%s", err, out)
	}
	waitInboxEmptied(t, ctx, updated, uri, read)

	// The client ends host mcp (it closes stdin and waits for it): its
	// channel is gone with it.
	if err := cs.Close(); err != nil {
		t.Fatal(err)
	}
	if out, err := hostData("--clear", "store", "inboxer"); err != nil || !strings.Contains(out, "cleared inboxer's store: 1 value") {
		t.Fatalf("host data --clear store after host mcp ended: %v\n%s", err, out)
	}
	if left, _ := filepath.Glob(filepath.Join(data, "serve", "mcp-*")); len(left) > 0 {
		t.Errorf("host mcp left its control socket behind: %v", left)
	}
}
