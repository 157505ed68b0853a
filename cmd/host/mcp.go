package main

// host mcp: the plugins' tools for an AI client, over MCP on stdio.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/console"
	"host/bindings/store"
	"host/cmd/host/internal/mcpserver"
)

const mcpUsage = `Usage: host mcp [flags] PLUGIN|DIR...

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

Example (Claude Desktop, Claude Code, Cursor):
  {"mcpServers": {"host": {"command": "host", "args": ["mcp", "/path/to/plugins"]}}}
`

// mcpCmd is `host mcp`.
//
// It serves the plugins of this process through mcpserver.Local (`host
// serve --http` serves the supervisor's workers instead, mcp_serve.go).
// Kept in process on purpose for now: start to tools/list stays well under
// 100 ms, and an OAuth2 plugin's login runs through the client's URL
// elicitation (mcpPlugins.StartSetup), which the supervisor cannot start in
// a worker yet. Moving it onto the supervisor (isolation per plugin) is
// serve.Start plus a SetupPages that asks the worker to log in.
func mcpCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io}
	var hf mcpHTTPFlags
	pos, err := parseCommand("mcp", mcpUsage, args, io, o, hf.register)
	if err != nil {
		return err
	}
	if err := hf.check(); err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("mcp: which plugins? usage: host mcp [flags] PLUGIN|DIR...")
	}
	paths, err := pluginPaths(pos)
	if err != nil {
		return err
	}
	// Stdout is the protocol: nothing may be asked or printed there.
	stdout := io.Out
	pio := *io
	pio.Out, pio.Prompter = io.Err, nil
	o.IO = &pio
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	local := mcpserver.NewLocal(io.Masker)
	printLog := sess.host.Log
	sess.host.Log = func(e console.Entry) {
		printLog(e)
		local.Log(e)
	}
	local.UseStore(sess.store)
	prevMsgs := sess.host.OnMessages
	sess.host.OnMessages = func(id string, msgs []store.Message) {
		if prevMsgs != nil {
			prevMsgs(id, msgs)
		}
		local.NotifyMessages(id)
	}
	o.session = sess

	plugins := newMCPPlugins(o, local)
	plugins.startAll(ctx, paths)
	defer plugins.stopAll()
	if errs := mcpserver.CheckNames(local.Plugins()); len(errs) > 0 {
		return errors.Join(errs...)
	}
	srv := mcpserver.New(local, mcpserver.Options{
		Version:      Version,
		Setup:        plugins,
		Masker:       io.Masker,
		Instructions: "Tools of host's plugins, named <plugin id>_<tool>. A plugin that needs setup says what to open or run; never ask the user for a secret in the chat.",
		SetupCommand: func(id string) string { return "host run --once " + shellQuote(plugins.file(id)) },
		OnProblem:    func(err error) { fmt.Fprintf(io.Err, "host: %s\n", io.Masker.Mask(err.Error())) },
	})
	defer srv.Close()
	if hf.addr != "" {
		return serveMCPHTTP(ctx, srv, hf, sess.host.DataDir, io)
	}
	trace("mcp serving")
	err = srv.Run(ctx, &mcp.IOTransport{Reader: nopReadCloser{io.In}, Writer: nopWriteCloser{stdout}})
	if err != nil && (ctx.Err() != nil || errors.Is(err, mcp.ErrConnectionClosed) || errors.Is(err, context.Canceled)) {
		return nil
	}
	return err
}

// mcpHTTPFlags are the flags of MCP over HTTP (host mcp --http, host serve
// --http).
type mcpHTTPFlags struct {
	addr                string
	allowRemote, noAuth bool
}

func (f *mcpHTTPFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.addr, "http", "", "")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "")
	fs.BoolVar(&f.noAuth, "no-auth", false, "")
}

func (f *mcpHTTPFlags) check() error {
	if f.addr == "" {
		if f.allowRemote || f.noAuth {
			return usagef("--allow-remote and --no-auth go with --http HOST:PORT")
		}
		return nil
	}
	if err := mcpserver.CheckListen(f.addr, f.allowRemote, f.noAuth); err != nil {
		return usagef("%v", err)
	}
	return nil
}

// serveMCPHTTP serves srv's Streamable HTTP endpoint on f.addr until ctx
// ends, and prints where (with the token) on stderr.
func serveMCPHTTP(ctx context.Context, srv *mcpserver.Server, f mcpHTTPFlags, dataDir string, io *IO) error {
	token := ""
	if !f.noAuth {
		var err error
		if token, err = mcpserver.LoadToken(dataDir); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.HTTPHandler(mcpserver.HTTPOptions{Token: token, AllowRemote: f.allowRemote}),
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
			return nil, usagef("mcp: %s holds no plugin (a plugin.ts, index.ts or package.json, directly or in a directory directly inside it)", a)
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

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

type nopReadCloser struct{ io.Reader }

func (nopReadCloser) Close() error { return nil }

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
