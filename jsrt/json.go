package jsrt

import "github.com/dop251/goja"

// MaxJSONDepth is how deeply host turns a plugin's value into JSON: arrays
// and objects nested deeper are refused before goja's JSON.stringify, whose
// cycle check makes a deep value cost the square of its depth (a
// 100000-deep array took 33 s) and could hold the loop past any timeout.
const MaxJSONDepth = 1000

// DepthGuard returns a JSON.stringify replacer for vm that leaves every
// value as it is but throws a TypeError once the value nests arrays and
// objects deeper than max, and the flag it sets then, so that the caller
// can tell this from the value's own errors. stringify calls a replacer on
// each member with the member's holder as this, depth first, so a holder's
// depth is known when its members come. One guard serves one stringify
// call. On the loop.
func DepthGuard(vm *goja.Runtime, max int) (replacer goja.Value, tooDeep *bool) {
	depth := map[*goja.Object]int{}
	tooDeep = new(bool)
	return vm.ToValue(func(call goja.FunctionCall) goja.Value {
		v := call.Argument(1)
		o, ok := v.(*goja.Object)
		if !ok {
			return v
		}
		d := 1
		if h, ok := call.This.(*goja.Object); ok {
			d = depth[h] + 1
		}
		if d > max {
			*tooDeep = true
			panic(vm.NewTypeError("nested too deep"))
		}
		depth[o] = d
		return v
	}), tooDeep
}
