package jsrt

import (
	_ "embed"
	"sync"
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

var engineProgram = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("host:engine", engineJS, true)
})

// installEngine defines the standard built-ins goja lacks (see
// js/engine.js). On the loop goroutine, before any plugin code.
func installEngine(vm *goja.Runtime) error {
	prg, err := engineProgram()
	if err != nil {
		return err
	}
	_, err = vm.RunProgram(prg)
	return err
}
