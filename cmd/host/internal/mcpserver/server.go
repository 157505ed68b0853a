package mcpserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/mask"
	"host/bindings/setup"
)

// Options configure a Server. Every field is optional.
type Options struct {
	Name, Version string // serverInfo (default "host", "dev")
	Instructions  string
	// Masker masks what the server writes itself (errors, setup texts);
	// the backend masks what it returns.
	Masker *mask.Masker
	// Setup starts a plugin's setup on host's own page; nil when there is
	// none (then a call that needs setup is a tool error saying what to
	// run).
	Setup SetupPages
	// SetupCommand is what a user runs in a terminal to set plugin up
	// (e.g. "host setup github"), for the texts; nil: none is named.
	SetupCommand func(plugin string) string
	// SetupTimeout bounds the wait for a setup the user started through
	// the client (default 15 minutes).
	SetupTimeout time.Duration
	// OnProblem receives what the server cannot serve (two tools with one
	// name, a name too long), once per problem; it must not block.
	OnProblem func(error)
	// Logger logs the SDK's own activity; nil logs nothing.
	Logger *slog.Logger
	// TaskAfter is how long a tools/call from a client that declares the
	// Tasks extension runs before it becomes a task the client polls
	// (default 1s; negative: never).
	TaskAfter time.Duration
	// JobIdleTimeout is how long a call waiting for the client (input
	// requests on 2026-07-28, a task nobody polls) is kept (default
	// JobIdleTimeout).
	JobIdleTimeout time.Duration
	// ListTTL is the ttlMs clients get with tools/list and the other
	// lists (default ListTTL).
	ListTTL time.Duration
	// MaxJobs caps the 2026-07-28 calls kept for their clients at once
	// (waiting for answers, tasks); default MaxJobs.
	MaxJobs int
	// SetupProgressEvery is how often a call waiting for the user to
	// finish a setup on the page reports progress (default
	// SetupProgressEvery).
	SetupProgressEvery time.Duration
	// TagCalls: the requests a call sends its client (ctx.elicit,
	// ctx.sample) name the call: its progress token in _meta[MetaCall].
	// For a worker, whose supervisor has several calls in flight and must
	// hand each question to the client of the call that asked it.
	TagCalls bool
}

// MetaCall is the _meta key of a request a call sends its client that names
// the call (Options.TagCalls): the call's progress token.
const MetaCall = "host.dev/call"

// MaxJobs is the default of Options.MaxJobs.
const MaxJobs = 256

// ListTTL is how long a client may keep a list before it asks again: short,
// as a client that does not listen for list changes would miss a plugin
// reloaded meanwhile.
const ListTTL = 10 * time.Second

// Server is the MCP server over a Backend. It lists the tools of the
// backend's plugins and keeps the list current (tools/list_changed when a
// plugin is reloaded, activated or stops), forwards calls, logs, progress
// and messages, and drives setup through the client. Serve it on stdio
// with Run or over HTTP with HTTPHandler. Safe for concurrent use.
type Server struct {
	b    Backend
	opts Options
	mcp  *mcp.Server

	mu       sync.Mutex
	tools    map[string]string // MCP name -> signature, what is registered
	problems map[string]bool   // reported once
	calls    map[*activeCall]struct{}
	resource map[string]bool // plugin ids with a messages resource
	logs     map[*mcp.ServerSession]*logQueue
	jobs     map[string]*job // by id: calls waiting for the client, tasks
	impl     *mcp.Implementation
	// serverInfo is the _meta of a 2026-07-28 result without one (the
	// fast path's).
	serverInfo []byte
	// The HTTP fast path's (fast.go): the tools it may call by MCP name,
	// the sessions initialized and those that set a log level, its calls
	// in progress on sessions by cancelKey.
	fast        map[string]fastTool
	initialized map[*mcp.ServerSession]bool
	levels      map[*mcp.ServerSession]bool
	fastCalls   map[string]context.CancelFunc
	noFast      bool     // tests: every request takes the SDK's path
	versions    []string // ProtocolVersions, made once
	unsub       func()
	started     time.Time
	loaded      atomic.Bool // the backend's plugins finished their first load
}

// FirstLoadWait bounds how long a list asked for right after start waits
// for a Loader's plugins to finish their first load, so a client that
// lists once when it connects sees every plugin's tools.
const FirstLoadWait = 10 * time.Second

// firstLoad makes tools/list and resources/list wait, until FirstLoadWait
// after the server started, for the backend's plugins to load.
func (s *Server) firstLoad(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if (method == "tools/list" || method == "resources/list") && !s.loaded.Load() {
			if l, ok := s.b.(Loader); ok {
				wctx, cancel := context.WithDeadline(ctx, s.started.Add(FirstLoadWait))
				l.WaitLoaded(wctx)
				if wctx.Err() == nil || time.Now().After(s.started.Add(FirstLoadWait)) {
					s.loaded.Store(true)
				}
				cancel()
				s.sync()
			}
		}
		return next(ctx, method, req)
	}
}

// activeCall is a tool call in progress: logs of its plugin go to its
// session in its request's context (so over HTTP they travel on the
// call's own response stream).
type activeCall struct {
	ss     *mcp.ServerSession
	plugin string
	ctx    context.Context
	logged atomic.Bool // a log line was queued for ss during the call
}

// New returns a server over b, subscribed to it until Close.
func New(b Backend, o Options) *Server {
	if o.Name == "" {
		o.Name = "host"
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.SetupTimeout == 0 {
		o.SetupTimeout = 15 * time.Minute
	}
	if o.TaskAfter == 0 {
		o.TaskAfter = time.Second
	}
	if o.JobIdleTimeout == 0 {
		o.JobIdleTimeout = JobIdleTimeout
	}
	if o.ListTTL == 0 {
		o.ListTTL = ListTTL
	}
	if o.MaxJobs == 0 {
		o.MaxJobs = MaxJobs
	}
	if o.SetupProgressEvery == 0 {
		o.SetupProgressEvery = SetupProgressEvery
	}
	s := &Server{started: time.Now(), b: b, opts: o, tools: map[string]string{}, problems: map[string]bool{}, calls: map[*activeCall]struct{}{}, resource: map[string]bool{}, logs: map[*mcp.ServerSession]*logQueue{}, jobs: map[string]*job{}}
	s.fast, s.initialized, s.levels, s.fastCalls = map[string]fastTool{}, map[*mcp.ServerSession]bool{}, map[*mcp.ServerSession]bool{}, map[string]context.CancelFunc{}
	s.impl = &mcp.Implementation{Name: o.Name, Title: "host plugins", Version: o.Version}
	s.serverInfo, _ = json.Marshal(mcp.Meta{mcp.MetaKeyServerInfo: s.impl})
	s.versions = ProtocolVersions()
	s.mcp = mcp.NewServer(s.impl, &mcp.ServerOptions{
		Instructions:              o.Instructions,
		SupportedProtocolVersions: ProtocolVersions(),
		Logger:                    o.Logger,
		Capabilities: &mcp.ServerCapabilities{
			Logging:    &mcp.LoggingCapabilities{},
			Tools:      &mcp.ToolCapabilities{ListChanged: true},
			Resources:  &mcp.ResourceCapabilities{ListChanged: true, Subscribe: true},
			Extensions: map[string]any{TasksExtension: map[string]any{}},
		},
		// What a user's plugins list and hold is theirs: no shared caches.
		// Lists keep for ListTTL (list changes are announced, to clients
		// that listen); a resource (a plugin's messages) never.
		SetCacheable: func(_ context.Context, req mcp.Request, c *mcp.Cacheable) {
			c.CacheScope = "private"
			if _, ok := req.GetParams().(*mcp.ReadResourceParams); !ok {
				c.TTLMs = int(o.ListTTL.Milliseconds())
			}
		},
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
	})
	s.mcp.AddReceivingMiddleware(undeclared, s.firstLoad, resourceNotFound, s.sessionState)
	if o.TaskAfter > 0 {
		s.registerTasks()
	}
	s.unsub = b.Subscribe(s.event)
	s.sync()
	return s
}

// MaxProtocolVersion is the newest MCP revision served. Each request is
// served in the revision it speaks: a request carrying
// io.modelcontextprotocol/protocolVersion in its _meta (2026-07-28:
// sessionless, server/discover, the client's capabilities on each
// request) in that one; anything else in the revision its session's
// initialize negotiated (2025-11-25 and earlier).
const MaxProtocolVersion = "2026-07-28"

// undeclared answers the methods of capabilities host does not declare
// (plugins have no prompts, resource templates or completions) as unknown
// methods, -32601, as the specification asks, instead of the SDK's empty
// answers.
func undeclared(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		switch method {
		case "prompts/list", "prompts/get", "resources/templates/list", "completion/complete":
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeMethodNotFound, Message: fmt.Sprintf("method %q not found: host serves no prompts, resource templates or completions (plugins declare tools)", method)}
		}
		return next(ctx, method, req)
	}
}

// resourceNotFound answers resources/read of an unknown resource with the
// code of the request's revision: -32002 before 2026-07-28, -32602 (the
// SDK's) from it on.
func resourceNotFound(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		res, err := next(ctx, method, req)
		var je *jsonrpc.Error
		if method == "resources/read" && errors.As(err, &je) && je.Code == mcp.CodeResourceNotFound && je.Code != legacyResourceNotFound && !requestIsNew(req) {
			cp := *je
			cp.Code = legacyResourceNotFound
			return res, &cp
		}
		return res, err
	}
}

// legacyResourceNotFound is "resource not found" before 2026-07-28.
const legacyResourceNotFound = -32002

// requestIsNew reports whether a resources/read speaks 2026-07-28 or later
// (its _meta names the revision).
func requestIsNew(req mcp.Request) bool {
	p, ok := req.GetParams().(*mcp.ReadResourceParams)
	if !ok || p == nil {
		return false
	}
	v, _ := p.Meta[mcp.MetaKeyProtocolVersion].(string)
	return v >= "2026-07-28"
}

// newProtocol reports whether req speaks 2026-07-28 or later, where a
// server sends the client no requests: they travel as input requests in
// the call's result (job.go).
func newProtocol(req *mcp.CallToolRequest) bool { return req.ProtocolVersion() >= "2026-07-28" }

// ProtocolVersions are the revisions served: the SDK's up to
// MaxProtocolVersion.
func ProtocolVersions() []string {
	var out []string
	for _, v := range mcp.SupportedProtocolVersions() {
		if v <= MaxProtocolVersion {
			out = append(out, v)
		}
	}
	return out
}

// MCP is the underlying go-sdk server (to Run on a transport).
func (s *Server) MCP() *mcp.Server { return s.mcp }

// Run serves one session on t (e.g. &mcp.StdioTransport{}) until the
// client disconnects or ctx ends.
func (s *Server) Run(ctx context.Context, t mcp.Transport) error { return s.mcp.Run(ctx, t) }

// Close stops following the backend. Sessions in progress are the
// transport's to end.
func (s *Server) Close() { s.unsub() }

func (s *Server) event(e Event) {
	switch e.Kind {
	case PluginChanged:
		s.sync()
	case Log:
		if e.Log != nil {
			s.log(e.Plugin, e.Log)
		}
	case MessagesChanged:
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = s.mcp.ResourceUpdated(ctx, &mcp.ResourceUpdatedNotificationParams{URI: MessagesURI(e.Plugin)})
		}()
	}
}

// MessagesURI is the resource holding plugin's messages (its inbox).
func MessagesURI(plugin string) string { return "host://" + url.PathEscape(plugin) + "/messages" }

// sync registers the tools and resources the backend lists now and
// removes the rest; the SDK sends list_changed (debounced).
func (s *Server) sync() {
	plugins := s.b.Plugins()
	table, errs := toolTable(plugins)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, err := range errs {
		if !s.problems[err.Error()] {
			s.problems[err.Error()] = true
			if s.opts.OnProblem != nil {
				s.opts.OnProblem(err)
			}
		}
	}
	s.fast = make(map[string]fastTool, len(table))
	for name, ref := range table {
		if !bytes.Contains(ref.info.InputSchema, []byte("x-mcp-header")) {
			s.fast[name] = fastTool{ref.plugin, ref.info.Name}
		}
	}
	var gone []string
	for name := range s.tools {
		if _, ok := table[name]; !ok {
			gone = append(gone, name)
			delete(s.tools, name)
		}
	}
	if len(gone) > 0 {
		s.mcp.RemoveTools(gone...)
	}
	for name, ref := range table {
		sig := signature(ref)
		if s.tools[name] == sig {
			continue
		}
		s.tools[name] = sig
		s.mcp.AddTool(&mcp.Tool{
			Name:        name,
			Description: describe(ref),
			InputSchema: ref.info.InputSchema,
			Annotations: ref.info.Annotations,
		}, s.handler(ref.plugin, ref.info.Name))
	}
	listed := map[string]PluginInfo{}
	for _, p := range plugins {
		if p.State.Listed() {
			listed[p.ID] = p
		}
	}
	var goneRes []string
	for id := range s.resource {
		if _, ok := listed[id]; !ok {
			goneRes = append(goneRes, MessagesURI(id))
			delete(s.resource, id)
		}
	}
	if len(goneRes) > 0 {
		s.mcp.RemoveResources(goneRes...)
	}
	for id, p := range listed {
		if s.resource[id] {
			continue
		}
		s.resource[id] = true
		id := id
		s.mcp.AddResource(&mcp.Resource{
			URI:         MessagesURI(id),
			Name:        id + "-messages",
			Title:       p.Name + ": messages",
			Description: "The messages plugin " + id + " received (ctx.emitMessage), oldest first, as JSON; subscribe for updates.",
			MIMEType:    "application/json",
		}, func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			js, err := s.b.Messages(ctx, id)
			if err != nil {
				if errors.Is(err, ErrUnknownPlugin) {
					return nil, mcp.ResourceNotFoundError(req.Params.URI)
				}
				return nil, err
			}
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "application/json", Text: s.opts.Masker.Mask(string(js))}}}, nil
		})
	}
}

func signature(r toolRef) string {
	a, _ := json.Marshal(r.info.Annotations)
	return r.plugin + "\x00" + r.info.Name + "\x00" + describe(r) + "\x00" + string(r.info.InputSchema) + "\x00" + string(a)
}

// describe is a tool's description for clients; a plugin still waiting for
// setup says so, so the model knows a call starts the setup (and the list
// changes when the plugin activates).
func describe(r toolRef) string {
	switch r.state {
	case setup.NeedsSetup:
		return r.info.Description + " (Plugin " + r.plugin + " needs setup first: calling this tool shows the user where to do it.)"
	case setup.NeedsLogin:
		return r.info.Description + " (Plugin " + r.plugin + " needs a login first: calling this tool shows the user where to sign in.)"
	case setup.SecretsUnavailable:
		return r.info.Description + " (Plugin " + r.plugin + " cannot read its saved secrets now: calling this tool says why and what to do.)"
	}
	return r.info.Description
}

// handler is the tools/call handler of one plugin's tool: on 2026-07-28
// a job that may ask the client through input requests (callDetached);
// before, the call itself, asking the client on its own stream.
func (s *Server) handler(plugin, tool string) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if newProtocol(req) {
			return s.callDetached(ctx, req, plugin, tool)
		}
		return s.streamCall(ctx, req.Session, req.ClientCapabilities(), req.Params.GetProgressToken(), plugin, tool, req.Params.Arguments)
	}
}

// streamCall runs plugin's tool for a call of session ss on 2025-11-25 or
// earlier, from a client with capabilities caps: its requests to the
// client, its progress (tok: the call's progress token; nil, none) and
// its plugin's logs go on ss. The SDK's tools/call handler and a worker's
// forwarded calls (forward.go) run it alike.
func (s *Server) streamCall(ctx context.Context, ss *mcp.ServerSession, caps *mcp.ClientCapabilities, tok any, plugin, tool string, args json.RawMessage) (*mcp.CallToolResult, error) {
	ac := s.track(ss, plugin, ctx)
	defer s.untrack(ac)
	c := &streamCaller{ctx: ctx, ss: ss, c: caps}
	if tok != nil {
		c.prog = newProgressSender(ctx, ss, tok, s.opts.Masker)
		if s.opts.TagCalls {
			c.tag = tok
		}
	}
	res, err := s.runCall(ctx, plugin, tool, args, c)
	if c.prog != nil {
		s.settle(c.prog)
		c.prog.close()
		if s.opts.TagCalls && c.prog.sent > 0 && res != nil {
			// For the supervisor: how many reports precede this
			// result, so it hands them all on before the result.
			out := *res
			out.Meta = make(mcp.Meta, len(res.Meta)+1)
			for k, v := range res.Meta {
				out.Meta[k] = v
			}
			out.Meta[MetaProgressSent] = c.prog.sent
			res = &out
		}
	}
	// What the plugin logged during the call goes before the result.
	if ac.logged.Load() {
		s.logQueue(ss).flush(2 * time.Second)
	}
	return res, err
}

// track records a call in progress on ss, so its plugin's logs go to it.
func (s *Server) track(ss *mcp.ServerSession, plugin string, ctx context.Context) *activeCall {
	ac := &activeCall{ss: ss, plugin: plugin, ctx: ctx}
	s.mu.Lock()
	s.calls[ac] = struct{}{}
	s.mu.Unlock()
	return ac
}

func (s *Server) untrack(ac *activeCall) {
	s.mu.Lock()
	delete(s.calls, ac)
	s.mu.Unlock()
}

// runCall runs plugin's tool for a client reached through c, starting the
// plugin's setup through the client first when it needs one.
func (s *Server) runCall(ctx context.Context, plugin, tool string, input json.RawMessage, c caller) (*mcp.CallToolResult, error) {
	call := newCall(plugin, tool, input, c)
	res, err := s.b.CallTool(ctx, call)
	return s.finishCall(ctx, call, c, res, err)
}

// newCall is the backend's call of plugin's tool for a client reached
// through c.
func newCall(plugin, tool string, input json.RawMessage, c caller) *Call {
	call := &Call{Plugin: plugin, Tool: tool, Input: input, Progress: c.progress}
	caps := c.caps()
	if formElicitation(caps) {
		call.Elicit = c.elicit
	}
	if sampling(caps) {
		call.Sample = c.sample
	}
	return call
}

// finishCall is runCall once the backend answered call: a plugin that
// needs setup is set up through the client and the call run again.
func (s *Server) finishCall(ctx context.Context, call *Call, c caller, res *mcp.CallToolResult, err error) (*mcp.CallToolResult, error) {
	plugin, tool := call.Plugin, call.Tool
	var se *SetupRequiredError
	if errors.As(err, &se) {
		var retry bool
		res, retry = s.setupThroughClient(ctx, c, se)
		if retry {
			res, err = s.b.CallTool(ctx, call)
		} else {
			err = nil
		}
	}
	return s.answer(plugin, tool, res, err)
}

// related is the context for a request to the client made on behalf of a
// tool call: the call's own (so over HTTP it travels on the call's response
// stream, which the client reads), ended too when inner (the backend's,
// e.g. a worker's request) ends.
func related(call, inner context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(call)
	stop := context.AfterFunc(inner, cancel)
	return ctx, func() { stop(); cancel() }
}

// answer turns a backend's reply into what the client gets: an unknown
// tool is a protocol error; a plugin that cannot run a tool now, a tool
// error the model can read.
func (s *Server) answer(plugin, tool string, res *mcp.CallToolResult, err error) (*mcp.CallToolResult, error) {
	if err == nil {
		return res, nil
	}
	var ue *UnknownToolError
	var ua *UnavailableError
	var se *SetupRequiredError
	switch {
	case errors.As(err, &ue):
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: s.opts.Masker.Mask(ue.Error())}
	case errors.As(err, &ua) && ua.State == setup.SecretsUnavailable:
		return ErrorResult(fmt.Sprintf("%s_%s did not run: plugin %s cannot read its saved secrets: %s", plugin, tool, plugin, ua.Reason), s.opts.Masker), nil
	case errors.As(err, &ua):
		return ErrorResult(ua.Error(), s.opts.Masker), nil
	case errors.As(err, &se):
		return ErrorResult(s.setupText(se, ""), s.opts.Masker), nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil, err
	}
	return ErrorResult(fmt.Sprintf("%s_%s: %v", plugin, tool, err), s.opts.Masker), nil
}

// log sends a plugin's log line to every session (each honours its own
// logging/setLevel): in the context of a call of that plugin on that
// session when there is one, so over HTTP it travels on that call's
// response stream, before the result.
func (s *Server) log(plugin string, e *LogEntry) {
	msg := s.opts.Masker.Mask(e.Message)
	var data any = msg
	if len(e.Data) > 0 {
		data = map[string]any{"message": msg, "data": json.RawMessage(s.opts.Masker.Mask(string(e.Data)))}
	}
	params := &mcp.LoggingMessageParams{Level: e.Level, Logger: plugin, Data: data}
	s.mu.Lock()
	byCall := map[*mcp.ServerSession]context.Context{}
	for c := range s.calls {
		if c.plugin == plugin && c.ctx.Err() == nil {
			byCall[c.ss] = c.ctx
			c.logged.Store(true)
		}
	}
	s.mu.Unlock()
	for ss := range s.mcp.Sessions() {
		ctx := byCall[ss]
		if ctx == nil {
			ctx = context.Background()
		}
		s.logQueue(ss).put(logItem{ctx: ctx, params: params})
	}
}

// logQueue is a session's queue of log notifications: one goroutine sends
// them in order, so the plugin's loop never waits for a slow client.
type logQueue struct {
	ch chan logItem
}

type logItem struct {
	ctx     context.Context
	params  *mcp.LoggingMessageParams
	barrier chan struct{} // closed when everything before it was sent
}

func (s *Server) logQueue(ss *mcp.ServerSession) *logQueue {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.logs[ss]; ok {
		return q
	}
	q := &logQueue{ch: make(chan logItem, 256)}
	s.logs[ss] = q
	go func() {
		for it := range q.ch {
			if it.barrier != nil {
				close(it.barrier)
				continue
			}
			ctx, cancel := context.WithTimeout(it.ctx, 10*time.Second)
			_ = ss.Log(ctx, it.params)
			cancel()
		}
	}()
	go func() {
		_ = ss.Wait()
		s.mu.Lock()
		delete(s.logs, ss)
		s.mu.Unlock()
		close(q.ch)
	}()
	return q
}

// put queues it, dropping it when the client is 256 lines behind.
func (q *logQueue) put(it logItem) {
	defer func() { _ = recover() }() // the session ended: the queue is closed
	select {
	case q.ch <- it:
	default:
	}
}

// flush waits (at most d) until what was queued before is sent.
func (q *logQueue) flush(d time.Duration) {
	b := make(chan struct{})
	q.put(logItem{barrier: b})
	select {
	case <-b:
	case <-time.After(d):
	}
}

// progressSender forwards one call's progress in order without blocking
// the plugin: reports queue (the oldest dropped when 64 are waiting) and
// one goroutine, started by the first report, sends them; close waits
// until the queue is sent, so no progress follows the result.
type progressSender struct {
	ctx context.Context
	ss  *mcp.ServerSession
	tok any
	m   *mask.Masker

	mu     sync.Mutex
	closed bool
	ch     chan Progress // nil until the first report
	done   chan struct{}
	last   time.Time // of the last report
	sent   int       // notifications sent (read after close)
}

func newProgressSender(ctx context.Context, ss *mcp.ServerSession, tok any, m *mask.Masker) *progressSender {
	return &progressSender{ctx: ctx, ss: ss, tok: tok, m: m}
}

func (p *progressSender) run() {
	defer close(p.done)
	for pr := range p.ch {
		if p.ctx.Err() != nil {
			continue
		}
		_ = p.ss.NotifyProgress(p.ctx, &mcp.ProgressNotificationParams{ProgressToken: p.tok, Progress: pr.Progress, Total: pr.Total, Message: p.m.Mask(pr.Message)})
		p.sent++
	}
}

// send queues pr; after close (a report that arrives after the result) it
// is dropped.
func (p *progressSender) send(pr Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	if p.ch == nil {
		p.ch, p.done = make(chan Progress, 64), make(chan struct{})
		go p.run()
	}
	p.last = time.Now()
	select {
	case p.ch <- pr:
	default:
	}
}

// ProgressInOrder is a Backend whose CallTool has handed every progress
// report to Call.Progress when it returns (Local: the plugin reports on
// its own loop; the supervisor: it waits for the count its worker gives,
// MetaProgressSent), so no report can arrive after the result.
type ProgressInOrder interface{ ProgressBeforeResult() }

// MetaProgressSent is the _meta key of a worker's tool result
// (Options.TagCalls) saying how many progress notifications it sent for
// the call before the result.
const MetaProgressSent = "host.dev/progressSent"

// settle waits for a call's last progress reports when the backend may
// still be handing them over; for one that reports in order there is
// nothing to wait for (waiting there cost every call through a serve
// 10 ms).
func (s *Server) settle(p *progressSender) {
	if _, ok := s.b.(ProgressInOrder); !ok {
		p.settle(10*time.Millisecond, 100*time.Millisecond)
	}
}

// settle waits until no report came for quiet since the call returned
// (at most max): a backend that forwards a worker's reports may still be
// handing over the last ones when the worker's result arrives.
func (p *progressSender) settle(quiet, max time.Duration) {
	start := time.Now()
	end := start.Add(max)
	for time.Now().Before(end) {
		p.mu.Lock()
		from := p.last
		p.mu.Unlock()
		if from.Before(start) {
			from = start
		}
		idle := time.Since(from)
		if idle >= quiet {
			return
		}
		time.Sleep(quiet - idle)
	}
}

func (p *progressSender) close() {
	p.mu.Lock()
	p.closed = true
	ch, done := p.ch, p.done
	if ch != nil {
		close(ch)
	}
	p.mu.Unlock()
	if done != nil {
		<-done
	}
}

// formElicitation reports whether the client takes form elicitations.
func formElicitation(c *mcp.ClientCapabilities) bool {
	if c == nil || c.Elicitation == nil {
		return false
	}
	return c.Elicitation.Form != nil || c.Elicitation.URL == nil
}

// sampling reports whether the client runs prompts on its model.
func sampling(c *mcp.ClientCapabilities) bool { return c != nil && c.Sampling != nil }

// urlElicitation reports whether the client takes URL elicitations.
func urlElicitation(c *mcp.ClientCapabilities) bool {
	return c != nil && c.Elicitation != nil && c.Elicitation.URL != nil
}

func newElicitationID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// setupText says what a plugin waits for and what to open or run.
func (s *Server) setupText(e *SetupRequiredError, pageURL string) string {
	var b strings.Builder
	if e.Setup.Login {
		fmt.Fprintf(&b, "Plugin %s needs you to log in before its tools can run.", e.Plugin)
	} else if len(e.Setup.Fields) > 0 {
		fmt.Fprintf(&b, "Plugin %s needs setup before its tools can run (missing: %s).", e.Plugin, strings.Join(e.Setup.Fields, ", "))
	} else {
		fmt.Fprintf(&b, "Plugin %s needs setup before its tools can run.", e.Plugin)
	}
	switch {
	case pageURL != "" && s.opts.SetupCommand != nil:
		fmt.Fprintf(&b, " Open %s in a browser to set it up (or run `%s` in a terminal), then call the tool again.", pageURL, s.opts.SetupCommand(e.Plugin))
	case pageURL != "":
		fmt.Fprintf(&b, " Open %s in a browser to set it up, then call the tool again.", pageURL)
	case s.opts.SetupCommand != nil:
		fmt.Fprintf(&b, " Run `%s` in a terminal, then call the tool again.", s.opts.SetupCommand(e.Plugin))
	}
	b.WriteString(" Secrets are entered there, never in this chat.")
	return b.String()
}

// setupThroughClient sends the user to the plugin's setup page with a URL
// elicitation and waits until the setup completes; retry reports that the
// plugin is ready and the call should run again. Otherwise res is the tool
// error the client gets.
func (s *Server) setupThroughClient(ctx context.Context, c caller, e *SetupRequiredError) (res *mcp.CallToolResult, retry bool) {
	if s.opts.Setup == nil {
		return ErrorResult(s.setupText(e, ""), s.opts.Masker), false
	}
	flow, err := s.opts.Setup.StartSetup(ctx, e.Plugin)
	if errors.Is(err, ErrReady) {
		return nil, true
	}
	if errors.Is(err, ErrNoPage) {
		return ErrorResult(s.setupText(e, ""), s.opts.Masker), false
	}
	if err != nil {
		return ErrorResult(s.setupText(e, "")+" (The setup page could not be started: "+err.Error()+")", s.opts.Masker), false
	}
	if !urlElicitation(c.caps()) {
		// The page stays open for the user; the flow ends by itself.
		go func() {
			select {
			case <-flow.Done:
			case <-time.After(s.opts.SetupTimeout):
			}
			flow.Close()
		}()
		return ErrorResult(s.setupText(e, flow.textURL()), s.opts.Masker), false
	}
	defer flow.Close()
	id := newElicitationID()
	msg := fmt.Sprintf("Plugin %s needs setup. Open host's setup page for it to enter what it needs; secrets stay on this computer and never pass through this chat.", e.Plugin)
	if e.Setup.Login {
		msg = fmt.Sprintf("Plugin %s needs you to log in. Open the page to sign in; the tokens stay on this computer and never pass through this chat.", e.Plugin)
	}
	er, err := c.elicit(ctx, &mcp.ElicitParams{Mode: "url", Message: msg, URL: flow.URL, ElicitationID: id})
	if err != nil {
		if ctx.Err() != nil {
			return nil, false
		}
		return ErrorResult(s.setupText(e, flow.textURL()), s.opts.Masker), false
	}
	if er.Action != "accept" {
		return ErrorResult(fmt.Sprintf("The setup of plugin %s was %s, so its tool did not run. %s", e.Plugin, actionWord(er.Action), s.setupText(e, "")), s.opts.Masker), false
	}
	timer := time.NewTimer(s.opts.SetupTimeout)
	defer timer.Stop()
	// While the user is on the page, progress keeps the client's request
	// timeout from ending the call (clients reset it on progress).
	tick := time.NewTicker(s.opts.SetupProgressEvery)
	defer tick.Stop()
	waited := 0
wait:
	for {
		select {
		case err := <-flow.Done:
			if err != nil {
				return ErrorResult(fmt.Sprintf("The setup of plugin %s did not complete: %v", e.Plugin, err), s.opts.Masker), false
			}
			break wait
		case <-tick.C:
			waited++
			c.progress(Progress{Progress: float64(waited), Message: fmt.Sprintf("waiting for the setup of plugin %s on the page (%s so far)", e.Plugin, (time.Duration(waited) * s.opts.SetupProgressEvery).Round(time.Second))})
		case <-timer.C:
			return ErrorResult(fmt.Sprintf("The setup of plugin %s did not complete within %s. %s", e.Plugin, s.opts.SetupTimeout, s.setupText(e, flow.textURL())), s.opts.Masker), false
		case <-ctx.Done():
			return nil, false
		}
	}
	c.elicitationComplete(id)
	if !s.waitActive(ctx, e.Plugin, 30*time.Second) {
		return ErrorResult(fmt.Sprintf("Plugin %s was set up but has not become active yet; call the tool again in a moment.", e.Plugin), s.opts.Masker), false
	}
	return nil, true
}

// SetupProgressEvery is how often a call waiting for the user to finish a
// setup on the page reports progress: well inside the 60 s request timeout
// of common clients, which progress resets.
const SetupProgressEvery = 5 * time.Second

func actionWord(a string) string {
	if a == "decline" {
		return "declined"
	}
	return "cancelled"
}

// waitActive waits until the backend reports plugin active.
func (s *Server) waitActive(ctx context.Context, plugin string, d time.Duration) bool {
	changed := make(chan struct{}, 1)
	cancel := s.b.Subscribe(func(e Event) {
		if e.Kind == PluginChanged && e.Plugin == plugin {
			select {
			case changed <- struct{}{}:
			default:
			}
		}
	})
	defer cancel()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		for _, p := range s.b.Plugins() {
			if p.ID == plugin && p.State == setup.Active {
				return true
			}
		}
		select {
		case <-changed:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}
