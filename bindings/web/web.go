// Package web is the core of the web platform globals host gives plugins:
// DOMException (dom.js, run in every runtime, with the one fix to goja's
// builtins the web APIs rely on) and what the web API packages share
// (Hub, Define, ThrowDOM, Bytes; hub.go). The APIs are packages of their
// own, each installed after this one: bindings/url (URL,
// URLSearchParams), bindings/encoding (TextEncoder, TextDecoder, atob,
// btoa), bindings/crypto (crypto, crypto.subtle), bindings/clone
// (structuredClone) and bindings/streams (the WHATWG streams). Timers and
// queueMicrotask come from jsrt.
//
// Each API is a small embedded JS file ("host:web/<name>.js", so errors
// point at the plugin's line, not at host code) over Go natives. Only
// dom.js runs in every runtime; the others run when a plugin first touches
// one of their globals (jsrt.DefineLazy). web.d.ts declares the whole web
// surface for plugins compiled without TypeScript's DOM lib.
package web

import (
	_ "embed"

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

var domProgram = jsrt.NewProgram("host:web/dom.js", domJS)

// Install defines DOMException (unless one exists) and the hub of the web
// API packages. Call it once per runtime on its loop goroutine, before
// plugin code runs and before the web API packages' Install. It has no
// side effects outside the runtime.
func Install(env jsapi.Env) error {
	return Define(env.VM(), domProgram, nil, nil)
}
