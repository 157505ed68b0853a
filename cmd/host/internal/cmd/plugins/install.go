package plugins

import (
	"context"
	"fmt"

	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/pkgstore"
)

const installUsage = `Usage: host install [flags] SPEC

Installs a plugin into the data dir: SPEC is an npm package (name,
name@^1.2, @scope/name@tag) from the registry your npm configuration names
(~/.npmrc: registry, @scope:registry, //host/:_authToken; HTTPS_PROXY is
honoured), a .tgz file, or a directory (as 'host link DIR').

Before anything is written it shows the plugin's name, version, publisher,
its permissions in plain words and its tools, and asks. Every tarball's
sha512 integrity is verified; install scripts never run; runtime
dependencies go into the plugin's own folder, and host-lock.json beside it
records their exact versions and hashes. 'host serve' and 'host mcp'
without arguments serve the installed, enabled plugins.

Flags:
  --yes            accept without asking (scripts); without it and without a
                   terminal, host changes nothing and exits 2
  --lock FILE      install exactly what a host-lock.json records
  --data-dir DIR   the data dir (default: as for 'host run')
`

const linkUsage = `Usage: host link [flags] DIR

Adds the plugin in DIR to the installed plugins without copying it: 'host
serve' and 'host mcp' run it from DIR, and 'host serve' reloads it when one
of its files is saved (for plugin authors). 'host remove ID' unlinks it
(DIR itself is left alone).

Flags:
  --yes            accept without asking
  --data-dir DIR   the data dir
`

// InstallOptions are `host install`'s and `host link`'s flags and
// arguments.
type InstallOptions struct {
	Factory *cmdutil.Factory

	Spec    string
	Yes     bool
	Lock    string
	Link    bool // host link: SPEC must be a directory
	DataDir string
}

// NewCmdInstall is `host install`; runF, when set, runs instead of
// installRun.
func NewCmdInstall(f *cmdutil.Factory, runF func(context.Context, *InstallOptions) error) *cmdutil.Command {
	return newInstall(f, "install", installUsage, false, runF)
}

// NewCmdLink is `host link`.
func NewCmdLink(f *cmdutil.Factory, runF func(context.Context, *InstallOptions) error) *cmdutil.Command {
	return newInstall(f, "link", linkUsage, true, runF)
}

func newInstall(f *cmdutil.Factory, name, usage string, link bool, runF func(context.Context, *InstallOptions) error) *cmdutil.Command {
	opts := &InstallOptions{Factory: f, Link: link}
	cmd := cmdutil.NewCommand(f, name, usage)
	cmd.Flags.BoolVar(&opts.Yes, "yes", false, "")
	cmd.Flags.BoolVar(&opts.Yes, "y", false, "")
	cmd.Flags.StringVar(&opts.DataDir, "data-dir", "", "")
	if !link {
		cmd.Flags.StringVar(&opts.Lock, "lock", "", "")
	}
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return cmdutil.Usagef("%s: usage: host %s [--yes] %s", name, name, map[bool]string{true: "DIR", false: "SPEC"}[link])
		}
		opts.Spec = args[0]
		if runF != nil {
			return runF(ctx, opts)
		}
		return installRun(ctx, opts)
	}
	return cmd
}

func installRun(ctx context.Context, opts *InstallOptions) error {
	f := opts.Factory
	out := f.IO.Out
	s, err := openStore(f, opts.DataDir)
	if err != nil {
		return err
	}
	spec, err := pkgstore.ParseSpec(opts.Spec)
	if err != nil {
		return cmdutil.Usagef("%s: %v", opts.Spec, err)
	}
	if opts.Link && spec.Kind != "dir" {
		return cmdutil.Usagef("link: %s is not a directory (host install installs packages)", opts.Spec)
	}
	var in pkgstore.InstallOptions
	if opts.Lock != "" {
		if in.Lock, err = pkgstore.ReadLock(opts.Lock); err != nil {
			return err
		}
	}
	plan, err := s.Prepare(ctx, spec, in)
	if err != nil {
		return err
	}
	if existing, err := s.Get(plan.Record.ID); err == nil {
		plan.Discard()
		return &pkgstore.AlreadyInstalledError{Record: existing}
	}
	printSummary(out, plan.Summary)
	verb := "Install"
	if spec.Kind == "dir" {
		verb = "Link"
	}
	if err := cmdutil.Confirm(f, opts.Yes, verb+" "+plan.Record.ID+"?", "nothing was "+map[bool]string{true: "linked", false: "installed"}[spec.Kind == "dir"]); err != nil {
		plan.Discard()
		return err
	}
	r, err := plan.Commit(ctx)
	if err != nil {
		return err
	}
	if r.Link != "" {
		fmt.Fprintf(out, "linked %s from %s; host serve and host mcp now serve it\n", r.ID, r.Link)
	} else {
		fmt.Fprintf(out, "installed %s %s; host serve and host mcp now serve it\n", r.ID, r.Version)
	}
	return nil
}
