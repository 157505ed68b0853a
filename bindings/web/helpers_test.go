package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/jsrt"
)

// newRuntime starts a runtime with the web globals installed.
func newRuntime(t testing.TB) *jsrt.Runtime {
	t.Helper()
	rt := jsrt.New(jsrt.Options{})
	t.Cleanup(rt.Close)
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		return Install(jsapi.NewEnv(rt, vm))
	}); err != nil {
		t.Fatal(err)
	}
	return rt
}

// run evaluates src as the body of an async function and returns its
// result as JSON (or the error, a *jsrt.JSError for a throw or rejection).
func run(t testing.TB, rt *jsrt.Runtime, src string) (string, error) {
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

// jsCase is one JS snippet and what it must produce: JSON of its result,
// or (err != "") an error whose text contains err.
type jsCase struct {
	name string
	src  string
	want string
	err  string
}

// testPrelude defines helpers the snippets use: hex(buffer) and
// fromHex(string).
const testPrelude = `
globalThis.hex = (b) => Array.from(new Uint8Array(b.buffer ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : b), (x) => x.toString(16).padStart(2, "0")).join("");
globalThis.fromHex = (s) => new Uint8Array(s.match(/../g).map((x) => parseInt(x, 16)));
`

func runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	rt := newRuntime(t)
	if _, err := run(t, rt, testPrelude); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := run(t, rt, c.src)
			if c.err != "" {
				if err == nil {
					t.Fatalf("got %s, want error containing %q", got, c.err)
				}
				if !contains(err.Error(), c.err) {
					t.Fatalf("error %q, want it to contain %q", err.Error(), c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if got != c.want {
				t.Fatalf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
