package serve

// Groups (`host serve --group a,b`): the plugins of a group share one
// worker process, each over its own channel of it (see mux.go), so each
// keeps its own MCP session, tools, state, store, secrets namespace,
// config values and setup state, and the supervisor's per-plugin logic
// (slot) stays per plugin. What they share is the process: it starts when
// a member first needs it, a member's reload starts the new version in
// the same process beside the old one, and when the process ends (a
// crash, the memory cap, plugin code stuck past its timeout) every
// member's worker ended with it: each member counts the crash and
// restarts (into one new process), so backoff and disabling apply to the
// group alike.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/console"
)

// group is one group of plugins and its current worker process.
type group struct {
	sup  *Supervisor
	name string // as the user named it (--group a,b)

	mu   sync.Mutex
	proc *groupProc // nil before the first start
}

// groupProc is one run of a group's worker process.
type groupProc struct {
	g      *group
	cmd    *exec.Cmd
	in     io.WriteCloser
	mux    *Mux
	tail   *tail
	pid    int
	exited chan struct{}

	mu       sync.Mutex
	next     int                   // the last channel opened
	live     int                   // channels open
	closing  bool                  // stdin closed: takes no new channel
	closed   map[int]chan struct{} // closed when the worker said Closed
	ids      map[int]func() string // each channel's plugin id, for messages
	killedBy string
	end      string // once exited is closed
}

// member is one plugin's channel in a group's process.
type member struct {
	proc *groupProc
	ch   int
	r    *Queue
	id   func() string // the member plugin's id, for messages
	done chan struct{} // the worker said Closed (or the process ended)
	once sync.Once     // close
	sent sync.Once     // config values
}

// open gives the plugin at path a channel in the group's process,
// starting one when none runs (or the last is ending).
func (g *group) open(path string, id func() string) (*member, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.proc
	if p == nil || p.ending() {
		var err error
		if p, err = g.start(); err != nil {
			return nil, err
		}
		g.proc = p
	}
	p.mu.Lock()
	p.next++
	ch := p.next
	p.live++
	done := make(chan struct{})
	p.closed[ch] = done
	p.ids[ch] = id
	p.mu.Unlock()
	m := &member{proc: p, ch: ch, r: p.mux.Channel(ch), id: id, done: done}
	if err := p.mux.Control(GroupControl{Open: ch, Path: path}); err != nil {
		m.release()
		return nil, fmt.Errorf("the group's worker did not take %s: %s", path, p.endReason(time.Second))
	}
	return m, nil
}

// start starts the group's worker process.
func (g *group) start() (*groupProc, error) {
	o := &g.sup.opts
	cmd := o.GroupCommand(g.name)
	p := &groupProc{g: g, cmd: cmd, tail: &tail{}, exited: make(chan struct{}), closed: map[int]chan struct{}{}, ids: map[int]func() string{}}
	if cmd.Stderr != nil {
		cmd.Stderr = io.MultiWriter(&console.CleanWriter{W: cmd.Stderr}, p.tail)
	} else {
		cmd.Stderr = p.tail
	}
	setProcAttr(cmd)
	// A group is always one of several plugins: its config values come
	// per member over its channel, never in the environment.
	cmd.Env = WorkerEnv(o.Environ, true)
	keyDone, err := g.sup.passKey(cmd)
	if err != nil {
		return nil, fmt.Errorf("the group's worker did not start: %w", err)
	}
	defer keyDone()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if p.in, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("the group's worker did not start: %w", err)
	}
	p.pid = cmd.Process.Pid
	p.mux = NewMux(p.in)
	go p.run(stdout)
	return p, nil
}

// run reads the worker's frames until its output ends, then reaps it.
func (p *groupProc) run(stdout io.Reader) {
	err := p.mux.Run(stdout, func(c GroupControl) {
		if c.Closed > 0 {
			p.mux.CloseChannel(c.Closed)
			p.mu.Lock()
			if d := p.closed[c.Closed]; d != nil {
				close(d)
				delete(p.closed, c.Closed)
			}
			delete(p.ids, c.Closed)
			p.mu.Unlock()
		}
	})
	var full *QueueFullError
	switch {
	case errors.As(err, &full):
		p.mu.Lock()
		id := p.ids[full.Channel]
		p.mu.Unlock()
		who := "a plugin"
		if id != nil {
			who = "plugin " + id()
		}
		p.kill(fmt.Sprintf("%s wrote faster than the serve reads it (more than %d MiB waiting unread)", who, full.Limit>>20))
	case err != nil:
		p.kill("its output was not the group protocol (" + err.Error() + ")")
	}
	// Its output ended: the process is ending; one that lingers is
	// killed.
	res := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(res) }()
	select {
	case <-res:
	case <-time.After(p.g.sup.opts.StopWait):
		_ = p.cmd.Process.Kill()
		<-res
	}
	p.mu.Lock()
	switch {
	case p.killedBy != "":
		p.end = p.killedBy
	default:
		p.end = p.exitText()
	}
	p.end = "its group's worker (" + p.g.name + ") ended: " + p.end
	for ch, d := range p.closed {
		close(d)
		delete(p.closed, ch)
	}
	p.mu.Unlock()
	close(p.exited)
}

// exitText is how the process ended, for every member's line.
func (p *groupProc) exitText() string {
	ps := p.cmd.ProcessState
	if ps != nil && ps.ExitCode() == ExitMemory {
		return fmt.Sprintf("the group used more than %d MiB (its plugins share one worker and its cap)", p.g.sup.opts.Memory>>20)
	}
	w := &worker{tail: p.tail}
	return w.exitText(ps)
}

// ending reports whether the process has ended or is stopping.
func (p *groupProc) ending() bool {
	select {
	case <-p.exited:
		return true
	default:
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closing
}

// endReason waits at most d for the process's end and says why it ended.
func (p *groupProc) endReason(d time.Duration) string {
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-p.exited:
		case <-t.C:
		}
	}
	select {
	case <-p.exited:
	default:
		return "it did not answer"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.end
}

// kill ends the process at once; reason (when not empty) is why, for
// every member.
func (p *groupProc) kill(reason string) {
	p.mu.Lock()
	if p.killedBy == "" && !p.closing {
		p.killedBy = reason
	}
	p.mu.Unlock()
	_ = p.cmd.Process.Kill()
}

// shutdown ends the process once its last channel closed: stdin closed,
// then SIGTERM, then SIGKILL, as a lone worker's.
func (p *groupProc) shutdown() {
	_ = p.in.Close()
	td := p.g.sup.opts.StopWait
	select {
	case <-p.exited:
		return
	case <-time.After(td):
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		return
	case <-time.After(td):
	}
	_ = p.cmd.Process.Kill()
}

// release gives up the member's channel: the last one out shuts the
// process down.
func (m *member) release() {
	m.once.Do(func() {
		p := m.proc
		p.mux.CloseChannel(m.ch)
		p.mu.Lock()
		p.live--
		last := p.live == 0 && !p.closing
		if last {
			p.closing = true
		}
		p.mu.Unlock()
		if last {
			go p.shutdown()
		}
	})
}

// close ends the member's instance: the worker deactivates it and says
// Closed; one that does not within StopWait takes the process (and the
// group) with it.
func (m *member) close() {
	p := m.proc
	_ = p.mux.Control(GroupControl{Close: m.ch})
	t := time.NewTimer(p.g.sup.opts.StopWait)
	defer t.Stop()
	select {
	case <-m.done:
	case <-p.exited:
	case <-t.C:
		p.kill(fmt.Sprintf("plugin %s did not stop within %s", m.id(), p.g.sup.opts.StopWait))
		<-p.exited
	}
	m.release()
}

// memberConfig sends a member's config values (slot.start's
// configSender) over its channel once its plugin said its id.
type memberConfig struct{ m *member }

func (c memberConfig) started() {}
func (c memberConfig) close()   {}

func (c memberConfig) send(s *Supervisor, id string) {
	m := c.m
	m.sent.Do(func() {
		go func() {
			cv := s.configValues(id)
			_ = m.proc.mux.Control(GroupControl{Config: m.ch, Values: &cv})
		}()
	})
}

// memberTransport is a member's MCP connection: the hop (and its fast
// path for calls) over the member's channel instead of a process's
// stdio.
type memberTransport struct {
	h *hop
	m *member
}

// Connect implements mcp.Transport.
func (t memberTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	h := t.h
	h.in = t.m.proc.mux.Writer(t.m.ch)
	pr, pw := io.Pipe()
	go h.demux(t.m.r, pw)
	return (&mcp.IOTransport{Reader: io.NopCloser(pr), Writer: memberWriter{t}}).Connect(ctx)
}

// memberWriter is the SDK's side of the member's channel; closing it
// ends the member's instance (as closing a lone worker's stdin ends it).
type memberWriter struct{ t memberTransport }

func (w memberWriter) Write(p []byte) (int, error) {
	w.t.h.wmu.Lock()
	defer w.t.h.wmu.Unlock()
	return w.t.h.in.Write(p)
}

func (w memberWriter) Close() error {
	w.t.m.close()
	return nil
}
