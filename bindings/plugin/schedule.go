package plugin

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/dop251/goja"

	"host/bindings/console"
	"host/jsrt"
)

// MaxSchedules is how many ctx.schedule tasks one plugin may have.
const MaxSchedules = 100

// MaxScheduleInterval bounds ctx.schedule's intervalSeconds (a week).
const MaxScheduleInterval = 7 * 24 * time.Hour

// scheduled is one ctx.schedule task: its handler runs every interval on
// its own goroutine's timer, never two runs at once; a failed run is
// logged and retried with the loop's backoff (capped at the interval).
type scheduled struct {
	p        *Plugin
	id       string
	interval time.Duration
	handler  goja.Callable // loop-only
	stopc    chan struct{}
	once     sync.Once
	done     chan struct{}
}

func (s *scheduled) stop() { s.once.Do(func() { close(s.stopc) }) }

// run is the task's goroutine.
func (s *scheduled) run() {
	defer close(s.done)
	p := s.p
	ctx := p.rt.Context()
	backoff := time.Duration(0)
	next := s.interval
	for {
		if !waitOrStop(next, s.stopc, ctx.Done()) {
			return
		}
		_, err := p.rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
			return s.handler(goja.Undefined())
		})
		select {
		case <-s.stopc:
			return
		default:
		}
		next = s.interval
		if err != nil {
			backoff = p.host.nextBackoff(backoff, s.interval)
			next = backoff
			p.host.log(console.Entry{Plugin: p.ID, Level: console.Error,
				Message: fmt.Sprintf("scheduled task %q failed: %v (retrying in %s)", s.id, err, next)})
		} else {
			backoff = 0
		}
	}
}

// schedule is ctx.schedule({ id, intervalSeconds, handler }): a task with
// the same id is replaced.
func (p *Plugin) schedule(vm *goja.Runtime) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		o, ok := c.Argument(0).(*goja.Object)
		if !ok || goja.IsNull(c.Argument(0)) {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.schedule expects { id, intervalSeconds, handler }, got %s", jsrt.TypeNameWithArticle(c.Argument(0))))
		}
		id, ok := o.Get("id").Export().(string)
		if !ok || id == "" {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.schedule: id must be a non-empty string"))
		}
		secs := o.Get("intervalSeconds").ToFloat()
		if math.IsNaN(secs) || secs < 0.01 || time.Duration(secs*float64(time.Second)) > MaxScheduleInterval {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.schedule(%q): intervalSeconds must be a number from 0.01 to %d (a week)", id, int(MaxScheduleInterval.Seconds())))
		}
		handler, ok := goja.AssertFunction(o.Get("handler"))
		if !ok {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.schedule(%q): handler must be a function", id))
		}
		if !p.perms.Allows("loop:background") {
			return jsrt.Rejected(vm, p.denied("ctx.schedule (background work)", "loop:background"))
		}
		s := &scheduled{p: p, id: id, interval: time.Duration(secs * float64(time.Second)), handler: handler,
			stopc: make(chan struct{}), done: make(chan struct{})}
		p.mu.Lock()
		if !p.active && p.closed {
			p.mu.Unlock()
			return jsrt.Rejected(vm, ErrNotActive)
		}
		if old := p.schedules[id]; old != nil {
			old.stop()
		} else if len(p.schedules) >= MaxSchedules {
			p.mu.Unlock()
			return jsrt.Rejected(vm, jsrt.RangeErrorf("ctx.schedule(%q): the plugin has %d scheduled tasks, the most it may have; unschedule one first", id, MaxSchedules))
		}
		if p.schedules == nil {
			p.schedules = map[string]*scheduled{}
		}
		p.schedules[id] = s
		p.mu.Unlock()
		go s.run()
		return vm.ToValue(resolvedPromise(vm))
	}
}

// unschedule is ctx.unschedule(id); an unknown id is not an error.
func (p *Plugin) unschedule(vm *goja.Runtime) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		id, ok := c.Argument(0).Export().(string)
		if !ok {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.unschedule(id): id must be a string, got %s", jsrt.TypeNameWithArticle(c.Argument(0))))
		}
		p.mu.Lock()
		if s := p.schedules[id]; s != nil {
			s.stop()
			delete(p.schedules, id)
		}
		p.mu.Unlock()
		return vm.ToValue(resolvedPromise(vm))
	}
}

// stopSchedules stops every task (at deactivation); runs in progress see
// ctx.signal aborted.
func (p *Plugin) stopSchedules() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, s := range p.schedules {
		s.stop()
		delete(p.schedules, id)
	}
}

// waitOrStop waits d and reports true, or false as soon as stop or done
// is closed.
func waitOrStop(d time.Duration, stop, done <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-stop:
		return false
	case <-done:
		return false
	case <-t.C:
		return true
	}
}

// nextBackoff is the retry delay after a failure, given the last one:
// LoopMinBackoff, then doubling, capped at limit.
func (h *Host) nextBackoff(last, limit time.Duration) time.Duration {
	minB := h.LoopMinBackoff
	if minB <= 0 {
		minB = DefaultLoopMinBackoff
	}
	next := minB
	if last > 0 {
		next = 2 * last
	}
	return min(next, limit)
}
