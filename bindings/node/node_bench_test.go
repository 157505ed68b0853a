package node

import (
	"testing"

	"github.com/dop251/goja"
)

// BenchmarkInstall is what the Node globals add to every plugin start
// (each is made on first use, so this is only their accessors).
func BenchmarkInstall(b *testing.B) {
	for b.Loop() {
		if err := Install(goja.New()); err != nil {
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
