package serve

// Beside the serve's supervisor: the setup page of its plugins (--page)
// and the MCP surface over its workers (--http), which sends a client's
// user to that page to set a plugin up.
//
// What the page does with a plugin's code (its fields, a setup session,
// removing a secret, logging out) runs in a short-lived page worker
// (supervisor.PageSessions), never in the serve; the serve then restarts
// the plugin's worker with what was saved.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"

	"host/bindings/setup"
	"host/cmd/host/internal/cmd/plugins"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/mcpserver"
	supervisor "host/cmd/host/internal/serve"
	"host/cmd/host/internal/setuppage"
	"host/cmd/host/internal/surface"
)

// serveMCP serves every plugin's tools over MCP's Streamable HTTP on ln
// until ctx ends; it closes ln.
func serveMCP(ctx context.Context, ln net.Listener, sup *supervisor.Supervisor, pages *servePages, hf surface.HTTPFlags, dataDir string, f *cmdutil.Factory) error {
	io := f.IO
	srv := mcpserver.New(sup, mcpserver.Options{
		Version: f.Version,
		Masker:  io.Masker,
		Instructions: "Tools of host's plugins, named <plugin id>_<tool>. A plugin that needs setup says what to open or run; " +
			"never ask the user for a secret in the chat.",
		Setup:        pages,
		SetupCommand: func(id string) string { return "host setup " + id },
		OnProblem:    func(err error) { fmt.Fprintf(io.Err, "host: %s\n", io.Masker.Mask(err.Error())) },
	})
	defer srv.Close()
	return surface.ServeMCPOn(ctx, ln, srv, hf, dataDir, io)
}

// servePages is the serve's mcpserver.SetupPages: the plugin's page on the
// serve's setup page (with a one-time token), done when a session there set
// the plugin up (the page then restarts its worker).
type servePages struct {
	mu  sync.Mutex
	srv *setuppage.Server // nil: no page (yet, or --page off)
	// say prints a line for the user (the serve's terminal).
	say func(format string, a ...any)
}

func (p *servePages) set(srv *setuppage.Server) {
	p.mu.Lock()
	p.srv = srv
	p.mu.Unlock()
}

func (p *servePages) StartSetup(_ context.Context, id string) (*mcpserver.SetupFlow, error) {
	p.mu.Lock()
	srv := p.srv
	p.mu.Unlock()
	if srv == nil {
		return nil, mcpserver.ErrNoPage // --page off
	}
	link, done, release := srv.SetupLink(id)
	return &mcpserver.SetupFlow{URL: link, Done: done, Close: release, ForText: func() string {
		// The model reads a tool result: its link asks for a code that
		// only the user sees.
		link, code := srv.CodeLink(id)
		if p.say != nil {
			p.say("host: the setup link for plugin %s that the AI client got asks for the code %s", id, code)
		}
		return link
	}}, nil
}

var _ mcpserver.SetupPages = (*servePages)(nil)

// servePage runs the setup page of a serve on ln (from opts.Page) until
// ctx ends; it closes ln.
func servePage(ctx context.Context, ln net.Listener, sup *supervisor.Supervisor, pages *servePages, opts *ServeOptions) error {
	f := opts.Factory
	b := &servePageBackend{PageSessions: sup.PageSessions(), sup: sup, logs: map[string][]string{}}
	ps, err := surface.StartPageOn(ln, b, f.IO)
	if err != nil {
		return err
	}
	defer ps.Close()
	pages.set(ps.Srv)
	defer pages.set(nil)
	sup.SetPage(pageLinks{ps.Srv})
	defer sup.SetPage(nil)
	// The data dir's installed plugins, with Update / Disable / Remove:
	// the serve restarts or stops the ones it runs.
	if pk, err := plugins.NewPagePackages(f, &opts.Plugin); err == nil {
		pk.Restart = func(ctx context.Context, id string) (string, error) {
			st, _, err := sup.Reload(ctx, id)
			var nf *supervisor.NotFoundError
			if errors.As(err, &nf) {
				return "This serve did not start it; the next 'host serve' (without plugin arguments) does.", nil
			}
			if err != nil {
				return "", err
			}
			return st.Line(), nil
		}
		pk.Stop = func(ctx context.Context, id, reason string) error {
			_, err := sup.Stop(ctx, id, reason)
			var nf *supervisor.NotFoundError
			if errors.As(err, &nf) {
				return nil // not running here
			}
			return err
		}
		ps.Srv.SetPackages(pk)
	} else {
		fmt.Fprintf(f.IO.Err, "host: the setup page cannot manage installed plugins: %s\n", f.IO.Masker.Mask(err.Error()))
	}
	fmt.Fprintf(f.IO.Err, "setup page: %s\n", ps.Srv.Link("/"))
	<-ctx.Done()
	return nil
}

// servePageBackend is the page's backend in a serve: the plugins and their
// states are the supervisor's; sessions run in page workers, and a plugin
// the page set up is restarted in its worker.
type servePageBackend struct {
	*supervisor.PageSessions
	sup *supervisor.Supervisor

	mu   sync.Mutex
	logs map[string][]string // the last lines each plugin logged
}

// pageLogTail is how many lines of each plugin's log the serve's page keeps.
const pageLogTail = 40

func (b *servePageBackend) Plugins() []setuppage.Plugin {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []setuppage.Plugin
	for _, st := range b.sup.States() {
		if st.Phase == setup.Stopped {
			continue
		}
		lp, _ := b.Info(st.ID)
		p := setuppage.Plugin{ID: st.ID, Name: st.Name, Description: lp.Description, Auth: lp.Auth, Permissions: lp.Permissions, Login: lp.Login,
			State: st.Phase, Reason: st.Reason, Logs: append([]string(nil), b.logs[st.ID]...)}
		if p.Name == "" {
			p.Name = st.ID
		}
		if st.Status != nil {
			var s setuppage.Status
			if raw, err := json.Marshal(st.Status); err == nil && json.Unmarshal(raw, &s) == nil && s.State != "" {
				p.Status = &s
			}
		}
		out = append(out, p)
	}
	return out
}

// Activated restarts the plugin's worker with what the page saved.
func (b *servePageBackend) Activated(ctx context.Context, id string, done *setup.Done) error {
	if done.Plugin != nil { // not from a page worker (it deactivates its own)
		_ = done.Plugin.Deactivate(ctx)
	}
	b.Forget(id) // the page shows what was saved, at once
	return b.reload(ctx, id)
}

func (b *servePageBackend) reload(ctx context.Context, id string) error {
	st, _, err := b.sup.Reload(ctx, id)
	if err != nil {
		return err
	}
	if st.Phase != setup.Active && st.Phase != setup.NeedsSetup && st.Phase != setup.NeedsLogin {
		return errors.New(st.Line())
	}
	return nil
}

// RemoveSecret deletes the secret and restarts the plugin without it (its
// running worker still holds it: it does not go on).
func (b *servePageBackend) RemoveSecret(ctx context.Context, id, key string) error {
	if err := b.PageSessions.RemoveSecret(ctx, id, key); err != nil {
		return err
	}
	_, err := b.sup.Restart(ctx, id)
	return err
}

// Logout deletes the tokens and restarts the plugin without them.
func (b *servePageBackend) Logout(ctx context.Context, id string) error {
	if err := b.PageSessions.Logout(ctx, id); err != nil {
		return err
	}
	_, err := b.sup.Restart(ctx, id)
	return err
}

func (b *servePageBackend) Subscribe(fn func()) (cancel func()) {
	return b.sup.Subscribe(func(e mcpserver.Event) {
		if e.Kind == mcpserver.PluginChanged {
			b.Forget(e.Plugin) // a reload may have changed its fields
		}
		if e.Kind == mcpserver.Log && e.Log != nil {
			b.mu.Lock()
			l := append(b.logs[e.Plugin], fmt.Sprintf("%-5s %s", e.Log.Level, e.Log.Message))
			if len(l) > pageLogTail {
				l = append([]string(nil), l[len(l)-pageLogTail:]...)
			}
			b.logs[e.Plugin] = l
			b.mu.Unlock()
		}
		fn()
	})
}

var _ setuppage.Backend = (*servePageBackend)(nil)

// pageLinks gives the control channel fresh links to the page's list
// (host setup --browser without a plugin).
type pageLinks struct{ srv *setuppage.Server }

func (p pageLinks) Link() string { return p.srv.Link("/") }

func (p pageLinks) WaitSpent(ctx context.Context, link string) { p.srv.WaitSpent(ctx, link) }

var _ supervisor.PageLinks = pageLinks{}
