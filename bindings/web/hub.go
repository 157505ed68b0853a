package web

import (
	"fmt"

	"github.com/dop251/goja"

	"host/jsrt"
)

// hubKey keys the hidden per-runtime object the web API packages share:
// their Go natives, DOMException, platformClasses (the classes
// structuredClone refuses) and what one API lends another
// (cloneCryptoKey). It is a property of the global object that is neither
// enumerable nor writable, as node's natives are.
var hubKey = goja.NewSymbol("host.web")

// Hub returns vm's shared object of the web API packages, making it on
// first use. Each package's JS file receives it as `native`. On the loop
// goroutine.
func Hub(vm *goja.Runtime) *goja.Object {
	g := vm.GlobalObject()
	if h, ok := g.GetSymbol(hubKey).(*goja.Object); ok {
		return h
	}
	h := vm.NewObject()
	_ = h.Set("platformClasses", vm.NewArray())
	_ = g.DefineDataPropertySymbol(hubKey, h, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return h
}

// Define adds natives to vm's hub (each wrapped in jsrt.Safe) and runs
// prog, which evaluates to function(globalThis, native): at once when props
// is nil, else the first time a plugin touches one of props
// (jsrt.DefineLazy), so that a plugin that never uses an API never
// compiles or runs its JS. On the loop goroutine, at install.
func Define(vm *goja.Runtime, prog *jsrt.Program, props []jsrt.LazyProp, natives map[string]func(goja.FunctionCall) goja.Value) error {
	hub := Hub(vm)
	for name, fn := range natives {
		if err := hub.Set(name, jsrt.Safe(vm, name, fn)); err != nil {
			return fmt.Errorf("%s: %w", prog.Name(), err)
		}
	}
	g := vm.GlobalObject()
	run := func() error {
		if _, err := prog.Call(vm, g, hub); err != nil {
			return fmt.Errorf("%s: %w", prog.Name(), err)
		}
		return nil
	}
	if props == nil {
		return run()
	}
	if err := jsrt.DefineLazy(vm, g, props, run); err != nil {
		return fmt.Errorf("%s: %w", prog.Name(), err)
	}
	return nil
}

// LazyProps are jsrt.LazyProps of names, none enumerable.
func LazyProps(names ...string) []jsrt.LazyProp {
	props := make([]jsrt.LazyProp, len(names))
	for i, n := range names {
		props[i] = jsrt.LazyProp{Name: n}
	}
	return props
}

// ThrowDOM throws a DOMException with the given name. It never returns.
// On the loop goroutine of vm, whose web.Install has run.
func ThrowDOM(vm *goja.Runtime, name, msg string) {
	obj, err := vm.New(Hub(vm).Get("DOMException"), vm.ToValue(msg), vm.ToValue(name))
	if err != nil {
		jsrt.Throw(vm, fmt.Errorf("%s: %s", name, msg))
	}
	panic(obj)
}

// Bytes returns the bytes a BufferSource (ArrayBuffer, typed array or
// DataView) views, sharing its memory; anything else is a TypeError. On
// the loop goroutine.
func Bytes(vm *goja.Runtime, v goja.Value) []byte {
	var out []byte
	if err := vm.ExportTo(v, &out); err != nil {
		jsrt.Throw(vm, jsrt.TypeErrorf("expected an ArrayBuffer or ArrayBufferView"))
	}
	return out
}

// ArrayBuffer is a new ArrayBuffer holding data (not copied). On the loop
// goroutine.
func ArrayBuffer(vm *goja.Runtime, data []byte) goja.Value {
	return vm.ToValue(vm.NewArrayBuffer(data))
}
