package main

// The session: what one command shares (data dir, store, secret backend,
// HTTP client, log sink) and how a PLUGIN argument is found.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"host/bindings/console"
	"host/bindings/fetch"
	"host/bindings/plugin"
	"host/bindings/store"
	"host/jsrt"
)

// session is the host side shared by the plugin instances of one command.
type session struct {
	host  *plugin.Host
	store *store.DB
}

// resolve turns a command's PLUGIN argument into a file: a file as given;
// a directory's entry (plugin.Entry: its package.json's TypeScript source,
// else plugin.ts, index.ts, src/index.ts ...); or the id of a
// plugin known in the data dir, as its owning file — so
// `host call github-issues list_issues` works from anywhere.
func (s *session) resolve(arg string) string {
	if fi, err := os.Stat(arg); err == nil {
		if !fi.IsDir() {
			return arg
		}
		if entry, err := plugin.Entry(arg); err == nil {
			return entry
		}
	}
	if !strings.ContainsAny(arg, `/\`) && filepath.Ext(arg) == "" {
		owners, _ := plugin.KnownPlugins(s.host.DataDir)
		for _, o := range owners {
			if o.ID == arg && o.File != "" {
				return o.File
			}
		}
	}
	return arg
}

func (s *session) close() {
	if s.store != nil {
		s.store.Close()
	}
	if c, ok := s.host.Secrets.(interface{ Close() error }); ok {
		_ = c.Close()
	}
}

// openSession prepares the data dir, the store, the secret backend, the
// HTTP client and the log sink.
func openSession(o *runOptions) (*session, error) {
	dataDir := o.DataDir
	if dataDir == "" {
		var err error
		if dataDir, err = defaultDataDir(o.IO); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, jsrt.WithHint(fmt.Errorf("cannot create the data dir: %w", err), "pass --data-dir DIR with a writable directory")
	}
	// Opened on first use: plugins that never touch ctx.store cost nothing.
	db := store.OpenLazy(filepath.Join(dataDir, "store.db"))
	wd, _ := o.IO.Getwd()
	h := &plugin.Host{
		DataDir:  dataDir,
		Secrets:  o.Secrets,
		Store:    db,
		HTTP:     o.HTTP,
		Log:      logSink(o.IO.Err, logLevel(o.IO)),
		Masker:   o.IO.Masker,
		Timeout:  o.Timeout,
		WorkDir:  wd,
		CacheDir: filepath.Join(dataDir, "cache", "bundles"),
		Version:  Version,
		Notify:   plugin.DesktopNotify,
	}
	if startupOff["cache"] {
		h.CacheDir = "" // see startup.go
	}
	if h.Secrets == nil {
		b, err := secretBackend(o, dataDir)
		if err != nil {
			db.Close()
			return nil, err
		}
		h.Secrets = b
	}
	if o.secretsNS != "" {
		h.SecretsNamespace = o.secretsNS
	} else if h.Secrets.Name() == "keyring" && !isDefaultDataDir(o.IO, dataDir) {
		// The OS keyring is per user, the data dir is not: each data dir
		// but the default gets its own part of the keyring.
		h.SecretsNamespace = plugin.DataDirNamespace(dataDir)
	}
	if h.HTTP == nil {
		h.HTTP = fetch.NewClient(fetch.ClientOptions{ConnectTo: o.ConnectTo, UserAgent: "host/" + Version})
	}
	return &session{host: h, store: db}, nil
}

// isDefaultDataDir reports whether dir is the user config dir + /host
// (where existing keyring items belong, without a namespace).
func isDefaultDataDir(io *IO, dir string) bool {
	base, err := os.UserConfigDir()
	if err != nil {
		return false
	}
	a, err1 := filepath.Abs(dir)
	b, err2 := filepath.Abs(filepath.Join(base, "host"))
	return err1 == nil && err2 == nil && a == b
}

// logLevel is the lowest level shown: HOST_LOG=debug|info|warn|error,
// default info (console.debug and ctx.log.debug are hidden).
func logLevel(io *IO) console.Level {
	v, _ := io.LookupEnv("HOST_LOG")
	switch strings.ToLower(v) {
	case "debug":
		return console.Debug
	case "warn":
		return console.Warn
	case "error":
		return console.Error
	}
	return console.Info
}

// logSink prints what plugins print at or above min: "[id] message", with
// the level for warnings and errors.
func logSink(w io.Writer, min console.Level) console.Sink {
	var mu sync.Mutex
	return func(e console.Entry) {
		if e.Level < min {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		prefix := "[" + e.Plugin + "] "
		if e.Level >= console.Warn {
			prefix += e.Level.String() + ": "
		}
		for _, line := range strings.Split(e.Message, "\n") {
			fmt.Fprintf(w, "%s%s\n", prefix, line)
		}
	}
}

// trace prints a timestamped step on stderr when HOST_TRACE is set (a
// development aid for the start-up numbers): milliseconds since package
// main's init, or, when HOST_TRACE_T0 holds a Unix time in nanoseconds
// (the benchmarks pass the moment they started the process), since then.
var traceStart = time.Now()

func trace(what string) {
	if os.Getenv("HOST_TRACE") == "" {
		return
	}
	start := traceStart
	if n, err := strconv.ParseInt(os.Getenv("HOST_TRACE_T0"), 10, 64); err == nil {
		start = time.Unix(0, n)
	}
	fmt.Fprintf(os.Stderr, "trace %6.1fms %s\n", float64(time.Since(start).Microseconds())/1000, what)
}
