package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
	"host/cmd/host/internal/mcpserver"
)

// The supervisor is the mcpserver.Backend of `host mcp` and `host serve
// --http`: every worker's plugin, its tools forwarded to its worker (each
// worker is itself an mcpserver over its one plugin), its logs, progress,
// elicitations and messages passed through.

var _ mcpserver.Backend = (*Supervisor)(nil)

// Plugins implements mcpserver.Backend: every plugin but the stopped.
func (s *Supervisor) Plugins() []mcpserver.PluginInfo {
	var out []mcpserver.PluginInfo
	for _, st := range s.States() {
		if st.Phase == setup.Stopped {
			continue
		}
		info := mcpserver.PluginInfo{ID: st.ID, Name: st.Name, State: setup.Phase(st.Phase), Reason: st.Reason}
		if info.Name == "" {
			info.Name = st.ID
		}
		switch st.Phase {
		case setup.NeedsSetup:
			need := &mcpserver.SetupNeeded{}
			for _, f := range st.Fields {
				need.Fields = append(need.Fields, f.Key)
			}
			info.Setup = need
		case setup.NeedsLogin:
			info.Setup = &mcpserver.SetupNeeded{Login: true}
		}
		if sl, err := s.find(st.ID); err == nil {
			info.Tools = sl.tools(st)
		}
		out = append(out, info)
	}
	return out
}

// WaitLoaded implements mcpserver.Loader: it returns once no plugin is
// starting (each has finished its first load: active, waiting for setup,
// or failed), or when ctx ends.
func (s *Supervisor) WaitLoaded(ctx context.Context) {
	changed := make(chan struct{}, 1)
	cancel := s.Subscribe(func(e mcpserver.Event) {
		if e.Kind == mcpserver.PluginChanged {
			select {
			case changed <- struct{}{}:
			default:
			}
		}
	})
	defer cancel()
	for {
		starting := false
		for _, st := range s.States() {
			if st.Phase == setup.Starting {
				starting = true
				break
			}
		}
		if !starting {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return
		}
	}
}

var _ mcpserver.Loader = (*Supervisor)(nil)

// tools are the serving worker's tools under the plugin's own names.
func (sl *slot) tools(st State) []mcpserver.Tool {
	sl.mu.Lock()
	w := sl.cur
	sl.mu.Unlock()
	if w == nil {
		return nil
	}
	byName := map[string]*mcp.Tool{}
	for _, t := range w.tools {
		byName[t.Name] = t
	}
	var out []mcpserver.Tool
	for _, own := range st.Tools {
		name, err := mcpserver.ToolName(st.ID, own)
		t, ok := byName[name]
		if err != nil || !ok {
			continue
		}
		schema, _ := json.Marshal(t.InputSchema)
		desc := t.Description
		if i := strings.Index(desc, " (Plugin "+st.ID+" needs "); i >= 0 {
			desc = desc[:i] // the worker's note; the aggregate server adds its own
		}
		out = append(out, mcpserver.Tool{Name: own, Description: desc, InputSchema: schema, Annotations: t.Annotations})
	}
	return out
}

// notCallable is why a plugin in state st takes no call (nil when it is
// active): its setup is missing (mcpserver.SetupRequiredError, which the
// MCP layer turns into the setup's elicitation) or it is unavailable.
func notCallable(st State) error {
	switch st.Phase {
	case setup.Active:
		return nil
	case setup.NeedsSetup, setup.NeedsLogin:
		need := mcpserver.SetupNeeded{Login: st.Phase == setup.NeedsLogin}
		for _, f := range st.Fields {
			need.Fields = append(need.Fields, f.Key)
		}
		return &mcpserver.SetupRequiredError{Plugin: st.ID, Setup: need}
	default:
		return &mcpserver.UnavailableError{Plugin: st.ID, State: st.Phase, Reason: st.Reason}
	}
}

// CallTool implements mcpserver.Backend.
func (s *Supervisor) CallTool(ctx context.Context, c *mcpserver.Call) (*mcp.CallToolResult, error) {
	sl, err := s.find(c.Plugin)
	if err != nil {
		return nil, &mcpserver.UnknownToolError{Name: c.Plugin + "_" + c.Tool}
	}
	st := sl.current()
	if err := notCallable(st); err != nil {
		return nil, err
	}
	res, err := s.call(ctx, st.ID, c.Tool, c.Input, c)
	var we *WorkerError
	var na *NotActiveError
	switch {
	case errors.As(err, &we):
		return mcpserver.ErrorResult(we.Error(), nil), nil
	case errors.As(err, &na):
		return nil, &mcpserver.UnavailableError{Plugin: st.ID, State: setup.Phase(na.State.Phase), Reason: na.State.Reason}
	}
	return res, err
}

// CallToolRaw implements mcpserver.RawCaller: CallTool forwarded to the
// worker as bytes (hop.call), its result as the worker wrote it. Errors
// are CallTool's.
func (s *Supervisor) CallToolRaw(ctx context.Context, c *mcpserver.Call) (json.RawMessage, error) {
	sl, err := s.find(c.Plugin)
	if err != nil {
		return nil, &mcpserver.UnknownToolError{Name: c.Plugin + "_" + c.Tool}
	}
	sl.mu.Lock()
	w, st := sl.cur, sl.state
	sl.mu.Unlock()
	if err := notCallable(st); err != nil {
		return nil, err
	}
	if w == nil || w.hop == nil {
		return nil, &mcpserver.UnavailableError{Plugin: st.ID, State: st.Phase, Reason: st.Reason}
	}
	name, err := mcpserver.ToolName(st.ID, c.Tool)
	if err != nil {
		return nil, err
	}
	// As call: the time limit (paused while the user is asked), the token
	// that routes the worker's progress and questions to c.
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	dl := newDeadline(s.opts.Timeout+s.opts.Grace, func() { cancel(errCallTimeout) })
	defer dl.stop()
	token, done := w.calls.add(dl.pausing(c))
	defer done()
	raw, err := w.hop.call(cctx, name, c.Input, token)
	if err == nil {
		if bytes.Contains(raw, []byte(`"`+mcpserver.MetaProgressSent+`"`)) {
			raw = withoutProgressSent(raw)
		}
		return raw, nil
	}
	var je *jsonrpc.Error
	switch {
	case errors.As(err, &je):
		return nil, je
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(context.Cause(cctx), errCallTimeout):
		reason := fmt.Sprintf("the tool did not finish within %s (plugin code that cannot be interrupted, e.g. a long native call)", s.opts.Timeout)
		w.kill(reason)
		return json.Marshal(mcpserver.ErrorResult((&WorkerError{Plugin: st.ID, Tool: c.Tool, Reason: reason}).Error(), nil))
	}
	select {
	case <-w.exited:
		return json.Marshal(mcpserver.ErrorResult((&WorkerError{Plugin: st.ID, Tool: c.Tool, Reason: w.endReason()}).Error(), nil))
	case <-time.After(time.Second):
	}
	return nil, fmt.Errorf("plugin %s, tool %s: %w", st.ID, c.Tool, err)
}

// withoutProgressSent is a worker's result without its
// mcpserver.MetaProgressSent (the forwarded call's client took no
// progress: nothing to wait for).
func withoutProgressSent(raw json.RawMessage) json.RawMessage {
	var res map[string]json.RawMessage
	if json.Unmarshal(raw, &res) != nil {
		return raw
	}
	var meta map[string]json.RawMessage
	if json.Unmarshal(res["_meta"], &meta) != nil {
		return raw
	}
	delete(meta, mcpserver.MetaProgressSent)
	if len(meta) == 0 {
		delete(res, "_meta")
	} else {
		res["_meta"], _ = json.Marshal(meta)
	}
	out, err := json.Marshal(res)
	if err != nil {
		return raw
	}
	return out
}

// Messages implements mcpserver.Backend: the worker's messages resource.
func (s *Supervisor) Messages(ctx context.Context, plugin string) (json.RawMessage, error) {
	sl, err := s.find(plugin)
	if err != nil {
		return nil, mcpserver.ErrUnknownPlugin
	}
	sl.mu.Lock()
	w := sl.cur
	sl.mu.Unlock()
	if w == nil {
		return json.RawMessage("[]"), nil
	}
	res, err := w.sess.ReadResource(ctx, &mcp.ReadResourceParams{URI: mcpserver.MessagesURI(sl.current().ID)})
	if err != nil {
		return nil, fmt.Errorf("plugin %s: reading its messages: %w", plugin, err)
	}
	if len(res.Contents) == 0 || res.Contents[0].Text == "" {
		return json.RawMessage("[]"), nil
	}
	return json.RawMessage(res.Contents[0].Text), nil
}

// Subscribe implements mcpserver.Backend.
func (s *Supervisor) Subscribe(fn func(mcpserver.Event)) (cancel func()) {
	sub := &subscriber{fn: fn}
	s.subsMu.Lock()
	if s.subs == nil {
		s.subs = map[*subscriber]bool{}
	}
	s.subs[sub] = true
	s.subsMu.Unlock()
	return func() {
		s.subsMu.Lock()
		delete(s.subs, sub)
		s.subsMu.Unlock()
	}
}

type subscriber struct {
	mu sync.Mutex
	fn func(mcpserver.Event)
}

// publish hands e to every subscriber.
func (s *Supervisor) publish(e mcpserver.Event) {
	s.subsMu.Lock()
	subs := make([]*subscriber, 0, len(s.subs))
	for sub := range s.subs {
		subs = append(subs, sub)
	}
	s.subsMu.Unlock()
	for _, sub := range subs {
		sub.mu.Lock()
		sub.fn(e)
		sub.mu.Unlock()
	}
}

// calls are a worker's tool calls in progress, for routing its progress
// notifications and elicitations back to the right caller.
type calls struct {
	mu   sync.Mutex
	next atomic.Int64
	byID map[string]*mcpserver.Call
}

func (cs *calls) add(c *mcpserver.Call) (token string, done func()) {
	token = fmt.Sprintf("serve-%d", cs.next.Add(1))
	cs.mu.Lock()
	if cs.byID == nil {
		cs.byID = map[string]*mcpserver.Call{}
	}
	cs.byID[token] = c
	cs.mu.Unlock()
	return token, func() {
		cs.mu.Lock()
		delete(cs.byID, token)
		cs.mu.Unlock()
	}
}

func (cs *calls) get(token any) *mcpserver.Call {
	t, _ := token.(string)
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.byID[t]
}

// asking is the call in progress a worker's request (an elicitation, a
// sampling) belongs to: the one its _meta names (mcpserver.MetaCall, the
// call's progress token), else, from a worker that names none, the one call
// that can ask (can); nil when none, or several could.
func (cs *calls) asking(meta mcp.Meta, can func(*mcpserver.Call) bool) *mcpserver.Call {
	if tok, ok := meta[mcpserver.MetaCall]; ok {
		if c := cs.get(tok); c != nil && can(c) {
			return c
		}
		return nil
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	var found *mcpserver.Call
	for _, c := range cs.byID {
		if can(c) {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

// untagged is meta without key (mcpserver.MetaCall unless named), which
// is for the supervisor only (nil when nothing else is left).
func untagged(meta mcp.Meta, key ...string) mcp.Meta {
	k0 := mcpserver.MetaCall
	if len(key) > 0 {
		k0 = key[0]
	}
	if _, ok := meta[k0]; !ok {
		return meta
	}
	m := make(mcp.Meta, len(meta))
	for k, v := range meta {
		if k != k0 {
			m[k] = v
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// ProgressBeforeResult implements mcpserver.ProgressInOrder: CallTool
// returns once the worker's reports sent before its result are handed on
// (MetaProgressSent).
func (s *Supervisor) ProgressBeforeResult() {}

var _ mcpserver.ProgressInOrder = (*Supervisor)(nil)

// progressWait bounds the wait for a worker's reports that precede its
// result (they are already read; only their handler has to run).
const progressWait = 2 * time.Second

// progressCount counts the progress reports of one call handed on.
type progressCount struct {
	mu      sync.Mutex
	n       int
	changed chan struct{} // closed on every report
}

func (pc *progressCount) add() {
	pc.mu.Lock()
	pc.n++
	if pc.changed != nil {
		close(pc.changed)
		pc.changed = nil
	}
	pc.mu.Unlock()
}

// wait returns once n reports were handed on, or after d.
func (pc *progressCount) wait(n int, d time.Duration) {
	var timeout <-chan time.Time
	for {
		pc.mu.Lock()
		if pc.n >= n {
			pc.mu.Unlock()
			return
		}
		if pc.changed == nil {
			pc.changed = make(chan struct{})
		}
		ch := pc.changed
		pc.mu.Unlock()
		if timeout == nil {
			t := time.NewTimer(d)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-ch:
		case <-timeout:
			return
		}
	}
}

// clientOptions are the MCP client options of w's session: state updates,
// logs, messages, progress and elicitations from the worker.
func (sl *slot) clientOptions(w *worker) *mcp.ClientOptions {
	s := sl.sup
	return &mcp.ClientOptions{
		ResourceUpdatedHandler: func(ctx context.Context, req *mcp.ResourceUpdatedNotificationRequest) {
			if req.Params == nil {
				return
			}
			if req.Params.URI == StateURI {
				if st, ok := decodeState(req.Params.Meta[MetaState]); ok {
					w.offer(req.Params.Meta[MetaSeq], st)
				}
				return
			}
			if sl.serving(w) && strings.HasSuffix(req.Params.URI, "/messages") {
				s.publish(mcpserver.Event{Kind: mcpserver.MessagesChanged, Plugin: sl.current().ID})
			}
		},
		LoggingMessageHandler: func(ctx context.Context, req *mcp.LoggingMessageRequest) {
			if req.Params == nil || !sl.serving(w) {
				return
			}
			e := &mcpserver.LogEntry{Level: req.Params.Level}
			switch d := req.Params.Data.(type) {
			case string:
				e.Message = d
			case map[string]any:
				e.Message, _ = d["message"].(string)
				e.Data, _ = json.Marshal(d["data"])
			default:
				b, _ := json.Marshal(d)
				e.Message = string(b)
			}
			s.publish(mcpserver.Event{Kind: mcpserver.Log, Plugin: sl.current().ID, Log: e})
		},
		ProgressNotificationHandler: func(ctx context.Context, req *mcp.ProgressNotificationClientRequest) {
			if req.Params == nil {
				return
			}
			if c := w.calls.get(req.Params.ProgressToken); c != nil && c.Progress != nil {
				c.Progress(mcpserver.Progress{Progress: req.Params.Progress, Total: req.Params.Total, Message: req.Params.Message})
			}
		},
		ElicitationHandler: func(ctx context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return w.calls.elicit(ctx, req.Params)
		},
		CreateMessageHandler: func(ctx context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
			c := w.calls.asking(req.Params.Meta, func(c *mcpserver.Call) bool { return c.Sample != nil })
			if c == nil {
				return nil, errors.New("the client cannot run this prompt (no sampling, or the call that asked has ended)")
			}
			p := *req.Params
			p.Meta = untagged(p.Meta)
			return c.Sample(ctx, &p)
		},
	}
}

// serving reports whether w is the slot's serving worker.
func (sl *slot) serving(w *worker) bool {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	return sl.cur == w
}
