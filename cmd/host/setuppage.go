package main

// The local setup page (cmd/host/internal/setuppage) as the CLI offers it:
// `host setup PLUGIN --browser` serves it for one plugin on a short-lived
// loopback port and opens the browser; `host serve` serves it for all its
// plugins beside the supervisor (--page ADDR, "off" for none) and prints
// its address with a one-time token.
//
// Sessions the page runs load the plugin in this process (the serve's or
// the setup command's) only to set it up; a serve then restarts the
// plugin's worker with what was saved, so the running plugin stays in its
// worker.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"host/bindings/setup"
	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/serve"
	"host/cmd/host/internal/setuppage"
)

func init() {
	var addr string
	serveExtensions = append(serveExtensions, &serveExtension{
		flags: func(fs *flag.FlagSet) { fs.StringVar(&addr, "page", "127.0.0.1:0", "") },
		startWith: func(ctx context.Context, sup *serve.Supervisor, o *runOptions) error {
			if addr == "off" || addr == "" {
				return nil
			}
			return servePage(ctx, sup, o, addr)
		},
	})
}

// pageServer is a setup page on its own loopback listener.
type pageServer struct {
	srv *setuppage.Server
	hs  *http.Server
}

func startPage(addr string, b setuppage.Backend, o *runOptions) (*pageServer, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, usagef("--page %s: want HOST:PORT, e.g. 127.0.0.1:7332", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, usagef("--page %s: the setup page listens on a loopback address only (127.0.0.1)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("the setup page: %w", err)
	}
	srv, err := setuppage.New(setuppage.Options{Backend: b, Addr: ln.Addr().String(), Masker: o.IO.Masker})
	if err != nil {
		ln.Close()
		return nil, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go hs.Serve(ln)
	return &pageServer{srv: srv, hs: hs}, nil
}

func (p *pageServer) close() {
	p.srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = p.hs.Shutdown(ctx)
	p.hs.Close()
}

// localOptions are the page's Local backend options for files.
func localOptions(sess *session, o *runOptions, files, ids []string) setuppage.LocalOptions {
	so := o.setupOptions(sess)
	return setuppage.LocalOptions{Host: sess.host, Files: files, IDs: ids, Inputs: so.Inputs, Adopt: o.Adopt, Login: so.Login}
}

// setupInBrowser is `host setup PLUGIN --browser`: the page for the plugin
// at o.Path until it is set up (or Ctrl-C, or --auth-timeout). With a
// running serve (c), the serve then restarts the plugin with it.
func setupInBrowser(ctx context.Context, o *runOptions, c *serve.Client, id string) error {
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	o.Path = sess.resolve(o.Path)
	local, err := setuppage.NewLocal(ctx, localOptions(sess, o, []string{o.Path}, nil))
	if err != nil {
		return err
	}
	defer local.Close(context.Background())
	ps, err := startPage("127.0.0.1:0", local, o)
	if err != nil {
		return err
	}
	defer ps.close()
	p := local.Plugins()[0]
	link, done, release := ps.srv.SetupLink(p.ID)
	defer release()
	fmt.Fprintf(o.IO.Err, "Set up %s in the browser:\n  %s\n(the link works once; Ctrl-C to stop)\n", p.Name, link)
	if !o.Auth.NoBrowser {
		if err := o.IO.browser()(link); err != nil {
			fmt.Fprintf(o.IO.Err, "Could not open a browser (%s); open the link above.\n", o.IO.Masker.Mask(err.Error()))
		}
	}
	timeout := o.Auth.AuthTimeout
	if timeout <= 0 {
		timeout = DefaultAuthTimeout
	}
	select {
	case err := <-done:
		if err != nil {
			return err
		}
		ps.srv.WaitShown(p.ID, 5*time.Second)
	case <-ctx.Done():
		return &exitError{code: ExitUsage, err: fmt.Errorf("setup of %s cancelled; nothing more was saved", p.Name)}
	case <-time.After(timeout):
		return &exitError{code: ExitUsage, err: fmt.Errorf("setup of %s: the page was not completed within %s (--auth-timeout)", p.Name, timeout)}
	}
	if c == nil || id == "" {
		fmt.Fprintf(o.IO.Err, "%s is set up.\n", p.Name)
		return nil
	}
	fmt.Fprintf(o.IO.Err, "%s is set up; starting it in the running serve...\n", p.Name)
	st, _, err := c.Reload(ctx, id)
	if err != nil {
		return err
	}
	if st.Phase != serve.Active {
		return errors.New(o.IO.Masker.Mask(st.Line()))
	}
	fmt.Fprintln(o.IO.Err, o.IO.Masker.Mask(st.Line()))
	return nil
}

// servePage runs the setup page of a serve until ctx ends.
func servePage(ctx context.Context, sup *serve.Supervisor, o *runOptions, addr string) error {
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	var files, ids []string
	for _, st := range sup.States() {
		files, ids = append(files, st.File), append(ids, st.ID)
	}
	local, err := setuppage.NewLocal(ctx, localOptions(sess, o, files, ids))
	if err != nil {
		return err
	}
	b := &servePageBackend{Local: local, sup: sup, logs: map[string][]string{}}
	ps, err := startPage(addr, b, o)
	if err != nil {
		return err
	}
	defer ps.close()
	// MCP clients are sent here to set a plugin up (mcp_serve.go).
	defer registerPage(sup, ps.srv)()
	fmt.Fprintf(o.IO.Err, "setup page: %s\n", ps.srv.Link("/"))
	<-ctx.Done()
	return nil
}

// servePageBackend is the page's backend in a serve: the plugins and their
// states are the supervisor's; sessions run on the Local over the same
// files, and a plugin the page set up is restarted in its worker.
type servePageBackend struct {
	*setuppage.Local
	sup *serve.Supervisor

	mu   sync.Mutex
	logs map[string][]string // the last lines each plugin logged
}

// pageLogTail is how many lines of each plugin's log the serve's page keeps.
const pageLogTail = 40

func (b *servePageBackend) Plugins() []setuppage.Plugin {
	known := map[string]setuppage.Plugin{}
	for _, p := range b.Local.Plugins() {
		known[p.ID] = p
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []setuppage.Plugin
	for _, st := range b.sup.States() {
		if st.Phase == serve.Stopped {
			continue
		}
		lp := known[st.ID]
		p := setuppage.Plugin{ID: st.ID, Name: st.Name, Description: lp.Description, Auth: lp.Auth,
			State: string(st.Phase), Reason: st.Reason, Logs: append([]string(nil), b.logs[st.ID]...)}
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
	if done.Plugin != nil {
		_ = done.Plugin.Deactivate(ctx)
	}
	return b.reload(ctx, id)
}

func (b *servePageBackend) reload(ctx context.Context, id string) error {
	st, _, err := b.sup.Reload(ctx, id)
	if err != nil {
		return err
	}
	if st.Phase != serve.Active && st.Phase != serve.NeedsSetup && st.Phase != serve.LoginNeeded {
		return errors.New(st.Line())
	}
	return nil
}

func (b *servePageBackend) RemoveSecret(ctx context.Context, id, key string) error {
	if err := b.Local.RemoveSecret(ctx, id, key); err != nil {
		return err
	}
	return b.reload(ctx, id)
}

func (b *servePageBackend) Logout(ctx context.Context, id string) error {
	if err := b.Local.Logout(ctx, id); err != nil {
		return err
	}
	return b.reload(ctx, id)
}

func (b *servePageBackend) Subscribe(fn func()) (cancel func()) {
	return b.sup.Subscribe(func(e mcpserver.Event) {
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
