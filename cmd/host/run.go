package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"host/bindings/console"
	"host/bindings/fetch"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/bindings/store"
	"host/jsrt"
	"host/schema"
)

const runUsage = `Usage: host run [flags] PLUGIN.ts

Sets up the plugin (asking in a terminal for what is missing: token fields
with their help, other required config grouped by section), activates it and
keeps it running until Ctrl-C or SIGTERM. Flags may come before or after
PLUGIN.ts.

Flags:
  --set KEY=VALUE        supply config field KEY (repeatable); secrets are
                         better supplied as HOST_CONFIG_<KEY> in the environment
  --once                 set up, activate, run the loop once, deactivate and exit
  --watch                reload the plugin whenever a file it imports is saved
                         (the new version starts before the old one stops;
                         a broken version leaves the old one running)
  --data-dir DIR         where config and the store live (default: the user
                         config dir + /host, or $HOST_DATA_DIR)
  --connect-to H:P:TH:TP connect to TH:TP whenever the plugin connects to H:P
                         (curl's syntax; repeatable; TLS still checks H)
  --timeout DURATION     stop plugin code running longer than this (default 30s)
  --adopt                let this file take over a plugin id another file owns
  --secrets keyring|file where secrets live: the OS keyring (default), or an
                         encrypted file in the data dir (explicit opt-in; the
                         passphrase from HOST_SECRETS_PASSPHRASE or a prompt)

OAuth2 plugins log in on the first run: host opens the browser (or prints
the URL), waits for the redirect to http://127.0.0.1:PORT/callback and keeps
the tokens in the keyring, refreshing them before they expire.
  --no-browser           print the login URL instead of opening a browser
  --auth-timeout 5m      how long to wait for the login
  --device               log in with a code on another device (RFC 8628)
  --paste                accept the redirected URL pasted on stdin

Environment:
  HOST_CONFIG_<KEY>      supplies config field KEY (key upper-cased)
  HOST_LOG               debug, info (default), warn or error: which plugin
                         log lines are shown (console.debug is debug)
  HOST_SECRETS           keyring or file, as --secrets
  HOST_SECRETS_PASSPHRASE  the encrypted file's passphrase
  SSL_CERT_FILE          extra trusted CA certificates (PEM)
  BROWSER                the command that opens the login URL
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY

Exit codes: 0 ok, 1 plugin or runtime failure, 2 usage or missing configuration.
`

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// runOptions is everything `host run` needs; demo and tests fill it too.
type runOptions struct {
	IO        *IO
	Path      string
	Set       map[string]string
	Once      bool
	DataDir   string
	ConnectTo []fetch.ConnectTo
	Timeout   time.Duration

	// Injected by demo and tests; nil means the real ones.
	Secrets secrets.Backend
	HTTP    *http.Client
	// Activated is called once the plugin is active (demo, tests).
	Activated func(p *plugin.Plugin)
	// Watch reloads the plugin when its files change; Debounce is the
	// quiet period after a change (jsrt.DefaultDebounce when zero).
	Watch    bool
	Debounce time.Duration
	// Auth holds the login flags; ForceLogin makes activate log in again
	// even when credentials are stored (host auth login).
	Auth       authFlags
	ForceLogin bool
	// Adopt lets this file take over a plugin id another file owns.
	Adopt bool
	// SecretsMode is "keyring" (default) or "file" (--secrets, HOST_SECRETS).
	SecretsMode string

	session *session // set by activate
}

// parseInterspersed parses flags that may come before or after positional
// arguments, as `host run plugin.ts --once` and `host run --once plugin.ts`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// commonFlags are the flags every command that runs a plugin takes.
type commonFlags struct {
	sets, connects multiFlag
}

func (c *commonFlags) register(fs *flag.FlagSet, o *runOptions) {
	fs.BoolVar(&o.Adopt, "adopt", false, "")
	fs.StringVar(&o.SecretsMode, "secrets", "", "")
	fs.Var(&c.sets, "set", "")
	fs.Var(&c.connects, "connect-to", "")
	fs.StringVar(&o.DataDir, "data-dir", "", "")
	fs.DurationVar(&o.Timeout, "timeout", jsrt.DefaultTimeout, "")
}

// apply parses the collected --set and --connect-to values into o.
func (c *commonFlags) apply(o *runOptions) error {
	o.Set = map[string]string{}
	for _, kv := range c.sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("--set %q: expected KEY=VALUE", kv)
		}
		o.Set[k] = v
	}
	for _, c := range c.connects {
		ct, err := fetch.ParseConnectTo(c)
		if err != nil {
			return usagef("--connect-to: %v", err)
		}
		o.ConnectTo = append(o.ConnectTo, ct)
	}
	return nil
}

// parseCommand parses a command's flags (anywhere on the line) and returns
// its positional arguments.
func parseCommand(name, usage string, args []string, io *IO, o *runOptions, extra func(fs *flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet("host "+name, flag.ContinueOnError)
	fs.SetOutput(io.Err)
	fs.Usage = func() { fmt.Fprint(io.Err, usage) }
	var c commonFlags
	c.register(fs, o)
	if extra != nil {
		extra(fs)
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usagef("%v (see 'host help %s')", err, name)
	}
	return pos, c.apply(o)
}

func runCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io}
	pos, err := parseCommand("run", runUsage, args, io, o, func(fs *flag.FlagSet) {
		fs.BoolVar(&o.Once, "once", false, "")
		fs.BoolVar(&o.Watch, "watch", false, "")
		o.Auth.register(fs)
	})
	if err != nil {
		return err
	}
	if o.Watch && o.Once {
		return usagef("run: --watch and --once do not go together")
	}
	switch len(pos) {
	case 0:
		return usagef("run: which plugin? usage: host run [flags] PLUGIN.ts")
	case 1:
		o.Path = pos[0]
	default:
		return usagef("run: one plugin at a time, got %s", strings.Join(pos, " "))
	}
	if o.Watch {
		return watchPlugin(ctx, o)
	}
	return runPlugin(ctx, o)
}

// session is the host side shared by the plugin instances of one command.
type session struct {
	host  *plugin.Host
	store *store.DB
}

// resolve turns a command's PLUGIN argument into a file: a file as given;
// a directory's plugin.ts (index.ts, plugin.js, index.js); or the id of a
// plugin known in the data dir, as its owning file — so
// `host call github-issues list_issues` works from anywhere.
func (s *session) resolve(arg string) string {
	if fi, err := os.Stat(arg); err == nil {
		if !fi.IsDir() {
			return arg
		}
		for _, name := range []string{"plugin.ts", "index.ts", "plugin.js", "index.js"} {
			if _, err := os.Stat(filepath.Join(arg, name)); err == nil {
				return filepath.Join(arg, name)
			}
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
	}
	if h.Secrets == nil {
		b, err := secretBackend(o, dataDir)
		if err != nil {
			db.Close()
			return nil, err
		}
		h.Secrets = b
	}
	if h.HTTP == nil {
		h.HTTP = fetch.NewClient(fetch.ClientOptions{ConnectTo: o.ConnectTo, UserAgent: "host/" + Version})
	}
	return &session{host: h, store: db}, nil
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

// maxTries is how often a user in a terminal may retry a refused token.
const maxTries = 3

var traceStart = time.Now()

func trace(what string) {
	if os.Getenv("HOST_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "trace %6.1fms %s\n", float64(time.Since(traceStart).Microseconds())/1000, what)
	}
}

func runPlugin(ctx context.Context, o *runOptions) error {
	trace("start")
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	trace("session")
	p, err := activate(ctx, sess, o)
	if err != nil {
		return err
	}
	if o.Activated != nil {
		o.Activated(p)
	}
	var loopErr error
	if o.Once {
		if _, ok := p.HasLoop(); ok {
			loopErr = p.RunLoopOnce(ctx)
		}
	} else {
		p.StartLoop()
		fmt.Fprintf(o.IO.Err, "%s is active. Press Ctrl-C to stop.\n", p.Name)
		<-ctx.Done()
		fmt.Fprintf(o.IO.Err, "stopping %s\n", p.Name)
	}
	if err := deactivate(p); err != nil {
		return errors.Join(loopErr, err)
	}
	trace("deactivated")
	if loopErr != nil {
		return loopErr
	}
	if o.Once {
		fmt.Fprintf(o.IO.Err, "%s activated and deactivated (--once).\n", p.Name)
	}
	return nil
}

// deactivate deactivates p with a bounded wait.
func deactivate(p *plugin.Plugin) error {
	dctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return p.Deactivate(dctx)
}

// activate loads the plugin, sets it up (asking in a terminal for what is
// missing, up to maxTries when the plugin refuses its token), activates it
// and saves what the user supplied. On error nothing is left running and
// nothing that failed is saved.
func activate(ctx context.Context, sess *session, o *runOptions) (*plugin.Plugin, error) {
	o.session = sess
	o.Path = sess.resolve(o.Path)
	p, err := loadPlugin(ctx, sess.host, o.Path)
	if err != nil {
		return nil, err
	}
	trace("loaded")
	if err := p.Claim(o.Path, o.Adopt); err != nil {
		p.Close()
		return nil, &exitError{code: ExitUsage, err: err}
	}
	ok := false
	defer func() {
		if !ok {
			p.Close()
		}
	}()
	in := plugin.Inputs{Set: o.Set, LookupEnv: o.IO.LookupEnv}
	setup, err := p.Setup(ctx, in)
	if err != nil {
		return nil, setupError(err)
	}
	trace("setup")
	if o.ForceLogin {
		// host auth login: ask for the token fields again (what --set or
		// the environment supplies counts as the new answer).
		for _, f := range setup.Fields {
			if f.Auth && f.Source == plugin.FromSaved {
				f.Value, f.Source = nil, plugin.Unset
			}
		}
	}
	pr := o.IO.Prompter
	loggedIn := false
	for try := 1; ; try++ {
		if missing := setup.Missing(); len(missing) > 0 {
			if pr == nil {
				return nil, missingError(p, missing)
			}
			if err := ask(pr, p, setup, missing); err != nil {
				return nil, err
			}
		}
		if !loggedIn {
			if o.ForceLogin && p.Auth != nil && p.Auth.OAuth2 != nil {
				err = loginOAuth(ctx, o, p, setup)
			} else {
				err = ensureLogin(ctx, o, p, setup)
			}
			if err != nil {
				return nil, err
			}
			loggedIn = true
		}
		err = p.Activate(ctx, setup)
		trace("activated")
		if err == nil {
			break
		}
		var ve *schema.ValidationError
		var ae *plugin.ActivateError
		switch {
		case errors.As(err, &ve):
			if pr == nil {
				return nil, &exitError{code: ExitUsage, err: fmt.Errorf("plugin %s: invalid configuration:\n%s", p.ID, indent(schema.FormatIssues(ve.Issues)))}
			}
			pr.Say("The configuration is not valid:\n%s", indent(schema.FormatIssues(ve.Issues)))
			forget(setup, issueKeys(ve.Issues))
		case errors.As(err, &ae):
			if pr == nil || try >= maxTries || !hasAuthFields(setup) {
				return nil, err
			}
			pr.Say("%s", o.IO.Masker.Mask(errorText(err)))
			pr.Say("Please try again (%d of %d).", try+1, maxTries)
			forget(setup, authKeys(setup))
		default:
			return nil, err
		}
		// A failed activation may have left timers or state: start afresh.
		p.Close()
		np, err := loadPlugin(ctx, sess.host, o.Path)
		if err != nil {
			return nil, err
		}
		p = np
		if setup, err = carry(ctx, p, in, setup); err != nil {
			return nil, err
		}
	}
	if err := setup.Save(ctx); err != nil {
		_ = deactivate(p)
		return nil, err
	}
	trace("saved")
	ok = true
	return p, nil
}

// loadOwned is loadPlugin plus the id ownership check: commands that touch
// a plugin's secrets or config refuse a file that claims another's id.
func loadOwned(ctx context.Context, h *plugin.Host, o *runOptions, path string) (*plugin.Plugin, error) {
	if o.session != nil {
		path = o.session.resolve(path)
	}
	p, err := loadPlugin(ctx, h, path)
	if err != nil {
		return nil, err
	}
	if err := p.Claim(path, o.Adopt); err != nil {
		p.Close()
		return nil, &exitError{code: ExitUsage, err: err}
	}
	return p, nil
}

func loadPlugin(ctx context.Context, h *plugin.Host, path string) (*plugin.Plugin, error) {
	p, err := plugin.Load(ctx, h, path)
	if err != nil {
		var be *jsrt.BuildError
		if errors.As(err, &be) {
			return nil, &buildFailure{be}
		}
		return nil, err
	}
	return p, nil
}

// buildFailure shows esbuild's messages with the source line and a caret.
type buildFailure struct{ be *jsrt.BuildError }

func (b *buildFailure) Error() string {
	var sb strings.Builder
	for i, m := range b.be.Errors {
		if i > 0 {
			sb.WriteString("\n")
		}
		sb.WriteString(m.String())
		if m.LineText != "" {
			num := fmt.Sprint(m.Line)
			fmt.Fprintf(&sb, "\n    %s | %s\n    %s | %s^", num, m.LineText, strings.Repeat(" ", len(num)), caretPad(m.LineText, m.Column-1))
		}
	}
	return sb.String()
}

func (b *buildFailure) Unwrap() error { return b.be }

func caretPad(line string, col int) string {
	var sb strings.Builder
	for i, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			sb.WriteByte('\t')
		} else {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// carry moves what the user already answered into a fresh setup.
func carry(ctx context.Context, p *plugin.Plugin, in plugin.Inputs, old *plugin.Setup) (*plugin.Setup, error) {
	s, err := p.Setup(ctx, in)
	if err != nil {
		return nil, setupError(err)
	}
	for _, of := range old.Fields {
		if f, ok := s.Field(of.Key); ok {
			switch of.Source {
			case plugin.FromPrompt:
				f.Value, f.Source = of.Value, of.Source
			case plugin.Unset:
				if f.Source != plugin.FromDefault {
					// The user was asked again for a saved value that failed.
					f.Value, f.Source = nil, plugin.Unset
				}
			}
		}
	}
	return s, nil
}

func setupError(err error) error {
	var ie *plugin.InputError
	if errors.As(err, &ie) {
		return &exitError{code: ExitUsage, err: err}
	}
	return err
}

// ask asks for the missing fields, grouped by section in schema order.
func ask(pr Prompter, p *plugin.Plugin, s *plugin.Setup, missing []*plugin.Field) error {
	sections := []string{}
	bySection := map[string][]*plugin.Field{}
	for _, f := range missing {
		sec := f.Section
		if sec == "" {
			sec = "Settings"
		}
		if _, ok := bySection[sec]; !ok {
			sections = append(sections, sec)
		}
		bySection[sec] = append(bySection[sec], f)
	}
	for _, sec := range sections {
		pr.Section(fmt.Sprintf("%s: %s", p.Name, sec))
		// Fields of this section that use their default are shown, so the
		// user sees what will be used and how to change it.
		for _, f := range s.Fields {
			fsec := f.Section
			if fsec == "" {
				fsec = "Settings"
			}
			if fsec == sec && f.Source == plugin.FromDefault && !f.Secret {
				pr.Say("%s: %v (default; change with --set %s=...)", f.Label, f.Value, f.Key)
			}
		}
		for _, f := range bySection[sec] {
			q := Question{Title: f.Label, Key: f.Key, HelpText: f.HelpText, HelpURL: f.HelpURL, Secret: f.Secret, Options: f.Options}
			if f.HasDefault {
				q.Default = fmt.Sprint(f.Default)
			}
			for {
				answer, err := pr.Ask(q)
				if err != nil {
					if errors.Is(err, io.EOF) {
						return &exitError{code: ExitUsage, err: fmt.Errorf("setup of %s cancelled; nothing was saved", p.Name)}
					}
					return err
				}
				if answer == "" {
					if q.Default != "" {
						break
					}
					pr.Say("%s is required.", f.Label)
					continue
				}
				if err := s.Supply(f.Key, answer); err != nil {
					pr.Say("%s: %v", f.Label, err)
					continue
				}
				break
			}
		}
	}
	return nil
}

// missingError names each missing field and both ways to supply it.
func missingError(p *plugin.Plugin, missing []*plugin.Field) error {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin %s needs configuration that was not supplied (no terminal to ask in):", p.ID)
	for _, f := range missing {
		what := f.Label
		if f.Secret {
			what += ", secret"
		}
		fmt.Fprintf(&b, "\n  %s (%s): set %s=... in the environment, or pass --set %s=...", f.Key, what, plugin.EnvName(f.Key), f.Key)
		if f.HelpURL != "" {
			fmt.Fprintf(&b, "\n    get it at %s", f.HelpURL)
		}
	}
	return &exitError{code: ExitUsage, err: jsrt.WithHint(errors.New(b.String()),
		"run host in a terminal to be asked; secrets are best passed in the environment, not on the command line")}
}

func hasAuthFields(s *plugin.Setup) bool { return len(authKeys(s)) > 0 }

func authKeys(s *plugin.Setup) []string {
	var keys []string
	for _, f := range s.Fields {
		if f.Auth {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

func issueKeys(issues []schema.Issue) []string {
	seen := map[string]bool{}
	var keys []string
	for _, is := range issues {
		if len(is.Path) == 0 {
			continue
		}
		if k, ok := is.Path[0].(string); ok && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// forget clears fields so they are asked again.
func forget(s *plugin.Setup, keys []string) {
	for _, k := range keys {
		if f, ok := s.Field(k); ok {
			f.Value, f.Source = nil, plugin.Unset
		}
	}
}

func errorText(err error) string {
	if je, ok := jsrt.AsJSError(err); ok {
		return je.Message
	}
	return err.Error()
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
