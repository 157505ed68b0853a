package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"host/bindings/types"
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

func typesCmd(ctx context.Context, args []string, io *IO) error {
	fs := newFlagSet("types", typesUsage, io)
	out := fs.String("o", "", "")
	noDOM := fs.Bool("no-dom", false, "")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(io, "types", typesUsage, err)
	}
	if len(pos) > 0 {
		return usagef("types: unexpected argument %q; usage: host types [-o FILE] [--no-dom]", pos[0])
	}
	text := types.Declarations(!*noDOM)
	if *out == "" || *out == "-" {
		_, err := fmt.Fprint(io.Out, text)
		return err
	}
	return writeFileAtomic(*out, []byte(text), 0o644)
}

// writeFileAtomic replaces path with data: written to a temporary file in
// the same directory, then renamed over path, so a reader (an editor, tsc
// in watch mode) sees the old or the new file, never half of one.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usagef("%s is a directory; give a file name, e.g. %s", path, filepath.Join(path, "host.d.ts"))
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))
	}
	return nil
}

// unwrapPathError drops the operation and path from err (the caller's
// message names the file the user asked for, not a temporary one).
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
