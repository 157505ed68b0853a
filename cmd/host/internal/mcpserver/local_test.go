package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/mask"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/bindings/setup"
	"host/bindings/store"
)

// testPlugin loads src as a plugin file and activates it.
func testPlugin(t testing.TB, m *mask.Masker, name, src string) *plugin.Plugin {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := &plugin.Host{DataDir: dir, Secrets: secrets.NewMemory(), Store: db, WorkDir: dir, Masker: m}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := plugin.Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	s, err := p.Setup(ctx, plugin.Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
	return p
}

const localPlugin = `export default definePlugin({
  id: 'loc',
  tools: [
    { name: 'hello', description: 'greets', parameters: z.object({ name: z.string() }), annotations: { readOnly: true },
      execute: async ({ name }) => ({ content: 'hello ' + name }) },
    { name: 'obj', description: 'an object', parameters: z.object({}), execute: async () => ({ content: { a: 1, key: 'sk-fake-0123456789' } }) },
    { name: 'boom', description: 'throws', parameters: z.object({}), annotations: { sideEffects: true },
      execute: async () => { throw new Error('it broke with sk-fake-0123456789') } },
    { name: 'plain', description: 'a bare value', parameters: z.object({}), execute: async () => [1, 2] },
  ],
})
`

func text(t *testing.T, r *mcp.CallToolResult) string {
	t.Helper()
	var parts []string
	for _, c := range r.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func TestLocalCallTool(t *testing.T) {
	m := mask.New()
	m.Add("sk-fake-0123456789")
	p := testPlugin(t, m, "loc.ts", localPlugin)
	l := NewLocal(m)
	var events []Event
	cancel := l.Subscribe(func(e Event) { events = append(events, e) })
	defer cancel()
	l.Put(p, setup.Active, "", nil)
	if len(events) != 1 || events[0].Kind != PluginChanged || events[0].Plugin != "loc" {
		t.Fatalf("events = %+v", events)
	}
	infos := l.Plugins()
	if len(infos) != 1 || len(infos[0].Tools) != 4 || !strings.Contains(string(infos[0].Tools[1].InputSchema), `"name"`) {
		t.Fatalf("plugins = %+v", infos)
	}
	if a := infos[0].Tools[1].Annotations; infos[0].Tools[1].Name != "hello" || a == nil || !a.ReadOnlyHint {
		t.Fatalf("hello annotations = %+v", a)
	}
	if a := infos[0].Tools[0].Annotations; a == nil || a.ReadOnlyHint || a.DestructiveHint == nil || !*a.DestructiveHint {
		t.Fatalf("boom annotations = %+v", a)
	}
	ctx := context.Background()
	r, err := l.CallTool(ctx, &Call{Plugin: "loc", Tool: "hello", Input: json.RawMessage(`{"name":"Ada"}`)})
	if err != nil || r.IsError || text(t, r) != "hello Ada" {
		t.Fatalf("hello = %+v, %v", r, err)
	}
	r, _ = l.CallTool(ctx, &Call{Plugin: "loc", Tool: "hello", Input: json.RawMessage(`{"name":3}`)})
	if !r.IsError || !strings.Contains(text(t, r), "name") {
		t.Fatalf("bad input = %q", text(t, r))
	}
	r, _ = l.CallTool(ctx, &Call{Plugin: "loc", Tool: "obj"})
	if sc, _ := json.Marshal(r.StructuredContent); string(sc) != `{"a":1,"key":"***"}` || strings.Contains(text(t, r), "sk-fake") {
		t.Fatalf("obj = %s / %q", sc, text(t, r))
	}
	r, _ = l.CallTool(ctx, &Call{Plugin: "loc", Tool: "boom"})
	if got := text(t, r); !r.IsError || !strings.Contains(got, "loc.ts:8:36") || !strings.Contains(got, "it broke with ***") {
		t.Fatalf("boom = %q", got)
	}
	r, _ = l.CallTool(ctx, &Call{Plugin: "loc", Tool: "plain"})
	if got := text(t, r); got != "[1,2]" {
		t.Fatalf("plain = %q", got)
	}
	var ue *UnknownToolError
	if _, err := l.CallTool(ctx, &Call{Plugin: "loc", Tool: "nope"}); !errors.As(err, &ue) {
		t.Fatalf("nope: %v", err)
	}
	l.Put(p, setup.NeedsSetup, "", &SetupNeeded{Fields: []string{"token"}})
	var se *SetupRequiredError
	if _, err := l.CallTool(ctx, &Call{Plugin: "loc", Tool: "hello"}); !errors.As(err, &se) || se.Setup.Fields[0] != "token" {
		t.Fatalf("needs setup: %v", err)
	}
}

func TestToolNames(t *testing.T) {
	if n, _ := ToolName("my.plugin", "do it"); n != "my_plugin_do_it" {
		t.Errorf("name = %q", n)
	}
	if _, err := ToolName("p", strings.Repeat("x", 64)); err == nil || !strings.Contains(err.Error(), "longer than 64") {
		t.Errorf("long: %v", err)
	}
	errs := CheckNames([]PluginInfo{
		{ID: "a_b", Tools: []Tool{{Name: "c"}}},
		{ID: "a", Tools: []Tool{{Name: "b_c"}}},
	})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "a_b_c is taken twice: by a/b_c and by a_b/c") {
		t.Errorf("collision: %v", errs)
	}
}
