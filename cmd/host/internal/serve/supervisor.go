package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"host/bindings/store"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/plugin"
	"host/bindings/setup"
	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/trim"
)

// Defaults of Options.
const (
	DefaultMemory     = 512 << 20
	DefaultMinBackoff = 2 * time.Second
	DefaultMaxBackoff = 5 * time.Minute
	DefaultMaxCrashes = 5
	DefaultCrashReset = 10 * time.Minute
	DefaultGrace      = 2 * time.Second
	DefaultStopWait   = 10 * time.Second
)

// Options configure a Supervisor. Zero values take the defaults.
type Options struct {
	// Command returns the command that runs the worker for the plugin at
	// path: the host binary's worker command with its flags. Its Stdin and
	// Stdout must be unset (they carry MCP); Stderr is the worker's log.
	Command func(path string) *exec.Cmd
	// Memory is a worker's cap on its resident memory (DefaultMemory).
	Memory int64
	// Timeout is how long plugin code may run in one call (the worker's
	// script timeout); a call that has not returned Grace after it ends
	// with its worker.
	Timeout, Grace time.Duration
	// Restart backoff: MinBackoff after the first crash, doubling up to
	// MaxBackoff; MaxCrashes crashes in a row disable the plugin; the count
	// starts again after CrashReset without a crash.
	MinBackoff, MaxBackoff time.Duration
	MaxCrashes             int
	CrashReset             time.Duration
	// StopWait bounds how long a worker may take to deactivate its plugin
	// when it is stopped before it is killed (DefaultStopWait).
	StopWait time.Duration
	// OnState is called with a plugin's state whenever its phase or
	// reason changes, one call at a time, in order.
	OnState func(State)
	// Environ is the serve's environment (os.Environ() when nil): a
	// worker gets only part of it (WorkerEnv), and with several plugins
	// its config values (HOST_CONFIG_*) through ConfigFDFlag.
	Environ []string
	// Set are the serve's --set values (KEY or ID:KEY): with several
	// plugins each worker gets its own through ConfigFDFlag; Command must
	// not pass them then.
	Set map[string]string
	// Groups name, by plugin path (as Start gets it), the group a plugin
	// shares a worker process with (--group: the other plugins with the
	// same name); a plugin not in Groups has a worker of its own.
	Groups map[string]string
	// GroupCommand returns the command that runs the worker of the group
	// named name (the worker command with serve.GroupFlag), as Command.
	GroupCommand func(name string) *exec.Cmd
	// SecretsKey, when set, is the encrypted secrets file's derived key
	// (secrets.File.Key), handed to page workers (secretskey.go).
	SecretsKey []byte
	// Trace, when set, hears the supervisor's steps for HOST_TRACE
	// ("serve trimmed": BenchmarkServeMemory waits for it).
	Trace func(step string)
}

func (o *Options) defaults() {
	if o.Memory <= 0 {
		o.Memory = DefaultMemory
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Grace <= 0 {
		o.Grace = DefaultGrace
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = DefaultMinBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.MaxCrashes <= 0 {
		o.MaxCrashes = DefaultMaxCrashes
	}
	if o.CrashReset <= 0 {
		o.CrashReset = DefaultCrashReset
	}
	if o.StopWait <= 0 {
		o.StopWait = DefaultStopWait
	}
	if o.Environ == nil {
		o.Environ = os.Environ()
	}
}

// Supervisor runs a set of plugins, one worker process each. Its methods
// are safe for concurrent use.
type Supervisor struct {
	opts  Options
	ctx   context.Context
	slots []*slot

	stateMu sync.Mutex // serialises OnState
	wg      sync.WaitGroup

	subsMu sync.Mutex
	subs   map[*subscriber]bool // mcpserver.Backend subscribers

	page      pageLinks // the serve's setup page, for the control channel
	approvals approvals // approvals the control channel's callers owe

	idsMu    sync.Mutex
	ids      map[*slot]string // the id each plugin said on its first load
	idsKnown chan struct{}    // closed once every slot is in ids
}

// Start starts a worker for each plugin path and returns at once; states
// arrive through OnState. The plugins run until ctx ends; then Wait
// returns once every worker has stopped.
func Start(ctx context.Context, paths []string, opts Options) *Supervisor {
	opts.defaults()
	s := &Supervisor{opts: opts, ctx: ctx, ids: map[*slot]string{}, idsKnown: make(chan struct{})}
	groups := map[string]*group{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		sl := &slot{sup: s, path: abs, reloads: make(chan reloadReq, 1)}
		sl.state = State{ID: plugin.DefaultID(abs), File: abs, Phase: setup.Starting}
		if name, ok := opts.Groups[p]; ok && opts.GroupCommand != nil {
			if groups[name] == nil {
				groups[name] = &group{sup: s, name: name}
			}
			sl.group, sl.state.Group = groups[name], name
		}
		s.slots = append(s.slots, sl)
	}
	if len(s.slots) == 0 {
		close(s.idsKnown)
	}
	for _, sl := range s.slots {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); sl.run() }()
	}
	s.wg.Add(1)
	go func() { defer s.wg.Done(); s.watchMemory() }()
	go s.trimWhenStarted()
	return s
}

// trimWhenStarted gives back, once every plugin has loaded and the serve
// has been quiet for a moment, what starting took: the supervisor builds
// nothing more and idles, like its workers (issue 23 §3).
func (s *Supervisor) trimWhenStarted() {
	select {
	case <-s.idsKnown:
	case <-s.ctx.Done():
		return
	}
	select {
	case <-time.After(time.Second):
		trim.Idle()
		if s.opts.Trace != nil {
			s.opts.Trace("serve trimmed")
		}
	case <-s.ctx.Done():
	}
}

// Wait waits until every worker has stopped (after ctx ended).
func (s *Supervisor) Wait() { s.wg.Wait() }

// States lists every plugin's state, sorted by id, with the workers'
// memory.
func (s *Supervisor) States() []State {
	out := make([]State, 0, len(s.slots))
	for _, sl := range s.slots {
		out = append(out, sl.snapshot())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	shadowed(out)
	return out
}

// shadowed adds to states the tools whose MCP name another listed tool
// maps to (victim.svc's pay and victim_svc's pay are both victim_svc_pay):
// the MCP surface gives such a name to neither (mcpserver), and the
// plugins' states say so.
func shadowed(states []State) {
	owners := map[string][]string{} // MCP name -> "plugin/tool"
	for _, st := range states {
		if !setup.Phase(st.Phase).Listed() {
			continue
		}
		for _, tool := range st.Tools {
			if name, err := mcpserver.ToolName(st.ID, tool); err == nil {
				owners[name] = append(owners[name], st.ID+"/"+tool)
			}
		}
	}
	for i, st := range states {
		if !setup.Phase(st.Phase).Listed() {
			continue
		}
		for _, tool := range st.Tools {
			name, err := mcpserver.ToolName(st.ID, tool)
			if err != nil || len(owners[name]) < 2 {
				continue
			}
			var others []string
			for _, o := range owners[name] {
				if o != st.ID+"/"+tool {
					others = append(others, o)
				}
			}
			states[i].Problems = append(states[i].Problems, fmt.Sprintf("tool %s is not served: its MCP name %s is also %s's (rename the tool or the plugin id)", tool, name, strings.Join(others, ", ")))
		}
	}
}

// NotFoundError is a plugin the serve does not run.
type NotFoundError struct {
	Name  string
	Known []string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("the serve runs no plugin %q (it runs %v)", e.Name, e.Known)
}

// NotActiveError is a call to a plugin that is not active.
type NotActiveError struct{ State State }

func (e *NotActiveError) Error() string {
	return fmt.Sprintf("plugin %s is not active: %s", e.State.ID, e.State.Line()[len(e.State.ID)+2:])
}

// WorkerError is a call that ended with its worker: the worker crashed,
// went above its memory cap or did not answer within the timeout.
type WorkerError struct {
	Plugin, Tool string
	Reason       string
}

func (e *WorkerError) Error() string {
	return fmt.Sprintf("plugin %s, tool %s: %s; the plugin's worker was stopped and restarts", e.Plugin, e.Tool, e.Reason)
}

// find returns the slot of a plugin named by id, or by its file or
// directory.
func (s *Supervisor) find(name string) (*slot, error) {
	for _, sl := range s.slots {
		if sl.current().ID == name {
			return sl, nil // every call: no path work (Abs asks the OS)
		}
	}
	abs, _ := filepath.Abs(name)
	var known []string
	for _, sl := range s.slots {
		st := sl.current()
		if sl.path == abs || filepath.Dir(sl.path) == abs {
			return sl, nil
		}
		known = append(known, st.ID)
	}
	sort.Strings(known)
	return nil, &NotFoundError{Name: name, Known: known}
}

// Cleared hears that kind of the plugin's data was cleared in the store
// (host data): after the inbox, the clients subscribed to its messages
// resource are told it changed. Nothing is cached of the store or the
// events, and the plugin's quota counts the rows gone at its next write
// (store.Store.Clear), so nothing else is to do.
func (s *Supervisor) Cleared(name, kind string) error {
	sl, err := s.find(name)
	if err != nil {
		return err
	}
	if kind == string(store.KindInbox) {
		s.publish(mcpserver.Event{Kind: mcpserver.MessagesChanged, Plugin: sl.snapshot().ID})
	}
	return nil
}

// Tool is one tool of a plugin the supervisor runs.
type Tool struct {
	Plugin string
	Tool   *mcp.Tool
}

// Tools lists the tools of every active plugin.
func (s *Supervisor) Tools() []Tool {
	var out []Tool
	for _, sl := range s.slots {
		sl.mu.Lock()
		if w := sl.cur; w != nil && sl.state.Phase == setup.Active {
			for _, t := range w.tools {
				out = append(out, Tool{Plugin: sl.state.ID, Tool: t})
			}
		}
		sl.mu.Unlock()
	}
	return out
}

// Call calls tool (the plugin's own name for it) on the plugin named
// name (id, file or directory) with args (a JSON object) and returns the
// worker's result. A worker that does not answer within the timeout
// (plugin code stuck in a native call) is stopped and the error is a
// *WorkerError, as for a worker that dies during the call.
func (s *Supervisor) Call(ctx context.Context, name, tool string, args json.RawMessage) (*mcp.CallToolResult, error) {
	sl, err := s.find(name)
	if err != nil {
		return nil, err
	}
	return s.call(ctx, sl.current().ID, tool, args, nil)
}

// call forwards one call to plugin id's serving worker; c (may be nil)
// receives its progress and elicitations.
func (s *Supervisor) call(ctx context.Context, id, tool string, args json.RawMessage, c *mcpserver.Call) (*mcp.CallToolResult, error) {
	sl, err := s.find(id)
	if err != nil {
		return nil, err
	}
	sl.mu.Lock()
	w, st := sl.cur, sl.state
	sl.mu.Unlock()
	if w == nil || st.Phase != setup.Active {
		return nil, &NotActiveError{State: st}
	}
	if len(args) == 0 {
		args = json.RawMessage("{}")
	}
	mcpName, err := mcpserver.ToolName(st.ID, tool)
	if err != nil {
		return nil, err
	}
	params := &mcp.CallToolParams{Name: mcpName, Arguments: args}
	// The call's time limit stops while the user is asked (an approval,
	// a tool's question): a person answers in their own time.
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	dl := newDeadline(s.opts.Timeout+s.opts.Grace, func() { cancel(errCallTimeout) })
	defer dl.stop()
	var handed progressCount
	if c != nil {
		// The token names the call: the worker's progress and its
		// questions to the user (mcpserver.MetaCall) come back with it.
		c = dl.pausing(c)
		counted := *c
		counted.Progress = func(p mcpserver.Progress) {
			if c.Progress != nil {
				c.Progress(p)
			}
			handed.add()
		}
		token, done := w.calls.add(&counted)
		defer done()
		params.SetProgressToken(token)
	}
	res, err := w.sess.CallTool(cctx, params)
	if err == nil {
		if n, ok := res.Meta[mcpserver.MetaProgressSent].(float64); ok {
			// The worker's reports are handled beside its result: hand
			// on all it sent before the result.
			handed.wait(int(n), progressWait)
			res.Meta = untagged(res.Meta, mcpserver.MetaProgressSent)
		}
		return res, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if errors.Is(context.Cause(cctx), errCallTimeout) {
		reason := fmt.Sprintf("the tool did not finish within %s (plugin code that cannot be interrupted, e.g. a long native call)", s.opts.Timeout)
		w.kill(reason)
		return nil, &WorkerError{Plugin: st.ID, Tool: tool, Reason: reason}
	}
	select {
	case <-w.exited:
		return nil, &WorkerError{Plugin: st.ID, Tool: tool, Reason: w.endReason()}
	case <-time.After(time.Second):
	}
	return nil, fmt.Errorf("plugin %s, tool %s: %w", st.ID, tool, err)
}

// Reload starts a new worker for the plugin named name and, once it is
// active, stops the old one; a new worker that does not become active
// (needs setup, login needed, error) is stopped and the old one keeps
// running, unless the old one was not active either. A disabled plugin
// starts afresh. It returns the plugin's state afterwards and whether the
// new worker replaced the old one.
func (s *Supervisor) Reload(ctx context.Context, name string) (State, bool, error) {
	r, err := s.request(ctx, name, reloadReq{})
	return r.state, r.replaced, err
}

// request hands req (Reload's, Restart's or Stop's) to the slot of the
// plugin named name and returns what the slot answers once it has served
// it; ctx bounds the wait for the slot to take it and to answer.
func (s *Supervisor) request(ctx context.Context, name string, req reloadReq) (reloadResult, error) {
	sl, err := s.find(name)
	if err != nil {
		return reloadResult{}, err
	}
	req.done = make(chan reloadResult, 1)
	select {
	case sl.reloads <- req:
	case <-ctx.Done():
		return reloadResult{}, ctx.Err()
	}
	select {
	case r := <-req.done:
		return r, nil
	case <-ctx.Done():
		return reloadResult{}, ctx.Err()
	}
}

// emit hands a state to OnState and tells the Backend's subscribers.
func (s *Supervisor) emit(st State) {
	if s.opts.OnState != nil {
		s.stateMu.Lock()
		s.opts.OnState(st)
		s.stateMu.Unlock()
	}
	s.publish(mcpserver.Event{Kind: mcpserver.PluginChanged, Plugin: st.ID})
}

// backoff is the wait before the restart after the n-th crash in a row.
func (s *Supervisor) backoff(n int) time.Duration {
	d := s.opts.MinBackoff
	for i := 1; i < n && d < s.opts.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.opts.MaxBackoff)
}

// watchMemory reads every worker's resident memory four times a second
// and stops a worker above the cap.
func (s *Supervisor) watchMemory() {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	var procs rssReader
	defer procs.close()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
		procs.sweep()
		for _, sl := range s.slots {
			sl.mu.Lock()
			ws := []*worker{sl.cur, sl.next}
			sl.mu.Unlock()
			for _, w := range ws {
				if w == nil {
					continue
				}
				rss, ok := procs.read(int(w.pid.Load()))
				if !ok {
					continue
				}
				w.rss.Store(rss)
				switch {
				case rss <= s.opts.Memory:
				case w.member != nil:
					w.member.proc.kill(fmt.Sprintf("the group used more than %d MiB (its plugins share one worker and its cap)", s.opts.Memory>>20))
				default:
					w.kill(memoryReason(sl.snapshot().ID, s.opts.Memory))
				}
			}
		}
	}
}

// memoryReason is the message of a plugin stopped above its cap.
func memoryReason(id string, limit int64) string {
	return fmt.Sprintf("plugin %s used more than %d MiB", id, limit>>20)
}

// errStopped is a worker the supervisor stopped on purpose.
var errStopped = errors.New("stopped")

// shared reports whether the serve runs several plugins: config values
// must then name their plugin, and each worker gets only its own.
func (s *Supervisor) shared() bool { return len(s.slots) > 1 }

// noteID records the id plugin sl said on its first load (or the id it
// has when its first start ended without one).
func (s *Supervisor) noteID(sl *slot, id string) {
	s.idsMu.Lock()
	defer s.idsMu.Unlock()
	if _, ok := s.ids[sl]; ok {
		return
	}
	s.ids[sl] = id
	if len(s.ids) == len(s.slots) {
		close(s.idsKnown)
	}
}

// servedIDs are the ids of every plugin: the one it said, else its
// current (at first its file's default) id.
func (s *Supervisor) servedIDs() []string {
	out := make([]string, 0, len(s.slots))
	for _, sl := range s.slots {
		id := sl.snapshot().ID
		s.idsMu.Lock()
		if known, ok := s.ids[sl]; ok && id == plugin.DefaultID(sl.path) {
			id = known
		}
		s.idsMu.Unlock()
		out = append(out, id)
	}
	return out
}

// configValues are plugin id's config values, once every served plugin
// has said its id (or a load's time has passed: a plugin stuck loading
// counts with its file's default id).
func (s *Supervisor) configValues(id string) ConfigValues {
	t := time.NewTimer(s.opts.Timeout + s.opts.Grace)
	defer t.Stop()
	select {
	case <-s.idsKnown:
	case <-t.C:
	case <-s.ctx.Done():
	}
	return configFor(id, s.servedIDs(), s.opts.Environ, s.opts.Set)
}
