package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	goio "io"
	"strings"

	"host/bindings/plugin"
	"host/schema"
)

const callUsage = `Usage: host call [flags] PLUGIN.ts TOOL ['{"json":"input"}']

Sets up the plugin (no questions when it is configured), activates it,
checks the input against the tool's schema, runs the tool, prints the
result's content on stdout (a string as it is, anything else as JSON),
deactivates and exits. The input may also come on stdin with '-'.

Flags: as for 'host run' (--set, --data-dir, --connect-to, --timeout), and
  --json   print the whole ToolResult: {"content", "isError", "artifacts"}

Exit codes: 0 ok, 1 the tool failed or its result is an error (isError),
2 bad usage or input.
`

const toolsUsage = `Usage: host tools [--json] PLUGIN.ts

Lists the plugin's tools with their descriptions and input JSON Schema.
`

func callCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io, Once: true}
	var asJSON bool
	pos, err := parseCommand("call", callUsage, args, io, o, func(fs *flag.FlagSet) {
		o.Auth.register(fs)
		fs.BoolVar(&asJSON, "json", false, "")
	})
	if err != nil {
		return err
	}
	if len(pos) < 2 || len(pos) > 3 {
		return usagef("call: usage: host call [flags] PLUGIN.ts TOOL ['{\"json\":\"input\"}']")
	}
	o.Path = pos[0]
	tool := pos[1]
	var input json.RawMessage
	if len(pos) == 3 {
		text := pos[2]
		if text == "-" {
			b, err := goio.ReadAll(io.In)
			if err != nil {
				return usagef("call: reading the input from stdin: %v", err)
			}
			text = strings.TrimSpace(string(b))
		}
		input = json.RawMessage(text)
		if !json.Valid(input) {
			return usagef("call: the input %q is not valid JSON; quote it for your shell, e.g. '{\"a\": 1}'", text)
		}
	}
	if handled, err := callThroughServe(ctx, o, o.Path, tool, input); handled {
		return err
	}
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	p, err := activate(ctx, sess, o)
	if err != nil {
		return err
	}
	out, callErr := p.CallTool(ctx, tool, input)
	derr := deactivate(p)
	if callErr != nil {
		var ve *schema.ValidationError
		var ie *plugin.InputError
		var ue *plugin.UnknownToolError
		switch {
		case errors.As(callErr, &ve):
			return &exitError{code: ExitUsage, err: fmt.Errorf("tool %s: invalid input:\n%s", tool, indent(schema.FormatIssues(ve.Issues)))}
		case errors.As(callErr, &ie), errors.As(callErr, &ue):
			return &exitError{code: ExitUsage, err: callErr}
		}
		return callErr
	}
	// Tool results are masked too (the plugin package masks them already;
	// this also covers what the CLI's masker learnt): stdout ends up in
	// terminals and CI logs.
	if asJSON {
		b, _ := json.Marshal(out)
		fmt.Fprintf(io.Out, "%s\n", io.Masker.Mask(string(b)))
		return derr
	}
	text := io.Masker.Mask(out.Text())
	for _, a := range out.Artifacts {
		where := a.URL
		if a.Content != "" {
			where = fmt.Sprintf("%d bytes", base64.StdEncoding.DecodedLen(len(a.Content)))
		}
		fmt.Fprintf(io.Err, "artifact %s (%s): %s\n", a.Name, a.MimeType, io.Masker.Mask(where))
	}
	if out.IsError {
		return &exitError{code: ExitFailure, err: fmt.Errorf("tool %s reported an error: %s", tool, text)}
	}
	fmt.Fprintf(io.Out, "%s\n", text)
	return derr
}

func toolsCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io}
	var asJSON bool
	pos, err := parseCommand("tools", toolsUsage, args, io, o, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("tools: usage: host tools [--json] PLUGIN.ts")
	}
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	p, err := loadPlugin(ctx, sess.host, sess.resolve(pos[0]))
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
	if asJSON {
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
