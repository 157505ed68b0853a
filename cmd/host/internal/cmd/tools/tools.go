// Package tools is `host tools`: list a plugin's tools with their input
// schemas.
package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"host/bindings/plugin"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
)

const toolsUsage = `Usage: host tools [--json] PLUGIN.ts

Lists the plugin's tools with their descriptions and input JSON Schema.
`

// ToolsOptions are `host tools`' flags and arguments.
type ToolsOptions struct {
	Factory *cmdutil.Factory

	Path   string // the PLUGIN argument
	JSON   bool
	Plugin cmdutil.PluginFlags
}

// NewCmdTools is `host tools`; runF, when set, runs instead of toolsRun.
func NewCmdTools(f *cmdutil.Factory, runF func(context.Context, *ToolsOptions) error) *cmdutil.Command {
	opts := &ToolsOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "tools", toolsUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagDataDir|cmdutil.FlagSecrets|cmdutil.FlagTimeout)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return cmdutil.Usagef("tools: usage: host tools [--json] PLUGIN.ts")
		}
		opts.Path = args[0]
		if runF != nil {
			return runF(ctx, opts)
		}
		return toolsRun(ctx, opts)
	}
	return cmd
}

func toolsRun(ctx context.Context, opts *ToolsOptions) error {
	io := opts.Factory.IO
	sess, err := session.Open(opts.Factory, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	p, err := sess.Load(ctx, sess.Resolve(opts.Path))
	if err != nil {
		return err
	}
	defer p.Close()
	type entry struct {
		Name        string                  `json:"name"`
		Description string                  `json:"description"`
		InputSchema json.RawMessage         `json:"inputSchema"`
		Annotations *plugin.ToolAnnotations `json:"annotations,omitempty"`
	}
	var list []entry
	for _, t := range p.Tools() {
		js, err := t.InputSchema()
		if err != nil {
			return err
		}
		e := entry{Name: t.Name, Description: t.Description, InputSchema: js}
		if t.Annotations != (plugin.ToolAnnotations{}) {
			e.Annotations = &t.Annotations
		}
		list = append(list, e)
	}
	if opts.JSON {
		if list == nil {
			list = []entry{}
		}
		b, _ := json.MarshalIndent(list, "", "  ")
		fmt.Fprintf(io.Out, "%s\n", b)
		return nil
	}
	if len(list) == 0 {
		fmt.Fprintf(io.Out, "%s has no tools.\n", p.Name)
		return nil
	}
	for i, e := range list {
		if i > 0 {
			fmt.Fprintln(io.Out)
		}
		desc := e.Description
		if desc == "" {
			desc = "(no description)"
		}
		fmt.Fprintf(io.Out, "%s — %s\n", e.Name, desc)
		var pretty strings.Builder
		var v any
		_ = json.Unmarshal(e.InputSchema, &v)
		b, _ := json.MarshalIndent(v, "  ", "  ")
		pretty.Write(b)
		fmt.Fprintf(io.Out, "  input: %s\n", pretty.String())
	}
	return nil
}
