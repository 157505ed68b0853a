package jsrt

import "github.com/dop251/goja"

// ErrorOf is the *JSError of a thrown or rejected JS value, as Do and Await
// return it: name, message, stack and the position of the first frame in a
// source file (host's own JS and the modules it provides skipped), mapped
// to the TypeScript source. Call on the loop goroutine.
func ErrorOf(vm *goja.Runtime, v goja.Value) *JSError { return errorFromValue(vm, v, nil) }
