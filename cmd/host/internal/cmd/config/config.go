// Package config is `host config`: show a plugin's configuration, each
// field with its value and where it comes from (secret fields only as set
// or not set), and set or unset one field.
package config

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"host/bindings/plugin"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
)

const configUsage = `Usage: host config show [--json] [flags] PLUGIN
       host config set [flags] PLUGIN KEY VALUE
       host config unset [flags] PLUGIN KEY

show: the plugin's configuration, each field with its value and where it
comes from (saved, default, environment, --set); secret fields only as set
or not set.
set: saves one field (not a secret: 'host secrets set PLUGIN KEY' takes
those from a hidden prompt or stdin); the others stay as they are.
unset: forgets one field's saved value (its default applies again), a
secret's too.
`

// NewCmdConfig is the `host config` family.
func NewCmdConfig(f *cmdutil.Factory) *cmdutil.Command {
	cmd := cmdutil.NewCommand(f, "config", configUsage)
	cmd.Subcommands = map[string]*cmdutil.Command{"show": NewCmdShow(f, nil), "set": NewCmdSet(f, false), "unset": NewCmdSet(f, true)}
	cmd.Run = func(ctx context.Context, args []string) error {
		return cmdutil.Usagef("config: usage: host config show|set|unset ... (host help config)")
	}
	return cmd
}

// NewCmdSet is `host config set PLUGIN KEY VALUE`, or with unset `host
// config unset PLUGIN KEY`.
func NewCmdSet(f *cmdutil.Factory, unset bool) *cmdutil.Command {
	name, want := "config set", 3
	if unset {
		name, want = "config unset", 2
	}
	var flags cmdutil.PluginFlags
	cmd := cmdutil.NewCommand(f, name, configUsage)
	flags.Register(cmd.Flags, cmdutil.FlagDataDir|cmdutil.FlagSecrets|cmdutil.FlagAdopt)
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != want {
			usage := "host config set [flags] PLUGIN KEY VALUE"
			if unset {
				usage = "host config unset [flags] PLUGIN KEY"
			}
			return cmdutil.Usagef("%s: usage: %s", name, usage)
		}
		_, p, done, err := session.OpenOwned(ctx, f, &flags, args[0])
		if err != nil {
			return err
		}
		defer done()
		value := ""
		if !unset {
			value = args[2]
		}
		field, err := session.ChangeSetting(ctx, p, args[1], func() (string, error) { return value, nil }, unset, false)
		if err != nil {
			return err
		}
		if unset {
			fmt.Fprintf(f.IO.Err, "Unset %s of plugin %s.\n", field.Label, p.ID)
		} else {
			fmt.Fprintf(f.IO.Err, "Saved %s of plugin %s.\n", field.Label, p.ID)
		}
		return nil
	}
	return cmd
}

// ShowOptions are `host config show`'s flags and arguments.
type ShowOptions struct {
	Factory *cmdutil.Factory

	Path   string // the PLUGIN argument
	JSON   bool
	Plugin cmdutil.PluginFlags
}

// NewCmdShow is `host config show`; runF, when set, runs instead of
// showRun.
func NewCmdShow(f *cmdutil.Factory, runF func(context.Context, *ShowOptions) error) *cmdutil.Command {
	opts := &ShowOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "config show", configUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagDataDir|cmdutil.FlagSecrets|cmdutil.FlagAdopt|cmdutil.FlagSet|cmdutil.FlagTimeout)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := opts.Plugin.Apply(); err != nil {
			return err
		}
		if len(args) != 1 {
			return cmdutil.Usagef("config show: usage: host config show [--json] PLUGIN.ts")
		}
		opts.Path = args[0]
		if runF != nil {
			return runF(ctx, opts)
		}
		return showRun(ctx, opts)
	}
	return cmd
}

func showRun(ctx context.Context, opts *ShowOptions) error {
	io := opts.Factory.IO
	sess, p, done, err := session.OpenOwned(ctx, opts.Factory, &opts.Plugin, opts.Path)
	if err != nil {
		return err
	}
	defer done()
	s, err := p.Setup(ctx, plugin.Inputs{Set: opts.Plugin.Set, LookupEnv: io.LookupEnv})
	if err != nil {
		return session.SetupError(err)
	}
	type row struct {
		Key     string `json:"key"`
		Label   string `json:"label"`
		Section string `json:"section,omitempty"`
		Secret  bool   `json:"secret"`
		Set     bool   `json:"set"`
		Value   any    `json:"value,omitempty"`
		Source  string `json:"source,omitempty"`
	}
	var rows []row
	for _, f := range s.Fields {
		r := row{Key: f.Key, Label: f.Label, Section: f.Section, Secret: f.Secret, Set: f.Source != plugin.Unset, Source: sourceName(f.Source)}
		if !f.Secret && r.Set {
			r.Value = f.Value
		}
		rows = append(rows, r)
	}
	if opts.JSON {
		b, _ := json.MarshalIndent(map[string]any{"plugin": p.ID, "file": p.ConfigPath(), "fields": rows}, "", "  ")
		fmt.Fprintf(io.Out, "%s\n", b)
		return nil
	}
	fmt.Fprintf(io.Out, "%s (id %s), saved in %s\n", p.Name, p.ID, p.ConfigPath())
	if len(rows) == 0 {
		fmt.Fprintln(io.Out, "  no config fields")
	}
	// Three aligned columns: field, value, where it came from.
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	defer func() {
		tw.Flush()
		for _, line := range strings.SplitAfter(table.String(), "\n") {
			if line != "" {
				fmt.Fprintln(io.Out, strings.TrimRight(line, " \n"))
			}
		}
	}()
	for _, r := range rows {
		var shown string
		switch {
		case r.Secret && r.Set:
			shown = "set (secret, in the " + sess.Host.Secrets.Name() + ")"
		case r.Secret:
			shown = "not set (secret)"
		case r.Set:
			b, _ := json.Marshal(r.Value)
			shown = string(b)
		default:
			shown = "not set"
		}
		source := ""
		if r.Set && r.Source != "" {
			source = "[" + r.Source + "]"
		}
		label := r.Key
		if r.Label != r.Key {
			label += " (" + r.Label + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", label, io.Masker.Mask(shown), source)
	}
	return nil
}

// sourceName is how the CLI names where a value came from.
func sourceName(s plugin.Source) string {
	if s == plugin.FromFlag {
		return "--set"
	}
	return string(s)
}
