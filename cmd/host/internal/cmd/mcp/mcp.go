// Package mcp is `host mcp`: the plugins' tools for an AI client, over
// MCP on stdio (or Streamable HTTP with --http), each plugin set up
// without asking and, when it needs more, through the client.
package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/plugin"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/pkgstore"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/surface"
	"host/cmd/host/internal/trim"
	"host/jsrt"
)

const mcpUsage = `Usage: host mcp [flags] [PLUGIN|DIR...]

Without PLUGIN|DIR: the installed, enabled plugins (host install, host
link).

Serves the tools of every named plugin (a DIR: each plugin directly inside
it) to an AI client over the Model Context Protocol on stdin/stdout: the
command line an MCP client's config names. Stdout carries only the protocol;
what plugins print goes to stderr and to the client as log notifications.

A tool is named <plugin id>_<tool>. A plugin that still needs setup or a
login lists its tools; calling one says what to open or run to set it up
(secrets are never typed into the AI client).

Flags: as for 'host run' (--data-dir, --connect-to, --timeout, --secrets,
--set KEY=VALUE for every plugin), and:
  --http HOST:PORT       serve MCP's Streamable HTTP at http://HOST:PORT/mcp
                         instead of stdio (loopback only unless --allow-remote);
                         requests carry 'Authorization: Bearer TOKEN', the
                         token kept in the data dir (printed at start)
  --allow-remote         allow a --http address that is not loopback
  --no-auth              no token (loopback only), for local test clients
  --oauth-issuer, --oauth-client-id, --oauth-scope, --trust-proxy:
                         as for 'host serve' (OAuth for clients without the token)

Example (Claude Desktop, Claude Code, Cursor):
  {"mcpServers": {"host": {"command": "host", "args": ["mcp", "/path/to/plugins"]}}}
`

// MCPOptions are `host mcp`'s flags and arguments.
type MCPOptions struct {
	Factory *cmdutil.Factory

	Args   []string // PLUGIN|DIR...
	HTTP   surface.HTTPFlags
	Plugin cmdutil.PluginFlags
}

// NewCmdMCP is `host mcp`; runF, when set, runs instead of mcpRun.
func NewCmdMCP(f *cmdutil.Factory, runF func(context.Context, *MCPOptions) error) *cmdutil.Command {
	opts := &MCPOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "mcp", mcpUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagsRun)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	opts.HTTP.Register(cmd.Flags)
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := opts.Plugin.Apply(); err != nil {
			return err
		}
		if err := opts.HTTP.Check(); err != nil {
			return err
		}
		opts.Args = args // none: the installed, enabled plugins
		if runF != nil {
			return runF(ctx, opts)
		}
		return mcpRun(ctx, opts)
	}
	return cmd
}

// mcpRun is `host mcp`.
//
// It serves the plugins of this process through mcpserver.Local (`host
// serve --http` serves the supervisor's workers instead). Kept in process
// on purpose for now: start to tools/list stays well under 100 ms, and an
// OAuth2 plugin's login runs through the client's URL elicitation
// (mcpPlugins.StartSetup), which the supervisor cannot start in a worker
// yet. Moving it onto the supervisor (isolation per plugin) is
// serve.Start plus a SetupPages that asks the worker to log in.
func mcpRun(ctx context.Context, opts *MCPOptions) error {
	paths, err := pluginPaths(opts.Args)
	if err != nil {
		return err
	}
	if len(opts.Args) == 0 { // the installed, enabled plugins (host install, host link)
		dataDir, err := opts.Factory.DataDir(opts.Plugin.DataDir)
		if err != nil {
			return err
		}
		if paths, _, err = pkgstore.ServedIn(dataDir); err != nil {
			return cmdutil.WithExit(cmdutil.ExitUsage, err)
		}
	}
	// Stdout is the protocol: nothing may be asked or printed there.
	stdout := opts.Factory.IO.Out
	pio := *opts.Factory.IO
	pio.Out, pio.Prompter = pio.Err, nil
	f := opts.Factory.WithIO(&pio)
	io := f.IO
	sess, err := session.Open(f, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	local := surface.Local(sess)
	// host data --clear tells this process what it cleared, and refuses
	// to clear a served plugin's store, as with a serve (control.go).
	started := make(chan struct{})
	stopControl, err := serveControl(ctx, sess.Host.DataDir, local, started)
	if err != nil {
		fmt.Fprintf(io.Err, "host: mcp: %s; 'host data --clear' will not reach this host mcp\n", io.Masker.Mask(err.Error()))
	}
	defer stopControl()

	args := session.SetupArgs{Set: opts.Plugin.Set, Adopt: opts.Plugin.Adopt, Shared: len(paths) > 1, Surface: "host mcp"}
	if args.Shared {
		// A variable naming a plugin goes to that plugin alone, once every
		// file has said which plugin it is.
		ids := newServedIDs(sess, paths, opts.Plugin.Timeout)
		sess.OnLoad, args.Owns = ids.loaded, ids.owns
	}
	plugins := newMCPPlugins(sess, args, local)
	plugins.startAll(ctx, paths)
	close(started)
	defer plugins.stopAll()
	// Its plugins have settled: most likely idle from here on, like a
	// serve's worker, so give back what starting took (issue 23 §3).
	time.AfterFunc(500*time.Millisecond, func() { trim.Idle(); f.Trace("mcp trimmed") })
	if errs := mcpserver.CheckNames(local.Plugins()); len(errs) > 0 {
		return errors.Join(errs...)
	}
	srv := mcpserver.New(local, mcpserver.Options{
		Version:      f.Version,
		Setup:        plugins,
		Masker:       io.Masker,
		Instructions: "Tools of host's plugins, named <plugin id>_<tool>. A plugin that needs setup says what to open or run; never ask the user for a secret in the chat.",
		SetupCommand: func(id string) string { return "host run --once " + cmdutil.ShellQuote(plugins.file(id)) },
		OnProblem:    func(err error) { fmt.Fprintf(io.Err, "host: %s\n", io.Masker.Mask(err.Error())) },
	})
	defer srv.Close()
	if opts.HTTP.Addr != "" {
		return surface.ServeMCP(ctx, srv, opts.HTTP, sess.Host.DataDir, io)
	}
	f.Trace("mcp serving")
	dio := newDrainIO(ctx, io.In, stdout) // stdin's end waits for the answers owed
	err = srv.Run(ctx, &gomcp.IOTransport{Reader: nopReadCloser{dio}, Writer: nopWriteCloser{dio}})
	if err != nil && (ctx.Err() != nil || errors.Is(err, gomcp.ErrConnectionClosed) || errors.Is(err, context.Canceled)) {
		return nil
	}
	return err
}

// pluginPaths expands the command's arguments: a file or a plugin
// directory as it is, a directory of plugins into each plugin directly
// inside it, a known plugin id as its file.
func pluginPaths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil || !fi.IsDir() || isPluginDir(a) {
			out = append(out, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, e := range entries {
			p := filepath.Join(a, e.Name())
			switch {
			case e.IsDir() && isPluginDir(p):
			case !e.IsDir() && (strings.HasSuffix(e.Name(), ".ts") && !strings.HasSuffix(e.Name(), ".d.ts")):
			default:
				continue
			}
			out = append(out, p)
			n++
		}
		if n == 0 {
			return nil, cmdutil.Usagef("mcp: %s holds no plugin (a plugin.ts, index.ts or package.json, directly or in a directory directly inside it)", a)
		}
	}
	return out, nil
}

func isPluginDir(dir string) bool {
	for _, name := range []string{"plugin.ts", "index.ts", "plugin.js", "index.js", "package.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

type nopReadCloser struct{ io.Reader }

func (nopReadCloser) Close() error { return nil }

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// servedIDs are the ids the served files declare, as they load: which
// plugin a config variable HOST_CONFIG_<ID>_<KEY> names is decided among
// them all (plugin.EnvOwner), so that HOST_CONFIG_GITHUB_ISSUES_TOKEN goes
// to github-issues, never to a plugin github declaring issues_token, even
// while github-issues is still loading. Its methods are safe for
// concurrent use.
type servedIDs struct {
	wait  time.Duration // at most, for every file's first load
	known chan struct{} // closed once every file has loaded once

	mu  sync.Mutex
	ids map[string]string // file -> the id it declares (its default id until it loaded)
	in  map[string]bool   // files that have loaded once
}

func newServedIDs(sess *session.Session, paths []string, timeout time.Duration) *servedIDs {
	if timeout <= 0 {
		timeout = jsrt.DefaultTimeout
	}
	s := &servedIDs{wait: timeout + 2*time.Second, known: make(chan struct{}), ids: map[string]string{}, in: map[string]bool{}}
	for _, p := range paths {
		r := sess.Resolve(p)
		s.ids[r] = plugin.DefaultID(r)
	}
	if len(s.ids) == 0 {
		close(s.known)
	}
	return s
}

// loaded is session.Session.OnLoad.
func (s *servedIDs) loaded(path, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, served := s.ids[path]; !served {
		return
	}
	s.ids[path] = id
	if !s.in[path] {
		s.in[path] = true
		if len(s.in) == len(s.ids) {
			close(s.known)
		}
	}
}

// owns is plugin.Inputs.Owns: it waits (at most s.wait) until every file
// has loaded once.
func (s *servedIDs) owns(id, envName string) bool {
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case <-s.known:
	case <-t.C:
	}
	s.mu.Lock()
	ids := make([]string, 0, len(s.ids))
	for _, v := range s.ids {
		ids = append(ids, v)
	}
	s.mu.Unlock()
	owner, ok := plugin.EnvOwner(envName, ids)
	return ok && owner == id
}
