// Package setup is `host setup`: complete a plugin's setup in the
// terminal (or on the local setup page with --browser), then start it in
// the running serve, if one runs.
package setup

import (
	"context"
	"errors"
	"fmt"
	"time"

	"host/bindings/setup"
	"host/cmd/host/internal/cmd/plugins"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/pkgstore"
	"host/cmd/host/internal/serve"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/setuppage"
	"host/cmd/host/internal/surface"
	"host/cmd/host/internal/terminal"
	"host/jsrt"
)

const setupUsage = `Usage: host setup [flags] PLUGIN

Completes a plugin's setup in the terminal: asks for the missing config and
token fields (or runs the OAuth2 login), checks them by activating the
plugin once, and saves them. When a serve runs for the data dir, the serve
then starts the plugin with the new setup (the other plugins untouched).

PLUGIN is the plugin's id as 'host status' shows it, or its file.
'host setup --browser' without PLUGIN, while 'host serve' runs for the
data dir, prints a fresh one-time link to the serve's setup page (every
plugin) and opens it; without a serve, a page of the installed plugins
(set up here; Update, Disable and Remove) until Ctrl-C.
With --browser the setup happens on host's local setup page instead: a
loopback page for this plugin (the form of its settings, "Save and test",
"Connect" for OAuth2) opens in the browser, and host waits until it is
done (at most --auth-timeout).

Flags: as for 'host run' (--set, --data-dir, --connect-to, --no-browser,
--device, --paste, ...), and --browser.
`

// SetupOptions are `host setup`'s flags and arguments.
type SetupOptions struct {
	Factory *cmdutil.Factory

	Path    string // the PLUGIN argument: an id or a file
	Browser bool   // on the setup page
	Plugin  cmdutil.PluginFlags
	Login   cmdutil.LoginFlags
}

// NewCmdSetup is `host setup`; runF, when set, runs instead of setupRun.
func NewCmdSetup(f *cmdutil.Factory, runF func(context.Context, *SetupOptions) error) *cmdutil.Command {
	opts := &SetupOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "setup", setupUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagsRun)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	opts.Login.Register(cmd.Flags)
	cmd.Flags.BoolVar(&opts.Browser, "browser", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := opts.Plugin.Apply(); err != nil {
			return err
		}
		switch {
		case len(args) == 0 && opts.Browser:
			// The running serve's page of every plugin.
		case len(args) != 1:
			return cmdutil.Usagef("setup: usage: host setup [flags] PLUGIN (or host setup --browser: the running serve's setup page)")
		default:
			opts.Path = args[0]
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return setupRun(ctx, opts)
	}
	return cmd
}

func (opts *SetupOptions) setupArgs() session.SetupArgs {
	return session.SetupArgs{Path: opts.Path, Set: opts.Plugin.Set, Adopt: opts.Plugin.Adopt, Login: opts.Login, Surface: "host setup"}
}

func setupRun(ctx context.Context, opts *SetupOptions) error {
	io := opts.Factory.IO
	c, _, err := session.DialServe(opts.Factory, opts.Plugin.DataDir)
	if err != nil {
		return err
	}
	if opts.Path == "" {
		return servePageLink(ctx, opts, c)
	}
	var id string
	if c != nil {
		defer c.Close()
		// The serve knows the plugin by id; set up its file.
		states, err := c.Status(ctx)
		if err != nil {
			return err
		}
		name := session.ServeName(opts.Path)
		for _, st := range states {
			if st.ID == name || st.File == name {
				id, opts.Path = st.ID, st.File
			}
		}
	}
	if opts.Browser {
		return setupInBrowser(ctx, opts, c, id)
	}
	sess, err := session.Open(opts.Factory, &opts.Plugin)
	if err != nil {
		return err
	}
	args := opts.setupArgs()
	if io.Prompter != nil {
		// A plugin that is set up: offer to change its settings.
		change, unchanged, err := offerChange(ctx, sess, opts)
		if err != nil {
			sess.Close()
			return err
		}
		if unchanged {
			sess.Close()
			return nil
		}
		args.Change = change
	}
	p, err := terminal.Activate(ctx, sess, args)
	if err != nil {
		sess.Close()
		return err
	}
	derr := session.Deactivate(p)
	sess.Close()
	if derr != nil {
		return derr
	}
	return started(ctx, io, p.Name, c, id)
}

// started says the plugin is set up and, with a running serve (c), starts
// it there.
func started(ctx context.Context, io *cmdutil.IO, name string, c *serve.Client, id string) error {
	if c == nil || id == "" {
		fmt.Fprintf(io.Err, "%s is set up.\n", name)
		return nil
	}
	fmt.Fprintf(io.Err, "%s is set up; starting it in the running serve...\n", name)
	st, _, err := c.Reload(ctx, id)
	if err != nil {
		return err
	}
	if st.Phase != setup.Active {
		return errors.New(io.Masker.Mask(st.Line()))
	}
	fmt.Fprintln(io.Err, io.Masker.Mask(st.Line()))
	return nil
}

// servePageLink is `host setup --browser` without a plugin: a fresh
// one-time link to the running serve's setup page (c), opened in the
// browser unless --no-browser; without a serve, a page of the installed
// plugins (installedPage).
func servePageLink(ctx context.Context, opts *SetupOptions, c *serve.Client) error {
	f := opts.Factory
	io := f.IO
	if c == nil {
		return installedPage(ctx, opts)
	}
	link, err := c.PageLink(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Err, "The running serve's setup page:\n  %s\n(the link works once, within 15 minutes)\n", link)
	if opts.Login.NoBrowser {
		return nil
	}
	remove, opened := openLink(f, link)
	defer remove()
	if !opened {
		return nil
	}
	// The browser reads the link from a file: keep it until the link is
	// spent (or a while; the link still works then).
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	_ = c.WaitPageLinkSpent(wctx, link)
	return nil
}

// setupInBrowser is `host setup PLUGIN --browser`: the page for the plugin
// at opts.Path until it is set up (or Ctrl-C, or --auth-timeout). With a
// running serve (c), the serve then restarts the plugin with it.
func setupInBrowser(ctx context.Context, opts *SetupOptions, c *serve.Client, id string) error {
	f := opts.Factory
	io := f.IO
	sess, err := session.Open(f, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	local, ps, stop, err := startPage(ctx, opts, sess, []string{sess.Resolve(opts.Path)})
	if err != nil {
		return err
	}
	defer stop()
	ps.Srv.EndsWhenSetUp()
	p := local.Plugins()[0]
	link, done, release := ps.Srv.SetupLink(p.ID)
	defer release()
	fmt.Fprintf(io.Err, "Set up %s in the browser:\n  %s\n(the link works once; Ctrl-C to stop)\n", p.Name, link)
	if !opts.Login.NoBrowser {
		remove, _ := openLink(f, link)
		defer remove()
	}
	timeout := opts.Login.AuthTimeout
	if timeout <= 0 {
		timeout = cmdutil.DefaultAuthTimeout
	}
	select {
	case err := <-done:
		if err != nil {
			return err
		}
		ps.Srv.WaitShown(p.ID, 5*time.Second)
	case <-ctx.Done():
		return cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("setup of %s cancelled; nothing more was saved", p.Name))
	case <-time.After(timeout):
		return cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("setup of %s: the page was not completed within %s (--auth-timeout)", p.Name, timeout))
	}
	return started(ctx, io, p.Name, c, id)
}

// installedPage is `host setup --browser` without a plugin and without a
// running serve: the setup page of the data dir's installed, enabled
// plugins (set up here, not run) and the list of every installed one with
// Update, Disable and Remove, until Ctrl-C.
func installedPage(ctx context.Context, opts *SetupOptions) error {
	f := opts.Factory
	io := f.IO
	sess, err := session.Open(f, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	dataDir := sess.Host.DataDir
	files, _, err := pkgstore.ServedIn(dataDir)
	var none *pkgstore.NothingServedError
	if errors.As(err, &none) {
		return cmdutil.WithExit(cmdutil.ExitUsage, jsrt.WithHint(
			fmt.Errorf("setup: no serve is running for %s and no plugin is installed and enabled there, so there is no setup page of every plugin", dataDir),
			"name the plugin (host setup PLUGIN --browser), start a serve (host serve DIR), or install one (host install SPEC)"))
	}
	if err != nil {
		return err
	}
	_, ps, stop, err := startPage(ctx, opts, sess, files)
	if err != nil {
		return err
	}
	defer stop()
	link := ps.Srv.Link("/")
	fmt.Fprintf(io.Err, "The setup page of the installed plugins (no serve runs for this data dir):\n  %s\n(the link works once; Ctrl-C to stop)\n", link)
	if !opts.Login.NoBrowser {
		remove, _ := openLink(f, link)
		defer remove()
	}
	<-ctx.Done()
	return nil
}

// startPage serves the setup page of files (set up in this process, not
// run) on a free loopback port, with the installed plugins' list and
// their install consent (shown before an installed plugin's first setup).
// stop closes the page and then the plugins' sessions.
func startPage(ctx context.Context, opts *SetupOptions, sess *session.Session, files []string) (local *setuppage.Local, ps *surface.Page, stop func(), err error) {
	local, err = setuppage.NewLocal(ctx, surface.LocalOptions(sess, opts.setupArgs(), files, nil))
	if err != nil {
		return nil, nil, nil, err
	}
	ps, err = surface.StartPage("127.0.0.1:0", local, opts.Factory.IO)
	if err != nil {
		local.Close(context.Background())
		return nil, nil, nil, err
	}
	if pk, err := plugins.NewPagePackages(opts.Factory, &opts.Plugin); err == nil {
		ps.Srv.SetPackages(pk)
	}
	return local, ps, func() { ps.Close(); local.Close(context.Background()) }, nil
}

// openLink opens link in the browser through a file only this user can
// read (never on the browser's command line: any local user reads that),
// or says that it could not. The caller defers remove, which deletes that
// file once the browser had time to read it.
func openLink(f *cmdutil.Factory, link string) (remove func(), opened bool) {
	remove, err := f.BrowserPrivate(link)
	if err != nil {
		fmt.Fprintf(f.IO.Err, "Could not open a browser (%s); open the link above.\n", f.IO.Masker.Mask(err.Error()))
		return remove, false
	}
	return remove, true
}
