package plugins

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"host/cmd/host/internal/cmdutil"
)

const listUsage = `Usage: host list [--json] [--data-dir DIR]

Lists the installed and linked plugins: id, version, source, enabled or
not, state (missing: its files are gone), and its permissions in short
(what it declared; "all" when it declares none). --json prints each
plugin's whole record.
`

// ListOptions are `host list`'s flags.
type ListOptions struct {
	Factory *cmdutil.Factory

	JSON    bool
	DataDir string
}

// NewCmdList is `host list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cmdutil.Command {
	opts := &ListOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "list", listUsage)
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Flags.StringVar(&opts.DataDir, "data-dir", "", "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 0 {
			return cmdutil.Usagef("list: usage: host list [--json]")
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return listRun(ctx, opts)
	}
	return cmd
}

// listEntry is one plugin in `host list --json`.
type listEntry struct {
	ID          string   `json:"id"`
	Package     string   `json:"package,omitempty"`
	Version     string   `json:"version,omitempty"`
	Source      string   `json:"source"`
	Enabled     bool     `json:"enabled"`
	State       string   `json:"state"`
	Permissions []string `json:"permissions"`
	Path        string   `json:"path"`
}

func listRun(_ context.Context, opts *ListOptions) error {
	out := opts.Factory.IO.Out
	s, err := openStore(opts.Factory, opts.DataDir)
	if err != nil {
		return err
	}
	list, err := s.List()
	if err != nil {
		return err
	}
	entries := []listEntry{}
	for _, r := range list {
		e := listEntry{ID: r.ID, Package: r.Package, Version: r.Version, Source: r.Source, Enabled: r.Enabled,
			State: "ok", Permissions: r.Permissions, Path: s.EntryPath(r)}
		if _, err := os.Stat(e.Path); err != nil {
			e.State = "missing"
		}
		entries = append(entries, e)
	}
	if opts.JSON {
		b, _ := json.MarshalIndent(entries, "", "  ")
		fmt.Fprintf(out, "%s\n", b)
		return nil
	}
	if len(entries) == 0 {
		fmt.Fprintln(out, "no plugins installed (host install SPEC, host link DIR)")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tSOURCE\tENABLED\tSTATE\tPERMISSIONS")
	for _, e := range entries {
		perms := strings.Join(e.Permissions, " ")
		if perms == "" {
			perms = "all (none declared)"
		}
		ver := e.Version
		if ver == "" {
			ver = "-"
		}
		en := "yes"
		if !e.Enabled {
			en = "no"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, ver, e.Source, en, e.State, perms)
	}
	return tw.Flush()
}
