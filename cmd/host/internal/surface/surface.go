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
	"sync"
	"time"

	"host/bindings/console"
	"host/bindings/store"
	"host/cmd/host/internal/authserver"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/mcpauth"
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
	// TrustProxy: host sits behind a TLS-terminating reverse proxy whose
	// X-Forwarded-Proto and X-Forwarded-Host give the public origin.
	TrustProxy bool
	// Scope is the scope every access token must carry.
	Scope string
	// Issuer is an external OpenID Connect issuer whose access tokens
	// are accepted instead of host's own authorization server's;
	// IntrospectClient the client host introspects its opaque tokens
	// with (the secret comes from HOST_OAUTH_CLIENT_SECRET).
	Issuer, IntrospectClient string
}

// ClientSecretEnv holds the secret of --oauth-client-id (never a flag).
const ClientSecretEnv = "HOST_OAUTH_CLIENT_SECRET"

// Register defines --http, --allow-remote, --no-auth, --trust-proxy and
// --oauth-scope on fs.
func (f *HTTPFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Addr, "http", "", "")
	fs.BoolVar(&f.AllowRemote, "allow-remote", false, "")
	fs.BoolVar(&f.NoAuth, "no-auth", false, "")
	fs.BoolVar(&f.TrustProxy, "trust-proxy", false, "")
	fs.StringVar(&f.Scope, "oauth-scope", mcpauth.DefaultScope, "")
	fs.StringVar(&f.Issuer, "oauth-issuer", "", "")
	fs.StringVar(&f.IntrospectClient, "oauth-client-id", "", "")
}

// Check validates the parsed flags (a usage error).
func (f *HTTPFlags) Check() error {
	if f.Addr == "" {
		if f.AllowRemote || f.NoAuth || f.TrustProxy || f.Issuer != "" || f.IntrospectClient != "" {
			return cmdutil.Usagef("--allow-remote, --no-auth, --trust-proxy, --oauth-issuer and --oauth-client-id go with --http HOST:PORT")
		}
		return nil
	}
	if err := mcpserver.CheckListen(f.Addr, f.AllowRemote, f.NoAuth); err != nil {
		return cmdutil.Usagef("%v", err)
	}
	if f.NoAuth && f.Issuer != "" {
		return cmdutil.Usagef("--no-auth and --oauth-issuer contradict each other: pick one")
	}
	if f.IntrospectClient != "" && f.Issuer == "" {
		return cmdutil.Usagef("--oauth-client-id goes with --oauth-issuer (it introspects that issuer's tokens)")
	}
	if f.TrustProxy && f.NoAuth {
		return cmdutil.Usagef("--no-auth cannot go with --trust-proxy: clients behind a proxy are not local")
	}
	if host, _, _ := net.SplitHostPort(f.Addr); f.AllowRemote && !f.TrustProxy && !mcpauth.Loopback(host) {
		return cmdutil.Usagef("cannot serve MCP on %s: host speaks plain HTTP, and tokens must not cross the network in clear text; serve on 127.0.0.1 behind a TLS-terminating reverse proxy and pass --trust-proxy", f.Addr)
	}
	return nil
}

// ServeMCP serves srv's Streamable HTTP endpoint on f.Addr until ctx
// ends, and prints where (with the token) on io.Err. Unless --no-auth,
// the endpoint is an OAuth resource server (package mcpauth) in front of
// host's own authorization server (package authserver); the static token
// stays accepted from loopback origins.
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
	mux := http.NewServeMux()
	opts := mcpserver.HTTPOptions{Token: token, AllowRemote: f.AllowRemote || f.TrustProxy}
	ro := mcpauth.Options{Path: mcpserver.Path, StaticToken: token, Scope: f.Scope, TrustProxy: f.TrustProxy}
	var rs *mcpauth.Resource
	switch {
	case f.NoAuth:
		rs = mcpauth.New(ro)
	case f.Issuer != "":
		secret, _ := io.LookupEnv(ClientSecretEnv)
		if f.IntrospectClient != "" {
			io.Masker.Add(secret)
		}
		is, err := mcpauth.NewIssuer(ctx, mcpauth.IssuerOptions{Issuer: f.Issuer, ClientID: f.IntrospectClient, ClientSecret: secret,
			IntrospectionCacheTTL: testIntrospectionTTL(io)})
		if err != nil {
			ln.Close()
			return jsrt.WithHint(err, "check --oauth-issuer (the issuer URL your OpenID Connect provider publishes) and that host can reach it")
		}
		ro.Issuer, ro.Verifier = f.Issuer, is
		rs = mcpauth.New(ro)
	default:
		store, err := authserver.OpenStore(dataDir)
		if err != nil {
			ln.Close()
			return err
		}
		defer store.Close()
		var sayMu sync.Mutex
		as := authserver.New(authserver.Options{Store: store, ResourcePath: mcpserver.Path, Scope: f.Scope, StaticToken: token, AccessTTL: testAccessTTL(io),
			Say: func(line string) {
				sayMu.Lock()
				defer sayMu.Unlock()
				fmt.Fprintln(io.Err, line)
			}})
		ro.Verifier = as
		rs = mcpauth.New(ro)
		ah := hostGuard(opts.AllowRemote)(as.Handler())
		mux.Handle(authserver.MetadataPath, ah)
		mux.Handle("/oauth/", ah)
	}
	if !f.NoAuth {
		opts.Authorize = rs.Authorize
		md := hostGuard(opts.AllowRemote)(mcpauth.CORS(http.HandlerFunc(rs.Metadata), http.MethodGet, http.MethodHead))
		mux.Handle(mcpauth.MetadataPath+"/", md)
		mux.Handle(mcpauth.MetadataPath, md)
	}
	mux.Handle("/", srv.HTTPHandler(opts))
	hs := &http.Server{
		Handler:           rs.Forwarded(mux),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(goio.Discard, "", 0),
	}
	url := "http://" + ln.Addr().String() + mcpserver.Path
	if token != "" {
		how := "clients without it sign in with OAuth, approved on a page with a code host prints here"
		if f.Issuer != "" {
			how = "clients without it sign in with OAuth at " + f.Issuer
		}
		fmt.Fprintf(io.Err, "MCP: %s\n  header: Authorization: Bearer %s\n  (the token is kept in %s; %s)\n", url, token, filepath.Join(dataDir, mcpserver.TokenFile), how)
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

// testAccessTTL is HOST_OAUTH_ACCESS_TTL, how long the access tokens of
// host's own authorization server live, for tests (zero: an hour).
func testAccessTTL(io *cmdutil.IO) time.Duration {
	if v, ok := io.LookupEnv("HOST_OAUTH_ACCESS_TTL"); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return 0
}

// testIntrospectionTTL is HOST_OAUTH_INTROSPECTION_TTL, how long an
// introspected token's answer is reused, for tests (unset:
// mcpauth.DefaultIntrospectionCacheTTL; 0: not cached).
func testIntrospectionTTL(io *cmdutil.IO) time.Duration {
	if v, ok := io.LookupEnv("HOST_OAUTH_INTROSPECTION_TTL"); ok {
		if d, err := time.ParseDuration(v); err == nil {
			if d <= 0 {
				return -1
			}
			return d
		}
	}
	return 0
}

// hostGuard refuses a request whose Host is not loopback unless remote
// clients are allowed (DNS rebinding: a page of another site reaching the
// authorization server through a name of its own).
func hostGuard(remote bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !remote && !mcpauth.Loopback(r.Host) {
				http.Error(w, "forbidden: the Host header is not a loopback address (DNS rebinding protection)", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
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
