package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// caller is how a running tool call reaches its client: in the call's own
// stream (2025-11-25 and earlier: streamCaller), or, on 2026-07-28 and for
// tasks, as input requests the client fulfils and sends back (job).
type caller interface {
	// caps are the client's capabilities (of the request that started the
	// call).
	caps() *mcp.ClientCapabilities
	elicit(ctx context.Context, p *mcp.ElicitParams) (*mcp.ElicitResult, error)
	sample(ctx context.Context, p *mcp.CreateMessageParams) (*mcp.CreateMessageResult, error)
	// progress reports to the client when the call has a progress token;
	// it must not block.
	progress(Progress)
	// elicitationComplete sends notifications/elicitation/complete when
	// there is a stream to send it on.
	elicitationComplete(id string)
}

// streamCaller is a call's client on 2025-11-25 and earlier: requests and
// notifications go on the call's own stream (over HTTP, its response).
type streamCaller struct {
	ctx  context.Context // the call's
	ss   *mcp.ServerSession
	c    *mcp.ClientCapabilities
	prog *progressSender // nil: no progress token
	tag  any             // the call's name for its client (Options.TagCalls); nil: none
}

func (c *streamCaller) caps() *mcp.ClientCapabilities { return c.c }

func (c *streamCaller) elicit(inner context.Context, p *mcp.ElicitParams) (*mcp.ElicitResult, error) {
	rctx, cancel := related(c.ctx, inner)
	defer cancel()
	if c.tag != nil {
		q := *p
		q.Meta = tagged(p.Meta, c.tag)
		p = &q
	}
	return c.ss.Elicit(rctx, p)
}

// tagged is meta with MetaCall set to tag (a copy: meta is the caller's).
func tagged(meta mcp.Meta, tag any) mcp.Meta {
	m := make(mcp.Meta, len(meta)+1)
	for k, v := range meta {
		m[k] = v
	}
	m[MetaCall] = tag
	return m
}

func (c *streamCaller) sample(inner context.Context, p *mcp.CreateMessageParams) (*mcp.CreateMessageResult, error) {
	rctx, cancel := related(c.ctx, inner)
	defer cancel()
	if c.tag != nil {
		q := *p
		q.Meta = tagged(p.Meta, c.tag)
		p = &q
	}
	return c.ss.CreateMessage(rctx, p)
}

func (c *streamCaller) progress(p Progress) {
	if c.prog != nil {
		c.prog.send(p)
	}
}

func (c *streamCaller) elicitationComplete(id string) {
	_ = c.ss.NotifyElicitationComplete(c.ctx, &mcp.ElicitationCompleteParams{ElicitationID: id})
}

// A job is a tools/call that runs apart from the requests that carry it.
// On 2026-07-28 a server does not send requests to the client: a call that
// asks the user (ctx.elicit, ctx.sample, a setup through the setup page)
// answers its request with an input_required result holding the questions
// and the job's id as requestState; the client retries the call with the
// answers and that state, and the retry resumes the same job (the plugin's
// tool keeps running in between, awaiting its answer). A task (the Tasks
// extension) is a job the client polls instead.
//
// A job no request waits on for JobIdleTimeout is cancelled and forgotten.
type job struct {
	s            *Server
	id           string
	plugin, tool string
	c            func() *mcp.ClientCapabilities // decoded when first asked
	cancel       context.CancelFunc
	start        func() // runs the call; once

	mu      sync.Mutex
	changed chan struct{} // closed (and replaced) on every change
	asks    map[string]*ask
	n       int // input requests made so far, for their keys
	done    bool
	res     *mcp.CallToolResult
	err     error
	att     *attachment // the request waiting on the job now, if any
	idle    *time.Timer
	task    *taskState // non-nil for a task
}

// ask is one input request the job waits to have answered.
type ask struct {
	req    mcp.InputRequest
	answer chan mcp.InputResponse // buffered 1
}

// attachment is the request that waits on a job now: progress and
// notifications go on its stream.
type attachment struct {
	ctx  context.Context
	ss   *mcp.ServerSession
	prog *progressSender
}

// JobIdleTimeout is how long a job waits for the client to come back (with
// the answers to its input requests, or to poll a task) before it is
// cancelled.
const JobIdleTimeout = 15 * time.Minute

// newJob makes a job for plugin's tool with input; start runs it.
func (s *Server) newJob(plugin, tool string, input json.RawMessage, c func() *mcp.ClientCapabilities) *job {
	ctx, cancel := context.WithCancel(context.Background())
	j := &job{s: s, id: newElicitationID(), plugin: plugin, tool: tool, c: c, cancel: cancel, changed: make(chan struct{}), asks: map[string]*ask{}}
	s.mu.Lock()
	s.jobs[j.id] = j
	s.mu.Unlock()
	j.start = func() {
		go func() {
			res, err := s.runCall(ctx, plugin, tool, input, j)
			j.finish(res, err)
		}()
	}
	return j
}

// job returns the job with id, nil when there is none (never was, ended,
// expired).
func (s *Server) job(id string) *job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobs[id]
}

func (s *Server) dropJob(j *job) {
	s.mu.Lock()
	delete(s.jobs, j.id)
	s.mu.Unlock()
	j.mu.Lock()
	if j.idle != nil {
		j.idle.Stop()
	}
	j.mu.Unlock()
	j.cancel()
}

// signal wakes whoever waits for a change; j.mu is held.
func (j *job) signal() {
	close(j.changed)
	j.changed = make(chan struct{})
}

func (j *job) finish(res *mcp.CallToolResult, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.done, j.res, j.err = true, res, err
	if j.task != nil {
		j.task.update(res, err)
	}
	j.signal()
}

func (j *job) caps() *mcp.ClientCapabilities { return j.c() }

// request asks the client: the request waits in the job until a retry (or
// tasks/update) answers it, or ctx ends.
func (j *job) request(ctx context.Context, kind string, req mcp.InputRequest) (mcp.InputResponse, error) {
	j.mu.Lock()
	j.n++
	key := fmt.Sprintf("%s-%d", kind, j.n)
	a := &ask{req: req, answer: make(chan mcp.InputResponse, 1)}
	j.asks[key] = a
	if j.task != nil {
		j.task.touch()
	}
	j.signal()
	j.mu.Unlock()
	select {
	case r := <-a.answer:
		return r, nil
	case <-ctx.Done():
		j.mu.Lock()
		delete(j.asks, key)
		j.mu.Unlock()
		return nil, ctx.Err()
	}
}

func (j *job) elicit(ctx context.Context, p *mcp.ElicitParams) (*mcp.ElicitResult, error) {
	r, err := j.request(ctx, "elicit", p)
	if err != nil {
		return nil, err
	}
	er, ok := r.(*mcp.ElicitResult)
	if !ok {
		return nil, fmt.Errorf("the client answered an elicitation with %T", r)
	}
	return er, nil
}

func (j *job) sample(ctx context.Context, p *mcp.CreateMessageParams) (*mcp.CreateMessageResult, error) {
	r, err := j.request(ctx, "sample", p)
	if err != nil {
		return nil, err
	}
	switch m := r.(type) {
	case *mcp.CreateMessageWithToolsResult:
		if len(m.Content) != 1 {
			return nil, fmt.Errorf("the client's model answered with %d content blocks, want 1", len(m.Content))
		}
		return &mcp.CreateMessageResult{Meta: m.Meta, Content: m.Content[0], Model: m.Model, Role: m.Role, StopReason: m.StopReason}, nil
	case *mcp.CreateMessageResult:
		return m, nil
	}
	return nil, fmt.Errorf("the client answered a sampling request with %T", r)
}

func (j *job) progress(p Progress) {
	j.mu.Lock()
	att := j.att
	j.mu.Unlock()
	if att != nil && att.prog != nil {
		att.prog.send(p)
	}
}

func (j *job) elicitationComplete(id string) {
	j.mu.Lock()
	att := j.att
	j.mu.Unlock()
	if att != nil {
		_ = att.ss.NotifyElicitationComplete(att.ctx, &mcp.ElicitationCompleteParams{ElicitationID: id})
	}
}

// answer hands the client's responses to the input requests they answer;
// keys the job is not waiting for are ignored.
func (j *job) answer(rs mcp.InputResponseMap) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for k, r := range rs {
		if a, ok := j.asks[k]; ok && r != nil {
			delete(j.asks, k)
			a.answer <- r
		}
	}
	if j.task != nil {
		j.task.touch()
	}
	j.signal()
}

// pending is the input requests not answered yet; j.mu is held.
func (j *job) pending() mcp.InputRequestMap {
	if len(j.asks) == 0 {
		return nil
	}
	m := make(mcp.InputRequestMap, len(j.asks))
	for k, a := range j.asks {
		m[k] = a.req
	}
	return m
}

// attach makes att the request the job reports to, and stops the idle
// timer until detach.
func (j *job) attach(att *attachment) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.att = att
	if j.idle != nil {
		j.idle.Stop()
	}
}

func (j *job) detach(att *attachment) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.att == att {
		j.att = nil
	}
	if !j.done || j.task != nil {
		j.startIdle()
	}
}

// startIdle (re)starts the timer that forgets a job nobody comes back for;
// j.mu is held.
func (j *job) startIdle() {
	if j.idle != nil {
		j.idle.Stop()
	}
	j.idle = time.AfterFunc(j.s.opts.JobIdleTimeout, func() { j.s.dropJob(j) })
}

// wait waits until the job ends or asks the client something: the result,
// or an input_required result with the job's id as requestState. ctx
// ending (the client gave up on the request) cancels the job.
func (j *job) wait(ctx context.Context) (*mcp.CallToolResult, error) {
	for {
		j.mu.Lock()
		if j.done {
			res, err := j.res, j.err
			j.mu.Unlock()
			j.s.dropJob(j)
			return res, err
		}
		if p := j.pending(); p != nil {
			j.mu.Unlock()
			return &mcp.CallToolResult{InputRequests: p, RequestState: j.id}, nil
		}
		ch := j.changed
		j.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			j.s.dropJob(j)
			return nil, ctx.Err()
		}
	}
}

// errBadState is a retry whose requestState names no job of this tool.
func errBadState(tool string) error {
	return &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("requestState is not one host issued for %s, or the call it belonged to has ended or expired: call the tool again without requestState", tool)}
}

// callDetached serves a tools/call on 2026-07-28: a new job, or the job a
// retry's requestState names, resumed with the retry's input responses.
func (s *Server) callDetached(ctx context.Context, req *mcp.CallToolRequest, plugin, tool string) (*mcp.CallToolResult, error) {
	att := &attachment{ctx: ctx, ss: req.Session}
	if tok := req.Params.GetProgressToken(); tok != nil {
		att.prog = newProgressSender(ctx, req.Session, tok, s.opts.Masker)
	}
	ac := s.track(req.Session, plugin, ctx)
	defer s.untrack(ac)
	// Attached before the call starts or resumes, so its first progress
	// and logs reach this request.
	// Decoded only when the call asks the client something: the SDK
	// decodes the request's _meta anew on each ClientCapabilities.
	caps := sync.OnceValue(req.ClientCapabilities)
	var j *job
	if st := req.Params.RequestState; st != "" {
		j = s.job(st)
		if j == nil || j.plugin != plugin || j.tool != tool || j.task != nil {
			s.closeProgress(att)
			return nil, errBadState(req.Params.Name)
		}
		j.attach(att)
		j.answer(req.Params.InputResponses)
	} else {
		s.mu.Lock()
		n := len(s.jobs)
		s.mu.Unlock()
		if n >= s.opts.MaxJobs {
			s.closeProgress(att)
			return nil, &jsonrpc.Error{Code: -32000, Message: fmt.Sprintf("host is keeping %d calls that wait for their clients (answers to their questions, tasks not yet fetched), the most it keeps: fetch or cancel tasks, or answer the calls' questions; unanswered ones end after %s", n, s.opts.JobIdleTimeout)}
		}
		j = s.newJob(plugin, tool, req.Params.Arguments, caps)
		j.attach(att)
		j.start()
	}
	if s.wantsTask(req) {
		res, err := s.taskAfter(ctx, j)
		j.detach(att)
		s.closeProgress(att)
		return res, err
	}
	res, err := j.wait(ctx)
	j.detach(att)
	s.closeProgress(att)
	if ac.logged.Load() {
		s.logQueue(req.Session).flush(2 * time.Second)
	}
	if err != nil && errors.Is(err, context.Canceled) && ctx.Err() == nil {
		err = &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "the call was cancelled"}
	}
	return res, err
}

// closeProgress sends what progress att's call reported before its answer.
func (s *Server) closeProgress(att *attachment) {
	if att.prog != nil {
		s.settle(att.prog)
		att.prog.close()
	}
}
