// Package serve is `host serve`: run many plugins, each in its own worker
// process under the supervisor (package serve, imported here as
// supervisor), with the setup page beside them (--page) and, with --http,
// their tools over MCP's Streamable HTTP.
package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"host/bindings/secrets"
	"host/bindings/setup"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/guard"
	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/pkgstore"
	supervisor "host/cmd/host/internal/serve"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/surface"
	"host/jsrt"
)

const serveUsage = `Usage: host serve [flags] [PLUGIN|DIR...]

Without PLUGIN|DIR: the installed, enabled plugins (host install, host
link; linked ones reload when one of their files is saved).

Runs every named plugin (a DIR: each plugin directly inside it) until
Ctrl-C or SIGTERM, each in its own worker process, and prints one line per
plugin whenever its state changes: starting, needs setup, login needed,
active, error, restarting, disabled. Nothing is asked here: a plugin that
needs setup waits (complete it with 'host setup PLUGIN'); the others run.

While it runs, 'host status', 'host call PLUGIN TOOL' and 'host setup
PLUGIN' for the same data dir talk to it.

A worker that crashes, goes above its memory cap or does not stop at its
timeout (plugin code stuck in a native call) is restarted after 2s,
doubling up to 5m; after 5 crashes in a row the plugin is disabled (the
count starts again after 10 minutes without one).

Flags:
  --memory SIZE          each worker's memory cap (default 512MiB): a plugin's,
                         or a group's (--group)
  --watch                reload a plugin whenever a file it imports is saved
                         (the new version starts before the old one stops;
                         a broken version leaves the old one running)
  --group ID,ID...       run these plugins in one worker process (repeatable,
                         one group each; at least two plugins per group, a
                         plugin in one group only; named by id, file or
                         directory). It saves memory, but the group shares
                         one process: a crash, the memory cap (--memory is
                         the group's) or plugin code stuck past its timeout
                         restarts every plugin of the group, and they count
                         the crash alike. Each keeps its own session, tools,
                         store, secrets, config values and state; a reload
                         (--watch) starts the new version in the group's
                         worker, its mates untouched. Between them stands
                         the JavaScript sandbox, as in 'host mcp', not a
                         process: group only plugins you trust alike
  --page ADDR            serve the setup page at ADDR (default 127.0.0.1:0, a
                         free port; "off" for none); its address is printed
                         with a one-time token
  --data-dir, --connect-to, --timeout, --data-quota (each plugin's own),
  --secrets, --set, --adopt: as for 'host run'. With more than one plugin a
                         value must name its plugin: --set ID:KEY=VALUE,
                         HOST_CONFIG_<ID>_<KEY> (ID upper-cased, '.' and '-'
                         as '_'); one that names none is refused, never given
                         to every plugin that has the field
  --http HOST:PORT       also serve every plugin's tools over MCP's Streamable
                         HTTP at http://HOST:PORT/mcp (loopback only unless
                         --allow-remote); requests carry 'Authorization:
                         Bearer TOKEN', the token kept in the data dir and
                         printed at start; --no-auth (loopback only) turns it
                         off for local test clients. A client without it
                         signs in with OAuth (host's own authorization server;
                         you approve it on a page with a code printed here;
                         'host clients' lists and revokes)
  --oauth-scope SCOPE    the scope access tokens must carry (default mcp)
  --oauth-issuer URL     accept the access tokens of this OpenID Connect issuer
                         instead (JWTs checked against its JWKS for issuer,
                         audience = this server's /mcp URL, expiry, scope)
  --oauth-client-id ID   introspect the issuer's opaque tokens as client ID
                         (its secret in HOST_OAUTH_CLIENT_SECRET)
  --trust-proxy          behind a TLS-terminating reverse proxy: take the
                         public origin from X-Forwarded-Proto/-Host
`

// serveStopGrace bounds the whole shutdown after Ctrl-C or SIGTERM.
const serveStopGrace = 12 * time.Second

// ServeOptions are `host serve`'s flags and arguments.
type ServeOptions struct {
	Factory *cmdutil.Factory

	Args   []string // PLUGIN|DIR...
	Watch  bool
	Page   string // the setup page's address; "off": none
	HTTP   surface.HTTPFlags
	Plugin cmdutil.PluginFlags
	// Groups are the --group values: plugins (ID,ID...) that share one
	// worker process.
	Groups cmdutil.MultiFlag

	// Debounce is the quiet period after a change under --watch
	// (jsrt.DefaultDebounce when zero); not a flag.
	Debounce time.Duration
}

// NewCmdServe is `host serve`; runF, when set, runs instead of serveRun.
func NewCmdServe(f *cmdutil.Factory, runF func(context.Context, *ServeOptions) error) *cmdutil.Command {
	opts := &ServeOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "serve", serveUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagsRun)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	cmd.Flags.BoolVar(&opts.Watch, "watch", false, "")
	cmd.Flags.StringVar(&opts.Page, "page", "127.0.0.1:0", "")
	cmd.Flags.Var(&opts.Groups, "group", "")
	opts.HTTP.Register(cmd.Flags)
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := opts.Plugin.Apply(); err != nil {
			return err
		}
		if err := opts.HTTP.Check(); err != nil {
			return err
		}
		opts.Args = args
		if runF != nil {
			return runF(ctx, opts)
		}
		return serveRun(ctx, opts)
	}
	return cmd
}

func serveRun(ctx context.Context, opts *ServeOptions) error {
	f := opts.Factory
	io := f.IO
	f.Guard.SetGrace(serveStopGrace)
	sess, err := session.Open(f, &opts.Plugin)
	if err != nil {
		return err
	}
	dataDir := sess.Host.DataDir
	// The encrypted secrets file's key, derived just now: the page
	// workers get it instead of deriving it again (serve/secretskey.go).
	var secretsKey []byte
	if sf, ok := sess.Host.Secrets.(*secrets.File); ok {
		secretsKey, _ = sf.Key()
	}
	paths, err := servePaths(sess, opts.Args)
	if err != nil {
		sess.Close()
		return err
	}
	var linked map[string]bool
	if len(opts.Args) == 0 { // the installed, enabled plugins (host install, host link)
		if paths, linked, err = pkgstore.ServedIn(dataDir); err != nil {
			sess.Close()
			return cmdutil.WithExit(cmdutil.ExitUsage, err)
		}
	}
	groups, err := parseGroups(opts.Groups, paths, sess.Resolve)
	sess.Close()
	if err != nil {
		return err
	}
	ln, err := supervisor.Listen(dataDir)
	if errors.Is(err, supervisor.ErrRunning) {
		return jsrt.WithHint(fmt.Errorf("serve: %w (%s)", err, dataDir), "stop it first, or pass another --data-dir")
	}
	if err != nil {
		fmt.Fprintf(io.Err, "host: serve: %s; 'host status' and 'host call' will not reach this serve\n", io.Masker.Mask(err.Error()))
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("serve: cannot find the host binary to run workers: %w", err)
	}
	// The surfaces' addresses are taken before any worker starts: one in
	// use is one error and exit 1, not a serve that starts and stops.
	pageLn, httpLn, err := listenSurfaces(opts)
	if err != nil {
		if ln != nil {
			ln.Close()
		}
		return err
	}
	shared := len(paths) > 1
	wargs := workerArgs(opts, dataDir, f.Guard.Memory(), shared)
	if shared {
		wargs = append(wargs, "--shared") // config values must name their plugin
	}
	// A surface's failure stops the workers too (through stop).
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var lineMu sync.Mutex
	sup := supervisor.Start(ctx, paths, supervisor.Options{
		Command: func(path string) *exec.Cmd {
			cmd := exec.Command(self, append(append([]string{"worker"}, wargs...), path)...)
			cmd.Stderr = io.Err
			return cmd
		},
		Memory:  f.Guard.Memory(),
		Timeout: opts.Plugin.Timeout,
		Trace:   f.Trace,
		OnState: func(st supervisor.State) {
			lineMu.Lock()
			defer lineMu.Unlock()
			fmt.Fprintln(io.Err, io.Masker.Mask(st.Line()))
		},
		MinBackoff: testBackoff(io),
		Set:        opts.Plugin.Set, // shared: each worker gets its own
		SecretsKey: secretsKey,
		Groups:     groups,
		GroupCommand: func(name string) *exec.Cmd {
			cmd := exec.Command(self, append(append([]string{"worker"}, wargs...), "--"+supervisor.GroupFlag, name)...)
			cmd.Stderr = io.Err
			return cmd
		},
	})
	if ln != nil {
		sup.ServeControl(ctx, ln)
	}
	// Beside the supervisor: MCP over HTTP (--http) and the setup page
	// (--page), which the MCP surface sends a client's user to.
	pages := &servePages{say: func(format string, a ...any) { fmt.Fprintf(f.IO.Err, format+"\n", a...) }}
	errc := make(chan error, 2)
	if httpLn != nil {
		go func() { errc <- serveMCP(ctx, httpLn, sup, pages, opts.HTTP, dataDir, f) }()
	}
	if pageLn != nil {
		go func() { errc <- servePage(ctx, pageLn, sup, pages, opts) }()
	}
	if opts.Watch {
		go watchServe(ctx, sup, paths, opts.Debounce, io)
	} else {
		// Linked plugins (host link) reload on save without --watch.
		for _, p := range paths {
			if linked[p] {
				go watchOne(ctx, sup, p, opts.Debounce, io)
			}
		}
	}
	fmt.Fprintf(io.Err, "serving %d plugin(s); Ctrl-C to stop.\n", len(paths))
	// Only Ctrl-C, SIGTERM or a surface's failure stop the serve: a
	// surface that ends without an error (one with nothing to serve) is
	// no reason to stop. (A nil from such a surface used to print
	// "stopping N plugin(s)" right after the start.)
	var extErr error
	for extErr == nil && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case extErr = <-errc:
		}
	}
	if extErr != nil {
		// The reason first, then the stop (which can take seconds).
		code := cmdutil.Report(io, extErr)
		fmt.Fprintf(io.Err, "stopping %d plugin(s)\n", len(paths))
		stop()
		sup.Wait()
		return &cmdutil.Reported{Code: code}
	}
	fmt.Fprintf(io.Err, "stopping %d plugin(s)\n", len(paths))
	sup.Wait()
	return nil
}

// listenSurfaces takes the addresses of the setup page (--page) and of MCP
// over HTTP (--http); a nil listener is a surface not asked for.
func listenSurfaces(opts *ServeOptions) (page, http net.Listener, err error) {
	if opts.Page != "off" && opts.Page != "" {
		if page, err = surface.ListenPage(opts.Page); err != nil {
			return nil, nil, err
		}
	}
	if opts.HTTP.Addr != "" {
		if http, err = surface.ListenMCP(opts.HTTP); err != nil {
			if page != nil {
				page.Close()
			}
			return nil, nil, err
		}
	}
	return page, http, nil
}

// testBackoff is HOST_SERVE_BACKOFF, the first restart delay, for tests
// (zero: the default 2s).
func testBackoff(io *cmdutil.IO) time.Duration {
	if v, ok := io.LookupEnv("HOST_SERVE_BACKOFF"); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return 0
}

// workerArgs are the flags a worker gets: the serve's own, with the data
// dir made explicit; --set values only when one plugin is served (else the
// supervisor hands each worker its own).
func workerArgs(opts *ServeOptions, dataDir string, memory int64, shared bool) []string {
	args := []string{"--data-dir", dataDir, "--timeout", opts.Plugin.Timeout.String(), "--memory", guard.FormatMiB(memory)}
	if opts.Plugin.SecretsMode != "" {
		args = append(args, "--secrets", opts.Plugin.SecretsMode)
	}
	if opts.Plugin.Adopt {
		args = append(args, "--adopt")
	}
	if opts.Plugin.DataQuota > 0 {
		args = append(args, "--data-quota", strconv.FormatInt(opts.Plugin.DataQuota, 10))
	}
	for _, ct := range opts.Plugin.Connects {
		args = append(args, "--connect-to", ct)
	}
	if !shared {
		for _, s := range opts.Plugin.Sets {
			args = append(args, "--set", s)
		}
	}
	return args
}

// servePaths expands the PLUGIN|DIR arguments into plugin entry files: a
// plugin as host run finds it, else each plugin directly inside a
// directory (a subdirectory with plugin.ts, index.ts, plugin.js or
// index.js, or a .ts/.js file).
func servePaths(sess *session.Session, args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		abs, err := filepath.Abs(p)
		if err == nil && !seen[abs] {
			seen[abs] = true
			out = append(out, abs)
		}
	}
	for _, a := range args {
		r := sess.Resolve(a)
		fi, err := os.Stat(r)
		if err != nil {
			return nil, cmdutil.Usagef("serve: %s: no such plugin file, directory or known plugin id", a)
		}
		if !fi.IsDir() {
			add(r)
			continue
		}
		entries, err := os.ReadDir(r)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, e := range entries {
			p := filepath.Join(r, e.Name())
			if e.IsDir() {
				if rp := sess.Resolve(p); rp != p {
					add(rp)
				}
				continue
			}
			name := e.Name()
			if (strings.HasSuffix(name, ".ts") && !strings.HasSuffix(name, ".d.ts")) || strings.HasSuffix(name, ".js") {
				add(p)
			}
		}
		if len(out) == n {
			return nil, cmdutil.Usagef("serve: %s holds no plugin (a directory with plugin.ts, or .ts files)", a)
		}
	}
	sort.Strings(out)
	return out, nil
}

// watchServe reloads a plugin whenever one of its files is saved; the
// other plugins are not touched.
func watchServe(ctx context.Context, sup *supervisor.Supervisor, paths []string, debounce time.Duration, io *cmdutil.IO) {
	for _, p := range paths {
		go watchOne(ctx, sup, p, debounce, io)
	}
}

func watchOne(ctx context.Context, sup *supervisor.Supervisor, path string, debounce time.Duration, io *cmdutil.IO) {
	w, err := jsrt.NewWatcher(debounce)
	if err != nil {
		fmt.Fprintf(io.Err, "host: watching %s: %s\n", path, io.Masker.Mask(err.Error()))
		return
	}
	defer w.Close()
	files := func() []string {
		for _, st := range sup.States() {
			if st.File == path || samePath(st.File, path) {
				if len(st.Files) > 0 {
					return append(st.Files, path)
				}
			}
		}
		return []string{path}
	}
	// Wait for the first start to end so its files are known, however
	// long a busy machine takes (a bounded wait watched only the path when
	// the start outlasted it, and a save was missed); a start that failed
	// leaves the path itself to watch.
	starting := func() bool {
		for _, st := range sup.States() {
			if st.File == path || samePath(st.File, path) {
				return st.Phase == setup.Starting || st.Phase == setup.Restarting
			}
		}
		return false
	}
	wake := make(chan struct{}, 1)
	unsubscribe := sup.Subscribe(func(mcpserver.Event) {
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	recheck := time.NewTicker(250 * time.Millisecond) // in case a change is not published
	for len(files()) <= 1 && starting() && ctx.Err() == nil {
		select {
		case <-wake:
		case <-recheck.C:
		case <-ctx.Done():
		}
	}
	recheck.Stop()
	unsubscribe()
	_ = w.Set(files())
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-w.Errors():
			fmt.Fprintf(io.Err, "host: file watcher: %s\n", io.Masker.Mask(err.Error()))
		case changed := <-w.Changes():
			st, replaced, err := sup.Reload(ctx, path)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				fmt.Fprintf(io.Err, "host: %s: reload: %s\n", path, io.Masker.Mask(err.Error()))
			case replaced:
				fmt.Fprintf(io.Err, "%s: reloaded (%s changed)\n", st.ID, cmdutil.DescribeChanges(changed))
			default:
				fmt.Fprintf(io.Err, "%s: %s changed, but the new version is not active: %s\n%s: still running the previous version; fix the error and save\n",
					st.ID, cmdutil.DescribeChanges(changed), io.Masker.Mask(st.Reason), st.ID)
			}
			_ = w.Set(files())
		}
	}
}

func samePath(a, b string) bool {
	ea, _ := filepath.EvalSymlinks(a)
	eb, _ := filepath.EvalSymlinks(b)
	return ea != "" && ea == eb
}
