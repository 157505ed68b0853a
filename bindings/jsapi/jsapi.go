// Package jsapi is the one signature every JS API package of host
// installs through (Func) and what it gets (Env): each package exports
// `func Install(env jsapi.Env) error`, and bindings/globals lists them in
// one table. A binding that needs a service of the host (console's sink,
// fetch's HTTP client) defines a small interface of its own that an Env
// may implement, so this package names none of them.
package jsapi

import (
	"github.com/dop251/goja"

	"host/jsrt"
)

// Env is a runtime a binding installs into. Install functions run on the
// runtime's loop goroutine, once per runtime, before plugin code runs.
type Env interface {
	// Runtime is the jsrt runtime (its event loop, Go and Do); nil for a
	// bare goja runtime in a unit test of a binding that runs no Go work.
	Runtime() *jsrt.Runtime
	// VM is the goja runtime the globals are defined on.
	VM() *goja.Runtime
}

// Func installs one JS API into env: its globals (made eagerly or on first
// use) and the Go natives behind them. It has no effect outside env.
type Func func(env Env) error

// Entry is one row of the install table: a JS API's name (its package's)
// and its Install.
type Entry struct {
	Name    string
	Install Func
}

// NewEnv is an Env with nothing more than rt and vm: bindings that ask for
// a service fall back to their default (see each one's Install).
func NewEnv(rt *jsrt.Runtime, vm *goja.Runtime) Env { return env{rt, vm} }

type env struct {
	rt *jsrt.Runtime
	vm *goja.Runtime
}

func (e env) Runtime() *jsrt.Runtime { return e.rt }
func (e env) VM() *goja.Runtime      { return e.vm }

var _ Env = env{}
