package plugins

import (
	"context"
	"fmt"

	"host/cmd/host/internal/cmdutil"
)

const enableUsage = `Usage: host %s [--data-dir DIR] ID

Enables or disables an installed plugin (host enable, host disable): 'host
serve' and 'host mcp' without arguments serve only the enabled ones.
Nothing the plugin kept is touched.
`

// EnableOptions are `host enable`'s and `host disable`'s arguments.
type EnableOptions struct {
	Factory *cmdutil.Factory

	ID      string
	On      bool
	DataDir string
}

// NewCmdEnable is `host enable` (on) or `host disable`.
func NewCmdEnable(f *cmdutil.Factory, on bool, runF func(context.Context, *EnableOptions) error) *cmdutil.Command {
	opts := &EnableOptions{Factory: f, On: on}
	name := map[bool]string{true: "enable", false: "disable"}[on]
	cmd := cmdutil.NewCommand(f, name, fmt.Sprintf(enableUsage, name))
	cmd.Flags.StringVar(&opts.DataDir, "data-dir", "", "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return cmdutil.Usagef("%s: usage: host %s ID", name, name)
		}
		opts.ID = args[0]
		if runF != nil {
			return runF(ctx, opts)
		}
		return enableRun(ctx, opts)
	}
	return cmd
}

func enableRun(ctx context.Context, opts *EnableOptions) error {
	s, err := openStore(opts.Factory, opts.DataDir)
	if err != nil {
		return err
	}
	r, err := s.SetEnabled(ctx, opts.ID, opts.On)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.Factory.IO.Out, "%s is %s\n", r.ID, map[bool]string{true: "enabled", false: "disabled"}[r.Enabled])
	return nil
}
