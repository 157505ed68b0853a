package secrets

import (
	"context"
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"host/jsrt"
)

// NewObject returns the ctx.secrets object for one plugin: get, set, has
// and delete, each returning a Promise settled through rt.Go (the backend
// work runs off the loop, bounded by the runtime's call timeout and by the
// backend's own timeout). Bad arguments reject with a TypeError. Call on
// rt's loop goroutine; vm must be rt's runtime.
//
//	get(key)        Promise<string | undefined>  undefined when not stored
//	set(key, value) Promise<void>                value must be a string
//	has(key)        Promise<boolean>
//	delete(key)     Promise<void>                no error when not stored
func NewObject(rt *jsrt.Runtime, vm *goja.Runtime, s *Scoped) *goja.Object {
	b := &binding{rt: rt, vm: vm, s: s}
	obj := vm.NewObject()
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{
		"get":    b.get,
		"set":    b.set,
		"has":    b.has,
		"delete": b.delete,
	} {
		_ = obj.Set(name, jsrt.Safe(vm, "ctx.secrets."+name, fn))
	}
	return obj
}

type binding struct {
	rt *jsrt.Runtime
	vm *goja.Runtime
	s  *Scoped
}

func (b *binding) get(call goja.FunctionCall) goja.Value {
	key, err := b.key("get", call)
	if err != nil {
		return b.reject(err)
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		v, err := b.s.Get(ctx, key)
		if errors.Is(err, ErrNotFound) {
			return undefined, nil
		}
		if err != nil {
			return nil, opError("get", key, err)
		}
		return v, nil
	})
}

func (b *binding) set(call goja.FunctionCall) goja.Value {
	key, err := b.key("set", call)
	if err != nil {
		return b.reject(err)
	}
	arg := call.Argument(1)
	value, ok := arg.Export().(string)
	if !ok {
		return b.reject(argTypeError(fmt.Sprintf("ctx.secrets.set: value must be a string, got %s", jsrt.TypeName(arg))))
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		if err := b.s.Set(ctx, key, value); err != nil {
			return nil, opError("set", key, err)
		}
		return undefined, nil
	})
}

func (b *binding) has(call goja.FunctionCall) goja.Value {
	key, err := b.key("has", call)
	if err != nil {
		return b.reject(err)
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		ok, err := b.s.Has(ctx, key)
		if err != nil {
			return nil, opError("has", key, err)
		}
		return ok, nil
	})
}

func (b *binding) delete(call goja.FunctionCall) goja.Value {
	key, err := b.key("delete", call)
	if err != nil {
		return b.reject(err)
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		if err := b.s.Delete(ctx, key); err != nil {
			return nil, opError("delete", key, err)
		}
		return undefined, nil
	})
}

// key checks the first argument on the loop: a string that ValidateKey
// accepts.
func (b *binding) key(method string, call goja.FunctionCall) (string, error) {
	arg := call.Argument(0)
	key, ok := arg.Export().(string)
	if !ok {
		return "", argTypeError(fmt.Sprintf("ctx.secrets.%s: key must be a string, got %s", method, jsrt.TypeName(arg)))
	}
	if err := ValidateKey(key); err != nil {
		return "", &typeErr{te: jsrt.TypeErrorf("ctx.secrets.%s: %v", method, err), cause: err}
	}
	return key, nil
}

// reject returns a promise already rejected with err (bad arguments are
// reported the way async functions report them, not thrown).
func (b *binding) reject(err error) goja.Value {
	p, _, reject := b.vm.NewPromise()
	_ = reject(jsrt.NewError(b.vm, err))
	return b.vm.ToValue(p)
}

// undefined settles a promise with JS undefined (a nil result would be null).
var undefined jsrt.ToJS = func(*goja.Runtime) (goja.Value, error) { return goja.Undefined(), nil }

// opError names the call in a backend error; the key is not secret, the
// value never appears.
func opError(method, key string, err error) error {
	return fmt.Errorf("ctx.secrets.%s(%q): %w", method, key, err)
}

// typeErr is a JS TypeError (through te, made by jsrt.TypeErrorf) that also
// carries cause's code.
type typeErr struct {
	te    error
	cause error
}

func (e *typeErr) Error() string   { return e.te.Error() }
func (e *typeErr) Unwrap() []error { return []error{e.te, e.cause} }

func argTypeError(msg string) error {
	return &typeErr{te: jsrt.TypeErrorf("%s", msg), cause: &codedError{msg: msg, code: "ERR_INVALID_ARG_TYPE"}}
}
