package plugins

import (
	"context"
	"fmt"

	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/pkgstore"
)

const removeUsage = `Usage: host remove [flags] ID

Removes an installed (or linked) plugin, after asking: its code, and
everything it kept: its config, its data folder, its store rows, inbox,
events and status, and every item it has in the keyring. A linked
plugin's directory is left alone.

Flags:
  --keep-data      remove only the code; config, store and secrets stay
  --yes            do not ask (scripts)
  --data-dir DIR   the data dir
  --secrets keyring|file   where its secrets are (as for 'host run')
`

// RemoveOptions are `host remove`'s flags and arguments.
type RemoveOptions struct {
	Factory *cmdutil.Factory

	ID       string
	KeepData bool
	Yes      bool
	Flags    cmdutil.PluginFlags // --data-dir, --secrets
}

// NewCmdRemove is `host remove`.
func NewCmdRemove(f *cmdutil.Factory, runF func(context.Context, *RemoveOptions) error) *cmdutil.Command {
	opts := &RemoveOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "remove", removeUsage)
	opts.Flags.Register(cmd.Flags, cmdutil.FlagDataDir|cmdutil.FlagSecrets)
	cmd.Flags.BoolVar(&opts.KeepData, "keep-data", false, "")
	cmd.Flags.BoolVar(&opts.Yes, "yes", false, "")
	cmd.Flags.BoolVar(&opts.Yes, "y", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return cmdutil.Usagef("remove: usage: host remove [--keep-data] [--yes] ID")
		}
		opts.ID = args[0]
		if runF != nil {
			return runF(ctx, opts)
		}
		return removeRun(ctx, opts)
	}
	return cmd
}

func removeRun(ctx context.Context, opts *RemoveOptions) error {
	f := opts.Factory
	out := f.IO.Out
	s, err := openStore(f, opts.Flags.DataDir)
	if err != nil {
		return err
	}
	r, err := s.Get(opts.ID)
	if err != nil {
		return err
	}
	what := "its code, config, data folder, store, inbox and secrets"
	switch {
	case opts.KeepData && r.Link != "":
		what = "the link (" + r.Link + " and the plugin's data stay)"
	case opts.KeepData:
		what = "its code (its config, store and secrets stay)"
	case r.Link != "":
		what = "the link, and its config, data folder, store, inbox and secrets (" + r.Link + " stays)"
	}
	fmt.Fprintf(out, "Removing %s removes %s.\n", r.ID, what)
	if err := cmdutil.Confirm(f, opts.Yes, "Remove "+r.ID+"?", "nothing was removed"); err != nil {
		return err
	}
	rmOpts := pkgstore.RemoveOptions{KeepData: opts.KeepData}
	if !opts.KeepData {
		scope, closeSession, err := purgeScope(f, &opts.Flags, r.ID)
		if err != nil {
			return err
		}
		defer closeSession()
		rmOpts = scope
	}
	if _, err := s.Remove(ctx, r.ID, rmOpts); err != nil {
		return err
	}
	fmt.Fprintf(out, "removed %s\n", r.ID)
	return nil
}
