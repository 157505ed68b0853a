package fetch

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"

	"host/jsrt"
)

// body is the bytes of a request body, a Blob or a response body, shared
// with JS as an opaque handle. Bytes never change once the body is
// complete: a response body's reader goroutine writes data or err, then
// closes done; the loop reads them only after seeing done closed. Other
// bodies are complete when made (done is nil).
type body struct {
	data []byte
	err  error
	done chan struct{}

	// header is a network response's header list, [name, value, ...] with
	// lower-case names; set before the handle reaches JS, then read-only.
	header []string
}

// complete reports whether data and err are final. Safe on any goroutine.
func (h *body) complete() bool {
	if h.done == nil {
		return true
	}
	select {
	case <-h.done:
		return true
	default:
		return false
	}
}

// handle returns the complete body behind v or throws: a TypeError for a
// non-handle, the body's read error (too large, network, aborted) otherwise.
func handle(vm *goja.Runtime, v goja.Value) *body {
	return completeBody(vm, v.Export())
}

func completeBody(vm *goja.Runtime, x any) *body {
	h, ok := x.(*body)
	if !ok || h == nil {
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: not a body"))
	}
	if !h.complete() {
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: internal error: the body is still being read"))
	}
	if h.err != nil {
		jsrt.Throw(vm, h.err)
	}
	return h
}

// bytesOf returns the bytes of a string (UTF-8), ArrayBuffer, Uint8Array or
// body handle; ok is false for anything else.
func bytesOf(vm *goja.Runtime, v any) (data []byte, ok bool) {
	switch x := v.(type) {
	case string:
		return []byte(x), true
	case goja.ArrayBuffer:
		return x.Bytes(), true
	case []byte:
		return x, true
	case *body:
		return completeBody(vm, x).data, true
	}
	return nil, false
}

// body(string | ArrayBuffer | Uint8Array) -> handle; copies the bytes.
func (b *binding) body(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	data, ok := bytesOf(vm, call.Argument(0).Export())
	if !ok {
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: unsupported body type"))
	}
	return vm.ToValue(&body{data: bytes.Clone(data)})
}

// concat([string | ArrayBuffer | Uint8Array | handle, ...]) -> handle, the
// Blob constructor's byte sequence.
func (b *binding) concat(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	parts, _ := call.Argument(0).Export().([]any)
	buf := []byte{}
	for _, p := range parts {
		data, ok := bytesOf(vm, p)
		if !ok {
			jsrt.Throw(vm, jsrt.TypeErrorf("Blob: unsupported part"))
		}
		buf = append(buf, data...)
	}
	return vm.ToValue(&body{data: buf})
}

// slice(handle, from, to) -> handle of bytes [from, to), bounds already
// clamped by fetch.js. Shares the (immutable) bytes.
func (b *binding) slice(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	data := handle(vm, call.Argument(0)).data
	from, to := call.Argument(1).ToInteger(), call.Argument(2).ToInteger()
	if from < 0 || to < from || to > int64(len(data)) {
		jsrt.Throw(vm, jsrt.RangeErrorf("Blob.slice: bad range"))
	}
	return vm.ToValue(&body{data: data[from:to:to]})
}

// size(handle) -> byte length.
func (b *binding) size(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	return vm.ToValue(len(handle(vm, call.Argument(0)).data))
}

// ready(handle) -> whether a response body has been read completely (or
// failed); text and arrayBuffer need a complete body.
func (b *binding) ready(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	h, ok := call.Argument(0).Export().(*body)
	return vm.ToValue(!ok || h.complete())
}

// wait(handle) -> Promise that resolves once the body is complete, however
// it ended. It needs no deadline of its own: the read ends by the request's
// deadline (the error then says so), its abort, or the runtime's close.
func (b *binding) wait(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	h, _ := call.Argument(0).Export().(*body)
	return b.rt.GoTimeout(0, func(ctx context.Context) (any, error) {
		if h == nil || h.done == nil {
			return nil, nil
		}
		select {
		case <-h.done:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
}

// headers(handle) -> [name, value, ...] of a response from fetch.
func (b *binding) headers(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	h, _ := call.Argument(0).Export().(*body)
	if h == nil {
		return vm.NewArray()
	}
	list := make([]any, len(h.header))
	for i, v := range h.header {
		list[i] = v
	}
	return vm.NewArray(list...)
}

// text(handle) -> string, UTF-8 decoded as TextDecoder does (BOM dropped,
// invalid bytes replaced).
func (b *binding) text(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	data := handle(vm, call.Argument(0)).data
	s := strings.TrimPrefix(string(data), "\uFEFF")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return vm.ToValue(s)
}

// arrayBuffer(handle) -> a fresh ArrayBuffer.
func (b *binding) arrayBuffer(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	data := handle(vm, call.Argument(0)).data
	return vm.ToValue(vm.NewArrayBuffer(bytes.Clone(data)))
}

// multipart([[name, string] | [name, handle, filename, type], ...]) ->
// [handle, boundary]: the entries encoded as multipart/form-data the way
// browsers do (HTML's multipart/form-data encoding algorithm).
func (b *binding) multipart(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	boundary := "----HostFormBoundary" + rand.Text()[:16]
	var buf bytes.Buffer
	entries, _ := call.Argument(0).Export().([]any)
	for _, x := range entries {
		e, _ := x.([]any)
		if len(e) != 2 && len(e) != 4 {
			jsrt.Throw(vm, jsrt.TypeErrorf("fetch: internal error: bad form entry"))
		}
		name, _ := e[0].(string)
		buf.WriteString("--" + boundary + "\r\n")
		buf.WriteString(`Content-Disposition: form-data; name="` + formEscape(crlf(name)) + `"`)
		if len(e) == 2 {
			value, _ := e[1].(string)
			buf.WriteString("\r\n\r\n" + crlf(value) + "\r\n")
			continue
		}
		data := completeBody(vm, e[1]).data
		filename, _ := e[2].(string)
		ctype, _ := e[3].(string)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		buf.WriteString(`; filename="` + formEscape(filename) + "\"\r\n")
		buf.WriteString("Content-Type: " + ctype + "\r\n\r\n")
		buf.Write(data)
		buf.WriteString("\r\n")
	}
	buf.WriteString("--" + boundary + "--\r\n")
	return vm.NewArray(&body{data: buf.Bytes()}, boundary)
}

// crlf turns every lone CR or LF into CRLF.
func crlf(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			sb.WriteString("\r\n")
			i++
		case c == '\r' || c == '\n':
			sb.WriteString("\r\n")
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

var formEscaper = strings.NewReplacer("\n", "%0A", "\r", "%0D", `"`, "%22")

// formEscape escapes a field name or file name for a Content-Disposition
// header as browsers do.
func formEscape(s string) string { return formEscaper.Replace(s) }
