package jsrt

import (
	_ "embed"
	"time"

	"github.com/dlclark/regexp2/v2"
	"github.com/dop251/goja"
)

// RegexpMatchTimeout bounds one match of a regexp that runs in regexp2
// (lookaround, back-references, \p{...}): a match cannot be interrupted,
// so without a bound a backtracking pattern would run past every script
// timeout. A match stopped by it finds nothing.
const RegexpMatchTimeout = time.Second

func init() {
	// goja compiles its regexp2 patterns with the package default.
	regexp2.DefaultMatchTimeout = RegexpMatchTimeout
}

var (
	//go:embed js/engine.js
	engineJS string
	//go:embed js/weak.js
	weakJS string
	//go:embed js/regexp.js
	regexpJS string

	engineProgram = NewProgram("host:engine", engineJS)
	weakProgram   = NewProgram("host:weak", weakJS)
	regexpProgram = NewProgram("host:regexp", regexpJS)
)

// installEngine defines the standard built-ins goja lacks (see
// js/engine.js); WeakRef and FinalizationRegistry, and the RegExp that
// sends \p{...} patterns to regexp2, are made on first use. (Intl is not
// the engine's: bindings/intl.) On the loop goroutine, before any plugin
// code.
func installEngine(vm *goja.Runtime) error {
	g := vm.GlobalObject()
	if _, err := engineProgram.Call(vm, g); err != nil {
		return err
	}
	for _, l := range []struct {
		prg   *Program
		props []LazyProp
		args  []goja.Value
	}{
		{weakProgram, []LazyProp{{Name: "WeakRef"}, {Name: "FinalizationRegistry"}}, []goja.Value{g}},
		{regexpProgram, []LazyProp{{Name: "RegExp"}}, []goja.Value{g, g.Get("RegExp")}},
	} {
		if err := DefineLazy(vm, g, l.props, func() error { _, err := l.prg.Call(vm, l.args...); return err }); err != nil {
			return err
		}
	}
	return nil
}
