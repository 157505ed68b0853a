package worker

// The page worker: `host worker --page ID PLUGIN` runs the serve's setup
// page's work for plugin ID (reading its fields, one setup session,
// removing a secret, logging out) so that no plugin code runs in the
// serve. It is an MCP server on stdio whose tools are those jobs (see
// package serve, pagework.go); it ends when the serve closes its stdin.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/setup"
	"host/cmd/host/internal/serve"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/setuppage"
	"host/cmd/host/internal/surface"
	"host/cmd/host/internal/ui"
)

// pageWorker holds the page worker's one plugin and its session.
type pageWorker struct {
	id    string
	local *setuppage.Local
	mask  func(string) string

	mu   sync.Mutex
	sess setuppage.Session // the session of the last PageToolStart
}

func pageRun(ctx context.Context, opts *WorkerOptions) error {
	wio := *opts.Factory.IO
	wio.Out, wio.Prompter = wio.Err, nil
	f := opts.Factory.WithIO(&wio)
	f.Guard.SetMemoryExit(serve.ExitMemory)
	f.Guard.SetPlugin(opts.Page) // its memory message names the plugin
	defer useSecretsKey(f, opts.SecretsKeyFD)()
	sess, err := session.Open(f, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	path := sess.Resolve(opts.Path)
	lo := surface.LocalOptions(sess, session.SetupArgs{Set: opts.Plugin.Set, Adopt: opts.Plugin.Adopt, Shared: opts.Shared},
		[]string{path}, []string{opts.Page})
	if opts.ConfigFD != 0 {
		if lo.Inputs, err = configInputs(func() (serve.ConfigValues, error) { return readConfigFD(opts.ConfigFD) }, lo.Inputs); err != nil {
			return err
		}
	}
	local, err := setuppage.NewLocal(ctx, lo)
	if err != nil {
		return err
	}
	pw := &pageWorker{id: opts.Page, local: local, mask: f.IO.Masker.Mask}
	defer func() {
		pw.mu.Lock()
		if pw.sess != nil {
			pw.sess.Close()
		}
		pw.mu.Unlock()
		local.Close(context.Background())
	}()
	srv := mcp.NewServer(&mcp.Implementation{Name: "host-page-worker", Version: f.Version}, nil)
	// A session the user left (the page open at a form, never saved) does
	// not keep its worker: it ends after pageIdle without a call.
	ctx, stopIdle := context.WithCancel(ctx)
	defer stopIdle()
	idle := newIdle(pageIdle, stopIdle)
	add := func(name string, fn func(ctx context.Context, args json.RawMessage) (any, error)) {
		srv.AddTool(&mcp.Tool{Name: name, InputSchema: map[string]any{"type": "object"}},
			func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
				defer idle.busy()()
				out, err := fn(ctx, req.Params.Arguments)
				if err != nil {
					return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: pw.mask(err.Error())}}}, nil
				}
				b, err := json.Marshal(out)
				if err != nil {
					return nil, err
				}
				return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(b)}}}, nil
			})
	}
	add(serve.PageToolInspect, pw.inspect)
	add(serve.PageToolStart, pw.start)
	add(serve.PageToolNext, pw.next)
	add(serve.PageToolAnswer, pw.answer)
	add(serve.PageToolRemove, func(ctx context.Context, args json.RawMessage) (any, error) {
		var k serve.PageKey
		if err := json.Unmarshal(args, &k); err != nil {
			return nil, err
		}
		return struct{}{}, pw.local.RemoveSecret(ctx, pw.id, k.Key)
	})
	add(serve.PageToolLogout, func(ctx context.Context, _ json.RawMessage) (any, error) {
		return struct{}{}, pw.local.Logout(ctx, pw.id)
	})
	f.Trace("page worker serving")
	err = srv.Run(ctx, &mcp.StdioTransport{})
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, mcp.ErrConnectionClosed) {
		return err
	}
	return nil
}

func (pw *pageWorker) inspect(ctx context.Context, _ json.RawMessage) (any, error) {
	fields, err := pw.local.Fields(ctx, pw.id)
	if err != nil {
		return nil, err
	}
	info := serve.PageInfo{Fields: fields}
	for _, p := range pw.local.Plugins() {
		if p.ID == pw.id {
			p.Reason = pw.mask(p.Reason)
			p.Logs = nil // the serve keeps the plugin's log
			info.Plugin = p
		}
	}
	return info, nil
}

func (pw *pageWorker) start(ctx context.Context, args json.RawMessage) (any, error) {
	var a serve.PageStart
	if err := json.Unmarshal(args, &a); err != nil {
		return nil, err
	}
	o := setuppage.SessionOptions{Set: a.Set, ForceLogin: a.ForceLogin, Back: a.Back}
	o.Flow.Name = a.FlowName
	if a.Back != "" {
		o.Flow.Page = ui.CallbackPageBack(a.Back)
	}
	// The session outlives this call: it runs on the worker's life.
	s, err := pw.local.Session(context.WithoutCancel(ctx), pw.id, o)
	if err != nil {
		return nil, err
	}
	pw.mu.Lock()
	old := pw.sess
	pw.sess = s
	pw.mu.Unlock()
	if old != nil {
		old.Close()
	}
	return struct{}{}, nil
}

func (pw *pageWorker) session() (setuppage.Session, error) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	if pw.sess == nil {
		return nil, fmt.Errorf("no setup session of plugin %s runs here", pw.id)
	}
	return pw.sess, nil
}

// next runs the session's next step; a Done's plugin is deactivated here
// (the serve restarts the plugin's own worker with what was saved).
func (pw *pageWorker) next(ctx context.Context, _ json.RawMessage) (any, error) {
	s, err := pw.session()
	if err != nil {
		return nil, err
	}
	st, err := s.Next(ctx)
	if done, ok := st.(*setup.Done); ok && err == nil {
		_ = pw.local.Activated(ctx, pw.id, done) // deactivates it; its onDeactivate's error is its own
	}
	return serve.EncodeStep(st, err, pw.mask), nil
}

func (pw *pageWorker) answer(_ context.Context, args json.RawMessage) (any, error) {
	var a serve.PageAnswer
	if err := json.Unmarshal(args, &a); err != nil {
		return nil, err
	}
	s, err := pw.session()
	if err != nil {
		return nil, err
	}
	var ae *setup.AnswerError
	switch err := s.Answer(a.Answers); {
	case errors.As(err, &ae):
		issues := map[string]string{}
		for k, v := range ae.Issues {
			issues[k] = pw.mask(v)
		}
		return serve.PageAnswered{Issues: issues}, nil
	case err != nil:
		return nil, err
	}
	return serve.PageAnswered{}, nil
}

// pageIdle is how long a page worker waits for its next job.
const pageIdle = 15 * time.Minute

// idle calls stop once d passes with no call in progress.
type idle struct {
	mu      sync.Mutex
	d       time.Duration
	t       *time.Timer
	running int
}

func newIdle(d time.Duration, stop func()) *idle {
	return &idle{d: d, t: time.AfterFunc(d, stop)}
}

// busy marks a call in progress until the returned func is called.
func (i *idle) busy() (done func()) {
	i.mu.Lock()
	i.running++
	i.t.Stop()
	i.mu.Unlock()
	return func() {
		i.mu.Lock()
		i.running--
		if i.running == 0 {
			i.t.Reset(i.d)
		}
		i.mu.Unlock()
	}
}
