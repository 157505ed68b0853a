// Package jstest runs JS snippets in the tests of the bindings packages: a
// runtime with web.Install (DOMException) and the packages a test names, a
// snippet's result as JSON, and a table of cases (Case, RunCases, RunOn).
// Only tests import it.
package jstest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/web"
	"host/jsrt"
)

// NewRuntime starts a runtime with web.Install and then each of installs.
func NewRuntime(t testing.TB, installs ...jsapi.Func) *jsrt.Runtime {
	t.Helper()
	rt := jsrt.New(jsrt.Options{})
	t.Cleanup(rt.Close)
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		env := jsapi.NewEnv(rt, vm)
		if err := web.Install(env); err != nil {
			return err
		}
		for _, f := range installs {
			if err := f(env); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return rt
}

// Run evaluates src as the body of an async function and returns its
// result as JSON (or the error, a *jsrt.JSError for a throw or rejection).
func Run(t testing.TB, rt *jsrt.Runtime, src string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := fmt.Sprintf("(async () => JSON.stringify(await (async () => { %s })()))()", src)
	v, err := rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunScript("plugin.js", code)
	})
	if err != nil {
		return "", err
	}
	var out string
	err = rt.Do(ctx, func(vm *goja.Runtime) error {
		if v == nil || goja.IsUndefined(v) {
			out = "undefined"
		} else {
			out = v.String()
		}
		return nil
	})
	return out, err
}

// Case is one JS snippet and what it must produce: JSON of its result, or
// (Err != "") an error whose text contains Err.
type Case struct {
	Name string
	Src  string
	Want string
	Err  string
}

// Prelude defines helpers the snippets use: hex(buffer) and
// fromHex(string).
const Prelude = `
globalThis.hex = (b) => Array.from(new Uint8Array(b.buffer ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : b), (x) => x.toString(16).padStart(2, "0")).join("");
globalThis.fromHex = (s) => new Uint8Array(s.match(/../g).map((x) => parseInt(x, 16)));
`

// RunCases runs each case as a subtest on one runtime made with installs
// (see NewRuntime), after Prelude.
func RunCases(t *testing.T, cases []Case, installs ...jsapi.Func) {
	t.Helper()
	rt := NewRuntime(t, installs...)
	if _, err := Run(t, rt, Prelude); err != nil {
		t.Fatal(err)
	}
	RunOn(t, rt, nil, cases)
}

// RunOn runs each case as a subtest on rt, a runtime the test made, after
// setting each of globals (a JS name and its value, e.g. "base" and the
// URL of the test's server) as a global the snippets read.
func RunOn(t *testing.T, rt *jsrt.Runtime, globals map[string]any, cases []Case) {
	t.Helper()
	if len(globals) > 0 {
		if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
			for k, v := range globals {
				if err := vm.Set(k, v); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			got, err := Run(t, rt, c.Src)
			if c.Err != "" {
				if err == nil {
					t.Fatalf("got %s, want error containing %q\n src: %s", got, c.Err, c.Src)
				}
				if !strings.Contains(err.Error(), c.Err) {
					t.Fatalf("error %q, want it to contain %q\n src: %s", err.Error(), c.Err, c.Src)
				}
				return
			}
			if err != nil {
				t.Fatalf("error: %v\n src: %s", err, c.Src)
			}
			if got != c.Want {
				t.Fatalf("got  %s\nwant %s\n src: %s", got, c.Want, c.Src)
			}
		})
	}
}

// Bench runs setup once on rt, then calls the async function `bench(n)` it
// defines with b.N and waits for it.
func Bench(b *testing.B, rt *jsrt.Runtime, setup string) {
	b.Helper()
	if _, err := Run(b, rt, setup); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	_, err := rt.Await(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString(fmt.Sprintf("globalThis.bench(%d)", b.N))
	})
	if err != nil {
		b.Fatal(err)
	}
}
