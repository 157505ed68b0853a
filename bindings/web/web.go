// Package web gives plugins the web platform globals browsers have and
// plugins use: URL and URLSearchParams (WHATWG URL parsing), TextEncoder and
// TextDecoder, atob and btoa, structuredClone, DOMException, crypto
// (getRandomValues, randomUUID, and crypto.subtle: digest, HMAC, RSA, ECDSA,
// ECDH, Ed25519, AES-GCM, HKDF, PBKDF2, with Go's crypto packages), and the
// WHATWG streams (ReadableStream, WritableStream, TransformStream,
// TextEncoderStream, TextDecoderStream). Timers and queueMicrotask come
// from jsrt.
//
// Each API is a small embedded JS file ("host:web/<name>.js", so errors
// point at the plugin's line, not at host code) over Go natives: the URL
// parser, the text codecs, base64 and the crypto live in Go. Only dom.js
// runs in every runtime; the others run when a plugin first touches one of
// their globals (jsrt.DefineLazy). web.d.ts
// declares the surface for plugins compiled without TypeScript's DOM lib.
package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	_ "embed"
	"fmt"
	"strings"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/jsrt"
)

// DTS declares the globals Install defines, for `host types`. Omit it when
// the plugin's tsconfig has lib "dom": the DOM lib declares them already.
//
//go:embed web.d.ts
var DTS string

var (
	//go:embed dom.js
	domJS string
	//go:embed encoding.js
	encodingJS string
	//go:embed url.js
	urlJS string
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

type program struct {
	name  string
	prog  *jsrt.Program
	props []jsrt.LazyProp // nil: run in every runtime at Install
}

// programs evaluate to function(globalThis, native). dom.js (DOMException,
// which the others use) runs at Install; each other one runs the first time
// a plugin touches one of its globals, so a plugin that never uses URL or
// crypto never compiles or runs their JS.
var programs = []program{
	{"host:web/dom.js", jsrt.NewProgram("host:web/dom.js", domJS), nil},
	{"host:web/encoding.js", jsrt.NewProgram("host:web/encoding.js", encodingJS),
		[]jsrt.LazyProp{{Name: "TextEncoder"}, {Name: "TextDecoder"}}},
	{"host:web/url.js", jsrt.NewProgram("host:web/url.js", urlJS),
		[]jsrt.LazyProp{{Name: "URL"}, {Name: "URLSearchParams"}}},
	{"host:web/crypto.js", jsrt.NewProgram("host:web/crypto.js", cryptoJS),
		[]jsrt.LazyProp{{Name: "crypto", Enumerable: true}, {Name: "Crypto"}, {Name: "SubtleCrypto"}, {Name: "CryptoKey"}}},
	{"host:web/clone.js", jsrt.NewProgram("host:web/clone.js", cloneJS),
		[]jsrt.LazyProp{{Name: "structuredClone", Enumerable: true}}},
	{"host:web/streams.js", jsrt.NewProgram("host:web/streams.js", streamsSource), lazyProps(
		"ReadableStream", "ReadableStreamDefaultReader", "ReadableStreamBYOBReader", "ReadableStreamBYOBRequest",
		"ReadableStreamDefaultController", "ReadableByteStreamController",
		"WritableStream", "WritableStreamDefaultWriter", "WritableStreamDefaultController",
		"TransformStream", "TransformStreamDefaultController",
		"ByteLengthQueuingStrategy", "CountQueuingStrategy", "TextEncoderStream", "TextDecoderStream")},
}

func lazyProps(names ...string) []jsrt.LazyProp {
	props := make([]jsrt.LazyProp, len(names))
	for i, n := range names {
		props[i] = jsrt.LazyProp{Name: n}
	}
	return props
}

// asyncThreshold is the input size from which digests and HMACs run off
// the loop through rt.Go; smaller ones finish faster than a goroutine hop.
const asyncThreshold = 1 << 20

// Install defines the web globals on vm: DOMException (unless one exists),
// TextEncoder, TextDecoder, atob, btoa, URL, URLSearchParams, crypto (with
// Crypto, SubtleCrypto, CryptoKey) and structuredClone. Call it once per
// runtime on rt's loop goroutine (inside rt.Do), before plugin code runs.
// It has no side effects outside vm; large digests and HMACs run through
// rt.Go.
func Install(env jsapi.Env) error {
	rt, vm := env.Runtime(), env.VM()
	b := &binding{rt: rt, vm: vm}
	native := vm.NewObject()
	for name, fn := range b.natives() {
		if err := native.Set(name, jsrt.Safe(vm, name, fn)); err != nil {
			return fmt.Errorf("web binding: %w", err)
		}
	}
	_ = native.Set("platformClasses", vm.NewArray())
	g := vm.GlobalObject()
	for _, p := range programs {
		run := func() error {
			v, err := vm.RunProgram(p.prog.Get())
			if err != nil {
				return fmt.Errorf("web binding: %s: %w", p.name, err)
			}
			fn, ok := goja.AssertFunction(v)
			if !ok {
				return fmt.Errorf("web binding: %s did not evaluate to a function", p.name)
			}
			if _, err := fn(goja.Undefined(), g, native); err != nil {
				return fmt.Errorf("web binding: %s: %w", p.name, err)
			}
			return nil
		}
		if p.props == nil {
			if err := run(); err != nil {
				return err
			}
		} else if err := jsrt.DefineLazy(vm, g, p.props, run); err != nil {
			return fmt.Errorf("web binding: %s: %w", p.name, err)
		}
	}
	b.domException = native.Get("DOMException")
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{
		"atob": b.atob,
		"btoa": b.btoa,
	} {
		if err := g.DefineDataProperty(name, vm.ToValue(jsrt.Safe(vm, name, fn)), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("web binding: define %s: %w", name, err)
		}
	}
	return nil
}

// binding is the Go half of one runtime's web globals. Its methods run on
// the loop goroutine.
type binding struct {
	rt           *jsrt.Runtime
	vm           *goja.Runtime
	domException goja.Value
}

// natives is the export table the embedded JS receives as `native`.
func (b *binding) natives() map[string]func(goja.FunctionCall) goja.Value {
	return map[string]func(goja.FunctionCall) goja.Value{
		// URL (url.js)
		"urlParse":    b.urlParse,
		"urlGet":      b.urlGet,
		"urlSet":      b.urlSet,
		"urlSetHref":  b.urlSetHref,
		"urlSetQuery": b.urlSetQuery,
		"formParse":   b.formParse,
		"formPair":    b.formPair,
		// Encoding (encoding.js)
		"encode":     b.encode,
		"encodeInto": b.encodeInto,
		"decoderNew": b.decoderNew,
		"decode":     b.decode,
		// Crypto (crypto.js)
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
		// structuredClone (clone.js)
		"detach":   b.detach,
		"detached": b.detached,
	}
}

// throwDOM throws a DOMException with the given name. It never returns.
func (b *binding) throwDOM(name, msg string) {
	obj, err := b.vm.New(b.domException, b.vm.ToValue(msg), b.vm.ToValue(name))
	if err != nil {
		jsrt.Throw(b.vm, fmt.Errorf("%s: %s", name, msg))
	}
	panic(obj)
}

// bytes returns the bytes a BufferSource (ArrayBuffer, typed array or
// DataView) views, sharing its memory. The JS side has checked the type.
func (b *binding) bytes(v goja.Value) []byte {
	var out []byte
	if err := b.vm.ExportTo(v, &out); err != nil {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("expected an ArrayBuffer or ArrayBufferView"))
	}
	return out
}

func (b *binding) arrayBuffer(data []byte) goja.Value {
	return b.vm.ToValue(b.vm.NewArrayBuffer(data))
}

// URL

func (b *binding) record(v goja.Value) *urlRecord {
	u, ok := v.Export().(*urlRecord)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("Illegal invocation"))
	}
	return u
}

// urlParse(input, baseHandle|null) -> handle | null
func (b *binding) urlParse(call goja.FunctionCall) goja.Value {
	var base *urlRecord
	if h := call.Argument(1); !goja.IsNull(h) && !goja.IsUndefined(h) {
		base = b.record(h)
	}
	u, err := parseURL(call.Argument(0).String(), base)
	if err != nil {
		return goja.Null()
	}
	return b.vm.ToValue(u)
}

// urlGet(handle, name) -> string; name is a URL getter or "query".
func (b *binding) urlGet(call goja.FunctionCall) goja.Value {
	u := b.record(call.Argument(0))
	return b.vm.ToValue(u.get(call.Argument(1).String()))
}

// urlSet(handle, name, value) -> whether the query changed.
func (b *binding) urlSet(call goja.FunctionCall) goja.Value {
	u := b.record(call.Argument(0))
	return b.vm.ToValue(u.set(call.Argument(1).String(), call.Argument(2).String()))
}

// urlSetHref(handle, value) -> false when value does not parse.
func (b *binding) urlSetHref(call goja.FunctionCall) goja.Value {
	u := b.record(call.Argument(0))
	n, err := parseURL(call.Argument(1).String(), nil)
	if err != nil {
		return b.vm.ToValue(false)
	}
	*u = *n
	return b.vm.ToValue(true)
}

// urlSetQuery(handle, serialized) for URLSearchParams' updates.
func (b *binding) urlSetQuery(call goja.FunctionCall) goja.Value {
	b.record(call.Argument(0)).setQuery(call.Argument(1).String())
	return goja.Undefined()
}

// formParse(string) -> [[name, value], ...]
func (b *binding) formParse(call goja.FunctionCall) goja.Value {
	pairs := ParseForm(call.Argument(0).String())
	items := make([]any, len(pairs))
	for i, p := range pairs {
		items[i] = b.vm.NewArray(p[0], p[1])
	}
	return b.vm.NewArray(items...)
}

// formPair(name, value) -> "name=value", form-urlencoded.
func (b *binding) formPair(call goja.FunctionCall) goja.Value {
	var sb strings.Builder
	formEncode(&sb, call.Argument(0).String())
	sb.WriteByte('=')
	formEncode(&sb, call.Argument(1).String())
	return b.vm.ToValue(sb.String())
}

// Encoding

// encode(string) -> ArrayBuffer of its UTF-8 bytes.
func (b *binding) encode(call goja.FunctionCall) goja.Value {
	return b.arrayBuffer([]byte(call.Argument(0).String()))
}

// encodeInto(string, Uint8Array) -> { read, written }
func (b *binding) encodeInto(call goja.FunctionCall) goja.Value {
	read, written := encodeInto(call.Argument(0).String(), b.bytes(call.Argument(1)))
	o := b.vm.NewObject()
	_ = o.Set("read", read)
	_ = o.Set("written", written)
	return o
}

// decoderNew(label, fatal, ignoreBOM) -> [handle, encoding name]
func (b *binding) decoderNew(call goja.FunctionCall) goja.Value {
	label := call.Argument(0).String()
	d, ok := newDecoder(label, call.Argument(1).ToBoolean(), call.Argument(2).ToBoolean())
	if !ok {
		jsrt.Throw(b.vm, jsrt.RangeErrorf("Failed to construct 'TextDecoder': The encoding label provided (%q) is not supported by host; available: %s", label, supportedEncodings))
	}
	return b.vm.NewArray(d, d.encoding)
}

// decode(handle, BufferSource|null, stream) -> string
func (b *binding) decode(call goja.FunctionCall) goja.Value {
	d, ok := call.Argument(0).Export().(*decoder)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("Illegal invocation"))
	}
	var data []byte
	if v := call.Argument(1); !goja.IsNull(v) && !goja.IsUndefined(v) {
		data = b.bytes(v)
	}
	s, err := d.decode(data, call.Argument(2).ToBoolean())
	if err != nil {
		jsrt.Throw(b.vm, jsrt.WithCode(jsrt.TypeErrorf("Failed to execute 'decode' on 'TextDecoder': The encoded data was not valid %s.", d.encoding), "ERR_ENCODING_INVALID_ENCODED_DATA"))
	}
	return b.vm.ToValue(s)
}

func (b *binding) atob(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) < 1 {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("Failed to execute 'atob': 1 argument required, but only 0 present."))
	}
	s, ok := atob(call.Argument(0).String())
	if !ok {
		b.throwDOM("InvalidCharacterError", "Failed to execute 'atob': The string to be decoded is not correctly encoded (base64 expected).")
	}
	return b.vm.ToValue(s)
}

func (b *binding) btoa(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) < 1 {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("Failed to execute 'btoa': 1 argument required, but only 0 present."))
	}
	s, ok := btoa(call.Argument(0).String())
	if !ok {
		b.throwDOM("InvalidCharacterError", "Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range (encode text with TextEncoder first).")
	}
	return b.vm.ToValue(s)
}

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
