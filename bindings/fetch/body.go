package fetch

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
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

	// net is a network response body that has not arrived with the
	// headers: done is then open until it has been read whole.
	net *netBody
}

// netBody is a network response body read only when JS asks for it:
// whole (text(), json(), ...: see whole) or as a stream when JS reads
// Response.body (see read). Whichever comes first owns the body.
//
// Streamed, a goroutine of its own (pump) reads the body into queue while
// it holds less than streamAhead bytes, and waits otherwise: the stream's
// backpressure, as a ReadableStream's highWaterMark is. Each read from JS
// takes everything queued, so JS wakes up once for many chunks of a fast
// body and once for each event of a slow one (server-sent events).
type netBody struct {
	resp *http.Response
	call *call

	mu     sync.Mutex
	mode   int           // netIdle, netWhole or netStream
	queue  [][]byte      // netStream: read, not yet taken by JS
	queued int           // bytes in queue
	eof    bool          // netStream: the pump reached the end (or JS cancelled)
	err    error         // netStream: the pump failed; JS gets it once queue is taken
	wake   chan struct{} // cap 1: the pump queued data or stopped
	room   chan struct{} // cap 1: JS took the queue
}

const (
	netIdle = iota
	netWhole
	netStream
)

// chunkSize is the most one Read of a streamed body asks for.
const chunkSize = 256 << 10

// streamAhead is how much of a streamed body Go reads before JS takes it.
const streamAhead = 1 << 20

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// whole starts reading the body into h by a goroutine of its own, which
// closes h.done when it is complete. It does nothing once started, and
// fails (on the loop) when JS streams the body already.
func (n *netBody) whole(b *binding, h *body) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch n.mode {
	case netStream:
		return jsrt.TypeErrorf("fetch: internal error: the body is being streamed")
	case netIdle:
		n.mode = netWhole
		go func() {
			b.readBody(n.call, n.resp, h)
			close(h.done)
		}()
	}
	return nil
}

// close ends a streamed body: closes it and releases its request.
func (n *netBody) close() {
	n.resp.Body.Close()
	n.call.finish()
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
	if h != nil && h.net != nil {
		if err := h.net.whole(b, h); err != nil {
			jsrt.Throw(vm, err)
		}
	}
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

// streamable(handle) -> whether the handle is a network body still to be
// read, which read(handle) then streams; a complete body is read whole.
func (b *binding) streamable(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	h, _ := call.Argument(0).Export().(*body)
	return vm.ToValue(h != nil && h.net != nil && !h.complete())
}

// read(handle) -> the body's next bytes, an array of ArrayBuffers: all
// that was read since the last call, at once when there is some, else a
// Promise of it; null (or a Promise of null) at the end. The first read
// takes the body over as a stream, starts its pump and lifts the request's
// deadline: each read then waits as long as the server takes (JS can
// abort). Call it again only after the last one settled.
func (b *binding) read(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	h, _ := call.Argument(0).Export().(*body)
	if h == nil || h.net == nil {
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: not a network body"))
	}
	n := h.net
	n.mu.Lock()
	switch n.mode {
	case netWhole:
		n.mu.Unlock()
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: internal error: the body is being read whole"))
	case netIdle:
		n.mode = netStream
		n.wake, n.room = make(chan struct{}, 1), make(chan struct{}, 1)
		n.call.untimed() // past the deadline, the pump fails saying so
		go n.pump()
	}
	data, done, err := n.take()
	n.mu.Unlock()
	switch {
	case data != nil:
		return chunksOf(vm, data)
	case err != nil:
		return jsrt.Rejected(vm, err)
	case done:
		return goja.Null()
	}
	return b.rt.GoTimeout(0, func(ctx context.Context) (any, error) {
		for {
			select {
			case <-n.wake:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			n.mu.Lock()
			data, done, err := n.take()
			n.mu.Unlock()
			switch {
			case data != nil:
				return jsrt.ToJS(func(vm *goja.Runtime) (goja.Value, error) { return chunksOf(vm, data), nil }), nil
			case err != nil:
				return nil, err
			case done:
				return nil, nil
			}
		}
	})
}

// chunksOf is the JS array of ArrayBuffers of data.
func chunksOf(vm *goja.Runtime, data [][]byte) goja.Value {
	list := make([]any, len(data))
	for i, d := range data {
		list[i] = vm.NewArrayBuffer(d)
	}
	return vm.NewArray(list...)
}

// take hands JS what the pump queued, or tells it the stream ended
// (done) or failed. Call with mu held.
func (n *netBody) take() (data [][]byte, done bool, err error) {
	if len(n.queue) > 0 {
		data, n.queue, n.queued = n.queue, nil, 0
		signal(n.room)
		return data, false, nil
	}
	return nil, n.eof, n.err
}

// pump reads a streamed body into queue, keeping at most streamAhead
// bytes ahead of JS, until the body ends, fails or is cancelled. It reads
// into one buffer and queues a copy of exactly what arrived (a fresh large
// buffer for each read costs far more in zeroing and GC).
func (n *netBody) pump() {
	buf := make([]byte, chunkSize)
	for {
		n.mu.Lock()
		full, stopped := n.queued >= streamAhead, n.eof || n.err != nil
		n.mu.Unlock()
		if stopped {
			return
		}
		if full {
			select {
			case <-n.room:
			case <-n.call.ctx.Done():
			}
			continue
		}
		nr, err := n.resp.Body.Read(buf)
		n.mu.Lock()
		if !n.eof { // not cancelled meanwhile
			if nr > 0 {
				n.queue = append(n.queue, bytes.Clone(buf[:nr]))
				n.queued += nr
			}
			switch {
			case err == io.EOF:
				n.eof = true
			case err != nil:
				n.err = n.call.bodyFailed(err)
			}
		}
		stop := n.eof || n.err != nil
		n.mu.Unlock()
		signal(n.wake)
		if stop {
			n.close()
			return
		}
	}
}

// cancel(handle) ends a network body JS no longer wants (a cancelled
// stream): the connection is closed and the request released.
func (b *binding) cancel(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	if h, _ := call.Argument(0).Export().(*body); h != nil && h.net != nil {
		n := h.net
		n.mu.Lock()
		if n.mode == netIdle {
			n.mode = netStream
		}
		stop := !n.eof && n.err == nil
		n.eof, n.queue, n.queued = true, nil, 0
		n.mu.Unlock()
		if stop {
			n.close() // the pump's Read fails; it sees eof and stops
		}
	}
	return goja.Undefined()
}

// pipe is a request body JS writes as it reads a ReadableStream; the
// request reads the other end, so each write waits until the request has
// taken the bytes.
type pipe struct {
	r *io.PipeReader
	w *io.PipeWriter
}

// pipe() -> a fresh request-body pipe handle.
func (b *binding) pipe(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	r, w := io.Pipe()
	return vm.ToValue(&pipe{r: r, w: w})
}

func pipeOf(vm *goja.Runtime, v goja.Value) *pipe {
	return handleOf[*pipe](vm, v, "a body pipe")
}

// pipeWrite(pipe, Uint8Array) -> Promise resolved once the request has
// read the bytes (copied first), rejected when the request ended.
func (b *binding) pipeWrite(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	p := pipeOf(vm, call.Argument(0))
	data, ok := bytesOf(vm, call.Argument(1).Export())
	if !ok {
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: a request body stream must give Uint8Array chunks"))
	}
	data = bytes.Clone(data)
	return b.rt.GoTimeout(0, func(context.Context) (any, error) {
		if _, err := p.w.Write(data); err != nil {
			return nil, &fetchError{msg: "fetch: the request body could not be sent: the request has ended", code: "ERR_FETCH_FAILED"}
		}
		return nil, nil
	})
}

// pipeClose(pipe, message|null) ends the request body: at its end (null),
// or failing the request with message (the stream's error).
func (b *binding) pipeClose(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	p := pipeOf(vm, call.Argument(0))
	if m := call.Argument(1); goja.IsNull(m) || goja.IsUndefined(m) {
		p.w.Close()
	} else {
		p.w.CloseWithError(fmt.Errorf("the request body stream failed: %s", m.String()))
	}
	return goja.Undefined()
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
