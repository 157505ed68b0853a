package jsrt

import (
	_ "embed"
	"fmt"
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
// js/engine.js); Intl, WeakRef and FinalizationRegistry, and the RegExp
// that sends \p{...} patterns to regexp2, are made on first use. On the
// loop goroutine, before any plugin code.
func installEngine(vm *goja.Runtime) error {
	var intl goja.Value
	intlOnce := func() goja.Value {
		if intl == nil {
			v, err := installIntl(vm)
			if err != nil {
				panic(NewError(vm, fmt.Errorf("internal error in host: Intl: %w", err)))
			}
			intl = v
		}
		return intl
	}
	native := vm.NewObject()
	if err := native.Set("intl", func(goja.FunctionCall) goja.Value { return intlOnce() }); err != nil {
		return err
	}
	g := vm.GlobalObject()
	if _, err := engineProgram.Call(vm, g, native); err != nil {
		return err
	}
	if err := DefineLazy(vm, g, []LazyProp{{Name: "Intl"}}, func() error {
		return g.DefineDataProperty("Intl", intlOnce(), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}); err != nil {
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
