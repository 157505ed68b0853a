// Package run is `host run`: set a plugin up in the terminal, activate it
// and keep it running (or once, or reloading on every save with --watch).
package run

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"host/bindings/plugin"
	"host/bindings/store"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/terminal"
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
  --data-quota SIZE      what the plugin may keep in its ctx.dataDir,
                         ctx.store and emitted messages and events together
                         (default 1GiB; a write past it is refused to the
                         plugin)
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

// RunOptions are `host run`'s flags and arguments.
type RunOptions struct {
	Factory *cmdutil.Factory

	Path   string // the PLUGIN argument
	Once   bool
	Watch  bool
	Plugin cmdutil.PluginFlags
	Login  cmdutil.LoginFlags

	// Not flags: set by tests.
	// Activated is called each time a version of the plugin is active.
	Activated func(p *plugin.Plugin)
	// Debounce is the quiet period after a change under --watch
	// (jsrt.DefaultDebounce when zero).
	Debounce time.Duration
}

// NewCmdRun is `host run`; runF, when set, runs instead of Run (tests).
func NewCmdRun(f *cmdutil.Factory, runF func(context.Context, *RunOptions) error) *cmdutil.Command {
	opts := &RunOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "run", runUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagsRun)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	cmd.Flags.BoolVar(&opts.Once, "once", false, "")
	cmd.Flags.BoolVar(&opts.Watch, "watch", false, "")
	opts.Login.Register(cmd.Flags)
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := opts.Plugin.Apply(); err != nil {
			return err
		}
		if opts.Watch && opts.Once {
			return cmdutil.Usagef("run: --watch and --once do not go together")
		}
		switch len(args) {
		case 0:
			return cmdutil.Usagef("run: which plugin? usage: host run [flags] PLUGIN.ts")
		case 1:
			opts.Path = args[0]
		default:
			return cmdutil.Usagef("run: one plugin at a time, got %s", strings.Join(args, " "))
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return Run(ctx, opts)
	}
	return cmd
}

// Run is the run function of `host run` (the demo and tests call it with
// options of their own).
func Run(ctx context.Context, opts *RunOptions) error {
	if opts.Watch {
		return watchRun(ctx, opts)
	}
	f := opts.Factory
	io := f.IO
	f.Trace("start")
	sess, err := session.Open(f, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	f.Trace("session")
	showActivity(sess.Host, io)
	sess.Host.OnStuck = func(id string, err error) { opts.Factory.Guard.Stuck(id, io.Masker.Mask(err.Error())) }
	p, err := terminal.Activate(ctx, sess, opts.setupArgs())
	if err != nil {
		return err
	}
	if opts.Activated != nil {
		opts.Activated(p)
	}
	var loopErr error
	if opts.Once {
		if _, ok := p.HasLoop(); ok {
			loopErr = p.RunLoopOnce(ctx)
		}
	} else {
		p.StartLoop()
		fmt.Fprintf(io.Err, "%s is active. Press Ctrl-C to stop.\n", p.Name)
		<-ctx.Done()
		fmt.Fprintf(io.Err, "stopping %s\n", p.Name)
	}
	if err := session.Deactivate(p); err != nil {
		return errors.Join(loopErr, err)
	}
	f.Trace("deactivated")
	if loopErr != nil {
		return loopErr
	}
	if opts.Once {
		fmt.Fprintf(io.Err, "%s activated and deactivated (--once).\n", p.Name)
	}
	return nil
}

func (opts *RunOptions) setupArgs() session.SetupArgs {
	return session.SetupArgs{Path: opts.Path, Set: opts.Plugin.Set, Adopt: opts.Plugin.Adopt, Login: opts.Login, Surface: "host run"}
}

// showActivity makes `host run` print each new inbox message on stdout
// and each status change on stderr as it happens, masked.
func showActivity(h *plugin.Host, io *cmdutil.IO) {
	var mu sync.Mutex
	h.OnMessages = func(id string, msgs []store.Message) {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range msgs {
			first, _, more := strings.Cut(strings.TrimSpace(m.Content), "\n")
			if len(first) > 200 {
				first, more = first[:200], true
			}
			if more {
				first += " …"
			}
			from := ""
			if m.Sender != nil {
				from = " (from " + m.Sender.Name + ")"
			}
			fmt.Fprintf(io.Out, "%s\n", io.Masker.Mask(fmt.Sprintf("[%s] message %s: %s%s", id, m.Channel, first, from)))
		}
	}
	last := map[string]string{} // a status repeated unchanged is not printed again
	h.OnStatus = func(id string, st store.Status) {
		mu.Lock()
		defer mu.Unlock()
		line := io.Masker.Mask(fmt.Sprintf("[%s] status: %s", id, session.StatusText(st)))
		if last[id] == line {
			return
		}
		last[id] = line
		fmt.Fprintf(io.Err, "%s\n", line)
	}
}
