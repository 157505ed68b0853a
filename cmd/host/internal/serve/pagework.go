package serve

// The setup page's work in a short-lived worker.
//
// No plugin code runs in the serve: what the setup page does with a
// plugin's code (reading its fields, which loads it; a setup session,
// whose "Save and test" runs onActivate; removing a secret; logging out)
// runs in a page worker, `host worker --page ID PLUGIN`, started for that
// one job and ended after it, with the memory cap, the environment and
// the config values of the plugin's own worker. A plugin that floods
// memory, loops or crashes there ends that page worker; the page says
// so, and the serve, its other plugins and the page go on.
//
// The page worker is an MCP server over stdio like any worker; its tools
// are the page's operations (pageTool*), their arguments and results JSON
// in a text content.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/console"
	"host/bindings/setup"
	"host/cmd/host/internal/setuppage"
)

// PageFlag is the worker flag that makes it a page worker for the
// plugin id it names.
const PageFlag = "page"

// The page worker's tools.
const (
	PageToolInspect = "page_inspect"        // () -> PageInfo
	PageToolStart   = "page_session_start"  // PageStart -> {}
	PageToolNext    = "page_session_next"   // () -> PageStep
	PageToolAnswer  = "page_session_answer" // PageAnswer -> PageAnswered
	PageToolRemove  = "page_remove_secret"  // PageKey -> {}
	PageToolLogout  = "page_logout"         // () -> {}
)

// PageInfo is what the page shows of a plugin and its fields.
type PageInfo struct {
	Plugin setuppage.Plugin  `json:"plugin"`
	Fields []setuppage.Field `json:"fields"`
}

// PageStart starts a setup session (setuppage.SessionOptions).
type PageStart struct {
	Set        map[string]string `json:"set,omitempty"`
	ForceLogin bool              `json:"forceLogin,omitempty"`
	FlowName   string            `json:"flowName,omitempty"`
	Back       string            `json:"back,omitempty"` // the plugin's page, for the login's callback page
}

// PageAnswer answers the session's Ask.
type PageAnswer struct {
	Answers map[string]string `json:"answers"`
}

// PageAnswered are the answers the session did not accept, by key.
type PageAnswered struct {
	Issues map[string]string `json:"issues,omitempty"`
}

// PageKey names a secret config field.
type PageKey struct {
	Key string `json:"key"`
}

// PageStep is a session's step or its end, as the page worker sends it:
// exactly one field is set.
type PageStep struct {
	Ask     *setup.Ask   `json:"ask,omitempty"`
	Login   *setup.Login `json:"login,omitempty"`
	Done    *PageDone    `json:"done,omitempty"`
	Failure *PageFailure `json:"failure,omitempty"`
	Error   string       `json:"error,omitempty"`
}

// PageDone is a setup.Done whose plugin the page worker has deactivated
// (the serve restarts the plugin's worker with what was saved).
type PageDone struct {
	Saved    []setup.Question `json:"saved,omitempty"`
	NotSaved []setup.Question `json:"notSaved,omitempty"`
	Why      string           `json:"why,omitempty"`
}

// PageFailure is a *setup.Failure.
type PageFailure struct {
	Kind      setup.Kind       `json:"kind"`
	Plugin    setup.Info       `json:"plugin"`
	Pos       string           `json:"pos,omitempty"`
	Message   string           `json:"message,omitempty"`
	Questions []setup.Question `json:"questions,omitempty"`
	Err       string           `json:"err"`
}

// EncodeStep is step st (or the session's end err) for the wire, each
// text through mask.
func EncodeStep(st setup.Step, err error, mask func(string) string) PageStep {
	if err != nil {
		var f *setup.Failure
		if errors.As(err, &f) {
			return PageStep{Failure: &PageFailure{Kind: f.Kind, Plugin: f.Plugin, Pos: f.Pos, Message: mask(f.Message),
				Questions: maskQuestions(f.Questions, mask), Err: mask(f.Error())}}
		}
		return PageStep{Error: mask(err.Error())}
	}
	switch v := st.(type) {
	case *setup.Ask:
		a := *v
		a.Refusal = mask(a.Refusal)
		a.Questions = maskQuestions(a.Questions, mask)
		return PageStep{Ask: &a}
	case *setup.Login:
		l := *v
		l.Finished, l.Reason = nil, mask(l.Reason)
		return PageStep{Login: &l}
	case *setup.Done:
		d := &PageDone{Saved: v.Saved, NotSaved: v.NotSaved}
		if v.Why != nil {
			d.Why = mask(v.Why.Error())
		}
		return PageStep{Done: d}
	}
	return PageStep{Error: fmt.Sprintf("unexpected setup step %T", st)}
}

func maskQuestions(qs []setup.Question, mask func(string) string) []setup.Question {
	out := make([]setup.Question, len(qs))
	for i, q := range qs {
		q.Refusal = mask(q.Refusal)
		issues := make([]string, len(q.Issues))
		for j, s := range q.Issues {
			issues[j] = mask(s)
		}
		if len(issues) > 0 {
			q.Issues = issues
		}
		out[i] = q
	}
	return out
}

// Decode is the step (or the end) the page worker sent.
func (p PageStep) Decode() (setup.Step, error) {
	switch {
	case p.Ask != nil:
		return p.Ask, nil
	case p.Login != nil:
		return p.Login, nil
	case p.Done != nil:
		d := &setup.Done{Saved: p.Done.Saved, NotSaved: p.Done.NotSaved}
		if p.Done.Why != "" {
			d.Why = errors.New(p.Done.Why)
		}
		return d, nil
	case p.Failure != nil:
		f := p.Failure
		return nil, &setup.Failure{Kind: f.Kind, Plugin: f.Plugin, Pos: f.Pos, Message: f.Message, Questions: f.Questions, Err: errors.New(f.Err)}
	case p.Error != "":
		return nil, errors.New(p.Error)
	}
	return nil, errors.New("the page worker sent no step")
}

// PageWorkerError is page work that ended with its worker: the plugin
// went above its memory cap, crashed, or did not finish in time.
type PageWorkerError struct {
	Plugin, Reason string
}

func (e *PageWorkerError) Error() string {
	return fmt.Sprintf("the setup of plugin %s stopped: %s; it ran in a worker of its own (the serve and the other plugins go on)", e.Plugin, e.Reason)
}

// pageWorker is one running page worker.
type pageWorker struct {
	sup  *Supervisor
	id   string
	w    *worker
	sess *mcp.ClientSession
	stop chan struct{} // closed by close
	once sync.Once
}

// startPageWorker starts a page worker for plugin id.
func (s *Supervisor) startPageWorker(ctx context.Context, id string) (*pageWorker, error) {
	sl, err := s.find(id)
	if err != nil {
		return nil, err
	}
	o := &s.opts
	cmd := o.Command(sl.path)
	cmd.Args = append(cmd.Args, "--"+PageFlag, id)
	w := &worker{cmd: cmd, exited: make(chan struct{}), states: make(chan State, 16), tail: &tail{}}
	if cmd.Stderr != nil {
		cmd.Stderr = io.MultiWriter(&console.CleanWriter{W: cmd.Stderr}, w.tail)
	} else {
		cmd.Stderr = w.tail
	}
	setProcAttr(cmd)
	cmd.Env = WorkerEnv(o.Environ, s.shared())
	var cfg *configPipe
	if s.shared() {
		if cfg, err = sl.configPipe(cmd); err != nil {
			return nil, fmt.Errorf("the page worker did not start: %w", err)
		}
		defer cfg.close()
	}
	// Written once every plugin said its id; the worker reads it before
	// it answers MCP.
	cfg.send(s, id)
	keyDone, err := s.passKey(cmd)
	if err != nil {
		return nil, fmt.Errorf("the page worker did not start: %w", err)
	}
	defer keyDone()
	client := mcp.NewClient(&mcp.Implementation{Name: "host-serve-page", Version: "1"}, nil)
	sess, err := client.Connect(s.ctx, &mcp.CommandTransport{Command: cmd, TerminateDuration: o.StopWait}, nil)
	if cmd.Process != nil {
		w.pid.Store(int64(cmd.Process.Pid))
	}
	cfg.started()
	if err != nil {
		if cmd.Process != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return nil, fmt.Errorf("the page worker did not start: %s", w.exitText(cmd.ProcessState))
		}
		return nil, fmt.Errorf("the page worker did not start: %w", err)
	}
	w.sess = sess
	go w.watch()
	pw := &pageWorker{sup: s, id: id, w: w, sess: sess, stop: make(chan struct{})}
	go pw.watchMemory()
	return pw, nil
}

// watchMemory stops the page worker above the memory cap, as the
// supervisor does its workers.
func (pw *pageWorker) watchMemory() {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-pw.w.exited:
			return
		case <-pw.stop:
			return
		case <-t.C:
		}
		if rss, ok := residentBytes(int(pw.w.pid.Load())); ok && rss > pw.sup.opts.Memory {
			pw.w.kill(memoryReason(pw.id, pw.sup.opts.Memory))
		}
	}
}

// call calls tool with args and decodes its result into out (may be nil).
// A worker that ends during the call is a *PageWorkerError; one still
// running when ctx ends is stopped.
func (pw *pageWorker) call(ctx context.Context, tool string, args, out any) error {
	res, err := pw.sess.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		select {
		case <-pw.w.exited:
			reason := pw.w.endReason()
			if pw.w.cmd.ProcessState != nil && pw.w.cmd.ProcessState.ExitCode() == 0 {
				// It ended by itself: idle for too long (worker.pageIdle).
				reason = "its worker ended after a long time without a step; open the plugin's page again"
			}
			return &PageWorkerError{Plugin: pw.id, Reason: reason}
		case <-time.After(time.Second):
		}
		if ctx.Err() != nil {
			pw.w.kill("")
			return fmt.Errorf("plugin %s: %w", pw.id, ctx.Err())
		}
		return fmt.Errorf("plugin %s: the page worker: %w", pw.id, err)
	}
	text := ""
	if len(res.Content) > 0 {
		if tc, ok := res.Content[0].(*mcp.TextContent); ok {
			text = tc.Text
		}
	}
	if res.IsError {
		return errors.New(text)
	}
	if out == nil || text == "" {
		return nil
	}
	return json.Unmarshal([]byte(text), out)
}

// close ends the page worker (its plugin is deactivated if the session
// left it active) and waits for it.
func (pw *pageWorker) close() {
	pw.once.Do(func() {
		close(pw.stop)
		pw.w.stop()
	})
}

// PageSessions is the setup page's work on the supervisor's plugins, each
// job in a page worker of its own. Its methods are safe for concurrent
// use.
type PageSessions struct {
	sup *Supervisor

	mu     sync.Mutex
	info   map[string]setuppage.Plugin
	fields map[string][]setuppage.Field // nil entry: read again
}

// PageSessions returns the supervisor's PageSessions.
func (s *Supervisor) PageSessions() *PageSessions {
	return &PageSessions{sup: s, info: map[string]setuppage.Plugin{}, fields: map[string][]setuppage.Field{}}
}

// pageTimeout bounds a page job that runs no login: loading the plugin,
// its keyring reads and its onActivate, each bounded by the plugin's
// timeout.
func (p *PageSessions) pageTimeout() time.Duration {
	return 3*p.sup.opts.Timeout + p.sup.opts.Grace
}

// once runs one job in a page worker of its own.
func (p *PageSessions) once(ctx context.Context, id string, fn func(context.Context, *pageWorker) error) error {
	ctx, cancel := context.WithTimeout(ctx, p.pageTimeout())
	defer cancel()
	pw, err := p.sup.startPageWorker(ctx, id)
	if err != nil {
		return err
	}
	defer pw.close()
	return fn(ctx, pw)
}

// Info is what the last Fields learnt of plugin id (its description,
// auth, permissions, login), if anything.
func (p *PageSessions) Info(id string) (setuppage.Plugin, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	info, ok := p.info[id]
	return info, ok
}

// Fields is setuppage.Backend's Fields: read in a page worker, kept until
// Forget.
func (p *PageSessions) Fields(ctx context.Context, id string) ([]setuppage.Field, error) {
	p.mu.Lock()
	fs, ok := p.fields[id]
	p.mu.Unlock()
	if ok && fs != nil {
		return fs, nil
	}
	var info PageInfo
	err := p.once(ctx, id, func(ctx context.Context, pw *pageWorker) error {
		return pw.call(ctx, PageToolInspect, map[string]any{}, &info)
	})
	if err != nil {
		return nil, err
	}
	if info.Fields == nil {
		info.Fields = []setuppage.Field{}
	}
	p.mu.Lock()
	p.info[id], p.fields[id] = info.Plugin, info.Fields
	p.mu.Unlock()
	return info.Fields, nil
}

// Forget drops what is known of plugin id's fields.
func (p *PageSessions) Forget(id string) {
	p.mu.Lock()
	delete(p.fields, id)
	p.mu.Unlock()
}

// RemoveSecret is setuppage.Backend's RemoveSecret, in a page worker.
func (p *PageSessions) RemoveSecret(ctx context.Context, id, key string) error {
	defer p.Forget(id)
	return p.once(ctx, id, func(ctx context.Context, pw *pageWorker) error {
		return pw.call(ctx, PageToolRemove, PageKey{Key: key}, nil)
	})
}

// Logout is setuppage.Backend's Logout, in a page worker.
func (p *PageSessions) Logout(ctx context.Context, id string) error {
	defer p.Forget(id)
	return p.once(ctx, id, func(ctx context.Context, pw *pageWorker) error {
		return pw.call(ctx, PageToolLogout, map[string]any{}, nil)
	})
}

// Session is setuppage.Backend's Session: a setup session in a page
// worker that lives until the session is closed. A Done it reaches
// carries no plugin: the page worker deactivated it.
func (p *PageSessions) Session(ctx context.Context, id string, o setuppage.SessionOptions) (setuppage.Session, error) {
	pw, err := p.sup.startPageWorker(ctx, id)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithTimeout(ctx, p.pageTimeout())
	defer cancel()
	start := PageStart{Set: o.Set, ForceLogin: o.ForceLogin, FlowName: o.Flow.Name, Back: o.Back}
	if err := pw.call(sctx, PageToolStart, start, nil); err != nil {
		pw.close()
		return nil, err
	}
	return &pageSession{p: p, pw: pw}, nil
}

// pageSession is a setup session in a page worker.
type pageSession struct {
	p     *PageSessions
	pw    *pageWorker
	login bool // the last step was a Login (the next one waits for the user)
}

// Next runs the session's next step in the page worker: bounded as any
// page job unless it waits for a login.
func (s *pageSession) Next(ctx context.Context) (setup.Step, error) {
	if !s.login {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.p.pageTimeout())
		defer cancel()
	}
	var ps PageStep
	if err := s.pw.call(ctx, PageToolNext, map[string]any{}, &ps); err != nil {
		return nil, err
	}
	st, err := ps.Decode()
	_, s.login = st.(*setup.Login)
	if _, done := st.(*setup.Done); done || err != nil {
		s.p.Forget(s.pw.id)
		go s.pw.close() // the session is over
	}
	return st, err
}

func (s *pageSession) Answer(answers map[string]string) error {
	var res PageAnswered
	ctx, cancel := context.WithTimeout(context.Background(), s.p.pageTimeout())
	defer cancel()
	if err := s.pw.call(ctx, PageToolAnswer, PageAnswer{Answers: answers}, &res); err != nil {
		return err
	}
	if len(res.Issues) > 0 {
		return &setup.AnswerError{Issues: res.Issues}
	}
	return nil
}

func (s *pageSession) Close() { s.pw.close() }

var _ setuppage.Session = (*pageSession)(nil)

// Restart starts a new worker for the plugin named name and makes it the
// serving one even when it does not become active: what it was set up
// with has gone (the page removed a secret, logged out), so the old
// worker, which still holds it, must not go on. A new worker that does
// not start at all leaves the old one. It returns the plugin's state
// afterwards.
func (s *Supervisor) Restart(ctx context.Context, name string) (State, error) {
	r, err := s.request(ctx, name, reloadReq{replace: true})
	return r.state, err
}
