package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"host/bindings/internal/arg"
	"host/jsrt"
)

// MaxDepth is how deeply ctx.store.set lets a value nest arrays and
// objects (see jsrt.MaxJSONDepth).
const MaxDepth = jsrt.MaxJSONDepth

// NewObject returns the `ctx.store` object for one plugin. Each method
// returns a Promise; values cross as JSON text, converted on the loop with
// the runtime's own JSON.stringify / JSON.parse (captured before plugin
// code ran, so a plugin replacing the global JSON changes nothing), so
// they round-trip exactly as they would through JSON in a browser (a Date
// comes back as a string, undefined object members vanish). A value nested
// deeper than MaxDepth, or past jsrt's size bounds, is refused.
// Database work runs off the loop through rt.Go. Bad arguments reject with
// a TypeError. Call on rt's loop goroutine; vm must be rt's runtime.
//
//	get(key)         Promise<unknown | undefined>  undefined when not stored
//	set(key, value)  Promise<void>                 value must be JSON-serializable
//	delete(key)      Promise<void>                 no error when not stored
//	keys()           Promise<string[]>             sorted
func NewObject(rt *jsrt.Runtime, vm *goja.Runtime, s *Store) *goja.Object {
	b := &binding{rt: rt, vm: vm, s: s}

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
	rt *jsrt.Runtime
	vm *goja.Runtime
	s  *Store
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
			v, err := b.rt.ParseJSON(string(raw))
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
	text, ok, err := b.rt.StringifyJSON(value, jsrt.JSONLimits{Depth: MaxDepth})
	if errors.Is(err, jsrt.ErrTooDeep) {
		return jsrt.Rejected(b.vm, jsrt.WithCode(jsrt.TypeErrorf("ctx.store.set(%s): the value nests arrays and objects more than %d levels deep; store a flatter value", quote(key), MaxDepth), codeTooDeep))
	}
	if errors.Is(err, jsrt.ErrTooLarge) {
		return jsrt.Rejected(b.vm, jsrt.WithCode(jsrt.TypeErrorf("ctx.store.set(%s): %v", quote(key), err), codeTooLarge))
	}
	if je, interrupted := jsrt.AsJSError(err); interrupted && je.Interrupted() {
		return jsrt.Rejected(b.vm, err)
	}
	if err != nil {
		var ex *goja.Exception
		if errors.As(err, &ex) && !b.rt.IsTypeError(ex.Value()) {
			// Thrown by the value's own toJSON: pass it on unchanged.
			p, _, reject := b.vm.NewPromise()
			_ = reject(ex.Value())
			return b.vm.ToValue(p)
		}
		return jsrt.Rejected(b.vm, invalidValue("ctx.store.set(%s): the value cannot be stored as JSON: %s", quote(key), exceptionMessage(err)))
	}
	if !ok {
		return jsrt.Rejected(b.vm, invalidValue("ctx.store.set(%s): the value is %s, which JSON cannot store; store null instead, or call ctx.store.delete(%s)", quote(key), jsrt.TypeNameWithArticle(value), quote(key)))
	}
	raw := json.RawMessage(text)
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

// key checks the first argument on the loop: a well-formed string (see
// arg.Key) that ValidKey accepts.
func (b *binding) key(method string, call goja.FunctionCall) (string, error) {
	key, err := arg.Key(b.vm, call.Argument(0), "ctx.store."+method+": the key")
	if errors.Is(err, arg.ErrLoneSurrogate) {
		err = fmt.Errorf("%w: the key is %w", ErrInvalidKey, err)
		return "", jsrt.TypeErrorf("ctx.store.%s(%s): %w", method, quote(key), err)
	}
	if err != nil {
		return "", err
	}
	if err := ValidKey(key); err != nil {
		return "", jsrt.TypeErrorf("ctx.store.%s(%s): %w", method, quote(key), err)
	}
	return key, nil
}

// codeTooDeep is the code of a value nested deeper than MaxDepth.
const codeTooDeep = "ERR_STORE_VALUE_TOO_DEEP"

// codeTooLarge is the code of a value past jsrt's size bounds (one that
// repeats a shared object, too).
const codeTooLarge = "ERR_STORE_VALUE_TOO_LARGE"

// invalidValue is the TypeError of a value JSON cannot store.
func invalidValue(format string, args ...any) error {
	return jsrt.WithCode(jsrt.TypeErrorf(format, args...), ErrInvalidValue.(jsrt.Coder).Code())
}

// jsError names the JS call in a Store error, ctx.store.set("k"): why,
// keeping the code and hint of why.
func jsError(err error) error {
	var oe *OpError
	if !errors.As(err, &oe) {
		return err
	}
	if oe.Op == "keys" {
		return fmt.Errorf("ctx.store.keys(): %w", oe.Err)
	}
	return fmt.Errorf("ctx.store.%s(%s): %w", oe.Op, quote(oe.Key), oe.Err)
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
