package plugins

import (
	"context"
	"encoding/json"
	"fmt"

	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/pkgstore"
	"host/cmd/host/internal/session"
)

const describeUsage = `Usage: host describe [--data-dir DIR] [--memory SIZE] DIR

Internal: loads the plugin in DIR (its code runs, nothing is activated)
and prints its id, permissions, tools and whether it has a loop as JSON,
for the consent of 'host install'.
`

// DescribeOptions are `host describe`'s flags and argument.
type DescribeOptions struct {
	Factory *cmdutil.Factory

	Dir   string
	Flags cmdutil.PluginFlags
}

// NewCmdDescribe is the hidden `host describe`.
func NewCmdDescribe(f *cmdutil.Factory, runF func(context.Context, *DescribeOptions) error) *cmdutil.Command {
	opts := &DescribeOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "describe", describeUsage)
	cmd.Hidden = true
	opts.Flags.Register(cmd.Flags, cmdutil.FlagDataDir|cmdutil.FlagTimeout)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return cmdutil.Usagef("describe: one plugin directory")
		}
		opts.Dir = args[0]
		if runF != nil {
			return runF(ctx, opts)
		}
		return describeRun(ctx, opts)
	}
	return cmd
}

func describeRun(ctx context.Context, opts *DescribeOptions) error {
	sess, err := session.Open(opts.Factory, &opts.Flags)
	if err != nil {
		return err
	}
	defer sess.Close()
	p, err := sess.Load(ctx, sess.Resolve(opts.Dir))
	if err != nil {
		return err
	}
	defer p.Close()
	d := pkgstore.Description{ID: p.ID, Name: p.Name, Permissions: []string{}, Tools: []pkgstore.Tool{}}
	if perms := p.Permissions(); perms.Declared {
		d.Permissions = append(d.Permissions, perms.List...)
	}
	_, d.Loop = p.HasLoop()
	for _, t := range p.Tools() {
		ro, _ := t.Annotations.IsReadOnly()
		d.Tools = append(d.Tools, pkgstore.Tool{Name: t.Name, Description: t.Description, ReadOnly: ro,
			SideEffects: !ro && t.Annotations.SideEffects != nil && *t.Annotations.SideEffects, Approval: t.Annotations.Approval})
	}
	b, _ := json.Marshal(d)
	fmt.Fprintf(opts.Factory.IO.Out, "%s\n", b)
	return nil
}
