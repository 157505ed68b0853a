package plugin

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/dop251/goja"

	"host/bindings/console"
	"host/jsrt"
)

// Loop restarts after a failure: the first after LoopMinBackoff, doubling
// up to DefaultLoopMaxBackoff (host's older { every, run } form: up to its
// interval). A loop that reached a ctx.sleep since its last start made
// progress, and the backoff starts over.
const (
	DefaultLoopMinBackoff = time.Second
	DefaultLoopMaxBackoff = 5 * time.Minute
)

// DefaultLoopStopWait bounds how long deactivation waits for the loop to
// return after ctx.signal was aborted.
const DefaultLoopStopWait = 10 * time.Second

// HasLoop reports whether the plugin defines a loop, and, for host's older
// { every, run } form, its interval (0 for the SDK's loop function).
func (p *Plugin) HasLoop() (time.Duration, bool) {
	return p.loopEvery, p.loopFn != nil
}

// readLoop reads the definition's loop: the SDK's async (ctx) => {...}, or
// host's older { every, run }, normalised into one. On the loop.
func (p *Plugin) readLoop(vm *goja.Runtime, v goja.Value, bad func(string, ...any)) {
	if fn, ok := goja.AssertFunction(v); ok {
		p.loopFn = fn
	} else if lo, ok := v.(*goja.Object); ok && !goja.IsNull(v) {
		if _, ok := goja.AssertFunction(lo.Get("run")); !ok {
			bad("loop.run must be a function (or write the loop as the SDK does: loop: async (ctx) => { while (!ctx.signal.aborted) { ...; await ctx.sleep(ms) } })")
			return
		}
		d, err := ParseEvery(lo.Get("every").Export())
		if err != nil {
			bad("loop.every: %v", err)
			return
		}
		h, err := p.helpers(vm)
		if err != nil {
			bad("loop: %v", err)
			return
		}
		fv, err := callHelper(vm, h, "legacyLoop", lo, vm.ToValue(d.Milliseconds()))
		if err != nil {
			bad("loop: %v", err)
			return
		}
		p.loopFn, _ = goja.AssertFunction(fv)
		p.loopEvery = d
	} else {
		bad("loop must be an async function (ctx) => { while (!ctx.signal.aborted) { ...; await ctx.sleep(ms) } }, got %s", jsrt.TypeNameWithArticle(v))
		return
	}
	if !p.perms.Allows("loop:background") {
		if p.perms.Strict && !p.perms.declares(catLoop) {
			bad("the plugin has a loop, and strict mode denies what a plugin does not declare; add \"loop:background\" to its permissions, or take it out of strict mode (%s in the data dir)", StrictFile)
		} else {
			bad("the plugin has a loop but its permissions do not include \"loop:background\"; add it to permissions")
		}
	}
}

// loopRunner runs the plugin's loop on its own goroutine: started after
// activation, restarted with backoff when it throws, stopped by aborting
// ctx.signal.
type loopRunner struct {
	p     *Plugin
	stopc chan struct{}
	once  sync.Once
	done  chan struct{}
}

// RunLoopOnce runs the loop until its first ctx.sleep (which ends the run:
// ctx.signal is aborted and the sleep rejects) or until it returns, and
// returns its error (for `host run --once`). host's older { every, run }
// form runs its run(ctx) once. The plugin must be active.
func (p *Plugin) RunLoopOnce(ctx context.Context) error {
	if p.loopFn == nil {
		return nil
	}
	if !p.Active() {
		return ErrNotActive
	}
	if err := p.rt.Do(ctx, func(*goja.Runtime) error { p.onceMode = true; return nil }); err != nil {
		return err
	}
	return p.runLoop(ctx)
}

// runLoop calls the loop function and waits for it to settle (not for
// an Await: an interrupted tool call elsewhere on the runtime must not
// look like the loop ending). A rejection after ctx.signal aborted is the
// loop stopping, not a failure.
func (p *Plugin) runLoop(ctx context.Context) error {
	p.slept.Store(false)
	settled := make(chan struct{})
	var reason goja.Value // loop-only; set before settled closes
	err := p.rt.Do(ctx, func(vm *goja.Runtime) error {
		v, err := p.loopFn(p.def, p.ctxObj)
		if err != nil {
			return err
		}
		o, ok := v.(*goja.Object)
		if _, isPromise := o.Export().(*goja.Promise); !ok || !isPromise {
			close(settled)
			return nil
		}
		then, _ := goja.AssertFunction(o.Get("then"))
		_, err = then(o, vm.ToValue(func(goja.FunctionCall) goja.Value {
			close(settled)
			return goja.Undefined()
		}), vm.ToValue(func(c goja.FunctionCall) goja.Value {
			reason = c.Argument(0)
			close(settled)
			return goja.Undefined()
		}))
		return err
	})
	if err == nil {
		select {
		case <-settled:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		if reason == nil {
			return nil
		}
		err = p.rt.Do(ctx, func(vm *goja.Runtime) error {
			h, err := p.helpers(vm)
			if err != nil {
				return err
			}
			_, err = callHelper(vm, h, "rethrow", reason)
			return err
		})
	}
	if p.signalAborted() {
		return nil
	}
	return &LoopError{Err: err}
}

// signalAborted reports whether ctx.signal is aborted.
func (p *Plugin) signalAborted() bool {
	aborted := false
	_ = p.rt.Do(context.Background(), func(vm *goja.Runtime) error {
		aborted = p.earlyAbort != "" || p.controller != nil && p.controller.Signal().ToObject(vm).Get("aborted").ToBoolean()
		return nil
	})
	return aborted || p.rt.Context().Err() != nil
}

// LoopError is the loop throwing or rejecting.
type LoopError struct{ Err error }

func (e *LoopError) Error() string { return "loop failed: " + e.Err.Error() }
func (e *LoopError) Unwrap() error { return e.Err }

// StartLoop starts the loop in the background. It does nothing when the
// plugin has no loop, is not active or its loop is already started.
// Deactivate stops it.
func (p *Plugin) StartLoop() {
	if p.loopFn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.loop != nil || !p.active {
		return
	}
	lr := &loopRunner{p: p, stopc: make(chan struct{}), done: make(chan struct{})}
	p.loop = lr
	go lr.run()
}

// run is the loop goroutine.
func (lr *loopRunner) run() {
	ctx := lr.p.rt.Context()
	defer close(lr.done)
	p := lr.p
	limit := DefaultLoopMaxBackoff
	if p.loopEvery > 0 {
		limit = p.loopEvery
	}
	backoff := time.Duration(0)
	for {
		select {
		case <-lr.stopc:
			return
		default:
		}
		err := p.runLoop(ctx)
		select {
		case <-lr.stopc:
			return
		default:
		}
		if err == nil {
			// The loop returned by itself: it is done.
			if p.host.onLoopWait != nil {
				p.host.onLoopWait(0, nil)
			}
			return
		}
		if p.slept.Load() {
			backoff = 0
		}
		backoff = p.host.nextBackoff(backoff, limit)
		p.host.log(console.Entry{Plugin: p.ID, Level: console.Error,
			Message: fmt.Sprintf("%v (restarting in %s)", err, backoff)})
		if p.host.onLoopWait != nil {
			p.host.onLoopWait(backoff, err)
		}
		if !waitOrStop(backoff, lr.stopc, ctx.Done()) {
			return
		}
	}
}

// halt makes sure the loop does not start again.
func (lr *loopRunner) halt() { lr.once.Do(func() { close(lr.stopc) }) }

// wait gives the loop until wait to return (the caller aborted ctx.signal
// first).
func (lr *loopRunner) wait(wait time.Duration) error {
	lr.halt()
	select {
	case <-lr.done:
		return nil
	case <-time.After(wait):
		return fmt.Errorf("the loop did not return within %s after ctx.signal was aborted", wait)
	}
}
