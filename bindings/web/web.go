// Package web is the core of the web platform globals host gives plugins:
// DOMException (dom.js, run in every runtime, with the one fix to goja's
// builtins the web APIs rely on) and what the web API packages share
// (Hub, Define, ThrowDOM, Bytes; hub.go). It still holds crypto
// (getRandomValues, randomUUID, and crypto.subtle: digest, HMAC, RSA,
// ECDSA, ECDH, Ed25519, AES-GCM, HKDF, PBKDF2, with Go's crypto packages),
// structuredClone and the WHATWG streams (ReadableStream, WritableStream,
// TransformStream, TextEncoderStream, TextDecoderStream); URL is
// bindings/url's, TextEncoder/TextDecoder/atob/btoa bindings/encoding's.
// Timers and queueMicrotask come from jsrt.
//
// Each API is a small embedded JS file ("host:web/<name>.js", so errors
// point at the plugin's line, not at host code) over Go natives. Only
// dom.js runs in every runtime; the others run when a plugin first touches
// one of their globals (jsrt.DefineLazy). web.d.ts declares the whole web
// surface for plugins compiled without TypeScript's DOM lib.
package web

import (
	_ "embed"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/jsrt"
)

// DTS declares the web globals (this package's and those of bindings/url
// and bindings/encoding), for `host types`. Omit it when the plugin's
// tsconfig has lib "dom": the DOM lib declares them already.
//
//go:embed web.d.ts
var DTS string

var (
	//go:embed dom.js
	domJS string
	//go:embed clone.js
	cloneJS string
	//go:embed streams.js
	streamsJS string
	//go:embed streamsimpl.js
	streamsImplJS string
)

// streamsSource is streams.js called with the stream classes that
// streamsimpl.js (host's implementation of the Streams standard) puts on
// exports. streams.js comes first so its positions are its own.
var streamsSource = "(function (g, native) { var exports = {}; var wire = " +
	streamsJS + ";\n" + streamsImplJS + "\nwire(g, native, exports); })"

var (
	domProgram     = jsrt.NewProgram("host:web/dom.js", domJS)
	cloneProgram   = jsrt.NewProgram("host:web/clone.js", cloneJS)
	streamsProgram = jsrt.NewProgram("host:web/streams.js", streamsSource)
)

// Install defines DOMException (unless one exists), crypto (with Crypto,
// SubtleCrypto, CryptoKey), structuredClone and the stream classes. Call
// it once per runtime on rt's loop goroutine, before plugin code runs and
// before the other web API packages' Install. It has no side effects
// outside vm; large digests and HMACs run through rt.Go.
func Install(env jsapi.Env) error {
	rt, vm := env.Runtime(), env.VM()
	b := &binding{rt: rt, vm: vm}
	if err := Define(vm, domProgram, nil, nil); err != nil {
		return err
	}
	err := Define(vm, cloneProgram, []jsrt.LazyProp{{Name: "structuredClone", Enumerable: true}},
		map[string]func(goja.FunctionCall) goja.Value{
			"detach":   b.detach,
			"detached": b.detached,
		})
	if err != nil {
		return err
	}
	return Define(vm, streamsProgram, LazyProps(
		"ReadableStream", "ReadableStreamDefaultReader", "ReadableStreamBYOBReader", "ReadableStreamBYOBRequest",
		"ReadableStreamDefaultController", "ReadableByteStreamController",
		"WritableStream", "WritableStreamDefaultWriter", "WritableStreamDefaultController",
		"TransformStream", "TransformStreamDefaultController",
		"ByteLengthQueuingStrategy", "CountQueuingStrategy", "TextEncoderStream", "TextDecoderStream"), nil)
}

// binding is the Go half of one runtime's web globals. Its methods run on
// the loop goroutine.
type binding struct {
	rt *jsrt.Runtime
	vm *goja.Runtime
}

// structuredClone

// detach(ArrayBuffer) detaches it (a transferred buffer).
func (b *binding) detach(call goja.FunctionCall) goja.Value {
	if ab, ok := call.Argument(0).Export().(goja.ArrayBuffer); ok {
		ab.Detach()
	}
	return goja.Undefined()
}

// detached(ArrayBuffer) -> whether it is detached.
func (b *binding) detached(call goja.FunctionCall) goja.Value {
	ab, ok := call.Argument(0).Export().(goja.ArrayBuffer)
	return b.vm.ToValue(ok && ab.Detached())
}
