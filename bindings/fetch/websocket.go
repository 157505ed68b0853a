package fetch

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"sync"

	"github.com/coder/websocket"
	"github.com/dop251/goja"

	"host/jsrt"
)

//go:embed websocket.js
var websocketJS string

var websocketProgram = jsrt.NewProgram("host:fetch/websocket.js", websocketJS)

// websocketGlobals are the names websocket.js defines, on first use.
var websocketGlobals = []jsrt.LazyProp{{Name: "WebSocket"}, {Name: "MessageEvent"}, {Name: "CloseEvent"}}

// installWebSocket defines the WebSocket globals lazily. On the loop.
func (b *binding) installWebSocket(vm *goja.Runtime) error {
	g := vm.GlobalObject()
	native := nativeObject(vm, map[string]nativeFunc{
		"wsDial":  b.wsDial,
		"wsRead":  b.wsRead,
		"wsSend":  b.wsSend,
		"wsClose": b.wsClose,
	})
	return jsrt.DefineLazy(vm, g, websocketGlobals, func() error {
		v, err := vm.RunProgram(websocketProgram.Get())
		if err != nil {
			return err
		}
		fn, ok := goja.AssertFunction(v)
		if !ok {
			return errors.New("fetch binding: websocket.js did not evaluate to a function")
		}
		_, err = fn(goja.Undefined(), g, native)
		return err
	})
}

// wsConn is one WebSocket connection, shared with JS as an opaque handle.
// Its context ends when the runtime closes, which closes the connection.
type wsConn struct {
	c      *websocket.Conn
	ctx    context.Context
	cancel context.CancelFunc
	shown  string // the URL without its query, for messages

	mu      sync.Mutex
	closing bool // close() was called
	code    int
	reason  string
}

// wsURL is the URL as errors show it: no query or fragment, which may
// hold credentials.
func wsURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the WebSocket URL"
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}

// wsDial(url, [protocol, ...]) -> Promise<[handle, protocol, extensions]>.
// The handshake goes through the fetch client (same roots, connect-to,
// proxies and permissions), does not follow redirects, and must finish
// within the call timeout.
func (b *binding) wsDial(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	raw := call.Argument(0).String()
	var protocols []string
	if err := vm.ExportTo(call.Argument(1), &protocols); err != nil {
		jsrt.Throw(vm, jsrt.TypeErrorf("WebSocket: protocols must be strings"))
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		c, _, err := websocket.Dial(ctx, raw, &websocket.DialOptions{HTTPClient: b.noFollow, Subprotocols: protocols})
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return nil, &fetchError{msg: fmt.Sprintf("WebSocket connection to '%s' failed: %v", wsURL(raw), err), code: "ERR_WEBSOCKET"}
		}
		c.SetReadLimit(b.max)
		wc := &wsConn{c: c, shown: wsURL(raw)}
		wc.ctx, wc.cancel = context.WithCancel(b.rt.Context())
		context.AfterFunc(wc.ctx, func() { c.CloseNow() })
		return jsrt.ToJS(func(vm *goja.Runtime) (goja.Value, error) {
			return vm.NewArray(wc, c.Subprotocol(), ""), nil
		}), nil
	})
}

func wsOf(vm *goja.Runtime, v goja.Value) *wsConn {
	return handleOf[*wsConn](vm, v, "a WebSocket connection")
}

// wsRead(handle) -> Promise of the next message, ["text", string] or
// ["binary", ArrayBuffer], or ["close", code, reason] once the connection
// closed cleanly; rejected when it failed. Call it again only after the
// last one settled: a message is read only when JS has handled the last.
func (b *binding) wsRead(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	wc := wsOf(vm, call.Argument(0))
	return b.rt.GoTimeout(0, func(context.Context) (any, error) {
		typ, data, err := wc.c.Read(wc.ctx)
		if err == nil {
			return jsrt.ToJS(func(vm *goja.Runtime) (goja.Value, error) {
				if typ == websocket.MessageText {
					return vm.NewArray("text", string(data)), nil
				}
				return vm.NewArray("binary", vm.NewArrayBuffer(data)), nil
			}), nil
		}
		defer wc.cancel()
		wc.mu.Lock()
		closing, code, reason := wc.closing, wc.code, wc.reason
		wc.mu.Unlock()
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			code, reason, closing = int(ce.Code), ce.Reason, true
		}
		if closing {
			return []any{"close", code, reason}, nil
		}
		return nil, &fetchError{msg: fmt.Sprintf("WebSocket connection to '%s' failed: %v", wc.shown, err), code: "ERR_WEBSOCKET"}
	})
}

// wsSend(handle, string | Uint8Array) -> Promise resolved once the message
// is written (within the call timeout). JS sends one at a time, in order.
func (b *binding) wsSend(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	wc := wsOf(vm, call.Argument(0))
	typ := websocket.MessageText
	var data []byte
	switch v := call.Argument(1).Export().(type) {
	case string:
		data = []byte(v)
	default:
		d, ok := bytesOf(vm, v)
		if !ok {
			jsrt.Throw(vm, jsrt.TypeErrorf("WebSocket.send: unsupported data"))
		}
		data, typ = append([]byte(nil), d...), websocket.MessageBinary
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		return nil, wc.c.Write(ctx, typ, data)
	})
}

// wsClose(handle, code, reason) starts the closing handshake; the pending
// wsRead then reports the close.
func (b *binding) wsClose(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	wc := wsOf(vm, call.Argument(0))
	code, reason := int(call.Argument(1).ToInteger()), call.Argument(2).String()
	wc.mu.Lock()
	wc.closing, wc.code, wc.reason = true, code, reason
	wc.mu.Unlock()
	return b.rt.GoTimeout(0, func(context.Context) (any, error) {
		_ = wc.c.Close(websocket.StatusCode(code), reason)
		return nil, nil
	})
}
