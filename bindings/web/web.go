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
	"context"
	"crypto/hmac"
	"crypto/rand"
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
	//go:embed crypto.js
	cryptoJS string
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
	cryptoProgram  = jsrt.NewProgram("host:web/crypto.js", cryptoJS)
	cloneProgram   = jsrt.NewProgram("host:web/clone.js", cloneJS)
	streamsProgram = jsrt.NewProgram("host:web/streams.js", streamsSource)
)

// asyncThreshold is the input size from which digests and HMACs run off
// the loop through rt.Go; smaller ones finish faster than a goroutine hop.
const asyncThreshold = 1 << 20

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
	err := Define(vm, cryptoProgram, []jsrt.LazyProp{{Name: "crypto", Enumerable: true}, {Name: "Crypto"}, {Name: "SubtleCrypto"}, {Name: "CryptoKey"}},
		map[string]func(goja.FunctionCall) goja.Value{
			"randomUUID":  b.randomUUID,
			"fillRandom":  b.fillRandom,
			"digest":      b.digest,
			"hmacImport":  b.hmacImport,
			"hmacBits":    b.hmacBits,
			"hmacSign":    b.hmacSign,
			"hmacVerify":  b.hmacVerify,
			"keyImport":   b.keyImport,
			"keyGenerate": b.keyGenerate,
			"keyExport":   b.keyExport,
			"keySign":     b.keySign,
			"keyVerify":   b.keyVerify,
			"aesGCM":      b.aesGCM,
			"rsaOAEP":     b.rsaOAEP,
			"keyDerive":   b.keyDerive,
		})
	if err != nil {
		return err
	}
	err = Define(vm, cloneProgram, []jsrt.LazyProp{{Name: "structuredClone", Enumerable: true}},
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

// throwDOM throws a DOMException with the given name. It never returns.
func (b *binding) throwDOM(name, msg string) { ThrowDOM(b.vm, name, msg) }

// bytes returns the bytes a BufferSource views, sharing its memory.
func (b *binding) bytes(v goja.Value) []byte { return Bytes(b.vm, v) }

func (b *binding) arrayBuffer(data []byte) goja.Value { return ArrayBuffer(b.vm, data) }

// Crypto

func (b *binding) randomUUID(goja.FunctionCall) goja.Value {
	return b.vm.ToValue(randomUUID())
}

// fillRandom(integer typed array) fills it in place from crypto/rand.
func (b *binding) fillRandom(call goja.FunctionCall) goja.Value {
	_, _ = rand.Read(b.bytes(call.Argument(0)))
	return goja.Undefined()
}

// digest(name, BufferSource) -> ArrayBuffer, or a Promise of one for large
// inputs.
func (b *binding) digest(call goja.FunctionCall) goja.Value {
	name := call.Argument(0).String()
	data := b.bytes(call.Argument(1))
	if len(data) < asyncThreshold {
		return b.arrayBuffer(digest(name, data))
	}
	data = append([]byte(nil), data...)
	return b.rt.Go(func(context.Context) (any, error) {
		return arrayBufferOf(digest(name, data)), nil
	})
}

func arrayBufferOf(data []byte) jsrt.ToJS {
	return func(vm *goja.Runtime) (goja.Value, error) {
		return vm.ToValue(vm.NewArrayBuffer(data)), nil
	}
}

// hmacImport(hash name, BufferSource) -> key handle; copies the key bytes.
func (b *binding) hmacImport(call goja.FunctionCall) goja.Value {
	k := &hmacKey{hash: call.Argument(0).String(), key: append([]byte(nil), b.bytes(call.Argument(1))...)}
	if _, ok := hashes[k.hash]; !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("unknown hash %q", k.hash))
	}
	return b.vm.ToValue(k)
}

func (b *binding) key(v goja.Value) *hmacKey {
	k, ok := v.Export().(*hmacKey)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("Illegal invocation"))
	}
	return k
}

// hmacBits(handle) -> the key's length in bits.
func (b *binding) hmacBits(call goja.FunctionCall) goja.Value {
	return b.vm.ToValue(len(b.key(call.Argument(0)).key) * 8)
}

// hmacSign(handle, BufferSource) -> ArrayBuffer (or a Promise of one).
func (b *binding) hmacSign(call goja.FunctionCall) goja.Value {
	k := b.key(call.Argument(0))
	data := b.bytes(call.Argument(1))
	if len(data) < asyncThreshold {
		return b.arrayBuffer(k.sum(data, true))
	}
	data = append([]byte(nil), data...)
	return b.rt.Go(func(context.Context) (any, error) {
		return arrayBufferOf(k.sum(data, false)), nil
	})
}

// hmacVerify(handle, signature, data) -> boolean (or a Promise of one),
// comparing in constant time.
func (b *binding) hmacVerify(call goja.FunctionCall) goja.Value {
	k := b.key(call.Argument(0))
	sig := append([]byte(nil), b.bytes(call.Argument(1))...)
	data := b.bytes(call.Argument(2))
	if len(data) < asyncThreshold {
		return b.vm.ToValue(hmac.Equal(k.sum(data, true), sig))
	}
	data = append([]byte(nil), data...)
	return b.rt.Go(func(context.Context) (any, error) {
		return hmac.Equal(k.sum(data, false), sig), nil
	})
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
