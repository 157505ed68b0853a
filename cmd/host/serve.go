package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"host/cmd/host/internal/serve"
	"host/jsrt"
)

const serveUsage = `Usage: host serve [flags] PLUGIN|DIR...

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
  --memory SIZE          each plugin's memory cap (default 512MiB)
  --watch                reload a plugin whenever a file it imports is saved
                         (the new version starts before the old one stops;
                         a broken version leaves the old one running)
  --page ADDR            serve the setup page at ADDR (default 127.0.0.1:0, a
                         free port; "off" for none); its address is printed
                         with a one-time token
  --data-dir, --connect-to, --timeout, --secrets, --set, --adopt: as for
  'host run' (a --set applies to every plugin that has the field)
  --http HOST:PORT       also serve every plugin's tools over MCP's Streamable
                         HTTP at http://HOST:PORT/mcp (loopback only unless
                         --allow-remote); requests carry 'Authorization:
                         Bearer TOKEN', the token kept in the data dir and
                         printed at start; --no-auth (loopback only) turns it
                         off for local test clients
`

// serveExtension adds to `host serve`: its flags, and what starts beside
// the supervisor once the plugins are starting (the MCP surface's --http).
type serveExtension struct {
	flags func(fs *flag.FlagSet)
	// check validates the parsed flags before anything starts (a usage
	// error); nil: nothing to check.
	check func() error
	// start runs beside the supervisor until ctx ends; an error ends the
	// serve. Nil when the flags did not ask for it.
	start func(ctx context.Context, sup *serve.Supervisor, dataDir string, io *IO) error
	// startWith is start for an extension that needs the serve's options
	// (its data dir, secret backend, connect-to rules).
	startWith func(ctx context.Context, sup *serve.Supervisor, o *runOptions) error
}

// serveExtensions are registered by other files' init functions.
var serveExtensions []*serveExtension

// serveStopGrace bounds the whole shutdown after Ctrl-C or SIGTERM.
const serveStopGrace = 12 * time.Second

func serveCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io}
	var c commonFlags
	fs := flag.NewFlagSet("host serve", flag.ContinueOnError)
	fs.SetOutput(io.Err)
	fs.Usage = func() { fmt.Fprint(io.Err, serveUsage) }
	c.register(fs, o)
	fs.BoolVar(&o.Watch, "watch", false, "")
	for _, e := range serveExtensions {
		if e.flags != nil {
			e.flags(fs)
		}
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v (see 'host help serve')", err)
	}
	if err := c.apply(o); err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("serve: which plugins? usage: host serve [flags] PLUGIN|DIR...")
	}
	for _, e := range serveExtensions {
		if e.check != nil {
			if err := e.check(); err != nil {
				return err
			}
		}
	}
	signalGrace.Store(int64(serveStopGrace))
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	dataDir := sess.host.DataDir
	paths, err := servePaths(sess, pos)
	sess.close()
	if err != nil {
		return err
	}
	ln, err := serve.Listen(dataDir)
	if errors.Is(err, serve.ErrRunning) {
		return jsrt.WithHint(fmt.Errorf("serve: %w (%s)", err, dataDir), "stop it first, or pass another --data-dir")
	}
	if err != nil {
		fmt.Fprintf(io.Err, "host: serve: %s; 'host status' and 'host call' will not reach this serve\n", io.Masker.Mask(err.Error()))
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("serve: cannot find the host binary to run workers: %w", err)
	}
	wargs := workerArgs(c, o, dataDir)
	var lineMu sync.Mutex
	sup := serve.Start(ctx, paths, serve.Options{
		Command: func(path string) *exec.Cmd {
			cmd := exec.Command(self, append(append([]string{"worker"}, wargs...), path)...)
			cmd.Stderr = io.Err
			return cmd
		},
		Memory:  memoryCap.Load(),
		Timeout: o.Timeout,
		OnState: func(st serve.State) {
			lineMu.Lock()
			defer lineMu.Unlock()
			fmt.Fprintln(io.Err, io.Masker.Mask(st.Line()))
		},
		MinBackoff: testBackoff(io),
	})
	if ln != nil {
		sup.ServeControl(ctx, ln)
	}
	errc := make(chan error, len(serveExtensions)+1)
	for _, e := range serveExtensions {
		if e.start != nil {
			go func() { errc <- e.start(ctx, sup, dataDir, io) }()
		}
		if e.startWith != nil {
			go func() { errc <- e.startWith(ctx, sup, o) }()
		}
	}
	if o.Watch {
		go watchServe(ctx, sup, paths, o, io)
	}
	fmt.Fprintf(io.Err, "serving %d plugin(s); Ctrl-C to stop.\n", len(paths))
	var extErr error
	select {
	case <-ctx.Done():
	case extErr = <-errc:
	}
	fmt.Fprintf(io.Err, "stopping %d plugin(s)\n", len(paths))
	sup.Wait()
	return extErr
}

// testBackoff is HOST_SERVE_BACKOFF, the first restart delay, for tests
// (zero: the default 2s).
func testBackoff(io *IO) time.Duration {
	if v, ok := io.LookupEnv("HOST_SERVE_BACKOFF"); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return 0
}

// workerArgs are the flags a worker gets: the serve's own, with the data
// dir made explicit.
func workerArgs(c commonFlags, o *runOptions, dataDir string) []string {
	args := []string{"--data-dir", dataDir, "--timeout", o.Timeout.String(), "--memory", formatMiB(memoryCap.Load())}
	if o.SecretsMode != "" {
		args = append(args, "--secrets", o.SecretsMode)
	}
	if o.Adopt {
		args = append(args, "--adopt")
	}
	for _, ct := range c.connects {
		args = append(args, "--connect-to", ct)
	}
	for _, s := range c.sets {
		args = append(args, "--set", s)
	}
	return args
}

// servePaths expands the PLUGIN|DIR arguments into plugin entry files: a
// plugin as host run finds it, else each plugin directly inside a
// directory (a subdirectory with plugin.ts, index.ts, plugin.js or
// index.js, or a .ts/.js file).
func servePaths(sess *session, args []string) ([]string, error) {
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
		r := sess.resolve(a)
		fi, err := os.Stat(r)
		if err != nil {
			return nil, usagef("serve: %s: no such plugin file, directory or known plugin id", a)
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
				if rp := sess.resolve(p); rp != p {
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
			return nil, usagef("serve: %s holds no plugin (a directory with plugin.ts, or .ts files)", a)
		}
	}
	sort.Strings(out)
	return out, nil
}

// watchServe reloads a plugin whenever one of its files is saved; the
// other plugins are not touched.
func watchServe(ctx context.Context, sup *serve.Supervisor, paths []string, o *runOptions, io *IO) {
	for _, p := range paths {
		go watchOne(ctx, sup, p, o, io)
	}
}

func watchOne(ctx context.Context, sup *serve.Supervisor, path string, o *runOptions, io *IO) {
	w, err := jsrt.NewWatcher(o.Debounce)
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
	// Wait for the first start so its files are known.
	for range 100 {
		if len(files()) > 1 || ctx.Err() != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
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
				fmt.Fprintf(io.Err, "%s: reloaded (%s changed)\n", st.ID, describeChanges(changed))
			default:
				fmt.Fprintf(io.Err, "%s: %s changed, but the new version is not active: %s\n%s: still running the previous version; fix the error and save\n",
					st.ID, describeChanges(changed), io.Masker.Mask(st.Reason), st.ID)
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
