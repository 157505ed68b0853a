package cmdutil

import (
	"context"
	"errors"
	"flag"
	"fmt"
)

// Command is one `host` command as a constructor NewCmdX builds it: its
// help, its own flags (bound to the fields of its options struct) and
// what it runs once they are parsed. The root dispatches to it by Name.
type Command struct {
	// Name is the command as typed ("run"); a subcommand's is its
	// family's and its own ("auth login").
	Name string
	// Usage is the help, printed on stdout for --help, -h and
	// `host help NAME`.
	Usage string
	// Flags are the command's own flags, and only those: any other is a
	// usage error.
	Flags *flag.FlagSet
	// Run runs the command with its positional arguments, its flags
	// parsed (from anywhere on the line).
	Run func(ctx context.Context, args []string) error
	// Subcommands are dispatched on the first argument (host auth login);
	// when it names none, Run gets every argument and words the error.
	Subcommands map[string]*Command
	// Hidden commands are internal: no help line, no typo suggestion.
	Hidden bool

	io *IO
}

// NewCommand is a command with an empty flag set whose help and errors go
// to f's streams.
func NewCommand(f *Factory, name, usage string) *Command {
	return &Command{Name: name, Usage: usage, Flags: NewFlagSet(name), io: f.IO}
}

// Execute parses args and runs the command (or the subcommand the first
// argument names). Help asked for prints Usage on stdout and returns
// flag.ErrHelp (exit 0); a flag error is one usage line and where the
// help is.
func (c *Command) Execute(ctx context.Context, args []string) error {
	if len(args) > 0 && IsHelp(args[0]) {
		fmt.Fprint(c.io.Out, c.Usage)
		return flag.ErrHelp
	}
	if len(c.Subcommands) > 0 {
		if len(args) > 0 {
			if sub, ok := c.Subcommands[args[0]]; ok {
				return sub.Execute(ctx, args[1:])
			}
		}
		return c.Run(ctx, args)
	}
	pos, err := Parse(c.Flags, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(c.io.Out, c.Usage)
		return err
	}
	if err != nil {
		return Usagef("%v\nRun 'host %s --help' for its flags.", err, c.Name)
	}
	return c.Run(ctx, pos)
}

// IsHelp reports whether arg asks for help.
func IsHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}
