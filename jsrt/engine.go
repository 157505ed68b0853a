package jsrt

import (
	_ "embed"
	"errors"
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

//go:embed js/engine.js
var engineJS string

var engineProgram = NewProgram("host:engine", engineJS)

// installEngine defines the standard built-ins goja lacks (see
// js/engine.js), Intl made on first use. On the loop goroutine, before any
// plugin code.
func installEngine(vm *goja.Runtime) error {
	v, err := vm.RunProgram(engineProgram.Get())
	if err != nil {
		return err
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		return errors.New("engine.js is not a function")
	}
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
	if _, err := fn(goja.Undefined(), g, native); err != nil {
		return err
	}
	return DefineLazy(vm, g, []LazyProp{{Name: "Intl"}}, func() error {
		return g.DefineDataProperty("Intl", intlOnce(), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	})
}
