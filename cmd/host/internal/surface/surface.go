// Package surface starts the network surfaces `host` commands offer beside
// their plugins: MCP over Streamable HTTP (host mcp --http, host serve
// --http, with those flags), the local setup page on a loopback port, and
// the MCP surface over the plugins of this process (Local).
package surface

import (
	"context"
	"flag"
	"fmt"
	goio "io"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"host/bindings/console"
	"host/bindings/store"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/setuppage"
	"host/jsrt"
)

// HTTPFlags are the flags of MCP over HTTP (host mcp --http, host serve
// --http).
type HTTPFlags struct {
	Addr                string
	AllowRemote, NoAuth bool
}

// Register defines --http, --allow-remote and --no-auth on fs.
func (f *HTTPFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Addr, "http", "", "")
	fs.BoolVar(&f.AllowRemote, "allow-remote", false, "")
	fs.BoolVar(&f.NoAuth, "no-auth", false, "")
}

// Check validates the parsed flags (a usage error).
func (f *HTTPFlags) Check() error {
	if f.Addr == "" {
		if f.AllowRemote || f.NoAuth {
			return cmdutil.Usagef("--allow-remote and --no-auth go with --http HOST:PORT")
		}
		return nil
	}
	if err := mcpserver.CheckListen(f.Addr, f.AllowRemote, f.NoAuth); err != nil {
		return cmdutil.Usagef("%v", err)
	}
	return nil
}

// ServeMCP serves srv's Streamable HTTP endpoint on f.Addr until ctx
// ends, and prints where (with the token) on io.Err.
func ServeMCP(ctx context.Context, srv *mcpserver.Server, f HTTPFlags, dataDir string, io *cmdutil.IO) error {
	ln, err := ListenMCP(f)
	if err != nil {
		return err
	}
	return ServeMCPOn(ctx, ln, srv, f, dataDir, io)
}

// ListenMCP takes f.Addr for ServeMCPOn, so that a command can refuse an
// address in use before it starts anything else.
func ListenMCP(f HTTPFlags) (net.Listener, error) {
	ln, err := net.Listen("tcp", f.Addr)
	if err != nil {
		return nil, jsrt.WithHint(fmt.Errorf("--http %s: %w", f.Addr, err), "pick another port, or stop what listens there")
	}
	return ln, nil
}

// ServeMCPOn is ServeMCP on a listener from ListenMCP, which it closes.
func ServeMCPOn(ctx context.Context, ln net.Listener, srv *mcpserver.Server, f HTTPFlags, dataDir string, io *cmdutil.IO) error {
	token := ""
	if !f.NoAuth {
		var err error
		if token, err = mcpserver.LoadToken(dataDir); err != nil {
			ln.Close()
			return err
		}
	}
	hs := &http.Server{
		Handler:           srv.HTTPHandler(mcpserver.HTTPOptions{Token: token, AllowRemote: f.AllowRemote}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	url := "http://" + ln.Addr().String() + mcpserver.Path
	if token != "" {
		fmt.Fprintf(io.Err, "MCP: %s\n  header: Authorization: Bearer %s\n  (the token is kept in %s)\n", url, token, filepath.Join(dataDir, mcpserver.TokenFile))
	} else {
		fmt.Fprintf(io.Err, "MCP: %s (no authentication: --no-auth)\n", url)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(sctx)
	return nil
}

// Page is a setup page on its own loopback listener.
type Page struct {
	Srv *setuppage.Server
	hs  *http.Server
}

// StartPage serves the setup page of backend b on addr (loopback only;
// the flag is --page).
func StartPage(addr string, b setuppage.Backend, io *cmdutil.IO) (*Page, error) {
	ln, err := ListenPage(addr)
	if err != nil {
		return nil, err
	}
	return StartPageOn(ln, b, io)
}

// ListenPage takes addr (loopback only) for StartPageOn, so that a command
// can refuse an address in use before it starts anything else.
func ListenPage(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, cmdutil.Usagef("--page %s: want HOST:PORT, e.g. 127.0.0.1:7332", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, cmdutil.Usagef("--page %s: the setup page listens on a loopback address only (127.0.0.1)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, jsrt.WithHint(fmt.Errorf("the setup page: %w", err), "pick another --page address, or stop what listens there")
	}
	return ln, nil
}

// StartPageOn is StartPage on a listener from ListenPage; the Page owns
// it (Close closes it).
func StartPageOn(ln net.Listener, b setuppage.Backend, io *cmdutil.IO) (*Page, error) {
	srv, err := setuppage.New(setuppage.Options{Backend: b, Addr: ln.Addr().String(), Masker: io.Masker})
	if err != nil {
		ln.Close()
		return nil, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(goio.Discard, "", 0)}
	go hs.Serve(ln)
	return &Page{Srv: srv, hs: hs}, nil
}

// Close stops the page.
func (p *Page) Close() {
	p.Srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = p.hs.Shutdown(ctx)
	p.hs.Close()
}

// LocalOptions are the page's Local backend options for files, set up as
// a says (its Set, Adopt and Login; its Path is ignored).
func LocalOptions(sess *session.Session, a session.SetupArgs, files, ids []string) setuppage.LocalOptions {
	so := sess.SetupOptions(a)
	return setuppage.LocalOptions{Host: sess.Host, Files: files, IDs: ids, Inputs: so.Inputs, Adopt: a.Adopt, Login: so.Login}
}

// Local is the MCP surface over this process's plugins (host mcp, the
// worker): it reads their messages from the session's store, and gets
// every line they log and every message they emit, besides what the
// session already does with them.
func Local(sess *session.Session) *mcpserver.Local {
	local := mcpserver.NewLocal(sess.Factory().IO.Masker)
	local.UseStore(sess.Store)
	printLog := sess.Host.Log
	sess.Host.Log = func(e console.Entry) {
		printLog(e)
		local.Log(e)
	}
	prevMsgs := sess.Host.OnMessages
	sess.Host.OnMessages = func(id string, msgs []store.Message) {
		if prevMsgs != nil {
			prevMsgs(id, msgs)
		}
		local.NotifyMessages(id)
	}
	return local
}
