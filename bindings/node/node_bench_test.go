package node

import (
	"testing"

	"github.com/dop251/goja"

	"host/bindings/abort"
	"host/bindings/jsapi"
)

// BenchmarkInstall is what the Node globals add to every plugin start
// (each is made on first use, so this is only their accessors).
func BenchmarkInstall(b *testing.B) {
	for b.Loop() {
		if err := Install(jsapi.NewEnv(nil, goja.New())); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModules is the cost of the module table every build passes to
// jsrt (made once per process).
func BenchmarkModules(b *testing.B) {
	for b.Loop() {
		_ = Modules()
	}
}

// BenchmarkRequireStream is what the first require('stream') costs a
// plugin's runtime: running readable-stream's bundled module (compiled
// once per process) and its buffer, events and string_decoder.
func BenchmarkRequireStream(b *testing.B) {
	for b.Loop() {
		vm := goja.New()
		if err := abort.Install(jsapi.NewEnv(nil, vm)); err != nil {
			b.Fatal(err)
		}
		if err := Install(jsapi.NewEnv(nil, vm)); err != nil {
			b.Fatal(err)
		}
		if _, err := vm.RunString(`globalThis[Symbol.for('host.node')].require('stream').Readable`); err != nil {
			b.Fatal(err)
		}
	}
}
