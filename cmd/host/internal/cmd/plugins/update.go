package plugins

import (
	"context"
	"errors"
	"fmt"

	"host/cmd/host/internal/cmdutil"
)

const updateUsage = `Usage: host update [flags] [ID]

Updates an installed plugin (or every one installed from a registry) to
the newest version within the range it was installed with (name@^1.2 stays
on 1.x; a plain name, on its major version); --major goes past it. It
shows the changelog line, and asks again when the new version asks for
more permissions, showing which.

Flags:
  --major          update past the range to the newest version
  --yes            accept new permissions without asking (scripts)
  --data-dir DIR   the data dir
`

// UpdateOptions are `host update`'s flags and arguments.
type UpdateOptions struct {
	Factory *cmdutil.Factory

	ID      string // "": every plugin from a registry
	Major   bool
	Yes     bool
	DataDir string
}

// NewCmdUpdate is `host update`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(context.Context, *UpdateOptions) error) *cmdutil.Command {
	opts := &UpdateOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "update", updateUsage)
	cmd.Flags.BoolVar(&opts.Major, "major", false, "")
	cmd.Flags.BoolVar(&opts.Yes, "yes", false, "")
	cmd.Flags.BoolVar(&opts.Yes, "y", false, "")
	cmd.Flags.StringVar(&opts.DataDir, "data-dir", "", "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) > 1 {
			return cmdutil.Usagef("update: usage: host update [--major] [--yes] [ID]")
		}
		if len(args) == 1 {
			opts.ID = args[0]
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return updateRun(ctx, opts)
	}
	return cmd
}

func updateRun(ctx context.Context, opts *UpdateOptions) error {
	f := opts.Factory
	out := f.IO.Out
	s, err := openStore(f, opts.DataDir)
	if err != nil {
		return err
	}
	ids := []string{opts.ID}
	if opts.ID == "" {
		ids = nil
		list, err := s.List()
		if err != nil {
			return err
		}
		for _, r := range list {
			if r.Source == "registry" {
				ids = append(ids, r.ID)
			}
		}
		if len(ids) == 0 {
			fmt.Fprintln(out, "no plugins installed from a registry")
			return nil
		}
	}
	var errs []error
	for _, id := range ids {
		plan, err := s.PrepareUpdate(ctx, id, opts.Major)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if plan == nil {
			r, _ := s.Get(id)
			fmt.Fprintf(out, "%s %s is up to date\n", id, r.Version)
			continue
		}
		printSummary(out, plan.Summary)
		if plan.Summary.NeedsConsent() {
			if err := cmdutil.Confirm(f, opts.Yes, "Update "+id+" with these new permissions?", id+" was not updated"); err != nil {
				plan.Discard()
				errs = append(errs, err)
				continue
			}
		}
		r, err := plan.Commit(ctx)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(out, "updated %s to %s\n", id, r.Version)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
