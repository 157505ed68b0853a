package plugin

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/dop251/goja"

	"host/bindings/console"
)

// Loop backoff after a failed run: it starts at LoopMinBackoff, doubles,
// and is capped at the loop's interval.
const DefaultLoopMinBackoff = time.Second

// DefaultLoopStopWait bounds how long deactivation waits for a loop run
// that is still going after ctx.signal was aborted.
const DefaultLoopStopWait = 10 * time.Second

// HasLoop reports whether the plugin defines a loop, and its interval.
func (p *Plugin) HasLoop() (time.Duration, bool) {
	return p.loopEvery, p.loopEvery > 0
}

// loopRunner runs the plugin's loop on its own goroutine: one run at a
// time, every interval after the previous run ended, failures logged with
// their position and retried with backoff.
type loopRunner struct {
	p     *Plugin
	every time.Duration
	stopc chan struct{}
	once  sync.Once
	done  chan struct{}
}

// RunLoopOnce runs the loop's run(ctx) once and returns its error (for
// `host run --once`). The plugin must be active.
func (p *Plugin) RunLoopOnce(ctx context.Context) error {
	if p.loopEvery == 0 {
		return nil
	}
	if !p.Active() {
		return ErrNotActive
	}
	return p.runLoopOnce(ctx)
}

func (p *Plugin) runLoopOnce(ctx context.Context) error {
	_, err := p.rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		lo := p.def.Get("loop").ToObject(vm)
		run, _ := goja.AssertFunction(lo.Get("run"))
		return run(lo, p.ctxObj)
	})
	if err != nil {
		return &LoopError{Err: err}
	}
	return nil
}

// LoopError is a failed loop run.
type LoopError struct{ Err error }

func (e *LoopError) Error() string { return "loop run failed: " + e.Err.Error() }
func (e *LoopError) Unwrap() error { return e.Err }

// StartLoop starts running the loop in the background: first run now, then
// every interval. It does nothing when the plugin has no loop or it is
// already started. Deactivate stops it.
func (p *Plugin) StartLoop() {
	if p.loopEvery == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.loop != nil || !p.active {
		return
	}
	lr := &loopRunner{p: p, every: p.loopEvery, stopc: make(chan struct{}), done: make(chan struct{})}
	p.loop = lr
	go lr.run()
}

// run is the loop goroutine. A run in progress is not cancelled by stop:
// it sees ctx.signal abort and gets a bounded time to finish.
func (lr *loopRunner) run() {
	ctx := lr.p.rt.Context()
	defer close(lr.done)
	p := lr.p
	minBackoff := p.host.LoopMinBackoff
	if minBackoff <= 0 {
		minBackoff = DefaultLoopMinBackoff
	}
	backoff := time.Duration(0)
	for {
		select {
		case <-lr.stopc:
			return
		default:
		}
		err := p.runLoopOnce(ctx)
		select {
		case <-lr.stopc:
			return
		default:
		}
		next := lr.every
		if err != nil {
			if backoff == 0 {
				backoff = minBackoff
			} else {
				backoff *= 2
			}
			if backoff > lr.every {
				backoff = lr.every
			}
			next = backoff
			if p.host.Log != nil {
				p.host.Log(console.Entry{Plugin: p.ID, Level: console.Error,
					Message: fmt.Sprintf("%v (retrying in %s)", err, next)})
			}
		} else {
			backoff = 0
		}
		if p.host.onLoopWait != nil {
			p.host.onLoopWait(next, err)
		}
		t := time.NewTimer(next)
		select {
		case <-lr.stopc:
			t.Stop()
			return
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// halt makes sure no new run starts.
func (lr *loopRunner) halt() { lr.once.Do(func() { close(lr.stopc) }) }

// wait gives a run in progress until d to finish (the caller aborted
// ctx.signal first).
func (lr *loopRunner) wait(wait time.Duration) error {
	lr.halt()
	select {
	case <-lr.done:
		return nil
	case <-time.After(wait):
		return fmt.Errorf("the loop's run did not finish within %s after ctx.signal was aborted", wait)
	}
}
