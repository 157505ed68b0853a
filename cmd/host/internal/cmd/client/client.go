// Package client is `host client connect|list|disconnect`: host's entry in
// an AI client's MCP config file (package clients does the file work).
package client

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"

	"host/cmd/host/internal/clients"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/mcpserver"
)

const clientUsage = `Usage: host client connect|list|disconnect [flags] [CLIENT]

Wires host into an AI client's MCP configuration file for this OS
(CLIENT: claude-desktop, claude-code, cursor, vscode):

  host client connect CLIENT    add host's entry: this host binary's
                                absolute path with 'mcp' (the installed,
                                enabled plugins) and the environment it
                                needs; the client's other entries stay, the
                                file as it was is kept beside it (FILE.host-backup),
                                and a second connect changes nothing
  host client list              which clients are wired, and where
  host client disconnect CLIENT take host's entry out again

Flags of connect:
  --http           point the client at a running 'host serve --http' instead
                   (its URL, --url, default http://127.0.0.1:7331/mcp, and the
                   bearer token from the data dir)
  --url URL        the MCP endpoint for --http
  --data-dir DIR   the data dir the client's host uses (written as
                   HOST_DATA_DIR when it is not the default)
`

// ClientOptions are `host client`'s flags and arguments.
type ClientOptions struct {
	Factory *cmdutil.Factory

	Action  string // connect, list, disconnect
	Client  string
	HTTP    bool
	URL     string
	DataDir string

	// Env is where config files are looked for; zero: this machine.
	Env clients.Env
	// Exe is the host binary to write; "": this one.
	Exe string
}

// NewCmdClient is `host client`.
func NewCmdClient(f *cmdutil.Factory, runF func(context.Context, *ClientOptions) error) *cmdutil.Command {
	cmd := cmdutil.NewCommand(f, "client", clientUsage)
	cmd.Subcommands = map[string]*cmdutil.Command{}
	for _, action := range []string{"connect", "list", "disconnect"} {
		opts := &ClientOptions{Factory: f, Action: action}
		sub := cmdutil.NewCommand(f, "client "+action, clientUsage)
		sub.Flags.StringVar(&opts.DataDir, "data-dir", "", "")
		if action == "connect" {
			sub.Flags.BoolVar(&opts.HTTP, "http", false, "")
			sub.Flags.StringVar(&opts.URL, "url", "http://127.0.0.1:7331/mcp", "")
		}
		sub.Run = func(ctx context.Context, args []string) error {
			switch {
			case action == "list" && len(args) != 0:
				return cmdutil.Usagef("client list takes no arguments")
			case action != "list" && len(args) != 1:
				return cmdutil.Usagef("client %s: which client? one of %s", action, names())
			case action != "list":
				opts.Client = args[0]
			}
			if runF != nil {
				return runF(ctx, opts)
			}
			return clientRun(ctx, opts)
		}
		cmd.Subcommands[action] = sub
	}
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) == 0 {
			return cmdutil.Usagef("client: connect, list or disconnect?\n%s", clientUsage)
		}
		return cmdutil.Usagef("client: unknown action %q: connect, list or disconnect", args[0])
	}
	return cmd
}

func names() string {
	var n []string
	for _, c := range clients.All {
		n = append(n, c.Name)
	}
	return strings.Join(n, ", ")
}

func (o *ClientOptions) env() clients.Env {
	if o.Env.GOOS != "" {
		return o.Env
	}
	getenv := func(k string) string { v, _ := o.Factory.IO.LookupEnv(k); return v }
	home := getenv("HOME")
	if runtime.GOOS == "windows" || home == "" {
		home, _ = os.UserHomeDir()
	}
	return clients.Env{GOOS: runtime.GOOS, Home: home, Getenv: getenv}
}

func (o *ClientOptions) exe() (string, error) {
	if o.Exe != "" {
		return o.Exe, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot find this host binary's path: %w", err)
	}
	if r, err := filepath.EvalSymlinks(exe); err == nil {
		exe = r
	}
	return exe, nil
}

func clientRun(_ context.Context, o *ClientOptions) error {
	out := o.Factory.IO.Out
	env := o.env()
	if o.Action == "list" {
		self, _ := o.exe()
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CLIENT\tSTATE\tCONFIG")
		for _, c := range clients.All {
			path, err := c.Path(env)
			if err != nil {
				fmt.Fprintf(tw, "%s\t%s\t-\n", c.Name, o.Factory.IO.Masker.Mask(err.Error()))
				continue
			}
			st := c.Status(path)
			state := "not connected"
			switch {
			case st.Err != nil:
				state = "unreadable: " + o.Factory.IO.Masker.Mask(st.Err.Error())
			case !st.Exists:
				state = "not connected (no config file)"
			case st.Connected:
				state = "connected"
				var e struct {
					Command string `json:"command"`
					URL     string `json:"url"`
				}
				_ = json.Unmarshal(st.Entry, &e)
				switch {
				case e.URL != "":
					state = "connected over HTTP (" + e.URL + ")"
				case e.Command != self:
					state = "connected to another host binary (" + e.Command + ")"
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Name, state, path)
		}
		return tw.Flush()
	}
	c, err := clients.Lookup(o.Client)
	if err != nil {
		return cmdutil.Usagef("%v", err)
	}
	path, err := c.Path(env)
	if err != nil {
		return err
	}
	if o.Action == "disconnect" {
		res, err := c.Disconnect(path)
		if err != nil {
			return err
		}
		if !res.Changed {
			fmt.Fprintf(out, "%s was not connected (%s); nothing changed\n", c.Title, path)
			return nil
		}
		fmt.Fprintf(out, "disconnected %s: host's entry taken out of %s (the file as it was: %s)\n", c.Title, path, res.Backup)
		return nil
	}
	if o.HTTP {
		if err := c.Accepts(clients.Entry{URL: o.URL}); err != nil {
			return err
		}
	}
	entry, err := o.entry(env)
	if err != nil {
		return err
	}
	res, err := c.Connect(path, entry)
	if err != nil {
		return err
	}
	if !res.Changed {
		fmt.Fprintf(out, "%s is already connected (%s); nothing changed\n", c.Title, path)
		return nil
	}
	fmt.Fprintf(out, "connected %s: host's entry is in %s\n", c.Title, path)
	if res.Backup != "" {
		fmt.Fprintf(out, "  the file as it was: %s\n", res.Backup)
	}
	if res.CommentsDropped {
		fmt.Fprintln(out, "  its comments could not be kept; the backup has them")
	}
	fmt.Fprintf(out, "  restart %s (or reload its MCP servers) to use it; it serves the installed, enabled plugins (host list)\n", c.Title)
	return nil
}

// entry is host's entry for this machine.
func (o *ClientOptions) entry(env clients.Env) (clients.Entry, error) {
	f := o.Factory
	dataDir, err := f.DataDir(o.DataDir)
	if err != nil {
		return clients.Entry{}, err
	}
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	if o.HTTP {
		tok, err := os.ReadFile(filepath.Join(dataDir, mcpserver.TokenFile))
		if err != nil {
			return clients.Entry{}, fmt.Errorf("no MCP token in %s: start 'host serve --http 127.0.0.1:7331' once (it creates it), then connect again", dataDir)
		}
		return clients.Entry{URL: o.URL, Headers: map[string]string{"Authorization": "Bearer " + strings.TrimSpace(string(tok))}}, nil
	}
	exe, err := o.exe()
	if err != nil {
		return clients.Entry{}, err
	}
	written := "" // the default data dir: the client's host finds it itself
	if _, set := f.IO.LookupEnv("HOST_DATA_DIR"); set || o.DataDir != "" {
		written = dataDir
	}
	return clients.StdioEntry(exe, written, env, os.Getuid()), nil
}
