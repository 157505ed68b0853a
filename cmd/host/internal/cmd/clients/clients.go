// Package clients is `host clients`: the MCP clients the user approved on
// the consent page of host's own authorization server (`host serve
// --http`), listed, and revoked.
package clients

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"host/cmd/host/internal/authserver"
	"host/cmd/host/internal/cmdutil"
)

const clientsUsage = `Usage: host clients [--json] [--all] [--data-dir DIR]
       host clients revoke [--data-dir DIR] CLIENT_ID|--all

Lists the MCP clients you approved to use 'host serve --http' (through
OAuth, on host's consent page): their id, name, how host knows them
("registered": the client registered itself, its name is only what it
says; "metadata": its https client id publishes who it is), when you
approved it and when it last called. --all lists registered clients not
approved (yet) too. --json prints a JSON array.

revoke: ends a client's access at once (its tokens stop working, also on a
running serve) and forgets its registration; to use host again it has to
be approved again. --all revokes every client.

This is not 'host client', which wires host into an AI client's config.
`

// ClientsOptions are `host clients`' flags.
type ClientsOptions struct {
	Factory *cmdutil.Factory

	DataDir string
	JSON    bool
	All     bool
	Revoke  []string // client ids; with All: every client
}

// NewCmdClients is the `host clients` family; runF, when set, runs instead
// of clientsRun.
func NewCmdClients(f *cmdutil.Factory, runF func(context.Context, *ClientsOptions) error) *cmdutil.Command {
	opts := &ClientsOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "clients", clientsUsage)
	cmd.Flags.StringVar(&opts.DataDir, "data-dir", "", "")
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Flags.BoolVar(&opts.All, "all", false, "")
	cmd.Subcommands = map[string]*cmdutil.Command{"revoke": newCmdRevoke(f, runF)}
	cmd.Run = func(ctx context.Context, args []string) error {
		// With subcommands, the command parses its own flags.
		args, err := cmdutil.Parse(cmd.Flags, args)
		if err != nil {
			return cmdutil.Usagef("%v\nRun 'host clients --help' for its flags.", err)
		}
		if len(args) != 0 {
			return cmdutil.Usagef("clients: usage: host clients [--json] [--all], or host clients revoke CLIENT_ID")
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return clientsRun(ctx, opts)
	}
	return cmd
}

func newCmdRevoke(f *cmdutil.Factory, runF func(context.Context, *ClientsOptions) error) *cmdutil.Command {
	opts := &ClientsOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "clients revoke", clientsUsage)
	cmd.Flags.StringVar(&opts.DataDir, "data-dir", "", "")
	cmd.Flags.BoolVar(&opts.All, "all", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) == 0 && !opts.All || len(args) > 0 && opts.All {
			return cmdutil.Usagef("clients revoke: usage: host clients revoke CLIENT_ID... or --all (the ids 'host clients' lists)")
		}
		opts.Revoke = args
		if opts.All {
			opts.Revoke = []string{}
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return clientsRun(ctx, opts)
	}
	return cmd
}

func clientsRun(ctx context.Context, opts *ClientsOptions) error {
	io := opts.Factory.IO
	dataDir, err := opts.Factory.DataDir(opts.DataDir)
	if err != nil {
		return err
	}
	store, err := authserver.OpenStore(dataDir)
	if err != nil {
		return err
	}
	defer store.Close()
	if opts.Revoke != nil {
		ids := opts.Revoke
		if opts.All {
			list, err := store.Clients(ctx, true)
			if err != nil {
				return err
			}
			for _, c := range list {
				ids = append(ids, c.ID)
			}
		}
		for _, id := range ids {
			err := store.Revoke(ctx, id)
			if errors.Is(err, authserver.ErrNoClient) {
				return cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("clients revoke: no client %q in %s ('host clients --all' lists them)", id, dataDir))
			}
			if err != nil {
				return fmt.Errorf("clients revoke: %w", err)
			}
			fmt.Fprintf(io.Out, "revoked %s\n", id)
		}
		if len(ids) == 0 {
			fmt.Fprintln(io.Err, "no clients to revoke")
		}
		return nil
	}
	list, err := store.Clients(ctx, opts.All)
	if err != nil {
		return err
	}
	if opts.JSON {
		if list == nil {
			list = []authserver.Client{}
		}
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if len(list) == 0 {
		fmt.Fprintln(io.Err, "no MCP client has been approved (clients sign in through OAuth when they connect to 'host serve --http')")
		return nil
	}
	tw := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tAPPROVED\tLAST USED")
	for _, c := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Kind, when(c.Approved), when(c.LastUsed))
	}
	return tw.Flush()
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}
