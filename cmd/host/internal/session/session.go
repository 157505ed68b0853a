// Package session is the plugin side of a `host` command: it opens what
// one command shares to run plugins (the data dir, the store, the secret
// backend, the HTTP client, the log sink), finds the plugin a PLUGIN
// argument names, loads it, and words what goes wrong doing so.
package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"host/bindings/console"
	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/bindings/setup"
	"host/bindings/store"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/notify"
	"host/cmd/host/internal/pkgstore"
	"host/cmd/host/internal/ui"
	"host/jsrt"
)

// Session is the host side shared by the plugin instances of one command.
type Session struct {
	Host  *plugin.Host
	Store *store.DB
	f     *cmdutil.Factory

	// OnLoad, when set, hears of every Load: the file and the id its
	// plugin declares (its file's default id when it did not load). It
	// is called from the loading goroutine.
	OnLoad func(path, id string)
}

// Open prepares the data dir, the store, the secret backend, the HTTP
// client and the log sink, as the flags (and f) say. The caller closes
// the session.
func Open(f *cmdutil.Factory, flags *cmdutil.PluginFlags) (*Session, error) {
	dataDir, err := f.DataDir(flags.DataDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, jsrt.WithHint(fmt.Errorf("cannot create the data dir: %w", err), "pass --data-dir DIR with a writable directory")
	}
	// Opened on first use: plugins that never touch ctx.store cost nothing.
	db := store.OpenLazy(filepath.Join(dataDir, "store.db"))
	wd, _ := f.IO.Getwd()
	timeout := flags.Timeout
	if timeout == 0 {
		timeout = jsrt.DefaultTimeout
	}
	h := &plugin.Host{
		Step:      f.Trace,
		DataDir:   dataDir,
		Store:     db,
		Log:       LogSink(f.IO.Err, logLevel(f.IO)),
		Masker:    f.IO.Masker,
		Timeout:   timeout,
		DataQuota: flags.DataQuota,
		QuotaHelp: func(id string) string { return "with 'host data --clear inbox|events|store " + id + "'" },
		WorkDir:   wd,
		CacheDir:  filepath.Join(dataDir, "cache", "bundles"),
		Version:   f.Version,
		Notify:    notify.Desktop,
	}
	if f.Startup.Off("cache") {
		h.CacheDir = "" // see cmdutil's startup.go
	}
	b, err := f.SecretBackend(flags.SecretsMode, dataDir)
	if err != nil {
		db.Close()
		return nil, err
	}
	h.Secrets = b
	if f.SecretsNamespace != "" {
		h.SecretsNamespace = f.SecretsNamespace
	} else if h.Secrets.Name() == "keyring" && !isDefaultDataDir(dataDir) {
		// The OS keyring is per user, the data dir is not: each data dir
		// but the default gets its own part of the keyring.
		h.SecretsNamespace = plugin.DataDirNamespace(dataDir)
	}
	h.HTTP = f.HTTPClient(flags.ConnectTo)
	return &Session{Host: h, Store: db, f: f}, nil
}

// Factory is the factory the session was opened with.
func (s *Session) Factory() *cmdutil.Factory { return s.f }

// Resolve turns a command's PLUGIN argument into a file: a file as given;
// a directory's entry (plugin.Entry: its package.json's TypeScript source,
// else plugin.ts, index.ts, src/index.ts ...); or the id of a
// plugin known in the data dir, as its owning file — so
// `host call github-issues list_issues` works from anywhere.
func (s *Session) Resolve(arg string) string {
	if fi, err := os.Stat(arg); err == nil {
		if !fi.IsDir() {
			return arg
		}
		if entry, err := plugin.Entry(arg); err == nil {
			return entry
		}
	}
	if !strings.ContainsAny(arg, `/\`) {
		// An installed or linked plugin (host install, host link); its
		// id may have dots (@acme/github is acme.github).
		st := &pkgstore.Store{DataDir: s.Host.DataDir}
		if r, err := st.Get(arg); err == nil {
			return st.EntryPath(r)
		}
	}
	if !strings.ContainsAny(arg, `/\`) && filepath.Ext(arg) == "" {
		owners, _ := plugin.KnownPlugins(s.Host.DataDir)
		for _, o := range owners {
			if o.ID == arg && o.File != "" {
				return o.File
			}
		}
	}
	return arg
}

// Close closes the store and the secret backend.
func (s *Session) Close() {
	if s.Store != nil {
		s.Store.Close()
	}
	if c, ok := s.Host.Secrets.(interface{ Close() error }); ok {
		_ = c.Close()
	}
}

// isDefaultDataDir reports whether dir is the user config dir + /host
// (where existing keyring items belong, without a namespace).
func isDefaultDataDir(dir string) bool {
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
func logLevel(io *cmdutil.IO) console.Level {
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

// LogSink prints what plugins print at or above min: "[id] message", with
// the level for warnings and errors.
func LogSink(w io.Writer, min console.Level) console.Sink {
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

// Load loads the plugin at path (not activated); a build error shows the
// source line with a caret. The guard blames this plugin from now on.
func (s *Session) Load(ctx context.Context, path string) (p *plugin.Plugin, err error) {
	if s.OnLoad != nil {
		defer func() {
			id := plugin.DefaultID(path)
			if p != nil {
				id = p.ID
			}
			s.OnLoad(path, id)
		}()
	}
	fi, serr := os.Stat(path)
	if serr == nil && fi.IsDir() {
		return nil, dirError(path)
	}
	p, err = plugin.Load(ctx, s.Host, path)
	if err != nil {
		if errors.Is(serr, fs.ErrNotExist) {
			return nil, cmdutil.WithExit(cmdutil.ExitUsage, err) // a wrong path is bad input
		}
		if je, ok := jsrt.AsJSError(err); ok && je.Line > 0 {
			return nil, withCodeFrame(err, je, s.Host.WorkDir)
		}
		var be *jsrt.BuildError
		if errors.As(err, &be) {
			return nil, &BuildFailure{be}
		}
		return nil, err
	}
	s.f.Guard.SetPlugin(p.ID)
	return p, nil
}

// dirError is the usage error for a directory given where one plugin is
// expected: with several plugins in it, 'host serve DIR' runs them all.
func dirError(dir string) error {
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
			if _, err := plugin.Entry(filepath.Join(dir, name)); err == nil {
				names = append(names, name)
			}
		case (strings.HasSuffix(name, ".ts") && !strings.HasSuffix(name, ".d.ts")) || strings.HasSuffix(name, ".js"):
			names = append(names, name)
		}
	}
	q := cmdutil.ShellQuote(dir)
	switch len(names) {
	case 0:
		return cmdutil.Usagef("%s is a directory with no plugin in it (no plugin.ts, index.ts or package.json entry)", dir)
	case 1:
		return cmdutil.Usagef("%s is a directory; name its plugin: %s", dir, cmdutil.ShellQuote(filepath.Join(dir, names[0])))
	}
	return cmdutil.Usagef("%s holds %d plugins (%s); this command takes one (e.g. %s); to run them all, use 'host serve %s'",
		dir, len(names), strings.Join(names, ", "), cmdutil.ShellQuote(filepath.Join(dir, names[0])), q)
}

// LoadOwned resolves a PLUGIN argument, loads it and checks that the file
// owns its plugin id: commands that touch a plugin's secrets or config
// refuse a file that claims another's id (unless adopt, --adopt).
func (s *Session) LoadOwned(ctx context.Context, arg string, adopt bool) (*plugin.Plugin, error) {
	path := s.Resolve(arg)
	p, err := s.Load(ctx, path)
	if err != nil {
		return nil, err
	}
	ShowWarnings(s.f.IO, p)
	if err := p.Claim(ctx, path, adopt); err != nil {
		p.Close()
		return nil, ClaimError(err)
	}
	return p, nil
}

// OpenOwned is Open plus LoadOwned, for commands that inspect or change
// one plugin without activating it. done closes both.
func OpenOwned(ctx context.Context, f *cmdutil.Factory, flags *cmdutil.PluginFlags, arg string) (sess *Session, p *plugin.Plugin, done func(), err error) {
	if sess, err = Open(f, flags); err != nil {
		return nil, nil, nil, err
	}
	if p, err = sess.LoadOwned(ctx, arg, flags.Adopt); err != nil {
		sess.Close()
		return nil, nil, nil, err
	}
	return sess, p, func() { p.Close(); sess.Close() }, nil
}

// PluginID finds the id behind a PLUGIN argument: a file or directory is
// loaded (not activated) to read its id; anything else is an id that must
// have run in this data dir. A loaded plugin is returned too (the caller
// closes it).
func (s *Session) PluginID(ctx context.Context, arg string) (string, *plugin.Plugin, error) {
	path := s.Resolve(arg)
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		p, err := s.Load(ctx, path)
		if err != nil {
			return "", nil, err
		}
		return p.ID, p, nil
	}
	owners, err := plugin.KnownPlugins(s.Host.DataDir)
	if err != nil {
		return "", nil, err
	}
	for _, o := range owners {
		if o.ID == arg {
			return arg, nil, nil
		}
	}
	return "", nil, cmdutil.Usagef("no plugin %q: name a plugin file or directory, or the id of one that has run with this data dir (%s)", arg, s.Host.DataDir)
}

// Deactivate deactivates p with a bounded wait.
func Deactivate(p *plugin.Plugin) error {
	dctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return p.Deactivate(dctx)
}

// SetupArgs is the plugin a command sets up, and how.
type SetupArgs struct {
	Path  string
	Set   map[string]string
	Adopt bool
	// Shared: Set and the environment are for several plugins
	// (plugin.Inputs.Shared); Owns tells which plugin a scoped variable
	// names (plugin.Inputs.Owns).
	Shared bool
	Owns   func(id, envName string) bool
	Login  cmdutil.LoginFlags
	// ForceLogin logs in again even when credentials are stored (host
	// auth login).
	ForceLogin bool
	// Reload is a reload under --watch: nothing is asked; ExpectID is the
	// id the running version has (a reload may not change it).
	Reload   bool
	ExpectID string
	// Change are fields of a plugin that is set up to ask again (host
	// setup offering changes; setup.Options.Change).
	Change []string
	// Surface names the command that starts the plugin ("host run"):
	// the outcome of its activation is kept as its last start
	// (setup.Options.Surface), which `host status` shows.
	Surface string
}

// SetupOptions is the setup.Session for a's plugin in this session.
// Interactive when there is a prompter and a is not a reload.
func (s *Session) SetupOptions(a SetupArgs) setup.Options {
	io := s.f.IO
	return setup.Options{
		Host:        s.Host,
		Path:        a.Path,
		Adopt:       a.Adopt,
		Inputs:      plugin.Inputs{Set: a.Set, LookupEnv: io.LookupEnv, Shared: a.Shared, Owns: a.Owns},
		Interactive: io.Prompter != nil && !a.Reload,
		ForceLogin:  a.ForceLogin,
		ExpectID:    a.ExpectID,
		Change:      a.Change,
		Surface:     a.Surface,
		Login: setup.LoginOptions{
			Device:  a.Login.Device,
			Timeout: a.Login.AuthTimeout,
			Flow:    oauth.FlowOptions{Client: s.Host.HTTP, Page: ui.CallbackPage},
			OnDeviceRetry: func(err error, next time.Duration) {
				why := err.Error()
				if ee := (*oauth.EndpointError)(nil); errors.As(err, &ee) {
					why = fmt.Sprintf("%s: %v", ee.URL, ee.Err)
				}
				fmt.Fprintf(io.Err, "Could not check the login (%s); still waiting, next try in %s.\n", io.Masker.Mask(why), next.Round(time.Second))
			},
		},
		Load: func(ctx context.Context, h *plugin.Host, path string) (*plugin.Plugin, error) {
			p, err := s.Load(ctx, path)
			if err == nil {
				ShowWarnings(io, p)
			}
			return p, err
		},
		Trace: s.f.Trace,
	}
}

// OpenPluginStore opens the session of a command taking one PLUGIN
// argument (the store's commands) and finds the plugin's id; the caller
// closes the session.
func OpenPluginStore(ctx context.Context, f *cmdutil.Factory, flags *cmdutil.PluginFlags, arg string) (*Session, string, error) {
	sess, err := Open(f, flags)
	if err != nil {
		return nil, "", err
	}
	id, p, err := sess.PluginID(ctx, arg)
	if err != nil {
		sess.Close()
		return nil, "", err
	}
	if p != nil {
		p.Close()
	}
	return sess, id, nil
}
