// Package tools is `host tools`: list a plugin's tools with their input
// schemas and the user's marks, and set those marks (disabled, always
// allowed) in the plugin's tool policy.
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

const toolsUsage = `Usage: host tools [--json] PLUGIN
       host tools PLUGIN --disable TOOL | --enable TOOL | --always-allow TOOL | --ask TOOL

Lists the plugin's tools with their descriptions, input JSON Schema and
marks: [disabled] (not listed to AI clients, not callable), [asks first]
(approval: 'always': host asks the user before each run), [always allowed]
(asks no more). PLUGIN is an installed plugin's id or a plugin file.

  --disable TOOL       hide TOOL from clients and refuse its calls
  --enable TOOL        undo --disable
  --always-allow TOOL  run TOOL without asking, also when marked approval: 'always'
  --ask TOOL           undo --always-allow

The marks are kept in <data dir>/plugins/<id>/tools.json; a running serve
of the data dir reloads the plugin so its clients see the change.
`

// ToolsOptions are `host tools`' flags and arguments.
type ToolsOptions struct {
	Factory *cmdutil.Factory

	Path   string // the PLUGIN argument
	JSON   bool
	Plugin cmdutil.PluginFlags
	// Mark and Tool: set Tool's mark (plugin.MarkDisabled, ...) instead
	// of listing.
	Mark, Tool string
}

// NewCmdTools is `host tools`; runF, when set, runs instead of toolsRun.
func NewCmdTools(f *cmdutil.Factory, runF func(context.Context, *ToolsOptions) error) *cmdutil.Command {
	opts := &ToolsOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "tools", toolsUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagDataDir|cmdutil.FlagSecrets|cmdutil.FlagTimeout)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	marks := map[string]*string{}
	for _, m := range []struct{ flag, mark string }{
		{"disable", plugin.MarkDisabled}, {"enable", plugin.MarkEnabled},
		{"always-allow", plugin.MarkAlwaysAllow}, {"ask", plugin.MarkAsk},
	} {
		marks[m.mark] = new(string)
		cmd.Flags.StringVar(marks[m.mark], m.flag, "", "")
	}
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return cmdutil.Usagef("tools: usage: host tools [--json] PLUGIN, or host tools PLUGIN --disable|--enable|--always-allow|--ask TOOL")
		}
		for mark, tool := range marks {
			if *tool == "" {
				continue
			}
			if opts.Mark != "" {
				return cmdutil.Usagef("tools: give one of --disable, --enable, --always-allow, --ask at a time")
			}
			opts.Mark, opts.Tool = mark, *tool
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
	if opts.Mark != "" {
		return setMark(ctx, opts, p)
	}
	pol, err := p.ToolPolicy()
	if err != nil {
		return err
	}
	type entry struct {
		Name        string                  `json:"name"`
		Description string                  `json:"description"`
		InputSchema json.RawMessage         `json:"inputSchema"`
		Annotations *plugin.ToolAnnotations `json:"annotations,omitempty"`
		Disabled    bool                    `json:"disabled,omitempty"`
		AlwaysAllow bool                    `json:"alwaysAllow,omitempty"`
		marks       string
	}
	var list []entry
	for _, t := range p.Tools() {
		js, err := t.InputSchema()
		if err != nil {
			return err
		}
		e := entry{Name: t.Name, Description: t.Description, InputSchema: js,
			Disabled: pol.IsDisabled(t.Name), AlwaysAllow: pol.IsAlwaysAllowed(t.Name)}
		if t.Annotations != (plugin.ToolAnnotations{}) {
			e.Annotations = &t.Annotations
		}
		e.marks = marksOf(t, pol)
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
		fmt.Fprintf(io.Out, "%s%s — %s\n", e.Name, e.marks, desc)
		var pretty strings.Builder
		var v any
		_ = json.Unmarshal(e.InputSchema, &v)
		b, _ := json.MarshalIndent(v, "  ", "  ")
		pretty.Write(b)
		fmt.Fprintf(io.Out, "  input: %s\n", pretty.String())
	}
	return nil
}

// marksOf is how `host tools` shows t's marks: " [disabled]", " [asks
// first]", " [always allowed]", or nothing.
func marksOf(t plugin.Tool, pol plugin.ToolPolicy) string {
	var m []string
	if pol.IsDisabled(t.Name) {
		m = append(m, "disabled")
	}
	switch {
	case pol.IsAlwaysAllowed(t.Name):
		m = append(m, "always allowed")
	case t.Annotations.Approval == "always":
		m = append(m, "asks first")
	}
	if len(m) == 0 {
		return ""
	}
	return " [" + strings.Join(m, ", ") + "]"
}

// setMark records opts.Mark for opts.Tool of p, which must have the tool.
func setMark(ctx context.Context, opts *ToolsOptions, p *plugin.Plugin) error {
	var known []string
	found := false
	for _, t := range p.Tools() {
		known = append(known, t.Name)
		found = found || t.Name == opts.Tool
	}
	if !found {
		return cmdutil.WithExit(cmdutil.ExitUsage, &plugin.UnknownToolError{Plugin: p.ID, Tool: opts.Tool, Known: known})
	}
	if err := p.SetToolMark(opts.Tool, opts.Mark); err != nil {
		return err
	}
	what := map[string]string{
		plugin.MarkDisabled:    "disabled: AI clients no longer see it, and calls are refused",
		plugin.MarkEnabled:     "enabled",
		plugin.MarkAlwaysAllow: "always allowed: it runs without asking",
		plugin.MarkAsk:         "no longer always allowed",
	}[opts.Mark]
	fmt.Fprintf(opts.Factory.IO.Out, "Tool %s of plugin %s: %s.\n", opts.Tool, p.ID, what)
	// A running serve lists the plugin's tools as they were when it
	// loaded it (calls are checked against the file each time): reload it
	// there so its clients see the change.
	c, _, err := session.DialServe(opts.Factory, opts.Plugin.DataDir)
	if err != nil || c == nil {
		return nil
	}
	defer c.Close()
	st, _, err := c.Reload(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("the mark is saved, but the running serve did not reload plugin %s (its clients see the change when it next starts): %w", p.ID, err)
	}
	fmt.Fprintf(opts.Factory.IO.Err, "Reloaded in the running serve: %s\n", opts.Factory.IO.Masker.Mask(st.Line()))
	return nil
}
