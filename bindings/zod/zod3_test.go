package zod_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"host/internal/hosttest"
)

// zod3Differences are the cases of testdata/zod3_cases.js where host's
// zod 3 namespace knowingly differs from zod 3.23, with the reason.
// Everything else must match exactly: success, parsed data, each issue's
// code, path and message, each probe's result.
var zod3Differences = map[string]string{
	"coerce date text": "z.coerce.date() reads ISO text (a date or a date-time, as the setup's prompts take it) and numbers; JavaScript's Date parser also takes other forms (\"May 1, 2024\"), which host reads as an invalid date",
	"date messages":    "zod 3 names the bound with Date's toString() in the machine's time zone; host writes it as ISO text (2024-01-01T00:00:00.000Z), the same wherever it runs",
}

type zod3Result struct {
	Name    string            `json:"name"`
	Results []json.RawMessage `json:"results"`
}

// TestAgainstZod3 runs the same schemas and inputs on zod 3.23 itself
// (node, the npm package in $HOST_ZOD3_DIR/node_modules/zod, as .ci/run
// installs it) and on the z a plugin imports from "@hivemind-os/plugin-sdk"
// (host's zod 3 namespace), and compares what a plugin would see.
func TestAgainstZod3(t *testing.T) {
	dir := zodDir(t, "HOST_ZOD3_DIR", "host-zod3", "zod 3", "zod@3.23.8")
	cmd := exec.Command("node", "testdata/zod3_node.cjs", dir)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	ref, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if ok := asExit(err, &ee); ok {
			t.Fatalf("node: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("node: %v", err)
	}
	out := runFilesOnHost(t, `runCases3(z[Symbol.for("host.zod3")])`, "testdata/zod3_cases.js", "testdata/zod3_run.js")
	var want, got []zod3Result
	if err := json.Unmarshal(ref, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d cases, zod 3 ran %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		var diffs []string
		for j := range w.Results {
			if !jsonEqual(g.Results[j], w.Results[j]) {
				diffs = append(diffs, fmt.Sprintf("input %d:\n  got   %s\n  zod 3 %s", j, g.Results[j], w.Results[j]))
			}
		}
		reason, known := zod3Differences[w.Name]
		switch {
		case len(diffs) > 0 && !known:
			t.Errorf("%s:\n%s", w.Name, strings.Join(diffs, "\n"))
		case len(diffs) == 0 && known:
			t.Errorf("%s: now matches zod 3; drop it from zod3Differences (%s)", w.Name, reason)
		}
	}
}

// zodDir is where a zod release is installed with npm: $env, else name in
// the user's cache directory, where .ci/run installs it. Without it the
// test fails under CI and is skipped elsewhere (hosttest.Require).
func zodDir(t *testing.T, env, name, what, pkg string) string {
	t.Helper()
	dir := os.Getenv(env)
	if dir == "" {
		if c, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(c, name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "zod", "package.json")); err != nil {
		hosttest.Require(t, fmt.Sprintf("%s is not installed in %q (npm install --prefix DIR %s, then %s=DIR; .ci/run does)", what, dir, pkg, env))
	}
	return dir
}
