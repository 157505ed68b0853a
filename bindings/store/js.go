package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/dop251/goja"

	"host/jsrt"
)

// NewObject returns the `ctx.store` object for one plugin. Each method
// returns a Promise; values cross as JSON text, converted on the loop with
// the runtime's own JSON.stringify / JSON.parse (captured here, so a plugin
// replacing the global JSON changes nothing), so they round-trip exactly as
// they would through JSON in a browser (a Date comes back as a string,
// undefined object members vanish). Database work runs off the loop through
// rt.Go. Bad arguments reject with a TypeError. Call on rt's loop goroutine;
// vm must be rt's runtime.
//
//	get(key)         Promise<unknown | undefined>  undefined when not stored
//	set(key, value)  Promise<void>                 value must be JSON-serializable
//	delete(key)      Promise<void>                 no error when not stored
//	keys()           Promise<string[]>             sorted
func NewObject(rt *jsrt.Runtime, vm *goja.Runtime, s *Store) *goja.Object {
	b := &binding{rt: rt, vm: vm, s: s}
	js := vm.Get("JSON").ToObject(vm)
	b.json = js
	b.stringify, _ = goja.AssertFunction(js.Get("stringify"))
	b.parse, _ = goja.AssertFunction(js.Get("parse"))

	obj := vm.NewObject()
	for _, m := range []struct {
		name string
		fn   func(goja.FunctionCall) goja.Value
	}{
		{"get", b.get},
		{"set", b.set},
		{"delete", b.delete},
		{"keys", b.keys},
	} {
		_ = obj.Set(m.name, jsrt.Safe(vm, "ctx.store."+m.name, m.fn))
	}
	return obj
}

type binding struct {
	rt        *jsrt.Runtime
	vm        *goja.Runtime
	s         *Store
	json      *goja.Object
	stringify goja.Callable
	parse     goja.Callable
}

func (b *binding) get(call goja.FunctionCall) goja.Value {
	key, err := b.key("get", call)
	if err != nil {
		return jsrt.Rejected(b.vm, err)
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		raw, ok, err := b.s.Get(ctx, key)
		if err != nil {
			return nil, jsError(err)
		}
		if !ok {
			return jsrt.Undefined, nil
		}
		return jsrt.ToJS(func(vm *goja.Runtime) (goja.Value, error) {
			v, err := b.parse(b.json, vm.ToValue(string(raw)))
			if err != nil {
				return nil, fmt.Errorf("ctx.store.get(%q): the stored value is not readable JSON: %w", key, err)
			}
			return v, nil
		}), nil
	})
}

func (b *binding) set(call goja.FunctionCall) goja.Value {
	key, err := b.key("set", call)
	if err != nil {
		return jsrt.Rejected(b.vm, err)
	}
	value := call.Argument(1)
	text, err := b.stringify(b.json, value)
	if err != nil {
		var ex *goja.Exception
		if errors.As(err, &ex) && !isTypeError(b.vm, ex.Value()) {
			// Thrown by the value's own toJSON: pass it on unchanged.
			p, _, reject := b.vm.NewPromise()
			_ = reject(ex.Value())
			return b.vm.ToValue(p)
		}
		return jsrt.Rejected(b.vm, typeError(fmt.Sprintf("ctx.store.set(%q): the value cannot be stored as JSON: %s", key, exceptionMessage(err)), ErrInvalidValue))
	}
	if text == nil || goja.IsUndefined(text) {
		return jsrt.Rejected(b.vm, typeError(fmt.Sprintf("ctx.store.set(%q): the value is %s, which JSON cannot store; store null instead, or call ctx.store.delete(%q)", key, typeOf(value), key), ErrInvalidValue))
	}
	raw := json.RawMessage(text.String())
	return b.rt.Go(func(ctx context.Context) (any, error) {
		if err := b.s.Set(ctx, key, raw); err != nil {
			return nil, jsError(err)
		}
		return jsrt.Undefined, nil
	})
}

func (b *binding) delete(call goja.FunctionCall) goja.Value {
	key, err := b.key("delete", call)
	if err != nil {
		return jsrt.Rejected(b.vm, err)
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		if err := b.s.Delete(ctx, key); err != nil {
			return nil, jsError(err)
		}
		return jsrt.Undefined, nil
	})
}

func (b *binding) keys(goja.FunctionCall) goja.Value {
	return b.rt.Go(func(ctx context.Context) (any, error) {
		keys, err := b.s.Keys(ctx)
		if err != nil {
			return nil, jsError(err)
		}
		return jsrt.ToJS(func(vm *goja.Runtime) (goja.Value, error) {
			items := make([]any, len(keys))
			for i, k := range keys {
				items[i] = k
			}
			return vm.NewArray(items...), nil
		}), nil
	})
}

// key checks the first argument on the loop: a string ValidKey accepts.
func (b *binding) key(method string, call goja.FunctionCall) (string, error) {
	arg := call.Argument(0)
	key, ok := arg.Export().(string)
	if !ok {
		return "", jsrt.WithCode(jsrt.TypeErrorf("ctx.store.%s: the key must be a string, got %s", method, typeOf(arg)), "ERR_INVALID_ARG_TYPE")
	}
	if !b.vm.ToValue(key).StrictEquals(arg) { // a lone surrogate would become U+FFFD
		err := fmt.Errorf("%w: the key is not well-formed Unicode (it has a lone surrogate)", ErrInvalidKey)
		return "", jsrt.TypeErrorf("ctx.store.%s(%q): %w", method, key, err)
	}
	if err := ValidKey(key); err != nil {
		return "", jsrt.TypeErrorf("ctx.store.%s(%q): %w", method, key, err)
	}
	return key, nil
}

// jsErr is an error as plugin code sees it: its own message, a TypeError
// when te is set, and the code and hint of the Go error it wraps.
type jsErr struct {
	msg string
	te  error
	err error
}

func (e *jsErr) Error() string { return e.msg }
func (e *jsErr) Unwrap() []error {
	if e.te != nil {
		return []error{e.te, e.err}
	}
	return []error{e.err}
}

func typeError(msg string, cause error) error {
	return &jsErr{msg: msg, te: jsrt.TypeErrorf("%s", msg), err: cause}
}

// jsError names the JS call in a Store error: ctx.store.set("k"): why.
func jsError(err error) error {
	var oe *OpError
	if !errors.As(err, &oe) {
		return err
	}
	call := fmt.Sprintf("ctx.store.%s(%q)", oe.Op, oe.Key)
	if oe.Op == "keys" {
		call = "ctx.store.keys()"
	}
	return &jsErr{msg: call + ": " + oe.Err.Error(), err: err}
}

func isTypeError(vm *goja.Runtime, v goja.Value) bool {
	o, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	proto := vm.Get("TypeError").ToObject(vm).Get("prototype")
	for p := o.Prototype(); p != nil; p = p.Prototype() {
		if p.SameAs(proto) {
			return true
		}
	}
	return false
}

func exceptionMessage(err error) string {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		if o, ok := ex.Value().(*goja.Object); ok {
			if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
				return m.String()
			}
		}
		return ex.Value().String()
	}
	return err.Error()
}

func typeOf(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	}
	if _, fn := goja.AssertFunction(v); fn {
		return "a function"
	}
	if _, ok := v.(*goja.Symbol); ok {
		return "a symbol"
	}
	if _, ok := v.(*goja.Object); ok {
		return "an object"
	}
	switch v.Export().(type) {
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	case *big.Int:
		return "a bigint"
	}
	return "a non-string value"
}

var _ error = (*jsErr)(nil)
