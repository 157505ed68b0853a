package secrets

import (
	"context"
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"host/bindings/internal/arg"
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
		return jsrt.Rejected(b.vm, err)
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		v, err := b.s.Get(ctx, key)
		if errors.Is(err, ErrNotFound) {
			return jsrt.Undefined, nil
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
		return jsrt.Rejected(b.vm, err)
	}
	value, err := arg.String(call.Argument(1), "ctx.secrets.set: the value")
	if err != nil {
		return jsrt.Rejected(b.vm, err)
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		if err := b.s.Set(ctx, key, value); err != nil {
			return nil, opError("set", key, err)
		}
		return jsrt.Undefined, nil
	})
}

func (b *binding) has(call goja.FunctionCall) goja.Value {
	key, err := b.key("has", call)
	if err != nil {
		return jsrt.Rejected(b.vm, err)
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
		return jsrt.Rejected(b.vm, err)
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		if err := b.s.Delete(ctx, key); err != nil {
			return nil, opError("delete", key, err)
		}
		return jsrt.Undefined, nil
	})
}

// key checks the first argument on the loop: a well-formed string (see
// arg.Key) that ValidateKey accepts.
func (b *binding) key(method string, call goja.FunctionCall) (string, error) {
	key, err := arg.Key(b.vm, call.Argument(0), "ctx.secrets."+method+": the key")
	if errors.Is(err, arg.ErrLoneSurrogate) {
		err = &InvalidKeyError{Key: key, Reason: err.Error()}
	} else if err == nil {
		err = ValidateKey(key)
	} else {
		return "", err
	}
	if err != nil {
		return "", jsrt.TypeErrorf("ctx.secrets.%s: %w", method, err)
	}
	return key, nil
}

// opError names the call in a backend error; the key is not secret, the
// value never appears.
func opError(method, key string, err error) error {
	return fmt.Errorf("ctx.secrets.%s(%q): %w", method, key, err)
}
