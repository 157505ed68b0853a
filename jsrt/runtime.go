// Package jsrt runs bundled JavaScript: it builds TypeScript into one IIFE
// with esbuild, runs it in a goja runtime driven by goja_nodejs' event loop,
// and provides the one bridge through which Go work settles JS promises.
// It maps every error back to the TypeScript source and bounds every entry
// into JS and every Go call with a deadline. It knows nothing of plugins.
//
// The doc comments are the contract bindings are written against;
// `go doc -all host/jsrt` prints the whole API.
package jsrt

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja_nodejs/eventloop"
)

// Defaults for Options.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultCallTimeout  = 30 * time.Second
	DefaultMaxCallStack = 4000
)

// ErrClosed is returned by calls on a closed runtime.
var ErrClosed = errors.New("the script runtime is closed")

// Options configure a Runtime. The zero value is usable.
type Options struct {
	// Timeout bounds one entry into JS (a script, a callback, a timer); a
	// script still running then is interrupted. Default DefaultTimeout.
	Timeout time.Duration
	// CallTimeout bounds Go work started with Go. Default DefaultCallTimeout.
	CallTimeout time.Duration
	// OnError receives errors nobody else can return: promise rejections
	// nobody handled and errors thrown in timers, as *JSError. It is called
	// on the loop goroutine and must not block. Nil drops them.
	OnError func(err error)
	// MaxCallStack bounds JS recursion depth (a RangeError past it).
	MaxCallStack int
	// OnStuck, when set, is called (once per entry, on a goroutine of its
	// own) when a script interrupted at its Timeout has still not stopped
	// StuckGrace later: it is inside a native call goja cannot interrupt
	// (JSON.stringify of a deeply nested value...), and only ending the
	// process frees the runtime. err says so.
	OnStuck func(err error)
	// StuckGrace is how long past its Timeout an entry may take to stop
	// before OnStuck. Default DefaultStuckGrace.
	StuckGrace time.Duration
}

// DefaultStuckGrace is Options.StuckGrace's default.
const DefaultStuckGrace = 2 * time.Second

// ToJS builds a JS value on the loop goroutine. Work passed to Go may return
// one to build values that need the runtime (objects, arrays, classes).
type ToJS func(vm *goja.Runtime) (goja.Value, error)

// Runtime is one JS engine with its event loop. Its methods are safe to call
// from any goroutine unless their doc says "on the loop"; goja values must
// only be touched on the loop goroutine.
type Runtime struct {
	opts   Options
	loop   *eventloop.EventLoop
	vm     *goja.Runtime
	ctx    context.Context
	cancel context.CancelFunc

	pending   atomic.Int64
	closeOnce sync.Once
	closed    atomic.Bool

	// loop-only state
	timers      map[int64]*timer
	nextTimer   int64
	rejections  []*goja.Promise
	rejected    map[*goja.Promise]bool
	depth       int
	interrupted atomic.Bool
	json        *builtins

	// stopping holds the error of an interrupt in effect (nil between
	// entries): host's own walks of plugin values (StringifyJSON), which
	// goja's interrupt does not reach, stop on it.
	stopping atomic.Pointer[error]

	// gate orders interrupts against the start and end of entries, so an
	// interrupt only ever stops the entry it was meant for: the watchdog's
	// (seq identifies the outer entry it watches) and Do's (current is the
	// Do whose fn is running). An interrupt that arrives just after its
	// entry ended is cleared when the next one starts.
	gate    sync.Mutex
	seq     uint64 // of the outer entry running; 0 between entries
	seqNext uint64
	current *doJob

	// intr is closed (and replaced) whenever a script is interrupted, so
	// Awaits whose promise chain that script was part of stop waiting.
	intrMu   sync.Mutex
	intr     chan struct{}
	intrErr  error
	awaiting atomic.Int64
}

type timer struct {
	t        *time.Timer
	fn       goja.Callable
	args     []goja.Value
	interval time.Duration // 0 for setTimeout
	repeat   bool
}

// New creates a runtime and starts its loop in the background.
func New(opts Options) *Runtime {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = DefaultCallTimeout
	}
	if opts.MaxCallStack <= 0 {
		opts.MaxCallStack = DefaultMaxCallStack
	}
	if opts.StuckGrace <= 0 {
		opts.StuckGrace = DefaultStuckGrace
	}
	r := &Runtime{
		opts:     opts,
		loop:     eventloop.NewEventLoop(eventloop.EnableConsole(false)),
		timers:   map[int64]*timer{},
		rejected: map[*goja.Promise]bool{},
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.intr = make(chan struct{})
	r.loop.Start()
	ready := make(chan struct{})
	r.loop.RunOnLoop(func(vm *goja.Runtime) {
		r.vm = vm
		vm.SetMaxCallStackSize(opts.MaxCallStack)
		vm.SetFieldNameMapper(goja.TagFieldNameMapper("json", true))
		g := vm.GlobalObject()
		_ = g.Delete("require")
		_ = g.Set("setTimeout", Safe(vm, "setTimeout", r.setTimer(false)))
		_ = g.Set("setInterval", Safe(vm, "setInterval", r.setTimer(true)))
		_ = g.Set("clearTimeout", Safe(vm, "clearTimeout", r.clearTimer))
		_ = g.Set("clearInterval", Safe(vm, "clearInterval", r.clearTimer))
		_ = g.Delete("setImmediate")
		_ = g.Delete("clearImmediate")
		_ = g.Set("queueMicrotask", Safe(vm, "queueMicrotask", r.queueMicrotask))
		vm.SetPromiseRejectionTracker(r.trackRejection)
		if err := installEngine(vm); err != nil {
			panic("jsrt: the engine built-ins do not run: " + err.Error())
		}
		r.json = captureBuiltins(vm)
		runtimes.Store(vm, r)
		close(ready)
	})
	<-ready
	return r
}

// Context is cancelled when the runtime closes; work started with Go derives
// from it.
func (r *Runtime) Context() context.Context { return r.ctx }

// Pending reports how much Go work and how many timeouts still owe the loop
// a callback. Intervals are not counted.
func (r *Runtime) Pending() int { return int(r.pending.Load()) }

// Post schedules fn on the loop goroutine. It reports false when the
// runtime is closed. Errors fn's JS code throws go to Options.OnError.
func (r *Runtime) Post(fn func(vm *goja.Runtime)) bool {
	if r.closed.Load() {
		return false
	}
	return r.loop.RunOnLoop(func(vm *goja.Runtime) {
		if err := r.enter(func() error { fn(vm); return nil }); err != nil {
			r.report(err)
		}
	})
}

// doJob is one Do call's fn on its way through the loop.
type doJob struct{ cancelled bool }

// Do runs fn on the loop goroutine and waits for it. Exceptions come back as
// *JSError with TypeScript positions. A script running longer than
// Options.Timeout is interrupted. When ctx ends first, Do returns ctx's
// error: fn is interrupted if it is running, and skipped if it has not
// started. (Only fn: other callers' work on the loop is left alone.)
func (r *Runtime) Do(ctx context.Context, fn func(vm *goja.Runtime) error) error {
	if r.closed.Load() {
		return ErrClosed
	}
	done := make(chan error, 1)
	job := &doJob{}
	ok := r.loop.RunOnLoop(func(vm *goja.Runtime) {
		r.gate.Lock()
		if job.cancelled {
			r.gate.Unlock()
			done <- context.Cause(ctx)
			return
		}
		r.current = job
		r.gate.Unlock()
		err := r.enter(func() error { return fn(vm) })
		r.gate.Lock()
		r.current = nil
		r.gate.Unlock()
		done <- err
	})
	if !ok {
		return ErrClosed
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		r.gate.Lock()
		if r.current == job {
			r.interrupt(fmt.Errorf("interrupted: %w", context.Cause(ctx)))
		} else {
			job.cancelled = true
		}
		r.gate.Unlock()
		select {
		case err := <-done:
			if err != nil {
				return err
			}
		case <-time.After(time.Second):
		}
		return context.Cause(ctx)
	case <-r.ctx.Done():
		return ErrClosed
	}
}

// Await runs fn on the loop; when fn returns a promise (or a thenable made
// by async code), Await waits until it settles. A rejection comes back as
// *JSError. The value may only be used inside a later Do.
func (r *Runtime) Await(ctx context.Context, fn func(vm *goja.Runtime) (goja.Value, error)) (goja.Value, error) {
	v, err, _ := r.await(ctx, fn, nil)
	return v, err
}

// AwaitThen is Await, then then on the value in a Do; when the value
// settles while fn's Do runs (an async function that awaited nothing),
// then runs in that same Do: one trip to the loop instead of two. err is
// Await's; thenErr is then's, or its Do's.
func (r *Runtime) AwaitThen(ctx context.Context, fn func(vm *goja.Runtime) (goja.Value, error), then func(vm *goja.Runtime, v goja.Value) error) (err, thenErr error) {
	_, err, thenErr = r.await(ctx, fn, then)
	return err, thenErr
}

func (r *Runtime) await(ctx context.Context, fn func(vm *goja.Runtime) (goja.Value, error), then func(vm *goja.Runtime, v goja.Value) error) (v goja.Value, err, thenErr error) {
	type result struct {
		v    goja.Value
		err  error
		done bool // then ran
	}
	settled := make(chan result, 1)
	r.awaiting.Add(1)
	defer r.awaiting.Add(-1)
	r.intrMu.Lock()
	intr := r.intr
	r.intrMu.Unlock()
	err = r.Do(ctx, func(vm *goja.Runtime) error {
		v, err := fn(vm)
		if err != nil {
			return err
		}
		inDo := true
		defer func() { inDo = false }()
		settle := func(v goja.Value) {
			if then != nil && inDo {
				settled <- result{err: then(vm, v), done: true}
				return
			}
			settled <- result{v: v}
		}
		if !isPromise(v) {
			settle(v)
			return nil
		}
		promiseThen, _ := goja.AssertFunction(v.(*goja.Object).Get("then"))
		onFul := vm.ToValue(func(c goja.FunctionCall) goja.Value {
			settle(c.Argument(0))
			return goja.Undefined()
		})
		onRej := vm.ToValue(func(c goja.FunctionCall) goja.Value {
			settled <- result{err: errorFromValue(vm, c.Argument(0), nil)}
			return goja.Undefined()
		})
		_, err = promiseThen(v, onFul, onRej)
		return err
	})
	if err != nil {
		return nil, err, nil
	}
	select {
	case res := <-settled:
		switch {
		case res.done:
			return nil, nil, res.err
		case res.err != nil || then == nil:
			return res.v, res.err, nil
		}
		return res.v, nil, r.Do(ctx, func(vm *goja.Runtime) error { return then(vm, res.v) })
	case <-intr:
		r.intrMu.Lock()
		err := r.intrErr
		r.intrMu.Unlock()
		return nil, err, nil
	case <-ctx.Done():
		if err := r.runningInterrupt(intr); err != nil {
			return nil, err, nil
		}
		return nil, context.Cause(ctx), nil
	case <-r.ctx.Done():
		return nil, ErrClosed, nil
	}
}

// interruptMargin is how long after the script timeout runningInterrupt
// still waits for the interrupted script to unwind.
const interruptMargin = 5 * time.Second

// runningInterrupt is for an Await whose ctx ended: when a script is
// running on the loop right then (an infinite loop, say), Options.Timeout
// bounds it, and its interruption, with the script's position, is the
// cause to report rather than ctx's end, which only came first. It waits
// until that entry ends (at most Timeout and a margin more: a native call
// may never end) and returns the interruption broadcast meanwhile, else nil. No
// caller then depends on which of the two deadlines fires first.
func (r *Runtime) runningInterrupt(intr <-chan struct{}) error {
	r.gate.Lock()
	running := r.seq != 0
	r.gate.Unlock()
	if running {
		ended := make(chan struct{})
		if r.loop.RunOnLoop(func(*goja.Runtime) { close(ended) }) {
			// The watchdog fires within Timeout; the margin is for a
			// loaded machine to let the interrupted script unwind.
			bound := time.NewTimer(r.opts.Timeout + interruptMargin)
			select {
			case <-ended:
			case <-intr:
			case <-bound.C:
			case <-r.ctx.Done():
			}
			bound.Stop()
		}
	}
	select {
	case <-intr:
		r.intrMu.Lock()
		defer r.intrMu.Unlock()
		return r.intrErr
	default:
		return nil
	}
}

// interrupted tells every Await in progress that a script was stopped: the
// promise it waits for may never settle now.
func (r *Runtime) broadcastInterrupt(err error) {
	r.intrMu.Lock()
	r.intrErr = err
	close(r.intr)
	r.intr = make(chan struct{})
	r.intrMu.Unlock()
}

func isPromise(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	_, ok = o.Export().(*goja.Promise)
	return ok
}

// Close cancels the runtime's context (ending its Go work), stops its timers
// and its loop. Pending promises never settle. Safe to call more than once
// and from any goroutine but the loop's.
func (r *Runtime) Close() {
	r.closeOnce.Do(func() {
		r.closed.Store(true)
		r.cancel()
		r.interrupt(ErrClosed)
		runtimes.Delete(r.vm)
		r.loop.RunOnLoop(func(*goja.Runtime) {
			for id, t := range r.timers {
				t.t.Stop()
				delete(r.timers, id)
			}
		})
		r.loop.Terminate()
	})
}

// Go is the one bridge from Go work to a JS promise. Call it on the loop,
// from a Go function that JS called. work runs on its own goroutine with a
// context bounded by Options.CallTimeout and by Close. Its result settles the
// returned promise on the loop exactly once: a ToJS result is called there to
// build the value, any other result goes through vm.ToValue, and an error
// rejects with NewError. Until then the work counts in Pending.
func (r *Runtime) Go(work func(ctx context.Context) (any, error)) goja.Value {
	return r.GoTimeout(r.opts.CallTimeout, work)
}

// GoTimeout is Go with its own deadline (0 means none beyond Close).
func (r *Runtime) GoTimeout(d time.Duration, work func(ctx context.Context) (any, error)) goja.Value {
	vm := r.vm
	p, resolve, reject := vm.NewPromise()
	// Where plugin code called: a rejection made later on the loop has no
	// JS frames of its own, so it gets these (the `await fetch(...)` line).
	callers := vm.CaptureCallStack(8, nil)
	r.pending.Add(1)
	go func() {
		ctx, cancel := r.ctx, context.CancelFunc(func() {})
		if d > 0 {
			ctx, cancel = context.WithTimeout(r.ctx, d)
		}
		res, err := safeWork(ctx, work)
		var rerr error
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil && r.ctx.Err() == nil {
			err = &timeoutError{d: d, err: err}
		}
		posted := r.loop.RunOnLoop(func(vm *goja.Runtime) {
			// The work owes the loop nothing once its callback runs (as
			// with timers): count it done before the promise settles, so
			// whoever the settlement wakes sees Pending without it.
			r.pending.Add(-1)
			// Microtasks run inside this entry: an error here (an
			// interrupted async function) has nobody else to go to.
			defer func() {
				if rerr != nil {
					r.report(rerr)
				}
			}()
			rerr = r.enter(func() error {
				if err != nil {
					_ = reject(withCallers(NewError(vm, err), callers))
					return nil
				}
				if build, ok := res.(ToJS); ok {
					v, berr := build(vm)
					if berr != nil {
						_ = reject(NewError(vm, berr))
						return nil
					}
					_ = resolve(v)
					return nil
				}
				_ = resolve(vm.ToValue(res))
				return nil
			})
		})
		if !posted {
			r.pending.Add(-1)
		}
	}()
	return vm.ToValue(p)
}

type timeoutError struct {
	d   time.Duration
	err error
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("timed out after %s", e.d)
}
func (e *timeoutError) Unwrap() error { return e.err }
func (e *timeoutError) Code() string  { return "ERR_TIMEOUT" }

// safeWork runs work, turning a panic into an error so a faulty binding
// cannot crash the host.
func safeWork(ctx context.Context, work func(ctx context.Context) (any, error)) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error in host binding: %v\n%s", p, debug.Stack())
		}
	}()
	return work(ctx)
}

// interrupt stops the script running (goja's Interrupt) and host's walks
// of plugin values (stopping) with err.
func (r *Runtime) interrupt(err error) {
	if r.closed.Load() && err != ErrClosed {
		return // Close's interrupt stays
	}
	r.stopping.Store(&err)
	r.vm.Interrupt(err)
}

// clearInterrupt undoes interrupt. With r.gate held.
func (r *Runtime) clearInterrupt() {
	if !r.closed.Load() {
		r.stopping.Store(nil)
	}
	r.vm.ClearInterrupt()
}

// enter runs fn as one entry into JS on the loop: bounded by Options.Timeout,
// panics and exceptions turned into errors, and unhandled rejections
// reported afterwards.
func (r *Runtime) enter(fn func() error) (err error) {
	vm := r.vm
	if r.depth == 0 && r.closed.Load() {
		return ErrClosed // Close interrupted what ran; nothing starts after it
	}
	r.depth++
	outer := r.depth == 1
	var watchdog *time.Timer
	if outer {
		r.gate.Lock()
		r.clearInterrupt() // one that arrived after its own entry ended
		r.seqNext++
		seq := r.seqNext
		r.seq = seq
		r.gate.Unlock()
		watchdog = time.AfterFunc(r.opts.Timeout, func() {
			r.gate.Lock()
			defer r.gate.Unlock()
			if r.seq != seq {
				return // that entry has ended
			}
			r.interrupted.Store(true)
			r.interrupt(fmt.Errorf("script ran longer than %s and was stopped (an infinite loop?)", r.opts.Timeout))
			if r.opts.OnStuck != nil {
				time.AfterFunc(r.opts.StuckGrace, func() {
					r.gate.Lock()
					stuck := r.seq == seq && !r.closed.Load()
					r.gate.Unlock()
					if stuck {
						r.opts.OnStuck(fmt.Errorf("plugin code did not stop at its %s timeout: it is inside a native call that cannot be interrupted (JSON.stringify of a deeply nested value, or the like)", r.opts.Timeout))
					}
				})
			}
		})
	}
	defer func() {
		if p := recover(); p != nil {
			switch v := p.(type) {
			case *goja.Object:
				err = errorFromValue(vm, v, nil)
			case *goja.Exception:
				err = fromGojaError(vm, v)
			case *goja.InterruptedError:
				err = fromGojaError(vm, v)
			default:
				err = fmt.Errorf("internal error in host: %v\n%s", p, debug.Stack())
			}
		}
		r.depth--
		if outer {
			watchdog.Stop()
			r.gate.Lock()
			r.seq = 0
			r.clearInterrupt()
			r.gate.Unlock()
			if r.interrupted.Swap(false) {
				if je, ok := AsJSError(err); ok && je.Interrupted() && r.awaiting.Load() > 0 {
					// The Awaits in progress get the error; nobody else
					// needs to see it.
					r.broadcastInterrupt(err)
					err = nil
				}
			}
			r.flushRejections()
		}
	}()
	err = fromGojaError(vm, fn())
	return err
}

func (r *Runtime) report(err error) {
	if err != nil && r.opts.OnError != nil && !r.closed.Load() {
		r.opts.OnError(err)
	}
}

// trackRejection is goja's rejection tracker; reports happen after the
// current entry finishes so handlers attached later in the same turn count.
func (r *Runtime) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		r.rejected[p] = true
		r.rejections = append(r.rejections, p)
	case goja.PromiseRejectionHandle:
		delete(r.rejected, p)
	}
}

func (r *Runtime) flushRejections() {
	if len(r.rejections) == 0 {
		return
	}
	list := r.rejections
	r.rejections = nil
	for _, p := range list {
		if !r.rejected[p] {
			continue
		}
		delete(r.rejected, p)
		je := errorFromValue(r.vm, p.Result(), nil)
		je.Context = "unhandled promise rejection"
		r.report(je)
	}
}

// setTimer implements setTimeout and setInterval: browser semantics, a
// numeric id, errors thrown by the callback reported with their position.
func (r *Runtime) setTimer(repeat bool) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			Throw(r.vm, TypeErrorf("The \"callback\" argument must be of type function. Received %s", TypeName(call.Argument(0))))
		}
		ms := call.Argument(1).ToFloat()
		if ms != ms || ms < 0 { // NaN or negative
			ms = 0
		}
		if ms > 2147483647 {
			ms = 1
		}
		d := time.Duration(ms * float64(time.Millisecond))
		if repeat && d < time.Millisecond {
			d = time.Millisecond
		}
		var args []goja.Value
		if len(call.Arguments) > 2 {
			args = append(args, call.Arguments[2:]...)
		}
		r.nextTimer++
		id := r.nextTimer
		t := &timer{fn: fn, args: args, interval: d, repeat: repeat}
		r.timers[id] = t
		if !repeat {
			r.pending.Add(1)
		}
		t.t = time.AfterFunc(d, func() { r.fire(id) })
		return r.vm.ToValue(id)
	}
}

func (r *Runtime) fire(id int64) {
	ok := r.loop.RunOnLoop(func(vm *goja.Runtime) {
		t, ok := r.timers[id]
		if !ok {
			return
		}
		if !t.repeat {
			delete(r.timers, id)
			r.pending.Add(-1)
		}
		err := r.enter(func() error {
			_, err := t.fn(goja.Undefined(), t.args...)
			return err
		})
		if je, ok := AsJSError(err); ok && je.Context == "" {
			je.Context = "uncaught error in timer"
		}
		if err != nil {
			r.report(err)
		}
		if t.repeat {
			if _, still := r.timers[id]; still {
				t.t.Reset(t.interval)
			}
		}
	})
	if !ok {
		return
	}
}

func (r *Runtime) clearTimer(call goja.FunctionCall) goja.Value {
	id := call.Argument(0).ToInteger()
	if t, ok := r.timers[id]; ok {
		t.t.Stop()
		delete(r.timers, id)
		if !t.repeat {
			r.pending.Add(-1)
		}
	}
	return goja.Undefined()
}

func (r *Runtime) queueMicrotask(call goja.FunctionCall) goja.Value {
	fn, ok := goja.AssertFunction(call.Argument(0))
	if !ok {
		Throw(r.vm, TypeErrorf("The \"callback\" argument must be of type function. Received %s", TypeName(call.Argument(0))))
	}
	// A resolved promise's reaction runs as a microtask, as in browsers.
	p, resolve, _ := r.vm.NewPromise()
	_ = resolve(goja.Undefined())
	then, _ := goja.AssertFunction(r.vm.ToValue(p).(*goja.Object).Get("then"))
	_, _ = then(r.vm.ToValue(p), r.vm.ToValue(func(goja.FunctionCall) goja.Value {
		if _, err := fn(goja.Undefined()); err != nil {
			panic(err)
		}
		return goja.Undefined()
	}))
	return goja.Undefined()
}

// withCallers gives an error object made outside JS code the stack of the
// JS call that started the work. Call on the loop goroutine.
func withCallers(o *goja.Object, callers []goja.StackFrame) *goja.Object {
	var b strings.Builder
	for i := range callers {
		p := callers[i].Position()
		if p.Filename == "" || p.Line == 0 || strings.HasPrefix(p.Filename, "host:") || strings.HasSuffix(p.Filename, bundleSuffix) {
			continue
		}
		fmt.Fprintf(&b, "\n\tat %s (%s:%d:%d)", callers[i].FuncName(), p.Filename, p.Line, mappedColumn(p.Filename, p.Column))
	}
	if b.Len() == 0 {
		return o
	}
	head := o.Get("name").String() + ": " + o.Get("message").String()
	_ = o.Set("stack", head+b.String())
	return o
}
