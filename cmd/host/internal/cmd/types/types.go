// Package types is `host types`: print (or write) the TypeScript
// declarations plugins see.
package types

import (
	"context"
	"fmt"

	"host/bindings/types"
	"host/cmd/host/internal/cmdutil"
)

const typesUsage = `Usage: host types [-o FILE] [--no-dom]

Prints the TypeScript declarations of everything a plugin sees, for editors
and tsc: the plugin SDK's module "@hivemind-os/plugin-sdk" (definePlugin, z
and its types: PluginContext, ToolDefinition, ToolResult, IncomingMessage
...), the same as globals, fetch and refreshOAuthToken, and the
"host:plugin" module. ctx.config is typed by the plugin's configSchema, a
tool's params by its parameters schema.

Flags:
  -o FILE     write FILE (replaced whole, never left half-written) instead
              of printing
  --no-dom    the standalone form, for a tsconfig.json with "lib": ["es2022"]:
              it also declares fetch, URL, TextEncoder, crypto, console,
              timers and AbortController, which TypeScript's DOM lib (loaded
              by default with "target": "es2022") declares otherwise

Check a plugin:
  host types -o host.d.ts
  tsc --noEmit --strict --target es2022 --module esnext --moduleResolution bundler host.d.ts plugin.ts
`

// TypesOptions are `host types`' flags.
type TypesOptions struct {
	Factory *cmdutil.Factory

	Output string // -o FILE; "" or "-": stdout
	NoDOM  bool
}

// NewCmdTypes is `host types`; runF, when set, runs instead of typesRun.
func NewCmdTypes(f *cmdutil.Factory, runF func(context.Context, *TypesOptions) error) *cmdutil.Command {
	opts := &TypesOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "types", typesUsage)
	cmd.Flags.StringVar(&opts.Output, "o", "", "")
	cmd.Flags.BoolVar(&opts.NoDOM, "no-dom", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return cmdutil.Usagef("types: unexpected argument %q; usage: host types [-o FILE] [--no-dom]", args[0])
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return typesRun(ctx, opts)
	}
	return cmd
}

func typesRun(_ context.Context, opts *TypesOptions) error {
	text := types.Declarations(!opts.NoDOM)
	if opts.Output == "" || opts.Output == "-" {
		_, err := fmt.Fprint(opts.Factory.IO.Out, text)
		return err
	}
	return cmdutil.WriteFileAtomic(opts.Output, []byte(text), 0o644)
}
