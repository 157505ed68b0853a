package zod_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// zod4Differences are the cases of testdata/zod4_cases.js where host's z
// knowingly differs from zod 4, with the reason. Everything else must
// match zod 4 exactly: success, parsed data, issue paths, both JSON
// Schemas.
var zod4Differences = map[string]string{
	"catch fn":        "JSON Schema: zod calls a .catch() function to export its result as the default; host's export is Go and does not call plugin code",
	"getter lazy mix": "JSON Schema: z.lazy(() => X) at the root, X recursive: host refers to the root as \"#\", zod 4 writes X under $defs and makes the root a $ref to it; both describe the same values",
	"promise":         "zod 4's z.promise() (deprecated) refuses a synchronous parse even of a value that is no promise; host keeps zod 3's check (not a promise: invalid_type)",
}

type zodResult struct {
	Name    string            `json:"name"`
	Results []json.RawMessage `json:"results"`
	Output  any               `json:"output"`
	Input   any               `json:"input"`
}

// TestAgainstZod4 runs the same schemas and inputs on zod 4 itself (node,
// the npm package installed in $HOST_ZOD4_DIR/node_modules/zod, as .ci/run
// does) and on host's z, and compares what a plugin would see.
func TestAgainstZod4(t *testing.T) {
	dir := zod4Dir(t)
	ref, err := exec.Command("node", "testdata/zod4_node.cjs", dir).Output()
	if err != nil {
		var ee *exec.ExitError
		if ok := asExit(err, &ee); ok {
			t.Fatalf("node: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("node: %v", err)
	}
	out := runFilesOnHost(t, "runCases(z)", "testdata/zod4_cases.js", "testdata/zod4_run.js")
	var want, got []zodResult
	if err := json.Unmarshal(ref, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d cases, zod 4 ran %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		var diffs []string
		for j := range w.Results {
			if !jsonEqual(g.Results[j], w.Results[j]) {
				diffs = append(diffs, fmt.Sprintf("input %d: got %s, zod 4 %s", j, g.Results[j], w.Results[j]))
			}
		}
		for _, io := range []struct {
			name     string
			got, ref any
		}{{"output", g.Output, w.Output}, {"input", g.Input, w.Input}} {
			if !reflect.DeepEqual(stripHost(io.got), io.ref) {
				gj, _ := json.Marshal(io.got)
				rj, _ := json.Marshal(io.ref)
				diffs = append(diffs, fmt.Sprintf("%s JSON Schema:\n  got   %s\n  zod 4 %s", io.name, gj, rj))
			}
		}
		reason, known := zod4Differences[w.Name]
		switch {
		case len(diffs) > 0 && !known:
			t.Errorf("%s:\n%s", w.Name, strings.Join(diffs, "\n"))
		case len(diffs) == 0 && known:
			t.Errorf("%s: now matches zod 4; drop it from zod4Differences (%s)", w.Name, reason)
		}
	}
}

// zod4Dir is where zod 4 is installed with npm (see zodDir).
func zod4Dir(t *testing.T) string {
	return zodDir(t, "HOST_ZOD4_DIR", "host-zod4", "zod 4", "zod@4.6.7")
}

func asExit(err error, ee **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError)
	*ee = e
	return ok
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// stripHost drops host's own annotations (x-*, writeOnly) that zod 4 does
// not emit.
func stripHost(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if strings.HasPrefix(k, "x-") || k == "writeOnly" {
				continue
			}
			out[k] = stripHost(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = stripHost(e)
		}
		return out
	}
	return v
}

// runFilesOnHost runs the JS files, then call, on a runtime with host's z
// and returns call's value as a string: the host side of a parity test.
func runFilesOnHost(t *testing.T, call string, files ...string) string {
	t.Helper()
	var src strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
		src.WriteByte('\n')
	}
	v, err := newVM(t).RunString(src.String() + call)
	if err != nil {
		t.Fatal(err)
	}
	return v.String()
}
