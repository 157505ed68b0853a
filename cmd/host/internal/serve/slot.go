package serve

import (
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/console"
	"host/bindings/setup"
)

// Exit codes of a worker that stopped itself: its plugin went above the
// memory cap (it watches its own heap), or its code kept the runtime past
// the timeout (stuck in a native call).
const (
	ExitMemory = 3
	ExitStuck  = 4
)

// slot is one plugin: its current worker, its state and its crash count.
// run is its only writer of cur and next; mu guards the fields for readers.
type slot struct {
	sup     *Supervisor
	path    string
	reloads chan reloadReq
	group   *group // the group whose worker it shares (--group), or nil

	mu      sync.Mutex
	state   State
	cur     *worker // the worker serving calls
	next    *worker // a worker being started beside cur (reload)
	crashes int
	last    time.Time // the last crash
}

type reloadReq struct {
	done chan reloadResult
	// stop: stop the plugin until the next reload (Supervisor.Stop), its
	// state Stopped with this reason.
	stop string
	// replace: the new worker serves even when it does not become active
	// (Supervisor.Restart).
	replace bool
}

type reloadResult struct {
	state    State
	replaced bool
}

// current is the state without the worker's process figures (snapshot
// reads its memory from /proc: too dear for every call).
func (sl *slot) current() State {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	st := sl.state
	st.Crashes = sl.crashes
	return st
}

// snapshot is the state with the current worker's memory.
func (sl *slot) snapshot() State {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	st := sl.state
	st.Crashes = sl.crashes
	if w := sl.cur; w != nil {
		st.PID = int(w.pid.Load())
		st.MemoryBytes = w.rss.Load()
		if rss, ok := residentBytes(st.PID); ok {
			st.MemoryBytes = rss
		}
	}
	return st
}

// set changes the state with fn and emits it when its phase or reason
// changed.
func (sl *slot) set(fn func(*State)) {
	sl.mu.Lock()
	old := sl.state
	fn(&sl.state)
	if sl.state.Phase != old.Phase {
		sl.state.Since = time.Now()
	}
	st := sl.state
	st.Crashes = sl.crashes
	sl.mu.Unlock()
	if st.Phase != old.Phase || st.Reason != old.Reason || len(st.Fields) != len(old.Fields) {
		sl.sup.emit(st)
	}
}

// adopt makes w the serving worker and takes its state.
func (sl *slot) adopt(w *worker) {
	sl.mu.Lock()
	sl.cur, sl.next = w, nil
	sl.mu.Unlock()
	sl.set(func(s *State) { w.fill(s) })
}

// run is the slot's life: start, watch, restart with backoff, reload.
func (sl *slot) run() {
	ctx := sl.sup.ctx
	var pending []reloadReq
	answer := func(replaced bool) {
		for _, r := range pending {
			r.done <- reloadResult{sl.snapshot(), replaced}
		}
		pending = nil
	}
	for ctx.Err() == nil {
		sl.set(func(s *State) { s.Phase, s.Reason, s.NextTry = setup.Starting, "", time.Time{} })
		w, err := sl.start()
		var why string
		if err != nil {
			why = err.Error()
		} else {
			sl.adopt(w)
			answer(true)
			why = sl.serve(w)
		}
		if ctx.Err() != nil {
			break
		}
		if why == userStopped {
			if r := sl.stopped(); r != nil {
				pending = append(pending, *r)
			}
			continue
		}
		// w crashed.
		sl.mu.Lock()
		sl.cur = nil
		now := time.Now()
		if !sl.last.IsZero() && now.Sub(sl.last) > sl.sup.opts.CrashReset {
			sl.crashes = 0
		}
		sl.crashes++
		sl.last = now
		n := sl.crashes
		sl.mu.Unlock()
		if n >= sl.sup.opts.MaxCrashes {
			sl.set(func(s *State) {
				s.Phase, s.NextTry = setup.Disabled, time.Time{}
				s.Reason = fmt.Sprintf("crashed %d times in a row; last: %s", n, why)
			})
			answer(false)
			select {
			case <-ctx.Done():
			case r := <-sl.reloads:
				if r.stop != "" {
					sl.stopFor(r)
					r2 := sl.stopped()
					if r2 == nil {
						continue
					}
					r = *r2
				}
				pending = append(pending, r)
				sl.mu.Lock()
				sl.crashes = 0
				sl.mu.Unlock()
			}
			continue
		}
		d := sl.sup.backoff(n)
		next := now.Add(d)
		sl.set(func(s *State) {
			s.Phase, s.NextTry = setup.Restarting, next
			s.Reason = fmt.Sprintf("crash %d of %d in a row: %s; next try in %s", n, sl.sup.opts.MaxCrashes, why, d)
		})
		answer(false)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
		case <-t.C:
		case r := <-sl.reloads:
			if r.stop != "" {
				sl.stopFor(r)
				if r2 := sl.stopped(); r2 != nil {
					pending = append(pending, *r2)
				}
				break
			}
			pending = append(pending, r)
		}
		t.Stop()
	}
	sl.set(func(s *State) { s.Phase, s.Reason, s.NextTry = setup.Stopped, "", time.Time{} })
	answer(false)
}

// serve watches the serving worker w until it ends (the crash's reason)
// or ctx ends (w stopped, ""), handling reloads meanwhile.
func (sl *slot) serve(w *worker) string {
	ctx := sl.sup.ctx
	for {
		select {
		case <-ctx.Done():
			sl.stopWorkers(w)
			return ""
		case <-w.exited:
			if ctx.Err() != nil {
				return ""
			}
			return w.endReason()
		case st := <-w.states:
			sl.set(func(s *State) { mergeWorkerState(s, st) })
		case r := <-sl.reloads:
			if r.stop != "" {
				sl.stopWorkers(w)
				sl.stopFor(r)
				return userStopped
			}
			w = sl.reload(w, r)
		}
	}
}

// stopWorkers stops cur (and a worker being started) and waits for both.
func (sl *slot) stopWorkers(ws ...*worker) {
	sl.mu.Lock()
	if sl.next != nil {
		ws = append(ws, sl.next)
	}
	sl.mu.Unlock()
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() { defer wg.Done(); w.stop() }()
	}
	wg.Wait()
}

// reload starts a new worker beside cur and keeps the one that should
// serve; it returns it.
func (sl *slot) reload(cur *worker, r reloadReq) *worker {
	w, err := sl.start()
	sl.mu.Lock()
	curActive := sl.state.Phase == setup.Active
	sl.mu.Unlock()
	if err != nil || (w.last.Phase != setup.Active && curActive && !r.replace) {
		why := ""
		if err != nil {
			why = err.Error()
		} else {
			why = w.last.Line()
			go w.stop()
		}
		st := sl.snapshot()
		st.Reason = why
		r.done <- reloadResult{st, false}
		return cur
	}
	sl.adopt(w)
	go cur.stop()
	r.done <- reloadResult{sl.snapshot(), true}
	return w
}

// start spawns a worker and waits until its plugin has settled (active,
// needs setup, login needed or error). An error is a worker that ended or
// could not start.
func (sl *slot) start() (*worker, error) {
	o := &sl.sup.opts
	// A start that ends before its plugin said an id counts with the id
	// the slot has (configValues waits for every plugin's).
	defer func() { sl.sup.noteID(sl, sl.snapshot().ID) }()
	w := &worker{exited: make(chan struct{}), states: make(chan State, 16), tail: &tail{}}
	var transport mcp.Transport
	var cfg configSender
	keyDone := func() {}
	if g := sl.group; g != nil {
		// A channel of the group's process (group.go).
		m, err := g.open(sl.path, func() string { return sl.current().ID })
		if err != nil {
			return nil, err
		}
		w.member = m
		w.pid.Store(int64(m.proc.pid))
		w.hop = newHop(nil, o.StopWait)
		transport, cfg = memberTransport{w.hop, m}, memberConfig{m}
	} else {
		cmd := o.Command(sl.path)
		w.cmd = cmd
		if cmd.Stderr != nil {
			// A worker's lines carry its plugin's text: no terminal controls
			// reach the serve's terminal from them.
			cmd.Stderr = io.MultiWriter(&console.CleanWriter{W: cmd.Stderr}, w.tail)
		} else {
			cmd.Stderr = w.tail
		}
		setProcAttr(cmd)
		shared := sl.sup.shared()
		cmd.Env = WorkerEnv(o.Environ, shared)
		var pipe *configPipe
		if shared {
			var err error
			if pipe, err = sl.configPipe(cmd); err != nil {
				return nil, fmt.Errorf("the worker did not start: %w", err)
			}
		}
		cfg = pipe
		var err error
		if keyDone, err = sl.sup.passKey(cmd); err != nil {
			cfg.close()
			return nil, fmt.Errorf("the worker did not start: %w", err)
		}
		// The 2025-11-25 protocol: a worker's elicitations and logs during a
		// call travel as requests and notifications of their own, which the
		// supervisor routes to the call's client.
		w.hop = newHop(cmd, o.StopWait)
		transport = w.hop
	}
	defer cfg.close()
	client := mcp.NewClient(&mcp.Implementation{Name: "host-serve", Version: "1"}, sl.clientOptions(w))
	sl.mu.Lock()
	sl.next = w
	sl.mu.Unlock()
	defer func() {
		sl.mu.Lock()
		if sl.next == w {
			sl.next = nil
		}
		sl.mu.Unlock()
	}()
	ctx := sl.sup.ctx
	sess, err := client.Connect(ctx, transport, &mcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	keyDone()
	if w.cmd != nil && w.cmd.Process != nil {
		w.pid.Store(int64(w.cmd.Process.Pid))
	}
	cfg.started()
	if err != nil {
		if m := w.member; m != nil {
			m.close() // its instance too, if the worker started one
			select {
			case <-m.proc.exited:
				return nil, fmt.Errorf("%s", m.proc.endReason(0))
			default:
			}
			return nil, fmt.Errorf("the worker did not start: %w", err)
		}
		if w.cmd.Process != nil {
			_ = w.cmd.Process.Kill()
			_ = w.cmd.Wait()
			return nil, fmt.Errorf("the worker did not start: %s", w.exitText(w.cmd.ProcessState))
		}
		return nil, fmt.Errorf("the worker did not start: %w", err)
	}
	w.sess = sess
	go w.watch()
	if err := sess.Subscribe(ctx, &mcp.SubscribeParams{URI: StateURI}); err != nil {
		if w.member != nil {
			w.stop() // its channel, not the group's process
		} else {
			w.kill("")
		}
		<-w.exited
		return nil, fmt.Errorf("the worker did not start: %s", w.endReason())
	}
	if res, err := sess.ReadResource(ctx, &mcp.ReadResourceParams{URI: StateURI}); err == nil && len(res.Contents) > 0 {
		var st State
		if json.Unmarshal([]byte(res.Contents[0].Text), &st) == nil {
			w.offer(res.Contents[0].Meta[MetaSeq], st)
		}
	}
	// Wait until the plugin settles.
	for {
		select {
		case <-ctx.Done():
			w.stop()
			return nil, ctx.Err()
		case <-w.exited:
			return nil, fmt.Errorf("%s", w.endReason())
		case st := <-w.states:
			w.last = st
			if st.Loaded {
				sl.sup.noteID(sl, st.ID)
				cfg.send(sl.sup, st.ID)
			}
			if st.Phase == setup.Starting {
				continue
			}
			if setup.Phase(st.Phase).Listed() {
				if res, err := sess.ListTools(ctx, nil); err == nil {
					w.tools = res.Tools
				}
			}
			sl.sup.noteID(sl, st.ID)
			// Its logs, for the Backend's subscribers.
			_ = sess.SetLoggingLevel(ctx, &mcp.SetLoggingLevelParams{Level: "debug"})
			return w, nil
		}
	}
}

// mergeWorkerState takes what a worker reports into the slot's state.
func mergeWorkerState(s *State, st State) {
	s.ID, s.Name, s.Files = st.ID, st.Name, st.Files
	s.Phase, s.Kind, s.Reason, s.Fields, s.Status, s.Tools = st.Phase, st.Kind, st.Reason, st.Fields, st.Status, st.Tools
	s.NextTry = time.Time{}
}

func decodeState(v any) (State, bool) {
	var st State
	b, err := json.Marshal(v)
	if err != nil || v == nil {
		return st, false
	}
	return st, json.Unmarshal(b, &st) == nil
}

// configSender hands a worker its plugin's config values (configPipe,
// memberConfig).
type configSender interface {
	started()
	send(s *Supervisor, id string)
	close()
}

// worker is one worker process and its MCP session, or a group member's
// channel in its group's process (member; then cmd is nil).
type worker struct {
	cmd    *exec.Cmd
	member *member
	sess   *mcp.ClientSession
	hop    *hop         // sess's connection; forwards the fast path's calls
	pid    atomic.Int64 // set once the process started; the memory watch reads it meanwhile
	tools  []*mcp.Tool
	last   State      // the state at settle (start's goroutine only)
	states chan State // state updates, in order
	exited chan struct{}
	rss    atomic.Int64
	tail   *tail
	calls  calls // in progress, for progress and elicitation routing
	seqMu  sync.Mutex
	seq    uint64 // MetaSeq of the newest state taken (seqMu)

	mu       sync.Mutex
	stopping bool
	killedBy string // why the supervisor killed it
	end      string // why it ended, once exited is closed
}

func (w *worker) fill(s *State) { mergeWorkerState(s, w.last) }

// offer queues st, numbered v (MetaSeq, as JSON decodes it), when it is
// newer than every state taken from w so far; an older one, overtaken on
// the way, is dropped. A state without a number (an older worker) is
// taken. Check and queue are one step, so the queue keeps the order.
func (w *worker) offer(v any, st State) {
	w.seqMu.Lock()
	defer w.seqMu.Unlock()
	var n uint64
	switch x := v.(type) {
	case float64:
		n = uint64(x)
	case uint64:
		n = x
	default:
		w.publish(st)
		return
	}
	if n <= w.seq {
		return
	}
	w.seq = n
	w.publish(st)
}

// publish queues a state update (the newest wins when the queue is full).
func (w *worker) publish(st State) {
	for {
		select {
		case w.states <- st:
			return
		default:
		}
		select {
		case <-w.states:
		default:
		}
	}
}

// watch waits for the process to end and records why.
func (w *worker) watch() {
	_ = w.sess.Wait()
	_ = w.sess.Close() // reaps the process (it is gone or being killed)
	if w.member != nil {
		w.watchMember()
		return
	}
	w.mu.Lock()
	if w.cmd.ProcessState == nil {
		_ = w.cmd.Process.Kill()
		_, _ = w.cmd.Process.Wait()
	}
	switch {
	case w.stopping:
		w.end = errStopped.Error()
	case w.killedBy != "":
		w.end = w.killedBy
	default:
		w.end = w.exitText(w.cmd.ProcessState)
	}
	w.mu.Unlock()
	close(w.exited)
}

// watchMember records why a member's channel ended: stopped (its
// instance deactivated), or its group's process ended (the same reason
// for every member), or its instance ended alone.
func (w *worker) watchMember() {
	m := w.member
	select {
	case <-m.done:
	case <-m.proc.exited:
	}
	m.release()
	w.mu.Lock()
	switch {
	case w.stopping:
		w.end = errStopped.Error()
	default:
		select {
		case <-m.proc.exited:
			w.end = m.proc.endReason(0)
		default:
			w.end = "its instance in the group's worker ended (" + m.proc.g.name + ")"
		}
	}
	w.mu.Unlock()
	close(w.exited)
}

// endReason is why the worker ended; valid once exited is closed.
func (w *worker) endReason() string {
	<-w.exited
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.end
}

// kill ends the worker at once; reason (when not empty) is why.
func (w *worker) kill(reason string) {
	w.mu.Lock()
	if w.killedBy == "" && !w.stopping {
		w.killedBy = reason
	}
	w.mu.Unlock()
	if m := w.member; m != nil {
		// One process: the whole group goes (and restarts).
		m.proc.kill(fmt.Sprintf("plugin %s: %s", m.id(), reason))
		return
	}
	if w.cmd.Process != nil {
		_ = w.cmd.Process.Kill()
	}
}

// stop asks the worker to deactivate its plugin and exit (closing its
// stdin), killing it after StopWait, and waits.
func (w *worker) stop() {
	w.mu.Lock()
	w.stopping = true
	w.mu.Unlock()
	if w.sess != nil {
		_ = w.sess.Close()
	}
	<-w.exited
}

// exitText explains how the process ended, from its stderr's last lines.
func (w *worker) exitText(ps interface{ ExitCode() int }) string {
	if ps == nil {
		return "the worker ended"
	}
	if p, ok := ps.(interface{ Sys() any }); ok {
		if ws, ok := p.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return "the worker was killed (" + ws.Signal().String() + ")"
		}
	}
	code := ps.ExitCode()
	if code == ExitMemory {
		if m := memoryLine.FindString(w.tail.text()); m != "" {
			return m
		}
	}
	if code == ExitStuck {
		if m := stuckLine.FindString(w.tail.text()); m != "" {
			return m
		}
	}
	for _, p := range []string{"fatal error:", "panic:", "runtime: goroutine stack exceeds", "host: "} {
		if line := w.tail.find(p); line != "" {
			return fmt.Sprintf("the worker crashed (%s)", strings.TrimPrefix(line, "host: "))
		}
	}
	return fmt.Sprintf("the worker exited with status %d", code)
}

// tail keeps the last few KiB a worker wrote to stderr.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 16<<10 {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-8<<10:]...)
	}
	return len(p), nil
}

func (t *tail) text() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// memoryLine is the worker's own message at the cap.
var memoryLine = regexp.MustCompile(`plugin \S+ used more than \d+ MiB`)

// stuckLine is the worker's own message when plugin code did not stop.
var stuckLine = regexp.MustCompile(`plugin \S+ did not stop at its \S+ timeout \(stuck in a native call\)`)

// find returns the first line starting with prefix.
func (t *tail) find(prefix string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, ln := range strings.Split(string(t.buf), "\n") {
		if strings.HasPrefix(ln, prefix) {
			return ln
		}
	}
	return ""
}
