package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const approvalPluginTS = `export default definePlugin({
  id: 'gate',
  tools: [
    { name: 'read', description: 'Reads the list', parameters: z.object({}),
      annotations: { readOnly: true }, execute: async () => 'a, b' },
    { name: 'wipe', description: 'Deletes every item', parameters: z.object({ confirm: z.string() }),
      annotations: { sideEffects: true, approval: 'always' },
      execute: async (_p, ctx) => { const n = ((await ctx.store.get('wipes')) ?? 0) + 1; await ctx.store.set('wipes', n); return 'wiped ' + n } },
  ],
});
`

// TestMCPApproval: the official TypeScript SDK client against `host mcp`.
// The user disabled gate's read tool (host tools --disable): tools/list
// has gate_wipe only, and a call of gate_read is refused. gate_wipe is
// marked approval: 'always': a client with form elicitation is asked
// before each run (the tool, its plugin, its arguments; Allow once /
// Always allow / Deny): Allow once runs it, Deny does not; a client
// without elicitation gets a clear refusal and the tool does not run.
func TestMCPApproval(t *testing.T) {
	t.Parallel()
	node, dir := nodeHarness(t)
	bin, _, env := hostBinary(t, nil)
	data := t.TempDir()
	env = append(env, "HOST_DATA_DIR="+data)
	pdir := filepath.Join(t.TempDir(), "gate")
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pdir, "plugin.ts"), []byte(approvalPluginTS), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dis := exec.CommandContext(ctx, bin, "tools", pdir, "--disable", "read")
	dis.Env = env
	if b, err := dis.CombinedOutput(); err != nil {
		t.Fatalf("host tools --disable: %v\n%s", err, b)
	}
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "approval.mjs"), bin, "mcp", pdir)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outText, err := cmd.Output()
	if err != nil {
		t.Fatalf("approval.mjs: %v\n%s\n%s", err, outText, stderr.String())
	}
	steps := map[string]map[string]any{}
	sc := bufio.NewScanner(bytes.NewReader(outText))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			if s, ok := m["step"].(string); ok {
				steps[s] = m
			}
		}
	}
	if len(steps) != 5 {
		t.Fatalf("steps: %s\n%s", outText, stderr.String())
	}
	text := func(step string) (string, bool) {
		t.Helper()
		r, _ := steps[step]["result"].(map[string]any)
		if r == nil {
			t.Fatalf("%s: no result: %v", step, steps[step])
		}
		isErr, _ := r["isError"].(bool)
		var b strings.Builder
		cs, _ := r["content"].([]any)
		for _, c := range cs {
			m, _ := c.(map[string]any)
			s, _ := m["text"].(string)
			b.WriteString(s)
		}
		return b.String(), isErr
	}
	var names []string
	tools, _ := steps["tools"]["tools"].([]any)
	for _, x := range tools {
		m, _ := x.(map[string]any)
		names = append(names, m["name"].(string))
		if m["name"] == "gate_wipe" {
			a, _ := m["annotations"].(map[string]any)
			if a["destructiveHint"] != true {
				t.Errorf("gate_wipe annotations: %v", a)
			}
		}
	}
	if strings.Join(names, ",") != "gate_wipe" {
		t.Errorf("tools/list: %v, want gate_wipe alone (gate_read is disabled)", names)
	}
	if s, isErr := text("allow"); isErr || s != "wiped 1" {
		t.Errorf("Allow once: %q (isError %v)", s, isErr)
	}
	els, _ := steps["deny"]["elicitations"].([]any)
	if len(els) != 2 {
		t.Fatalf("elicitations: %v", els)
	}
	first, _ := els[0].(map[string]any)
	msg, _ := first["message"].(string)
	for _, want := range []string{`tool "wipe"`, `plugin "gate"`, `"confirm":"fake-confirm-word"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the question %q lacks %s", msg, want)
		}
	}
	schema, _ := json.Marshal(first["requestedSchema"])
	if !strings.Contains(string(schema), `"enum":["Allow once","Always allow","Deny"]`) {
		t.Errorf("requestedSchema: %s", schema)
	}
	if s, isErr := text("deny"); !isErr || s != "tool wipe of plugin gate did not run: the user denied it" {
		t.Errorf("Deny: %q (isError %v)", s, isErr)
	}
	if s, isErr := text("noelicit"); !isErr || !strings.Contains(s, "tool wipe of plugin gate needs the user's approval before each run") || !strings.Contains(s, "host tools gate --always-allow wipe") {
		t.Errorf("client without elicitation: %q (isError %v)", s, isErr)
	}
	if th, _ := steps["disabled"]["thrown"].(string); !strings.Contains(th, `unknown tool "gate_read"`) {
		t.Errorf("calling the disabled tool: %v", steps["disabled"])
	}
	// The denied and refused calls did not run: after --always-allow the
	// next run is the tool's second.
	run := func(args ...string) string {
		c := exec.CommandContext(ctx, bin, args...)
		c.Env = env
		b, _ := c.CombinedOutput()
		return string(b)
	}
	if out := run("call", pdir, "wipe", `{"confirm":"x"}`); !strings.Contains(out, "no terminal to ask in") {
		t.Errorf("host call without a terminal: %s", out)
	}
	run("tools", pdir, "--always-allow", "wipe")
	if out := run("call", pdir, "wipe", `{"confirm":"x"}`); out != "wiped 2\n" {
		t.Errorf("host call after --always-allow: %q, want the second run", out)
	}
}
