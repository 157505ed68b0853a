// Package web is the core of the web platform globals host gives plugins:
// DOMException (dom.js, made on first use) with the one fix to goja's
// builtins the web APIs rely on (typedarray.js) and what the web API packages share
// (Hub, Define, ThrowDOM, Bytes; hub.go). The APIs are packages of their
// own, each installed after this one: bindings/url (URL,
// URLSearchParams), bindings/encoding (TextEncoder, TextDecoder, atob,
// btoa), bindings/crypto (crypto, crypto.subtle), bindings/clone
// (structuredClone) and bindings/streams (the WHATWG streams). Timers and
// queueMicrotask come from jsrt.
//
// Each API is a small embedded JS file ("host:web/<name>.js", so errors
// point at the plugin's line, not at host code) over Go natives. Only
// typedarray.js runs in every runtime; the others run when a plugin first
// touches one of their globals (jsrt.DefineLazy) or, for DOMException,
// when a web API first throws one. web.d.ts declares the whole web
// surface for plugins compiled without TypeScript's DOM lib.
package web

import (
	_ "embed"
	"fmt"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/jsrt"
)

// DTS declares the web globals (this package's and those of the web API
// packages), for `host types`. Omit it when the plugin's tsconfig has lib
// "dom": the DOM lib declares them already.
//
//go:embed web.d.ts
var DTS string

//go:embed dom.js
var domJS string

//go:embed typedarray.js
var typedArrayJS string

var (
	domProgram        = jsrt.NewProgram("host:web/dom.js", domJS)
	typedArrayProgram = jsrt.NewProgram("host:web/typedarray.js", typedArrayJS)
)

// Install defines DOMException (unless one exists) and the hub of the web
// API packages, and fixes goja's %TypedArray%.from. DOMException's class
// is made on first use, of the global or of the hub's (ThrowDOM, the web
// API packages' JS): about 110 KiB of a runtime's heap that a plugin that
// never meets one does not pay (issue 23). Call it once per runtime on its
// loop goroutine, before plugin code runs and before the web API packages'
// Install. It has no side effects outside the runtime.
func Install(env jsapi.Env) error {
	vm := env.VM()
	g := vm.GlobalObject()
	if _, err := typedArrayProgram.Call(vm, g); err != nil {
		return fmt.Errorf("%s: %w", typedArrayProgram.Name(), err)
	}
	hub := Hub(vm)
	if v := g.Get("DOMException"); v != nil && !goja.IsUndefined(v) {
		// One exists: the web APIs throw that one.
		return hub.DefineDataProperty("DOMException", v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	var class goja.Value
	domException := func() goja.Value {
		if class == nil {
			v, err := domProgram.Call(vm)
			if err != nil {
				panic(jsrt.NewError(vm, fmt.Errorf("internal error in host: %s: %w", domProgram.Name(), err)))
			}
			class = v
		}
		return class
	}
	get := vm.ToValue(func(goja.FunctionCall) goja.Value { return domException() })
	if err := hub.DefineAccessorProperty("DOMException", get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	return jsrt.DefineLazy(vm, g, []jsrt.LazyProp{{Name: "DOMException"}}, func() error {
		return g.DefineDataProperty("DOMException", domException(), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	})
}
