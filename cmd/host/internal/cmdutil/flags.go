package cmdutil

import (
	"flag"
	"strings"
	"time"

	"host/bindings/fetch"
	"host/cmd/host/internal/guard"
	"host/jsrt"
)

// The flag parser is the standard library's: every command parses with
// Parse, so flags may come before or after positional arguments, --flag
// and -flag both work, and the errors read the same everywhere.

// NewFlagSet is a command's flag set. It prints nothing: Command.Execute
// words its errors once and prints the help on stdout.
func NewFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("host "+name, flag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.Usage = func() {} // the flag package calls it on errors too
	return fs
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Parse parses flags that may come before or after positional arguments,
// as `host run plugin.ts --once` and `host run --once plugin.ts`; "--"
// ends the flags.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		// The flag package stops at the first non-flag argument, and
		// after a "--", which it consumes: everything after that is
		// positional.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// MultiFlag collects a repeatable flag.
type MultiFlag []string

func (m *MultiFlag) String() string     { return strings.Join(*m, ",") }
func (m *MultiFlag) Set(v string) error { *m = append(*m, v); return nil }

// PluginFlag names one of the flags of PluginFlags.
type PluginFlag uint

// The flags of commands that open the data dir or run plugins.
const (
	FlagDataDir   PluginFlag = 1 << iota // --data-dir DIR
	FlagSecrets                          // --secrets keyring|file
	FlagAdopt                            // --adopt
	FlagSet                              // --set KEY=VALUE (repeatable)
	FlagConnectTo                        // --connect-to H:P:TH:TP (repeatable)
	FlagTimeout                          // --timeout DURATION
	FlagDataQuota                        // --data-quota SIZE

	// FlagsRun are the flags of every command that runs a plugin.
	FlagsRun = FlagDataDir | FlagSecrets | FlagAdopt | FlagSet | FlagConnectTo | FlagTimeout | FlagDataQuota
)

// PluginFlags are the values of the flags a command that runs plugins
// takes; a command registers only those it uses.
type PluginFlags struct {
	DataDir     string
	SecretsMode string // "keyring" (default) or "file"; also HOST_SECRETS
	Adopt       bool
	Timeout     time.Duration
	// DataQuota is what each plugin may keep in its ctx.dataDir (0: the
	// default, plugin.DefaultDataQuota).
	DataQuota int64
	// Sets and Connects are the raw --set and --connect-to values, Set
	// and ConnectTo the parsed ones (after Apply).
	Sets, Connects MultiFlag
	Set            map[string]string
	ConnectTo      []fetch.ConnectTo
}

// Register defines the flags in which on fs.
func (p *PluginFlags) Register(fs *flag.FlagSet, which PluginFlag) {
	p.Timeout = jsrt.DefaultTimeout
	if which&FlagAdopt != 0 {
		fs.BoolVar(&p.Adopt, "adopt", false, "")
	}
	if which&FlagSecrets != 0 {
		fs.StringVar(&p.SecretsMode, "secrets", "", "")
	}
	if which&FlagSet != 0 {
		fs.Var(&p.Sets, "set", "")
	}
	if which&FlagConnectTo != 0 {
		fs.Var(&p.Connects, "connect-to", "")
	}
	if which&FlagDataDir != 0 {
		fs.StringVar(&p.DataDir, "data-dir", "", "")
	}
	if which&FlagTimeout != 0 {
		fs.DurationVar(&p.Timeout, "timeout", jsrt.DefaultTimeout, "")
	}
	if which&FlagDataQuota != 0 {
		fs.Var(quotaFlag{&p.DataQuota}, "data-quota", "")
	}
}

// quotaFlag is --data-quota SIZE (guard.ParseBytes: 64MiB, 1GiB...).
type quotaFlag struct{ n *int64 }

func (q quotaFlag) String() string {
	if q.n == nil || *q.n == 0 {
		return ""
	}
	return guard.FormatMiB(*q.n)
}

func (q quotaFlag) Set(v string) error {
	n, err := guard.ParseBytes(v)
	if err != nil {
		return err
	}
	*q.n = n
	return nil
}

// Apply parses the collected --set and --connect-to values (a usage error
// names the bad one).
func (p *PluginFlags) Apply() error {
	p.Set = map[string]string{}
	for _, kv := range p.Sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return Usagef("--set %q: expected KEY=VALUE", kv)
		}
		p.Set[k] = v
	}
	p.ConnectTo = nil
	for _, c := range p.Connects {
		ct, err := fetch.ParseConnectTo(c)
		if err != nil {
			return Usagef("--connect-to: %v", err)
		}
		p.ConnectTo = append(p.ConnectTo, ct)
	}
	return nil
}

// DefaultAuthTimeout bounds the wait for the browser.
const DefaultAuthTimeout = 5 * time.Minute

// LoginFlags are the login flags (host run, call, setup, auth login).
type LoginFlags struct {
	NoBrowser   bool
	AuthTimeout time.Duration
	Device      bool
	Paste       bool
}

// Register defines the login flags on fs.
func (a *LoginFlags) Register(fs *flag.FlagSet) {
	fs.BoolVar(&a.NoBrowser, "no-browser", false, "")
	fs.DurationVar(&a.AuthTimeout, "auth-timeout", DefaultAuthTimeout, "")
	fs.BoolVar(&a.Device, "device", false, "")
	fs.BoolVar(&a.Paste, "paste", false, "")
}
