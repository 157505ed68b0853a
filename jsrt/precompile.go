package jsrt

import (
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/dop251/goja"
)

// Program is built-in JS (a binding's embedded source) compiled once per
// process on first use, or earlier by PrecompileAll. Safe for concurrent
// use.
type Program struct {
	name, src string
	get       func() *goja.Program
}

var (
	programsMu sync.Mutex
	programs   []*Program
)

// NewProgram registers built-in JS, usually in a package-level var. name
// should start with "host:" so error positions skip it (see JSError). A
// syntax error in src is a bug in the host and panics on first use.
func NewProgram(name, src string) *Program {
	p := NewLazyProgram(name, src)
	programsMu.Lock()
	programs = append(programs, p)
	programsMu.Unlock()
	return p
}

// NewLazyProgram is NewProgram for JS that only some plugins run (see
// DefineLazy): PrecompileAll skips it, so it is compiled on first use.
func NewLazyProgram(name, src string) *Program {
	p := &Program{name: name, src: src}
	p.get = sync.OnceValue(func() *goja.Program { return goja.MustCompile(name, src, true) })
	return p
}

// Get returns the compiled program, compiling it now if needed.
func (p *Program) Get() *goja.Program { return p.get() }

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

// PrecompileAll compiles every registered program. The CLI runs it on a
// goroutine at start-up, so the compiling happens beside its other work
// instead of at package init (which every command, even `host version`,
// would pay) or on the plugin's critical path. Largest first: the loop
// goroutine installing the bindings compiles a small program itself
// sooner than it would wait for it, but the large ones are worth having
// ready. It yields between programs: on a two-core machine a goroutine
// that never yields can hold a P for a whole 10 ms time slice while the
// plugin's goroutine waits for one.
func PrecompileAll() {
	programsMu.Lock()
	list := append([]*Program(nil), programs...)
	programsMu.Unlock()
	slices.SortStableFunc(list, func(a, b *Program) int { return len(b.src) - len(a.src) })
	for _, p := range list {
		p.Get()
		runtime.Gosched()
	}
}
