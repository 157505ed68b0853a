// Package root is the `host` command line: the table of commands, the
// main help, `host help` and `host version`, and the dispatch of one
// command line to its command with the exit code it ends with.
//
// Adding a command `host foo`:
//   - a package cmd/host/internal/cmd/foo (a family such as auth holds
//     one constructor per subcommand plus NewCmdAuth listing them in
//     Command.Subcommands);
//   - FooOptions holding the *cmdutil.Factory and only foo's flags and
//     arguments; shared flag groups are cmdutil.PluginFlags (Register with
//     the FlagXxx bits foo uses, Apply after parsing), cmdutil.LoginFlags,
//     f.Guard.MemoryFlag();
//   - NewCmdFoo(f, runF) builds the command with cmdutil.NewCommand, binds
//     the flags to the options, and in Run checks the positional
//     arguments, then calls runF (tests) or fooRun(ctx, opts);
//   - fooRun gets everything from opts.Factory: IO (streams, prompter,
//     masker), DataDir, SecretBackend, HTTPClient, Browser, Trace; a
//     command that runs plugins opens a session.Open(f, &opts.Plugin);
//     errors are returned (cmdutil.Usagef for exit 2, cmdutil.WithExit
//     for another code), never printed and never os.Exit;
//   - one line in Commands below, and a line in mainUsage.
package root

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"host/cmd/host/internal/cmd/auth"
	"host/cmd/host/internal/cmd/call"
	"host/cmd/host/internal/cmd/client"
	"host/cmd/host/internal/cmd/clients"
	"host/cmd/host/internal/cmd/config"
	"host/cmd/host/internal/cmd/data"
	"host/cmd/host/internal/cmd/demo"
	"host/cmd/host/internal/cmd/doctor"
	"host/cmd/host/internal/cmd/events"
	"host/cmd/host/internal/cmd/initcmd"
	"host/cmd/host/internal/cmd/mcp"
	"host/cmd/host/internal/cmd/messages"
	"host/cmd/host/internal/cmd/plugins"
	"host/cmd/host/internal/cmd/run"
	"host/cmd/host/internal/cmd/secrets"
	"host/cmd/host/internal/cmd/serve"
	"host/cmd/host/internal/cmd/setup"
	"host/cmd/host/internal/cmd/status"
	"host/cmd/host/internal/cmd/testcmd"
	"host/cmd/host/internal/cmd/tools"
	"host/cmd/host/internal/cmd/types"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/worker"
)

const mainUsage = `host runs TypeScript plugins and guides you through their auth setup.

Usage:
  host run [flags] PLUGIN.ts    set up (asking for what is missing), activate and run a plugin
  host call PLUGIN.ts TOOL [JSON]
                                run one of the plugin's tools and print its result as JSON
  host tools PLUGIN.ts          list the plugin's tools and their input schemas
  host serve [flags] [PLUGIN|DIR...]
                                run many plugins (none named: the installed, enabled ones),
                                each in its own process, until Ctrl-C
  host setup PLUGIN             complete a waiting plugin's setup (a running serve then starts it)
  host auth login|status|logout PLUGIN.ts
                                log in again, show what is set (never values), or forget the secrets
  host config show PLUGIN.ts    show the configuration (secret fields only as set/unset)
  host config set|unset PLUGIN KEY [VALUE]
                                change one saved setting (not a secret)
  host secrets set PLUGIN KEY   save one secret (hidden prompt, or stdin)
  host messages [--follow] PLUGIN
                                show the messages the plugin emitted (its inbox)
  host events PLUGIN            show the events the plugin emitted
  host data [--clear KIND] PLUGIN
                                what the plugin keeps (store, inbox, events) against its
                                data quota; --clear empties one kind, after asking
  host status [--json] [PLUGIN] a running serve's plugins (state, tools, memory), else
                                the plugins' last status and their permissions
  host doctor                   check the secret backend, the data dir and the known plugins
  host secrets passphrase       change the encrypted secrets file's passphrase
  host init [DIR]               start a plugin: plugin.ts, plugin.test.ts, host.d.ts, tsconfig.json
  host test [--watch] [FILE...] run the plugin's vitest tests inside host's runtime
  host types [-o FILE] [--no-dom]
                                print the TypeScript declarations plugins see
  host mcp [flags] [PLUGIN|DIR...]
                                serve the plugins' tools (none named: the installed, enabled
                                ones) to an AI client (MCP on stdio)
  host install [--yes] SPEC     install a plugin from npm (name@range), a .tgz or a directory,
                                after showing its permissions and tools
  host link DIR                 serve a plugin from its directory, reloading on save (authors)
  host list [--json]            the installed and linked plugins
  host update [--major] [ID]    update installed plugins within their range
  host remove [--keep-data] ID  remove a plugin with its config, store, inbox and secrets
  host enable|disable ID        serve an installed plugin or not
  host client connect|list|disconnect [CLIENT]
                                wire host into Claude Desktop, Claude Code, Cursor or VS Code
  host clients [revoke ID]      the MCP clients approved to use 'host serve --http' (OAuth); revoke one
  host demo                     run the documents' plugins offline against built-in stand-ins
  host version [--json]         print the version
  host help [command]           show help

PLUGIN.ts may also be a directory holding plugin.ts (or a package.json
whose TypeScript source entry is run), or the id of an installed plugin or
of one that ran before. Run 'host help COMMAND' for a command's flags.
`

// Commands is the CLI's whole command table: each command's
// constructor, called for the one command a line names. A new command is
// one line here.
func Commands() map[string]func(*cmdutil.Factory) *cmdutil.Command {
	return map[string]func(*cmdutil.Factory) *cmdutil.Command{
		"run":      func(f *cmdutil.Factory) *cmdutil.Command { return run.NewCmdRun(f, nil) },
		"call":     func(f *cmdutil.Factory) *cmdutil.Command { return call.NewCmdCall(f, nil) },
		"tools":    func(f *cmdutil.Factory) *cmdutil.Command { return tools.NewCmdTools(f, nil) },
		"auth":     auth.NewCmdAuth,
		"config":   config.NewCmdConfig,
		"doctor":   func(f *cmdutil.Factory) *cmdutil.Command { return doctor.NewCmdDoctor(f, nil) },
		"secrets":  secrets.NewCmdSecrets,
		"types":    func(f *cmdutil.Factory) *cmdutil.Command { return types.NewCmdTypes(f, nil) },
		"init":     func(f *cmdutil.Factory) *cmdutil.Command { return initcmd.NewCmdInit(f, nil) },
		"demo":     func(f *cmdutil.Factory) *cmdutil.Command { return demo.NewCmdDemo(f, nil) },
		"mcp":      func(f *cmdutil.Factory) *cmdutil.Command { return mcp.NewCmdMCP(f, nil) },
		"messages": func(f *cmdutil.Factory) *cmdutil.Command { return messages.NewCmdMessages(f, nil) },
		"events":   func(f *cmdutil.Factory) *cmdutil.Command { return events.NewCmdEvents(f, nil) },
		"data":     func(f *cmdutil.Factory) *cmdutil.Command { return data.NewCmdData(f, nil) },
		"status":   func(f *cmdutil.Factory) *cmdutil.Command { return status.NewCmdStatus(f, nil) },
		"serve":    func(f *cmdutil.Factory) *cmdutil.Command { return serve.NewCmdServe(f, nil) },
		"setup":    func(f *cmdutil.Factory) *cmdutil.Command { return setup.NewCmdSetup(f, nil) },
		"test":     func(f *cmdutil.Factory) *cmdutil.Command { return testcmd.NewCmdTest(f, nil) },
		"worker":   func(f *cmdutil.Factory) *cmdutil.Command { return worker.NewCmdWorker(f, nil) }, // internal: one plugin for host serve
		"install":  func(f *cmdutil.Factory) *cmdutil.Command { return plugins.NewCmdInstall(f, nil) },
		"link":     func(f *cmdutil.Factory) *cmdutil.Command { return plugins.NewCmdLink(f, nil) },
		"list":     func(f *cmdutil.Factory) *cmdutil.Command { return plugins.NewCmdList(f, nil) },
		"update":   func(f *cmdutil.Factory) *cmdutil.Command { return plugins.NewCmdUpdate(f, nil) },
		"remove":   func(f *cmdutil.Factory) *cmdutil.Command { return plugins.NewCmdRemove(f, nil) },
		"enable":   func(f *cmdutil.Factory) *cmdutil.Command { return plugins.NewCmdEnable(f, true, nil) },
		"disable":  func(f *cmdutil.Factory) *cmdutil.Command { return plugins.NewCmdEnable(f, false, nil) },
		"describe": func(f *cmdutil.Factory) *cmdutil.Command { return plugins.NewCmdDescribe(f, nil) }, // internal: loads a plugin for install's consent
		"client":   func(f *cmdutil.Factory) *cmdutil.Command { return client.NewCmdClient(f, nil) },
		"clients":  func(f *cmdutil.Factory) *cmdutil.Command { return clients.NewCmdClients(f, nil) },
	}
}

// Run runs one command line (args without the program name) and returns
// the exit code. It prints only to f's streams.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) cmdutil.ExitCode {
	io := f.IO
	if len(args) == 0 {
		fmt.Fprint(io.Err, mainUsage)
		return cmdutil.ExitUsage
	}
	commands := Commands()
	name, rest := args[0], args[1:]
	if newCmd, ok := commands[name]; ok {
		return cmdutil.Report(io, newCmd(f).Execute(ctx, rest))
	}
	var err error
	switch {
	case name == "version" || name == "--version" || name == "-version":
		switch {
		case len(rest) == 1 && (rest[0] == "--json" || rest[0] == "-json"):
			b, _ := json.Marshal(map[string]string{"version": f.Version})
			fmt.Fprintf(io.Out, "%s\n", b)
		case len(rest) == 1 && cmdutil.IsHelp(rest[0]):
			fmt.Fprint(io.Out, versionUsage)
		case len(rest) > 0:
			err = cmdutil.Usagef("version: unexpected %q\nRun 'host help version' for its flags.", rest[0])
		default:
			fmt.Fprintf(io.Out, "host %s\n", f.Version)
		}
	case name == "help" || cmdutil.IsHelp(name):
		topic := ""
		if len(rest) > 0 {
			topic = rest[0]
		}
		if newCmd, ok := commands[topic]; ok {
			fmt.Fprint(io.Out, newCmd(f).Usage)
		} else if topic == "version" {
			fmt.Fprint(io.Out, versionUsage)
		} else if topic == "help" {
			fmt.Fprint(io.Out, helpUsage)
		} else if topic != "" && !cmdutil.IsHelp(topic) {
			err = unknownCommand(f, topic)
		} else {
			fmt.Fprint(io.Out, mainUsage)
		}
	default:
		err = unknownCommand(f, name)
	}
	return cmdutil.Report(io, err)
}

const versionUsage = `Usage: host version [--json]

Prints host's version ("host v1.2.3"); with --json, {"version": "v1.2.3"}.
`

const helpUsage = `Usage: host help [COMMAND]

Without COMMAND: the commands. With one: its usage and flags (as
'host COMMAND --help').
`

// unknownCommand names the closest command, if one is close.
func unknownCommand(f *cmdutil.Factory, name string) error {
	names := []string{"help", "version"}
	for n, newCmd := range Commands() {
		if !newCmd(f).Hidden {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	best, bestD := "", 3
	for _, c := range names {
		if d := editDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if best != "" {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return cmdutil.Usagef("%s\nRun 'host help' for the commands.", msg)
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
