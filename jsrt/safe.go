package jsrt

import (
	"fmt"
	"reflect"

	"github.com/dop251/goja"
)

// internalError is a Go panic in a binding, turned into a JS error.
type internalError struct{ msg string }

func (e *internalError) Error() string { return e.msg }
func (e *internalError) Code() string  { return "ERR_HOST_INTERNAL" }

var gojaPkg = reflect.TypeOf(goja.Exception{}).PkgPath()

// Safe wraps a native function so that a Go panic inside it (a bug in the
// host, never the plugin's fault) becomes a JS Error with code
// ERR_HOST_INTERNAL that plugin code can catch, instead of unwinding through
// the engine. JS exceptions thrown on purpose (jsrt.Throw, goja's own
// errors) pass through unchanged. Use it when installing bindings.
func Safe(vm *goja.Runtime, name string, fn func(goja.FunctionCall) goja.Value) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		defer func() {
			if p := recover(); p != nil {
				if t := reflect.TypeOf(p); t != nil && pkgOf(t) == gojaPkg {
					panic(p) // a JS exception: let the engine handle it
				}
				panic(NewError(vm, &internalError{msg: fmt.Sprintf("internal error in host binding %s: %v", name, p)}))
			}
		}()
		return fn(c)
	}
}

func pkgOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath()
}
