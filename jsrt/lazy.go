package jsrt

import (
	"fmt"

	"github.com/dop251/goja"
)

// LazyProp names one property DefineLazy defines.
type LazyProp struct {
	Name       string
	Enumerable bool
}

// DefineLazy defines props on obj as configurable accessors that run init
// the first time any of them is read or assigned. init must define every
// one of props on obj as a data property; the accessors step aside (init
// replaces them), so after the first use the properties are exactly what
// init made them. A prop assigned before first use keeps the assigned
// value; one deleted before first use stays deleted.
//
// Bindings use it for globals most plugins never touch (URL, crypto,
// structuredClone, ...): their JS is compiled and run on first use instead
// of in every runtime. Call on the loop goroutine.
func DefineLazy(vm *goja.Runtime, obj *goja.Object, props []LazyProp, init func() error) error {
	accessors := make([]*goja.Object, len(props))
	ran := false
	run := func() {
		if ran {
			return
		}
		ran = true
		// A prop the plugin deleted or redefined before first use keeps
		// what the plugin made of it when init defines the whole group.
		object := vm.Get("Object").ToObject(vm)
		describe, _ := goja.AssertFunction(object.Get("getOwnPropertyDescriptor"))
		define, _ := goja.AssertFunction(object.Get("defineProperty"))
		ours := func(name string, acc *goja.Object) (goja.Value, bool) {
			d, err := describe(goja.Undefined(), obj, vm.ToValue(name))
			if err != nil {
				panic(err)
			}
			if do, ok := d.(*goja.Object); ok {
				if get := do.Get("get"); get != nil && get.SameAs(acc) {
					return d, true
				}
			}
			return d, false
		}
		saved := make([]goja.Value, len(props))
		for i, p := range props {
			if d, mine := ours(p.Name, accessors[i]); !mine {
				saved[i] = d
			}
		}
		if err := init(); err != nil {
			panic(NewError(vm, &internalError{msg: fmt.Sprintf("internal error in host: %v", err)}))
		}
		for i, p := range props {
			if _, mine := ours(p.Name, accessors[i]); mine {
				panic(NewError(vm, &internalError{msg: fmt.Sprintf("internal error in host: %s was not defined by its initializer", p.Name)}))
			}
			switch d := saved[i]; {
			case d == nil:
			case goja.IsUndefined(d):
				_ = obj.Delete(p.Name)
			default:
				if _, err := define(goja.Undefined(), obj, vm.ToValue(p.Name), d); err != nil {
					panic(err)
				}
			}
		}
	}
	for i, p := range props {
		name := p.Name
		get := vm.ToValue(Safe(vm, name, func(goja.FunctionCall) goja.Value {
			run()
			return obj.Get(name)
		})).(*goja.Object)
		set := vm.ToValue(Safe(vm, name, func(c goja.FunctionCall) goja.Value {
			run()
			if err := obj.Set(name, c.Argument(0)); err != nil {
				panic(err)
			}
			return goja.Undefined()
		}))
		accessors[i] = get
		enum := goja.FLAG_FALSE
		if p.Enumerable {
			enum = goja.FLAG_TRUE
		}
		if err := obj.DefineAccessorProperty(name, get, set, goja.FLAG_TRUE, enum); err != nil {
			return err
		}
	}
	return nil
}
