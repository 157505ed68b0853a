// Package abort defines the globals Event, CustomEvent, EventTarget,
// AbortController and AbortSignal (written in JS, as the DOM standard
// specifies them: events.js, abort.js) and lets Go abort a signal or follow
// one.
package abort

import (
	_ "embed"
	"fmt"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/jsrt"
)

// DTS declares the globals Install defines, for `host types`. Omit it when
// the plugin's tsconfig has lib "dom": the DOM lib declares them already.
//
//go:embed abort.d.ts
var DTS string

var (
	//go:embed events.js
	eventsJS string
	//go:embed abort.js
	abortJS string
)

var programs = []*jsrt.Program{
	jsrt.NewProgram("host:events.js", eventsJS),
	jsrt.NewProgram("host:abort.js", abortJS),
}

// globals are the globals Install defines.
var globals = []jsrt.LazyProp{{Name: "Event"}, {Name: "CustomEvent"}, {Name: "EventTarget"}, {Name: "AbortSignal"}, {Name: "AbortController"}}

// Install defines Event, CustomEvent, EventTarget, AbortController and
// AbortSignal, made on first use of any of them (jsrt.DefineLazy): events.js
// and abort.js, about 12 KB of classes, are compiled and run only by a
// runtime that uses them (a plugin's fetch without a signal does not; its
// ctx.signal is made when first read). Call on the loop goroutine.
func Install(env jsapi.Env) error {
	vm := env.VM()
	return jsrt.DefineLazy(vm, vm.GlobalObject(), globals, func() error {
		for _, p := range programs {
			if _, err := vm.RunProgram(p.Get()); err != nil {
				return err
			}
		}
		return nil
	})
}

// Controller is a JS AbortController held by Go, e.g. to abort ctx.signal at
// deactivation. Use only on the loop goroutine.
type Controller struct {
	obj *goja.Object
}

// NewController creates a JS AbortController. Call on the loop goroutine.
func NewController(vm *goja.Runtime) (*Controller, error) {
	o, err := vm.New(vm.Get("AbortController"))
	if err != nil {
		return nil, fmt.Errorf("abort: AbortController is not installed: %w", err)
	}
	return &Controller{obj: o}, nil
}

// Signal is the controller's AbortSignal object.
func (c *Controller) Signal() goja.Value { return c.obj.Get("signal") }

// Abort aborts the signal with reason (an AbortError when reason is empty).
// Listeners run now, on the loop goroutine.
func (c *Controller) Abort(vm *goja.Runtime, reason string) {
	fn, _ := goja.AssertFunction(c.obj.Get("abort"))
	var arg goja.Value = goja.Undefined()
	if reason != "" {
		e, err := vm.New(vm.Get("Error"), vm.ToValue(reason))
		if err == nil {
			_ = e.Set("name", "AbortError")
			arg = e
		}
	}
	_, _ = fn(c.obj, arg)
}

// OnAbort calls fn (on the loop goroutine) when signal aborts; when it is
// already aborted, fn runs now. It reports false when v is not an
// AbortSignal. Call on the loop goroutine.
func OnAbort(vm *goja.Runtime, v goja.Value, fn func()) bool {
	o, ok := v.(*goja.Object)
	if !ok || !o.Get("aborted").ToBoolean() && o.Get("addEventListener") == nil {
		return false
	}
	if o.Get("aborted").ToBoolean() {
		fn()
		return true
	}
	add, ok := goja.AssertFunction(o.Get("addEventListener"))
	if !ok {
		return false
	}
	_, err := add(o, vm.ToValue("abort"), vm.ToValue(func(goja.FunctionCall) goja.Value { fn(); return goja.Undefined() }))
	return err == nil
}
