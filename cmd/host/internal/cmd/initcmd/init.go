// Package initcmd is `host init`: start a plugin in a directory
// (plugin.ts, host.d.ts, tsconfig.json), never overwriting a file.
package initcmd

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"host/bindings/types"
	"host/cmd/host/internal/cmdutil"
)

const initUsage = `Usage: host init [DIR]

Starts a plugin in DIR (default: the current directory; created when
missing): plugin.ts, a token-auth plugin with tools and a loop in the shape
of the plugin SDK (@hivemind-os/plugin-sdk, which host provides);
plugin.test.ts, its first tests (run them with host test); host.d.ts,
the types for your editor and tsc (see 'host help types'); and tsconfig.json
for strict checking. Existing files are never overwritten.

Exit codes: 0 ok, 1 a file could not be written, 2 bad usage or a file
already exists.
`

var (
	//go:embed starter/plugin.ts
	starterPlugin string
	//go:embed starter/tsconfig.json
	starterTSConfig string
	//go:embed starter/plugin.test.ts
	starterTest string
)

// starterID is the id the embedded starter declares; init replaces it with
// one made from the directory's name.
const starterID = "my-plugin"

// InitOptions are `host init`'s arguments.
type InitOptions struct {
	Factory *cmdutil.Factory

	Dir string // default "."
}

// NewCmdInit is `host init`; runF, when set, runs instead of initRun.
func NewCmdInit(f *cmdutil.Factory, runF func(context.Context, *InitOptions) error) *cmdutil.Command {
	opts := &InitOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "init", initUsage)
	cmd.Run = func(ctx context.Context, args []string) error {
		opts.Dir = "."
		switch len(args) {
		case 0:
		case 1:
			opts.Dir = args[0]
		default:
			return cmdutil.Usagef("init: one directory at a time, got %s", strings.Join(args, " "))
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return initRun(ctx, opts)
	}
	return cmd
}

func initRun(_ context.Context, opts *InitOptions) error {
	dir := opts.Dir
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	id := pluginIDFor(abs)
	files := []struct{ name, text string }{
		{"plugin.ts", strings.Replace(starterPlugin, "id: '"+starterID+"'", "id: '"+id+"'", 1)},
		{"plugin.test.ts", starterTest},
		{"host.d.ts", types.Declarations(true)},
		{"tsconfig.json", starterTSConfig},
	}
	var existing []string
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, f.name)); err == nil {
			existing = append(existing, filepath.Join(dir, f.name))
		}
	}
	if len(existing) > 0 {
		verb := "exists"
		if len(existing) > 1 {
			verb = "exist"
		}
		return cmdutil.Usagef("init: %s already %s; not overwriting (remove it, or pass another directory: host init DIR)", strings.Join(existing, ", "), verb)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("init: cannot create %s: %w", dir, cmdutil.UnwrapPathError(err))
	}
	var written []string
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := writeNewFile(path, f.text); err != nil {
			for _, w := range written {
				_ = os.Remove(w)
			}
			if errors.Is(err, os.ErrExist) {
				return cmdutil.Usagef("init: %s already exists; not overwriting", path)
			}
			return fmt.Errorf("init: cannot write %s: %w", path, err)
		}
		written = append(written, path)
	}

	w := opts.Factory.IO.Out
	fmt.Fprintf(w, "Created plugin %q in %s:\n", id, dir)
	fmt.Fprintf(w, "  %-14s a token-auth plugin in the SDK's shape: tools and a loop\n", "plugin.ts")
	fmt.Fprintf(w, "  %-14s its first tests (host test runs them)\n", "plugin.test.ts")
	fmt.Fprintf(w, "  %-14s types for your editor and tsc (refresh: host types -o host.d.ts)\n", "host.d.ts")
	fmt.Fprintf(w, "  %-14s strict TypeScript settings\n", "tsconfig.json")
	fmt.Fprintf(w, "\nNext steps:\n")
	if dir != "." {
		fmt.Fprintf(w, "  cd %s\n", cmdutil.ShellQuote(dir))
	}
	fmt.Fprintf(w, "  host run --watch plugin.ts                 run it; saving a file reloads it\n")
	fmt.Fprintf(w, "  host call plugin.ts greet '{\"name\":\"Ada\"}'  run its tool\n")
	fmt.Fprintf(w, "  host test                                  run its tests (--watch: on every save)\n")
	fmt.Fprintf(w, "  tsc                                        type-check it (npm install -g typescript)\n")
	return nil
}

// writeNewFile creates path with text, failing with os.ErrExist when it
// is already there (created since the check: never overwrite).
func writeNewFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err
}

// pluginIDFor makes a plugin id from a directory's name: lower case, runs
// of characters an id cannot hold turned into '-', at most 64 characters;
// the starter's own id when nothing usable is left.
func pluginIDFor(dir string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(filepath.Base(dir)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			if r == '-' && (dash || b.Len() == 0) {
				continue
			}
			b.WriteRune(r)
			dash = r == '-'
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	id := strings.Trim(b.String(), "-._")
	if len(id) > 64 {
		id = strings.Trim(id[:64], "-._")
	}
	if id == "" {
		return starterID
	}
	return id
}
