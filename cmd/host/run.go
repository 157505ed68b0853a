package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"time"

	"host/bindings/fetch"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/jsrt"
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
  SSL_CERT_FILE, SSL_CERT_DIR
                         the trusted CA certificates (PEM), as for any Go
                         program: the bundle file and directories
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
	// reload is a reload under --watch: nothing is asked; expectID is the
	// id the running version has (a reload may not change it).
	reload   bool
	expectID string
	// secretsNS, when set, is the secrets namespace whatever the data dir
	// (the demo keeps to its own part of the keyring).
	secretsNS string
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
	fs.Var(memoryFlag{}, "memory", "")
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

// newFlagSet is a command's flag set: -h/--help prints usage on stdout;
// errors are left to flagError (printed once, not with the whole help).
func newFlagSet(name, usage string, io *IO) *flag.FlagSet {
	fs := flag.NewFlagSet("host "+name, flag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.Usage = func() {} // the flag package calls it on errors too
	return fs
}

// flagError words a flag parsing error: help asked for (the usage on
// stdout, exit 0), or the error and where the help is (exit 2).
func flagError(io *IO, name, usage string, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(io.Out, usage)
		return err
	}
	return usagef("%v\nRun 'host %s --help' for its flags.", err, name)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// parseCommand parses a command's flags (anywhere on the line) and returns
// its positional arguments.
func parseCommand(name, usage string, args []string, io *IO, o *runOptions, extra func(fs *flag.FlagSet)) ([]string, error) {
	fs := newFlagSet(name, usage, io)
	var c commonFlags
	c.register(fs, o)
	if extra != nil {
		extra(fs)
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, flagError(io, name, usage, err)
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

func runPlugin(ctx context.Context, o *runOptions) error {
	trace("start")
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	trace("session")
	showActivity(sess.host, o.IO)
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

// loadOwned resolves a PLUGIN argument, loads it and checks that the file
// owns its plugin id: commands that touch a plugin's secrets or config
// refuse a file that claims another's id (unless --adopt).
func loadOwned(ctx context.Context, sess *session, o *runOptions, arg string) (*plugin.Plugin, error) {
	o.session = sess
	path := sess.resolve(arg)
	p, err := loadPlugin(ctx, sess.host, path)
	if err != nil {
		return nil, err
	}
	showWarnings(o.IO, p)
	if err := p.Claim(ctx, path, o.Adopt); err != nil {
		p.Close()
		return nil, claimError(err)
	}
	return p, nil
}

// openOwned is openSession plus loadOwned, for commands that inspect or
// change one plugin without activating it. done closes both.
func openOwned(ctx context.Context, o *runOptions, arg string) (sess *session, p *plugin.Plugin, done func(), err error) {
	if sess, err = openSession(o); err != nil {
		return nil, nil, nil, err
	}
	if p, err = loadOwned(ctx, sess, o, arg); err != nil {
		sess.close()
		return nil, nil, nil, err
	}
	return sess, p, func() { p.Close(); sess.close() }, nil
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
	guardPlugin.Store(p.ID)
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
		writeBuildMessage(&sb, m)
	}
	return sb.String()
}

// writeBuildMessage writes "file.ts:3:7: text" and, when known, the source line
// with a caret under the column.
func writeBuildMessage(sb *strings.Builder, m jsrt.Message) {
	sb.WriteString(m.String())
	if m.LineText != "" {
		num := fmt.Sprint(m.Line)
		fmt.Fprintf(sb, "\n    %s | %s\n    %s | %s^", num, m.LineText, strings.Repeat(" ", len(num)), caretPad(m.LineText, m.Column-1))
	}
}

// showWarnings prints esbuild's warnings about the plugin's source: the
// build went through, but the author probably meant something else.
func showWarnings(io *IO, p *plugin.Plugin) {
	for _, m := range p.Warnings {
		var sb strings.Builder
		sb.WriteString("warning: ")
		writeBuildMessage(&sb, m)
		fmt.Fprintln(io.Err, io.Masker.Mask(sb.String()))
	}
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
