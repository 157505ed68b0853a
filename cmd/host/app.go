package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/term"

	"host/bindings/mask"
	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/jsrt"
)

// ExitCode is what the process exits with.
type ExitCode int

// The exit codes.
const (
	ExitOK      ExitCode = 0 // done
	ExitFailure ExitCode = 1 // the plugin or the runtime failed
	ExitUsage   ExitCode = 2 // bad usage or missing configuration
	// ExitInterrupted is a command that Ctrl-C or SIGTERM ended before it
	// finished (128 + SIGINT, as shells report it).
	ExitInterrupted ExitCode = 130
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "0.1.0-dev"

// IO is everything a command reads and writes; tests replace it.
type IO struct {
	In        io.Reader
	Out, Err  io.Writer
	LookupEnv func(string) (string, bool)
	// Prompter asks the user; nil when there is no terminal.
	Prompter Prompter
	// Getwd is the working directory (positions are shown relative to it).
	Getwd func() (string, error)
	// OpenBrowser opens a URL for the OAuth login; nil means $BROWSER or
	// the platform's opener.
	OpenBrowser func(url string) error
	// ErrTTY says Err is a terminal: live progress lines are shown there.
	ErrTTY bool
	// Masker hides every secret the host has seen in what it prints; Run
	// creates one when nil.
	Masker *mask.Masker
}

// Std is the process's real IO. There is a prompter only when stdin is a
// terminal; questions go to the controlling terminal (like ssh and sudo),
// so stdout and stderr stay free for output and logs. done (Ctrl-C) ends a
// question in progress.
func Std(done <-chan struct{}) *IO {
	std := &IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, LookupEnv: lookupEnvNonEmpty, Getwd: os.Getwd,
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd()))}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		var out io.Writer = os.Stderr
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			out = tty
		}
		std.Prompter = &TermPrompter{In: os.Stdin, Out: out, Done: done, fd: int(os.Stdin.Fd())}
	}
	return std
}

// lookupEnvNonEmpty is os.LookupEnv treating an empty variable as unset, so
// `HOST_CONFIG_TOKEN= host run ...` supplies nothing.
func lookupEnvNonEmpty(k string) (string, bool) {
	v, ok := os.LookupEnv(k)
	return v, ok && v != ""
}

// usageError is bad usage: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// exitError carries a specific exit code with its message.
type exitError struct {
	code ExitCode
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

const mainUsage = `host runs TypeScript plugins and guides you through their auth setup.

Usage:
  host run [flags] PLUGIN.ts    set up (asking for what is missing), activate and run a plugin
  host call PLUGIN.ts TOOL [JSON]
                                run one of the plugin's tools and print its result as JSON
  host tools PLUGIN.ts          list the plugin's tools and their input schemas
  host serve [flags] PLUGIN|DIR...
                                run many plugins, each in its own process, until Ctrl-C
  host setup PLUGIN             complete a waiting plugin's setup (a running serve then starts it)
  host auth login|status|logout PLUGIN.ts
                                log in again, show what is set (never values), or forget the secrets
  host config show PLUGIN.ts    show the configuration (secret fields only as set/unset)
  host messages [--follow] PLUGIN
                                show the messages the plugin emitted (its inbox)
  host events PLUGIN            show the events the plugin emitted
  host status [--json] [PLUGIN] a running serve's plugins (state, tools, memory), else
                                the plugins' last status and their permissions
  host doctor                   check the secret backend, the data dir and the known plugins
  host secrets passphrase       change the encrypted secrets file's passphrase
  host init [DIR]               start a plugin: plugin.ts, host.d.ts, tsconfig.json
  host types [-o FILE] [--no-dom]
                                print the TypeScript declarations plugins see
  host mcp [flags] PLUGIN|DIR...
                                serve the plugins' tools to an AI client (MCP on stdio)
  host demo                     run the documents' plugins offline against built-in stand-ins
  host version                  print the version
  host help [command]           show help

PLUGIN.ts may also be a directory holding plugin.ts (or a package.json
whose TypeScript source entry is run), or the id of a plugin that ran
before. Run 'host help COMMAND' for a command's flags.
`

// command is one subcommand: its entry point and its help.
type command struct {
	run   func(ctx context.Context, args []string, io *IO) error
	usage string
}

// commands is the CLI's whole command table.
var commands = map[string]command{
	"run":     {runCmd, runUsage},
	"call":    {callCmd, callUsage},
	"tools":   {toolsCmd, toolsUsage},
	"auth":    {authCmd, authUsage},
	"config":  {configCmd, configUsage},
	"doctor":  {doctorCmd, doctorUsage},
	"secrets": {secretsCmd, secretsUsage},
	"types":   {typesCmd, typesUsage},
	"init":    {initCmd, initUsage},
	"demo":    {demoCmd, demoUsage},
	"mcp":     {mcpCmd, mcpUsage},
	// messages.go
	"messages": {messagesCmd, messagesUsage},
	"events":   {eventsCmd, eventsUsage},
	"status":   {statusCmd, statusUsage},
	// serve.go, setupcmd.go, worker.go
	"serve":  {serveCmd, serveUsage},
	"setup":  {setupCmd, setupUsage},
	"worker": {workerCmd, workerUsage}, // internal: one plugin for host serve
}

func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// Run runs one command line and returns the exit code. It prints only to
// io's streams.
func Run(ctx context.Context, args []string, io *IO) ExitCode {
	if io.Masker == nil {
		io.Masker = mask.New()
	}
	if len(args) == 0 {
		fmt.Fprint(io.Err, mainUsage)
		return ExitUsage
	}
	cmd, rest := args[0], args[1:]
	var err error
	if c, ok := commands[cmd]; ok {
		if isHelp(firstArg(rest)) {
			// host auth --help, host config -h: the command's help.
			fmt.Fprint(io.Out, c.usage)
			return ExitOK
		}
		err = c.run(ctx, rest, io)
		return report(io, err)
	}
	switch {
	case cmd == "version" || cmd == "--version" || cmd == "-version":
		fmt.Fprintf(io.Out, "host %s\n", Version)
	case cmd == "help" || isHelp(cmd):
		name := firstArg(rest)
		if c, ok := commands[name]; ok {
			fmt.Fprint(io.Out, c.usage)
		} else if name != "" && !isHelp(name) {
			err = unknownCommand(name)
		} else {
			fmt.Fprint(io.Out, mainUsage)
		}
	default:
		err = unknownCommand(cmd)
	}
	return report(io, err)
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// unknownCommand names the closest command, if one is close.
func unknownCommand(name string) error {
	best, bestD := "", 3
	for _, c := range append(commandNames(), "help", "version") {
		if d := editDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if best != "" {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return usagef("%s\nRun 'host help' for the commands.", msg)
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// editDistance is the Damerau-Levenshtein distance (a swap of two
// neighbours counts one: "rnu" is one from "run").
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// report prints err (one clear message, a hint when there is one) and maps
// it to an exit code.
func report(io *IO, err error) ExitCode {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	code := ExitFailure
	var ue *usageError
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case errors.As(err, &ue):
		code = ExitUsage
	}
	msg := io.Masker.Mask(err.Error())
	fmt.Fprintf(io.Err, "host: %s\n", msg)
	if h := io.Masker.Mask(hintText(err)); h != "" && !strings.Contains(msg, h) {
		fmt.Fprintf(io.Err, "  hint: %s\n", h)
	}
	return code
}

// hintText is err's hint in this CLI's words: libraries say what to do
// ("opt in to the encrypted file backend"); here it gets the flag.
func hintText(err error) string {
	h := jsrt.Hint(err)
	switch jsrt.HintKindOf(err) {
	case oauth.HintLoginAgain:
		id := "PLUGIN"
		var le *oauth.LoginNeededError
		if errors.As(err, &le) && le.PluginID != "" {
			id = le.PluginID
		}
		return strings.TrimSuffix(h, "log in to the plugin again") + "run `host auth login " + id + "` to log in again"
	case oauth.HintLoginTimeout:
		return "run the login again and finish it in the browser in time (or raise --auth-timeout); on a machine without a browser use --paste or --device"
	case oauth.HintNoDeviceLogin:
		return "log in with the browser instead (drop --device), or use --paste on a machine without a browser"
	case plugin.HintSupplyClientID:
		return fmt.Sprintf("supply it with --set clientId=... or %s", plugin.EnvName("clientId"))
	}
	var ue *secrets.UnavailableError
	if errors.As(err, &ue) && strings.HasSuffix(h, "encrypted file backend") {
		h += " (--secrets file, or HOST_SECRETS=file)"
	}
	return h
}

// defaultDataDir is the user config dir + /host.
func defaultDataDir(io *IO) (string, error) {
	if v, ok := io.LookupEnv("HOST_DATA_DIR"); ok && v != "" {
		return v, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", jsrt.WithHint(fmt.Errorf("cannot find a data directory: %w", err), "pass --data-dir DIR")
	}
	return filepath.Join(dir, "host"), nil
}
