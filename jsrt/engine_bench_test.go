package jsrt

import (
	"testing"

	"github.com/dop251/goja"
)

// touchBuiltins materializes the built-ins a plugin runtime's bindings use
// anyway (goja makes each global on first touch), so the benchmarks below
// show what the engine built-ins add on top.
func touchBuiltins(b *testing.B, vm *goja.Runtime) {
	if _, err := vm.RunString(`Object.prototype; Array.prototype; Promise.prototype; Error.prototype; Symbol.iterator; JSON.stringify; String.prototype; Map.prototype; RegExp.prototype; Date.prototype; Number.prototype; Reflect.ownKeys; WeakMap.prototype`); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkInstallEngine is a runtime's start with the engine built-ins
// (js/engine.js); BenchmarkInstallEngineNone
// the same start without them. The difference is what every plugin start
// pays for them.
func BenchmarkInstallEngine(b *testing.B) {
	engineProgram.Get()
	for b.Loop() {
		vm := goja.New()
		touchBuiltins(b, vm)
		if err := installEngine(vm); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInstallEngineNone(b *testing.B) {
	for b.Loop() {
		touchBuiltins(b, goja.New())
	}
}
