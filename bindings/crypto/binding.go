// Package crypto gives plugins the Web Crypto API: crypto (Crypto) with
// getRandomValues and randomUUID, and crypto.subtle (SubtleCrypto,
// CryptoKey): digest, HMAC, RSA (PKCS#1 v1.5, PSS, OAEP), ECDSA, ECDH,
// Ed25519, AES-GCM, HKDF and PBKDF2, on Go's crypto packages (checked
// against Go's own test vectors and jose on Node). crypto.js is the class
// surface and the algorithm normalisation; the keys and the work are Go.
package crypto

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	_ "embed"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/web"
	"host/jsrt"
)

// DTS declares this package's globals for `host types` (left out when the
// plugin's tsconfig has lib "dom", which declares them).
//
//go:embed crypto.d.ts
var DTS string

//go:embed crypto.js
var cryptoJS string

var program = jsrt.NewProgram("host:web/crypto.js", cryptoJS)

// asyncThreshold is the input size from which digests and HMACs run off
// the loop through rt.Go; smaller ones finish faster than a goroutine hop.
const asyncThreshold = 1 << 20

// Install defines crypto, Crypto, SubtleCrypto and CryptoKey, made the
// first time a plugin touches one. Call once per runtime on its loop
// goroutine, after web.Install, before plugin code runs. Large digests
// and HMACs, and key generation, run through the runtime's Go.
func Install(env jsapi.Env) error {
	b := &binding{rt: env.Runtime(), vm: env.VM()}
	return web.Define(b.vm, program, []jsrt.LazyProp{{Name: "crypto", Enumerable: true}, {Name: "Crypto"}, {Name: "SubtleCrypto"}, {Name: "CryptoKey"}},
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
}

// binding is the Go half of one runtime's crypto. Its methods run on the
// loop goroutine.
type binding struct {
	rt *jsrt.Runtime
	vm *goja.Runtime
}

// throwDOM throws a DOMException with the given name. It never returns.
func (b *binding) throwDOM(name, msg string) { web.ThrowDOM(b.vm, name, msg) }

// bytes returns the bytes a BufferSource views, sharing its memory.
func (b *binding) bytes(v goja.Value) []byte { return web.Bytes(b.vm, v) }

func (b *binding) arrayBuffer(data []byte) goja.Value { return web.ArrayBuffer(b.vm, data) }

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
