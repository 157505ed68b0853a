package jsrt

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

var updateIntl = flag.Bool("update", false, "rewrite testdata/intl.golden with Node 22 (HOST_NODE22, default node)")

// TestIntlAsNode runs testdata/intl.js (NumberFormat, DateTimeFormat,
// Collator, PluralRules, toLocaleString in common locales and options) on
// host and compares every result with Node 22's (testdata/intl.golden).
func TestIntlAsNode(t *testing.T) {
	golden := filepath.Join("testdata", "intl.golden")
	if *updateIntl {
		node := os.Getenv("HOST_NODE22")
		if node == "" {
			node = "node"
		}
		cmd := exec.Command(node, "-e", "const c=require('./intl.js'); for (const [k,v] of Object.entries(c)) console.log(k+': '+JSON.stringify(v))")
		cmd.Dir = "testdata"
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join("testdata", "intl.js"))
	if err != nil {
		t.Fatal(err)
	}
	rt := New(Options{})
	t.Cleanup(rt.Close)
	got := map[string]string{}
	err = rt.Do(t.Context(), func(vm *goja.Runtime) error {
		module := vm.NewObject()
		_ = vm.Set("module", module)
		if _, err := vm.RunScript("intl.js", string(src)); err != nil {
			return err
		}
		cases := module.Get("exports").ToObject(vm)
		for _, k := range cases.Keys() {
			b, err := json.Marshal(cases.Get(k).Export())
			if err != nil {
				return err
			}
			got[k] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		name, want, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ": ")
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			var w, g []any
			_ = json.Unmarshal([]byte(want), &w)
			_ = json.Unmarshal([]byte(got[name]), &g)
			if len(w) == 0 || len(w) != len(g) {
				t.Fatalf("host: %s\nnode: %s", got[name], want)
			}
			for i := range w {
				wb, _ := json.Marshal(w[i])
				gb, _ := json.Marshal(g[i])
				if string(wb) != string(gb) {
					t.Errorf("[%d] host %s, node %s", i, gb, wb)
				}
			}
		})
	}
}
