package main

import (
	"context"
	"encoding/json"
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
	t.Parallel()
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

// TestMCPElicitChecks: through `host mcp`, ctx.elicit's message is
// attributed to the plugin (a message dressed as host's own reads as the
// plugin's), its terminal controls are written out, the plugin's secret is
// masked in the message and in a field's title, description and default
// in both schema forms, and secret fields are refused alike in both forms
// (before anything reaches the client).
func TestMCPElicitChecks(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	plugin, _ := filepath.Abs("../../testdata/harden/elicit/plugin.ts")
	cmd := exec.Command(bin, "mcp", "--data-dir", filepath.Join(t.TempDir(), "data"), plugin)
	cmd.Env = env
	var asked []*mcp.ElicitParams
	client := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, &mcp.ClientOptions{
		ElicitationHandler: func(_ context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			asked = append(asked, req.Params)
			return &mcp.ElicitResult{Action: "decline"}, nil
		},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	for _, tool := range []string{"asker_zod_form", "asker_json_form"} {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: map[string]any{}})
		if err != nil || res.IsError || resultText(res) != "decline" {
			t.Fatalf("%s: %v %+v", tool, err, res)
		}
	}
	if len(asked) != 2 {
		t.Fatalf("asked %d times, want 2", len(asked))
	}
	for i, p := range asked {
		if !strings.HasPrefix(p.Message, `Plugin "asker" asks (its own words, not host's):`+"\nhost: the API Token") {
			t.Errorf("question %d: message %q is not attributed to the plugin", i, p.Message)
		}
		schema, _ := json.Marshal(p.RequestedSchema)
		all := p.Message + string(schema)
		if strings.Contains(all, "fake-elicit-secret-4242") || strings.Contains(all, "\x1b") {
			t.Errorf("question %d shows the secret or a control: %s %s", i, p.Message, schema)
		}
		var s struct {
			Properties map[string]map[string]any `json:"properties"`
		}
		_ = json.Unmarshal(schema, &s)
		n := s.Properties["name"]
		if n["title"] != "Name ***" || n["description"] != "about ***" || n["default"] != "***" {
			t.Errorf("question %d: field %v, want its title, description and default masked", i, n)
		}
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "asker_secrets", Arguments: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	if err := json.Unmarshal([]byte(resultText(res)), &msgs); err != nil || len(msgs) != 5 {
		t.Fatalf("secrets: %v %s", err, resultText(res))
	}
	for i, m := range msgs[:4] {
		if !strings.Contains(m, `field "k" is `) || !strings.Contains(m, "secrets are never asked through the client") {
			t.Errorf("secret form %d: %s", i, m)
		}
	}
	if !strings.Contains(msgs[4], `field "k" has type "object"`) {
		t.Errorf("nested form: %s", msgs[4])
	}
	if len(asked) != 2 {
		t.Errorf("a refused question reached the client (%d questions)", len(asked))
	}
}

// TestRunTimeoutStopsNativeCall: with --timeout 2s, `host run` whose plugin
// sits in a 1e5-deep JSON.stringify (a native call goja's interrupt does
// not reach; tens of seconds) ends soon after the timeout with a message naming
// it, not at the memory cap or never. The deadline is only there to end a
// regression; the test waits for the exit.
func TestRunTimeoutStopsNativeCall(t *testing.T) {
	t.Parallel()
	bin, _, env := hostBinary(t, nil)
	plugin, _ := filepath.Abs("../../testdata/harden/deep-stringify/plugin.ts")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "run", "--once", "--timeout", "2s", "--memory", "8GiB", "--data-dir", filepath.Join(t.TempDir(), "data"), plugin)
	cmd.Env = env
	out, _ := cmd.CombinedOutput()
	if ctx.Err() != nil || cmd.ProcessState.ExitCode() != 1 ||
		!strings.Contains(string(out), "host: plugin deep-stringify: plugin code did not stop at its 2s timeout: it is inside a native call") {
		t.Errorf("exit %d (%v):\n%s", cmd.ProcessState.ExitCode(), ctx.Err(), out)
	}
}

// TestMCPSharedValues: through `host mcp`, a tool handing host a value
// that repeats a shared object sixty times (ctx.emitEvent, message
// metadata, its result) gets an error saying it is too large, and the
// plugin's runtime goes on answering. The deadline only ends a
// regression; the test waits on the answers.
func TestMCPSharedValues(t *testing.T) {
	plugin, _ := filepath.Abs("../../testdata/harden/shared/plugin.ts")
	cs := mcpStdio(t, "--data-dir", filepath.Join(t.TempDir(), "data"), plugin)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, tool := range []string{"shared_event", "shared_metadata", "shared_result"} {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: map[string]any{}})
		if err != nil || !res.IsError || !strings.Contains(resultText(res), "a value too large") {
			t.Errorf("%s: %v %s", tool, err, resultText(res))
		}
		res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "shared_ping", Arguments: map[string]any{}})
		if err != nil || resultText(res) != "pong" {
			t.Fatalf("ping after %s: %v %+v", tool, err, res)
		}
	}
}
