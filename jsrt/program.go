package jsrt

import (
	"fmt"
	"sync"

	"github.com/dop251/goja"
)

// Program is built-in JS (a binding's embedded source) compiled once per
// process on first use. Safe for concurrent use.
type Program struct {
	name string
	get  func() *goja.Program
}

// NewProgram declares built-in JS, usually in a package-level var. name
// should start with "host:" so error positions skip it (see JSError). A
// syntax error in src is a bug in the host and panics on first use.
func NewProgram(name, src string) *Program {
	return NewProgramOf(name, func() string { return src })
}

// NewProgramOf is NewProgram of the source src returns, called on first
// use: for a source put together from parts, which package init would
// otherwise build (and keep) in every process.
func NewProgramOf(name string, src func() string) *Program {
	p := &Program{name: name}
	p.get = sync.OnceValue(func() *goja.Program { return goja.MustCompile(name, src(), true) })
	return p
}

// Get returns the compiled program, compiling it now if needed.
func (p *Program) Get() *goja.Program { return p.get() }

// Name is the name the program was made with (its file, in stack traces).
func (p *Program) Name() string { return p.name }

// Call runs the program on vm, where it must evaluate to a function (the
// form of the bindings' built-in JS: `(function (g, native) {...})`), and
// calls that function with args. On vm's loop goroutine.
func (p *Program) Call(vm *goja.Runtime, args ...goja.Value) (goja.Value, error) {
	v, err := vm.RunProgram(p.Get())
	if err != nil {
		return nil, err
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("%s does not evaluate to a function", p.name)
	}
	return fn(goja.Undefined(), args...)
}
