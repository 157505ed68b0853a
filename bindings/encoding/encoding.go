// Package encoding gives plugins the Encoding standard's TextEncoder and
// TextDecoder (UTF-8, UTF-16LE/BE and windows-1252 with their labels) and
// the HTML standard's atob and btoa. encoding.js is the class surface and
// its argument checks; the codecs are Go (codec.go). TextEncoderStream and
// TextDecoderStream are bindings/streams'.
package encoding

import (
	_ "embed"
	"fmt"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/web"
	"host/jsrt"
)

// DTS declares this package's globals for `host types` (left out when the
// plugin's tsconfig has lib "dom", which declares them).
//
//go:embed encoding.d.ts
var DTS string

//go:embed encoding.js
var encodingJS string

var program = jsrt.NewProgram("host:web/encoding.js", encodingJS)

// Install defines TextEncoder and TextDecoder, made the first time a
// plugin touches one, and atob and btoa. Call once per runtime on its loop
// goroutine, after web.Install, before plugin code runs.
func Install(env jsapi.Env) error {
	vm := env.VM()
	b := &binding{vm: vm}
	err := web.Define(vm, program, web.LazyProps("TextEncoder", "TextDecoder"), map[string]func(goja.FunctionCall) goja.Value{
		"encode":     b.encode,
		"encodeInto": b.encodeInto,
		"decoderNew": b.decoderNew,
		"decode":     b.decode,
	})
	if err != nil {
		return err
	}
	g := vm.GlobalObject()
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{
		"atob": b.atob,
		"btoa": b.btoa,
	} {
		if err := g.DefineDataProperty(name, vm.ToValue(jsrt.Safe(vm, name, fn)), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("encoding: define %s: %w", name, err)
		}
	}
	return nil
}

// binding is the Go half of one runtime's codecs. Its methods run on the
// loop goroutine.
type binding struct{ vm *goja.Runtime }

// encode(string) -> ArrayBuffer of its UTF-8 bytes.
func (b *binding) encode(call goja.FunctionCall) goja.Value {
	return web.ArrayBuffer(b.vm, []byte(call.Argument(0).String()))
}

// encodeInto(string, Uint8Array) -> { read, written }
func (b *binding) encodeInto(call goja.FunctionCall) goja.Value {
	read, written := encodeInto(call.Argument(0).String(), web.Bytes(b.vm, call.Argument(1)))
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
		data = web.Bytes(b.vm, v)
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
		web.ThrowDOM(b.vm, "InvalidCharacterError", "Failed to execute 'atob': The string to be decoded is not correctly encoded (base64 expected).")
	}
	return b.vm.ToValue(s)
}

func (b *binding) btoa(call goja.FunctionCall) goja.Value {
	if len(call.Arguments) < 1 {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("Failed to execute 'btoa': 1 argument required, but only 0 present."))
	}
	s, ok := btoa(call.Argument(0).String())
	if !ok {
		web.ThrowDOM(b.vm, "InvalidCharacterError", "Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range (encode text with TextEncoder first).")
	}
	return b.vm.ToValue(s)
}
