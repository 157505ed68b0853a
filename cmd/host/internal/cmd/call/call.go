// Package call is `host call`: run one tool of a plugin (through the
// running serve when there is one) and print its result.
package call

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	goio "io"
	"path"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/plugin"
	"host/bindings/setup"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/serve"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/terminal"
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

// CallOptions are `host call`'s flags and arguments.
type CallOptions struct {
	Factory *cmdutil.Factory

	Path   string // the PLUGIN argument
	Tool   string
	Input  json.RawMessage // nil: no input
	JSON   bool            // print the whole ToolResult
	Plugin cmdutil.PluginFlags
	Login  cmdutil.LoginFlags
}

// NewCmdCall is `host call`; runF, when set, runs instead of callRun.
func NewCmdCall(f *cmdutil.Factory, runF func(context.Context, *CallOptions) error) *cmdutil.Command {
	opts := &CallOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "call", callUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagsRun)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	opts.Login.Register(cmd.Flags)
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := opts.Plugin.Apply(); err != nil {
			return err
		}
		if len(args) < 2 || len(args) > 3 {
			return cmdutil.Usagef("call: usage: host call [flags] PLUGIN.ts TOOL ['{\"json\":\"input\"}']")
		}
		opts.Path, opts.Tool = args[0], args[1]
		if len(args) == 3 {
			text := args[2]
			if text == "-" {
				b, err := goio.ReadAll(f.IO.In)
				if err != nil {
					return cmdutil.Usagef("call: reading the input from stdin: %v", err)
				}
				text = strings.TrimSpace(string(b))
			}
			opts.Input = json.RawMessage(text)
			if !json.Valid(opts.Input) {
				return cmdutil.Usagef("call: the input %q is not valid JSON; quote it for your shell, e.g. '{\"a\": 1}'", text)
			}
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return callRun(ctx, opts)
	}
	return cmd
}

func callRun(ctx context.Context, opts *CallOptions) error {
	f := opts.Factory
	io := f.IO
	tool := opts.Tool
	if handled, err := callThroughServe(ctx, opts); handled {
		return err
	}
	sess, err := session.Open(f, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	p, err := terminal.Activate(ctx, sess, session.SetupArgs{Path: opts.Path, Set: opts.Plugin.Set, Adopt: opts.Plugin.Adopt, Login: opts.Login, Surface: "host call"})
	if err != nil {
		return err
	}
	out, callErr := p.CallToolWith(ctx, tool, opts.Input, plugin.CallOptions{Approve: approver(f)})
	derr := session.Deactivate(p)
	if callErr != nil {
		var ve *schema.ValidationError
		var ie *plugin.InputError
		var ue *plugin.UnknownToolError
		var ae *plugin.ApprovalError
		switch {
		case errors.As(callErr, &ae) && !ae.Denied:
			return cmdutil.WithExit(cmdutil.ExitUsage, callErr)
		case errors.As(callErr, &ve):
			return cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("tool %s: invalid input:\n%s", tool, cmdutil.Indent(schema.FormatIssues(ve.Issues))))
		case errors.As(callErr, &ie), errors.As(callErr, &ue):
			return cmdutil.WithExit(cmdutil.ExitUsage, callErr)
		}
		return callErr
	}
	// Tool results are masked too (the plugin package masks them already;
	// this also covers what the CLI's masker learnt): stdout ends up in
	// terminals and CI logs.
	if opts.JSON {
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
		return cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("tool %s reported an error: %s", tool, text))
	}
	fmt.Fprintf(io.Out, "%s\n", text)
	return derr
}

// callThroughServe runs the call on the running serve's instance of the
// plugin when a serve runs for the data dir and runs that plugin; handled
// is false otherwise (the caller activates the plugin itself).
func callThroughServe(ctx context.Context, opts *CallOptions) (handled bool, err error) {
	io := opts.Factory.IO
	tool := opts.Tool
	c, _, err := session.DialServe(opts.Factory, opts.Plugin.DataDir)
	if err != nil || c == nil {
		return false, nil
	}
	defer c.Close()
	name := session.ServeName(opts.Path)
	// A tool marked approval: 'always' is asked about here, in this
	// terminal, as without a serve.
	ask, unasked := approver(opts.Factory), false
	res, err := c.CallAsking(ctx, name, tool, opts.Input, func(ctx context.Context, r plugin.ApprovalRequest) (plugin.Approval, error) {
		a, err := ask(ctx, r)
		unasked = unasked || err != nil
		return a, err
	})
	if err != nil {
		if ue := unknownTool(ctx, c, name, tool); ue != nil {
			return true, cmdutil.WithExit(cmdutil.ExitUsage, ue) // as without a serve
		}
	}
	var re *serve.RemoteError
	if errors.As(err, &re) {
		switch re.Kind {
		case "not found":
			return false, nil
		case "not active":
			return true, fmt.Errorf("%s (in the running serve)", re.Message)
		}
		return true, re
	}
	if err != nil {
		return true, err
	}
	text := ResultText(res)
	for _, c := range res.Content {
		switch c := c.(type) {
		case *mcp.ImageContent:
			fmt.Fprintf(io.Err, "artifact (%s): %d bytes\n", c.MIMEType, len(c.Data))
		case *mcp.AudioContent:
			fmt.Fprintf(io.Err, "artifact (%s): %d bytes\n", c.MIMEType, len(c.Data))
		case *mcp.EmbeddedResource:
			if r := c.Resource; r != nil {
				fmt.Fprintf(io.Err, "artifact %s (%s): %d bytes\n", path.Base(r.URI), r.MIMEType, len(r.Text)+len(r.Blob))
			}
		case *mcp.ResourceLink:
			fmt.Fprintf(io.Err, "artifact %s (%s): %s\n", c.Name, c.MIMEType, io.Masker.Mask(c.URI))
		}
	}
	if res.IsError {
		code := cmdutil.ExitFailure
		if strings.HasPrefix(text, "invalid input for ") || unasked {
			code = cmdutil.ExitUsage
		}
		return true, cmdutil.WithExit(code, fmt.Errorf("tool %s: %s", tool, io.Masker.Mask(text)))
	}
	fmt.Fprintf(io.Out, "%s\n", io.Masker.Mask(text))
	return true, nil
}

// unknownTool is the error for a call of a tool the serve's plugin name
// does not have (by the serve's state), else nil.
func unknownTool(ctx context.Context, c *serve.Client, name, tool string) error {
	states, err := c.Status(ctx)
	if err != nil {
		return nil
	}
	for _, st := range states {
		if st.ID != name && st.File != name {
			continue
		}
		if st.Phase != setup.Active || slices.Contains(st.Tools, tool) {
			return nil
		}
		return &plugin.UnknownToolError{Plugin: st.ID, Tool: tool, Known: st.Tools}
	}
	return nil
}

// ResultText is what `host call` prints for a worker's result, as it
// prints a tool's result without a serve: a string content as it is,
// anything else as its JSON text (mcpserver.Result's text content).
func ResultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}
