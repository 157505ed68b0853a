// Package clone gives plugins structuredClone, as the HTML standard's
// structured serialize/deserialize defines it for what lives in a plugin
// (clone.js); transferred ArrayBuffers are detached in Go. The platform
// classes it refuses are those the web API packages register on the hub
// (web.Hub's platformClasses), and a CryptoKey is cloned by
// bindings/crypto's cloneCryptoKey.
package clone

import (
	_ "embed"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/web"
	"host/jsrt"
)

// DTS declares this package's globals for `host types` (left out when the
// plugin's tsconfig has lib "dom", which declares them).
//
//go:embed clone.d.ts
var DTS string

//go:embed clone.js
var cloneJS string

var program = jsrt.NewProgram("host:web/clone.js", cloneJS)

// Install defines structuredClone, made the first time a plugin touches
// it. Call once per runtime on its loop goroutine, after web.Install,
// before plugin code runs.
func Install(env jsapi.Env) error {
	vm := env.VM()
	return web.Define(vm, program, []jsrt.LazyProp{{Name: "structuredClone", Enumerable: true}},
		map[string]func(goja.FunctionCall) goja.Value{
			// detach(ArrayBuffer) detaches it (a transferred buffer).
			"detach": func(call goja.FunctionCall) goja.Value {
				if ab, ok := call.Argument(0).Export().(goja.ArrayBuffer); ok {
					ab.Detach()
				}
				return goja.Undefined()
			},
			// detached(ArrayBuffer) -> whether it is detached.
			"detached": func(call goja.FunctionCall) goja.Value {
				ab, ok := call.Argument(0).Export().(goja.ArrayBuffer)
				return vm.ToValue(ok && ab.Detached())
			},
		})
}
