package node

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"host/bindings/abort"
	"host/bindings/clone"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/jsapi"
	"host/bindings/streams"
	"host/bindings/url"
	"host/bindings/web"
	"host/jsrt"
)

var update = flag.Bool("update", false, "rewrite testdata/node22.golden by running testdata/cases.mjs under Node 22")

// hostDiffers are the cases where host means to differ from Node: a plugin
// sees no environment, and the Node APIs it does not have throw.
var hostDiffers = map[string]string{
	"globals":                       `["object","object","env empty","function","function","number","string"]`,
	"stubs import and throw on use": `["function","function","host refused"]`,
}

// TestModulesAsNode runs testdata/cases.mjs (path, events, util, buffer,
// string_decoder, querystring, url, os, assert, timers and the globals, as
// libraries use them) on host and compares each result with Node 22's.
func TestModulesAsNode(t *testing.T) {
	golden := filepath.Join("testdata", "node22.golden")
	if *update {
		writeGolden(t, golden)
	}
	want := readResults(t, golden)
	got := runOnHost(t, filepath.Join("testdata", "cases.mjs"))
	for name, w := range want {
		if d, ok := hostDiffers[name]; ok {
			w = d
		}
		if name == "crypto" { // the hashes as Node's; a cipher is Node's API host has not
			w = strings.Replace(w, `"made"]`, `"host refused"]`, 1)
		}
		t.Run(name, func(t *testing.T) {
			if got[name] != w {
				t.Errorf("host: %s\nnode: %s", got[name], w)
			}
		})
	}
}

// runOnHost builds entry as a plugin is built and returns main()'s results.
func runOnHost(t *testing.T, entry string) map[string]string {
	t.Helper()
	abs, _ := filepath.Abs(entry)
	b, err := jsrt.Build(jsrt.BuildOptions{Entry: abs, WorkDir: filepath.Dir(abs), Virtual: Modules(), GlobalName: "__m"})
	if err != nil {
		t.Fatal(err)
	}
	rt := jsrt.New(jsrt.Options{})
	t.Cleanup(rt.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := rt.Do(ctx, func(vm *goja.Runtime) error {
		if err := abort.Install(jsapi.NewEnv(nil, vm)); err != nil {
			return err
		}
		if err := web.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := url.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := encoding.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := crypto.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := clone.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := streams.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		return Install(jsapi.NewEnv(nil, vm))
	}); err != nil {
		t.Fatal(err)
	}
	if err := rt.RunBundle(ctx, b); err != nil {
		t.Fatal(err)
	}
	v, err := rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		main, _ := goja.AssertFunction(vm.Get("__m").ToObject(vm).Get("main"))
		return main(goja.Undefined())
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	err = rt.Do(ctx, func(vm *goja.Runtime) error {
		o := v.ToObject(vm)
		stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
		for _, k := range o.Keys() {
			s, err := stringify(goja.Undefined(), o.Get(k))
			if err != nil {
				return err
			}
			out[k] = s.String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readResults reads "name: json" lines.
func readResults(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update and Node 22)", err)
	}
	out := map[string]string{}
	for line := range strings.Lines(string(data)) {
		name, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ": ")
		if ok {
			out[name] = v
		}
	}
	return out
}

const runner = `const m = await import(process.argv[1]);
const out = await m.main();
for (const [k, v] of Object.entries(out)) console.log(k + ': ' + JSON.stringify(v));
`

func writeGolden(t *testing.T, path string) {
	t.Helper()
	node := os.Getenv("HOST_NODE22")
	if node == "" {
		node = "node"
	}
	abs, _ := filepath.Abs(filepath.Join("testdata", "cases.mjs"))
	cmd := exec.Command(node, "--no-deprecation", "--input-type=module", "-e", runner, abs)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", node, err)
	}
	var check map[string]any
	_ = json.Unmarshal(nil, &check)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// stubNames lists exactly the modules stubs.json describes, and no real
// module has a stub too.
func TestStubNames(t *testing.T) {
	shapes := stubShapes()
	if len(shapes) != len(stubNames)+1 { // and crypto, partly real
		t.Errorf("stubs.json has %d modules, stubNames %d", len(shapes), len(stubNames))
	}
	for _, name := range stubNames {
		if _, ok := shapes[name]; !ok {
			t.Errorf("%s is in stubNames, not in stubs.json", name)
		}
		if _, ok := real[name]; ok {
			t.Errorf("%s is real and a stub", name)
		}
	}
	if _, ok := shapes["crypto"]; !ok {
		t.Error("stubs.json has no crypto: js/crypto.js keeps its shape")
	}
}
