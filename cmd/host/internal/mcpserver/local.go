package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/console"
	"host/bindings/mask"
	"host/bindings/plugin"
	"host/bindings/setup"
	"host/bindings/store"
	"host/cmd/host/internal/cmdutil"
	"host/jsrt"
	"host/schema"
)

// Local is the in-process Backend: plugins loaded in this process. Its
// owner loads and activates them and tells Local each one's state with
// Put; Local only serves. A `host serve` worker is Local over one plugin,
// served on stdio. Safe for concurrent use.
type Local struct {
	masker *mask.Masker
	db     *store.DB // the plugins' inboxes; nil: every inbox is empty

	mu      sync.Mutex
	plugins map[string]*localEntry
	subs    map[int]*subscriber
	nextSub int
}

type localEntry struct {
	p    *plugin.Plugin // nil for a plugin that failed to load
	info PluginInfo
}

// subscriber serialises delivery to one fn.
type subscriber struct {
	mu sync.Mutex
	fn func(Event)
}

// NewLocal returns an empty Local masking with m (nil masks nothing: tests).
func NewLocal(m *mask.Masker) *Local {
	return &Local{masker: m, plugins: map[string]*localEntry{}, subs: map[int]*subscriber{}}
}

// UseStore makes Messages read the plugins' inboxes from db (the store the
// plugins' Host writes ctx.emitMessage to). Call before serving.
func (l *Local) UseStore(db *store.DB) { l.db = db }

// MaxMessages is how many of a plugin's latest messages Messages returns.
const MaxMessages = 500

// Put adds or replaces plugin p in state st (reason and setup as in
// PluginInfo; setup only for setup.NeedsSetup and NeedsLogin). The caller keeps
// owning p: Local never activates, deactivates or closes it. Subscribers
// hear PluginChanged.
func (l *Local) Put(p *plugin.Plugin, st setup.Phase, reason string, setup *SetupNeeded) {
	info := PluginInfo{ID: p.ID, Name: p.Name, State: st, Reason: l.masker.Mask(reason), Setup: setup}
	tools, err := p.ListedTools() // without the tools the user disabled
	if err != nil {
		reason = l.masker.Mask(err.Error())
		info.Reason = reason
	}
	for _, t := range tools {
		js, err := t.InputSchema()
		if err != nil {
			js = json.RawMessage(`{"type":"object"}`)
		}
		info.Tools = append(info.Tools, Tool{Name: t.Name, Description: t.Description, InputSchema: js, Annotations: annotationsOf(t)})
	}
	l.put(&localEntry{p: p, info: info})
}

// PutFailed records a plugin that could not be loaded (no instance), so
// clients can see why its tools are missing.
func (l *Local) PutFailed(id, name, reason string) {
	if name == "" {
		name = id
	}
	l.put(&localEntry{info: PluginInfo{ID: id, Name: name, State: setup.Error, Reason: l.masker.Mask(reason)}})
}

func (l *Local) put(e *localEntry) {
	l.mu.Lock()
	l.plugins[e.info.ID] = e
	l.mu.Unlock()
	l.publish(Event{Kind: PluginChanged, Plugin: e.info.ID})
}

// Remove forgets plugin id (stopped, or replaced under another id).
func (l *Local) Remove(id string) {
	l.mu.Lock()
	_, ok := l.plugins[id]
	delete(l.plugins, id)
	l.mu.Unlock()
	if ok {
		l.publish(Event{Kind: PluginChanged, Plugin: id})
	}
}

// Log publishes a plugin's log line (already masked by the plugin host, and
// masked again here); it is a console.Sink, so plugin.Host.Log can call it
// (on the plugin's loop goroutine: it does not block).
func (l *Local) Log(e console.Entry) {
	le := &LogEntry{Level: mcpLevel(e.Level), Message: l.masker.Mask(e.Message)}
	l.publish(Event{Kind: Log, Plugin: e.Plugin, Log: le})
}

// NotifyMessages tells subscribers that plugin id has new messages.
func (l *Local) NotifyMessages(id string) { l.publish(Event{Kind: MessagesChanged, Plugin: id}) }

func mcpLevel(lv console.Level) mcp.LoggingLevel {
	switch lv {
	case console.Debug:
		return "debug"
	case console.Info:
		return "info"
	case console.Warn:
		return "warning"
	}
	return "error"
}

func (l *Local) publish(e Event) {
	l.mu.Lock()
	subs := make([]*subscriber, 0, len(l.subs))
	for _, s := range l.subs {
		subs = append(subs, s)
	}
	l.mu.Unlock()
	for _, s := range subs {
		s.mu.Lock()
		s.fn(e)
		s.mu.Unlock()
	}
}

// ProgressBeforeResult implements ProgressInOrder: a plugin's reports are
// handed over on its loop, before its tool's result.
func (l *Local) ProgressBeforeResult() {}

var _ ProgressInOrder = (*Local)(nil)

// Plugins implements Backend.
func (l *Local) Plugins() []PluginInfo {
	l.mu.Lock()
	out := make([]PluginInfo, 0, len(l.plugins))
	for _, e := range l.plugins {
		out = append(out, e.info)
	}
	l.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Subscribe implements Backend.
func (l *Local) Subscribe(fn func(Event)) (cancel func()) {
	l.mu.Lock()
	id := l.nextSub
	l.nextSub++
	l.subs[id] = &subscriber{fn: fn}
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		delete(l.subs, id)
		l.mu.Unlock()
	}
}

// Messages implements Backend: the plugin's latest MaxMessages messages
// from the store's inbox, oldest first.
func (l *Local) Messages(ctx context.Context, id string) (json.RawMessage, error) {
	l.mu.Lock()
	_, ok := l.plugins[id]
	l.mu.Unlock()
	if !ok {
		return nil, ErrUnknownPlugin
	}
	if l.db == nil {
		return json.RawMessage("[]"), nil
	}
	all, err := l.db.Plugin(id).LatestMessages(ctx, MaxMessages)
	if err != nil {
		return nil, err
	}
	if all == nil {
		all = []store.Message{}
	}
	b, err := json.Marshal(all)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(l.masker.Mask(string(b))), nil
}

// CallTool implements Backend.
func (l *Local) CallTool(ctx context.Context, c *Call) (*mcp.CallToolResult, error) {
	l.mu.Lock()
	e, ok := l.plugins[c.Plugin]
	l.mu.Unlock()
	if !ok || e.p == nil {
		if ok {
			return nil, &UnavailableError{Plugin: c.Plugin, State: e.info.State, Reason: e.info.Reason}
		}
		return nil, &UnknownToolError{Name: c.Plugin + "_" + c.Tool}
	}
	switch e.info.State {
	case setup.Active:
	case setup.NeedsSetup, setup.NeedsLogin:
		need := SetupNeeded{Login: e.info.State == setup.NeedsLogin}
		if e.info.Setup != nil {
			need = *e.info.Setup
		}
		return nil, &SetupRequiredError{Plugin: c.Plugin, Setup: need}
	default:
		return nil, &UnavailableError{Plugin: c.Plugin, State: e.info.State, Reason: e.info.Reason}
	}
	opts := plugin.CallOptions{}
	if c.Progress != nil {
		opts.Progress = func(p plugin.Progress) {
			c.Progress(Progress{Progress: p.Progress, Total: p.Total, Message: p.Message})
		}
	}
	if c.Elicit != nil {
		opts.Elicit = func(ctx context.Context, q plugin.Question) (plugin.Answer, error) {
			params, err := elicitParams(q)
			if err != nil {
				return plugin.Answer{}, err
			}
			r, err := c.Elicit(ctx, params)
			if err != nil {
				return plugin.Answer{}, err
			}
			return plugin.Answer{Action: r.Action, Content: r.Content}, nil
		}
		opts.Approve = l.approver(c.Elicit)
	}
	if c.Sample != nil {
		opts.Sample = func(ctx context.Context, r plugin.SampleRequest) (plugin.SampleReply, error) {
			params := &mcp.CreateMessageParams{MaxTokens: int64(r.MaxTokens), SystemPrompt: r.SystemPrompt}
			for _, m := range r.Messages {
				params.Messages = append(params.Messages, &mcp.SamplingMessage{Role: mcp.Role(m.Role), Content: &mcp.TextContent{Text: m.Text}})
			}
			res, err := c.Sample(ctx, params)
			if err != nil {
				return plugin.SampleReply{}, err
			}
			reply := plugin.SampleReply{Model: res.Model, StopReason: res.StopReason}
			if tc, ok := res.Content.(*mcp.TextContent); ok {
				reply.Text = tc.Text
			}
			return reply, nil
		}
	}
	out, err := e.p.CallToolWith(ctx, c.Tool, c.Input, opts)
	if err != nil {
		return l.callError(ctx, c, err)
	}
	return Result(c.Plugin, out, l.masker), nil
}

// callError sorts a failed call: what the tool or its input did wrong is a
// tool result with isError (the model can read it and try again); the
// rest is an error.
func (l *Local) callError(ctx context.Context, c *Call, err error) (*mcp.CallToolResult, error) {
	var ve *schema.ValidationError
	var ie *plugin.InputError
	var ue *plugin.UnknownToolError
	var te *plugin.ToolError
	switch {
	case ctx.Err() != nil:
		return nil, context.Cause(ctx)
	case errors.As(err, &ue):
		return nil, &UnknownToolError{Name: c.Plugin + "_" + c.Tool}
	case errors.Is(err, plugin.ErrNotActive):
		return nil, &UnavailableError{Plugin: c.Plugin, State: setup.Starting, Reason: "the plugin is not active yet"}
	case errors.As(err, &ve):
		return ErrorResult(fmt.Sprintf("invalid input for %s_%s:\n%s", c.Plugin, c.Tool, schema.FormatIssues(ve.Issues)), l.masker), nil
	case errors.As(err, &ie):
		return ErrorResult(strings.Join(ie.Problems, "\n"), l.masker), nil
	case errors.As(err, &te):
		msg := te.Err.Error()
		if je, ok := jsrt.AsJSError(te.Err); ok {
			msg = je.Error()
		}
		return ErrorResult(msg, l.masker), nil
	}
	msg := err.Error()
	if h := cmdutil.ToolPolicyHint(err); h != "" {
		msg += " (" + h + ")" // the user's tool policy stopped it: say which command changes that
	}
	return ErrorResult(msg, l.masker), nil
}

// elicitParams is a tool's question as a form elicitation: the message,
// attributed to the plugin so that it never reads as host's own, and the
// question's requestedSchema.
func elicitParams(q plugin.Question) (*mcp.ElicitParams, error) {
	msg := fmt.Sprintf("Plugin %q asks (its own words, not host's):\n%s", q.Plugin, q.Message)
	return &mcp.ElicitParams{Mode: "form", Message: msg, RequestedSchema: q.Schema}, nil
}

// annotationsOf maps a tool's SDK annotations to MCP's hints: readOnly (or
// sideEffects: false) is readOnlyHint; sideEffects: true is
// destructiveHint (MCP's default for a tool that is not read-only), false
// is destructiveHint: false and idempotentHint; approval 'always' or
// 'suggest' on a tool that is not read-only is destructiveHint (so the
// client asks too; 'always' is also asked by host itself, see approver).
// Nil when the tool declares none of them.
func annotationsOf(t plugin.Tool) *mcp.ToolAnnotations {
	ro, ok := t.Annotations.IsReadOnly()
	ask := t.Annotations.Approval == "always" || t.Annotations.Approval == "suggest"
	if !ok && !ask {
		return nil
	}
	a := &mcp.ToolAnnotations{ReadOnlyHint: ro}
	if se := t.Annotations.SideEffects; se != nil && !ro {
		d := *se
		a.DestructiveHint = &d
		a.IdempotentHint = !d
	}
	if ask && !ro { // approval asked for: the client should ask too
		d := true
		a.DestructiveHint, a.IdempotentHint = &d, false
	}
	return a
}

var _ Backend = (*Local)(nil)
