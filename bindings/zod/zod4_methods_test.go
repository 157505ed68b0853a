package zod_test

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestZod4Methods: every function zod 4 has on z and on a schema of each
// kind exists on host's z too, implemented or as a stub that throws naming
// it, so a plugin never meets a bare "has no member" error (or, worse, a
// method that silently does nothing).
func TestZod4Methods(t *testing.T) {
	dir := zod4Dir(t)
	out, err := exec.Command("node", "testdata/zod4_methods.cjs", dir).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var want map[string][]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	exprs := map[string]string{
		"string": "z.string()", "number": "z.number()", "boolean": "z.boolean()", "object": "z.object({ a: z.string() })",
		"array": "z.array(z.string())", "enum": "z.enum(['a'])", "literal": "z.literal('a')",
		"union": "z.union([z.string(), z.number()])", "record": "z.record(z.string(), z.string())",
		"tuple": "z.tuple([z.string()])", "null": "z.null()", "any": "z.any()",
		"z": "z", "z.coerce": "z.coerce", "z.iso": "z.iso",
		"date": "z.date()", "bigint": "z.bigint()", "map": "z.map(z.string(), z.number())", "set": "z.set(z.string())",
		"lazy": "z.lazy(() => z.string())", "intersection": "z.intersection(z.string(), z.string())", "promise": "z.promise(z.string())",
		"custom": "z.custom()", "function": "z.function()",
	}
	vm := newVM(t)
	var missing []string
	for kind, names := range want {
		expr, ok := exprs[kind]
		if !ok {
			t.Fatalf("no expression for %s", kind)
		}
		for _, name := range names {
			v, err := vm.RunString("typeof (" + expr + ")[" + jsString(name) + "]")
			if err != nil {
				t.Fatal(err)
			}
			if v.String() != "function" {
				missing = append(missing, expr+"."+name)
			}
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("%d zod 4 functions missing from host's z (implement them or add a stub to unsupportedMethods/unsupportedNamespace):\n%s", len(missing), strings.Join(missing, "\n"))
	}
}
