// Package status is `host status`: a running serve's plugins (state,
// tools, memory), else each known plugin's state as it would start
// (setup.Inspect), last status and permissions.
package status

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"host/bindings/plugin"
	"host/bindings/setup"
	"host/bindings/store"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/serve"
	"host/cmd/host/internal/session"
)

const statusUsage = `Usage: host status [--json] [PLUGIN]

While a serve runs for the data dir: every plugin's (or one plugin's)
state with its reason, last updateStatus, tools and worker memory; --json
prints the same as a JSON array. Otherwise:

Shows each known plugin's (or one plugin's) state as it would start with
what is saved (its config and keyring secrets, its login; nothing is
activated and no login starts): ready, needs setup, login needed, secrets
unavailable or error, with the reason, in the words of a serve's status;
a plugin that would be ready but whose last start failed (its onActivate
threw, its credentials were refused: on any surface, host run, serve, mcp,
setup...) is shown with that failure instead, "failed at last start:
REASON, WHEN, via SURFACE", and what to do, until a start works; its last
status, as it set it with ctx.updateStatus; and its permissions: what it
declared, or that it is unrestricted because it declares none. --json
prints a JSON array of {id, file, running: false, state, kind, reason,
fields, lastStart, hint, status, permissions}. PLUGIN is a plugin file, its
directory, or its id.

Flags:
  --data-dir DIR   where the store database is (as for 'host run')
`

// StatusOptions are `host status`' flags and arguments.
type StatusOptions struct {
	Factory *cmdutil.Factory

	Plugin string // the PLUGIN argument; "": every plugin
	JSON   bool
	Flags  cmdutil.PluginFlags // --data-dir
}

// NewCmdStatus is `host status`; runF, when set, runs instead of
// statusRun.
func NewCmdStatus(f *cmdutil.Factory, runF func(context.Context, *StatusOptions) error) *cmdutil.Command {
	opts := &StatusOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "status", statusUsage)
	opts.Flags.Register(cmd.Flags, cmdutil.FlagDataDir)
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) > 1 {
			return cmdutil.Usagef("status: usage: host status [--json] [PLUGIN]")
		}
		if len(args) == 1 {
			opts.Plugin = args[0]
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return statusRun(ctx, opts)
	}
	return cmd
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	io := opts.Factory.IO
	if handled, err := serveStatus(ctx, opts); handled {
		return err
	}
	sess, err := session.Open(opts.Factory, &opts.Flags)
	if err != nil {
		return err
	}
	defer sess.Close()
	type row struct {
		id      string
		file    string
		p       *plugin.Plugin
		loadErr error // the PLUGIN file did not load
	}
	var rows []row
	if opts.Plugin != "" {
		id, p, err := sess.PluginID(ctx, opts.Plugin)
		if err != nil {
			// A file that does not load has a state too (an error).
			path := sess.Resolve(opts.Plugin)
			if fi, serr := os.Stat(path); serr != nil || fi.IsDir() {
				return err
			}
			rows = append(rows, row{id: plugin.DefaultID(path), file: path, loadErr: err})
		} else {
			rows = append(rows, row{id: id, p: p, file: p.File})
		}
	} else {
		owners, err := plugin.KnownPlugins(sess.Host.DataDir)
		if err != nil {
			return err
		}
		if len(owners) == 0 && !opts.JSON {
			fmt.Fprintln(io.Out, "No plugin has run with this data dir yet.")
			return nil
		}
		for _, ow := range owners {
			rows = append(rows, row{id: ow.ID, file: ow.File})
		}
	}
	// --json without a serve: one object per plugin, "running": false.
	type jsonRow struct {
		ID      string `json:"id"`
		File    string `json:"file,omitempty"`
		Running bool   `json:"running"`
		// The state the plugin would start in (setup.Inspect): "state",
		// "kind", "reason", "fields", as the serve's --json has them.
		*setup.State
		// LastStart: the plugin would be ready, but its last start
		// failed ("state", "kind", "reason" are then that failure's).
		LastStart *setup.LastStart `json:"lastStart,omitempty"`
		// Hint says what to do about a failed last start.
		Hint        string        `json:"hint,omitempty"`
		Status      *store.Status `json:"status,omitempty"`
		StatusError string        `json:"statusError,omitempty"`
		Permissions []string      `json:"permissions,omitempty"`
	}
	jsonRows := []jsonRow{}
	for i, r := range rows {
		p, loadErr := r.p, r.loadErr
		if p == nil && loadErr == nil && r.file != "" {
			if _, err := os.Stat(r.file); err == nil {
				p, loadErr = plugin.Load(ctx, sess.Host, r.file)
			}
		}
		state := stateOf(ctx, sess, r.id, r.file, p, loadErr)
		last := lastStart(sess, r.id, state)
		if last != nil {
			state = &setup.State{Phase: last.Phase, Kind: last.Kind, Reason: last.Text()}
		}
		if opts.JSON {
			jr := jsonRow{ID: r.id, File: r.file, State: state, LastStart: last}
			if last != nil {
				jr.Hint = lastStartHint(r.file, last)
			}
			st, ok, err := sess.Store.Plugin(r.id).Status(ctx)
			switch {
			case err != nil:
				jr.StatusError = io.Masker.Mask(err.Error())
			case ok:
				st.Message = io.Masker.Mask(st.Message)
				jr.Status = &st
			}
			if p != nil {
				jr.Permissions = p.Permissions().Summary()
				if jr.File == "" {
					jr.File = p.File
				}
				p.Close()
			}
			jsonRows = append(jsonRows, jr)
			continue
		}
		if i > 0 {
			fmt.Fprintln(io.Out)
		}
		if state == nil {
			fmt.Fprintf(io.Out, "%s\n", r.id)
		} else {
			fmt.Fprintln(io.Out, io.Masker.Mask(stateLine(r.id, state)))
			if _, rest, ok := strings.Cut(state.Reason, "\n"); ok && state.Phase != setup.Active {
				fmt.Fprintln(io.Out, io.Masker.Mask(cmdutil.Indent(rest)))
			}
		}
		if last != nil {
			fmt.Fprintf(io.Out, "  to do:        %s\n", lastStartHint(r.file, last))
		}
		st, ok, err := sess.Store.Plugin(r.id).Status(ctx)
		switch {
		case err != nil:
			fmt.Fprintf(io.Out, "  status:       unknown (%s)\n", io.Masker.Mask(err.Error()))
		case !ok:
			fmt.Fprintf(io.Out, "  status:       none reported\n")
		default:
			fmt.Fprintf(io.Out, "  status:       %s (%s)\n", io.Masker.Mask(session.StatusText(st)), st.Updated.Local().Format(time.RFC3339))
		}
		if p == nil && loadErr != nil {
			fmt.Fprintf(io.Out, "  permissions:  unknown (the plugin does not load)\n")
			continue
		}
		if p == nil {
			fmt.Fprintf(io.Out, "  permissions:  unknown (the plugin's file is not there)\n")
			continue
		}
		fmt.Fprintf(io.Out, "  permissions:  %s\n", session.PermissionsText(p.Permissions()))
		p.Close()
	}
	if opts.JSON {
		b, _ := json.MarshalIndent(jsonRows, "", "  ")
		fmt.Fprintf(io.Out, "%s\n", b)
	}
	return nil
}

// serveStatus is `host status` while a serve runs for the data dir: the
// serve's view of its plugins (all, or the one named). handled is false
// when no serve runs (and --json was not asked).
func serveStatus(ctx context.Context, opts *StatusOptions) (handled bool, err error) {
	io := opts.Factory.IO
	asJSON := opts.JSON
	c, _, err := session.DialServe(opts.Factory, opts.Flags.DataDir)
	if err != nil {
		return true, err
	}
	if c == nil {
		return false, nil // statusRun answers, --json too
	}
	defer c.Close()
	states, err := c.Status(ctx)
	if err != nil {
		return true, err
	}
	if opts.Plugin != "" {
		name := session.ServeName(opts.Plugin)
		var one []serve.State
		for _, st := range states {
			if st.ID == name || st.File == name || filepath.Dir(st.File) == name {
				one = append(one, st)
			}
		}
		if len(one) == 0 {
			return true, fmt.Errorf("the running serve has no plugin %s", opts.Plugin)
		}
		states = one
	}
	if asJSON {
		if states == nil {
			states = []serve.State{}
		}
		b, _ := json.MarshalIndent(states, "", "  ")
		fmt.Fprintf(io.Out, "%s\n", io.Masker.Mask(string(b)))
		return true, nil
	}
	for _, st := range states {
		fmt.Fprintln(io.Out, io.Masker.Mask(st.Line()))
		if _, rest, ok := strings.Cut(st.Reason, "\n"); ok && st.Phase != setup.Active {
			fmt.Fprintln(io.Out, io.Masker.Mask(cmdutil.Indent(rest)))
		}
		if st.Status != nil {
			// A store.Status over the wire: worded as without a serve.
			b, _ := json.Marshal(st.Status)
			text := string(b)
			var ss store.Status
			if json.Unmarshal(b, &ss) == nil && ss.State != "" {
				text = session.StatusText(ss)
				if !ss.Updated.IsZero() {
					text += " (" + ss.Updated.Local().Format(time.RFC3339) + ")"
				}
			}
			fmt.Fprintf(io.Out, "  status: %s\n", io.Masker.Mask(text))
		}
		if len(st.Tools) > 0 {
			fmt.Fprintf(io.Out, "  tools: %s\n", strings.Join(st.Tools, ", "))
		}
		switch {
		case st.MemoryBytes > 0 && st.Group != "":
			fmt.Fprintf(io.Out, "  memory: %.1f MiB (pid %d, the worker of group %s)\n", float64(st.MemoryBytes)/(1<<20), st.PID, st.Group)
		case st.MemoryBytes > 0:
			fmt.Fprintf(io.Out, "  memory: %.1f MiB (pid %d)\n", float64(st.MemoryBytes)/(1<<20), st.PID)
		case st.Group != "":
			fmt.Fprintf(io.Out, "  group: %s\n", st.Group)
		}
	}
	if page, err := c.HasPage(ctx); err == nil && page && opts.Plugin == "" {
		fmt.Fprintln(io.Out, "setup page: 'host setup --browser' prints a fresh link to it and opens it")
	}
	return true, nil
}

// stateOf is the state plugin id (its file, loaded as p, or loadErr) would
// start in, as a session decides it before onActivate (setup.Inspect: its
// claim, its saved config and keyring secrets, a login); nil when its file
// is gone. It activates nothing and starts no login.
func stateOf(ctx context.Context, sess *session.Session, id, file string, p *plugin.Plugin, loadErr error) *setup.State {
	var err error
	switch {
	case loadErr != nil:
		err = setup.LoadFailure(setup.Info{ID: id}, loadErr)
	case p == nil:
		return nil
	default:
		if file == "" {
			file = p.File
		}
		// Checked (and recorded when new) as a session does.
		if cerr := p.Claim(ctx, file, false); cerr != nil {
			err = setup.ClaimFailure(setup.Info{ID: p.ID, Name: p.Name}, cerr)
		} else {
			_, err = setup.Inspect(ctx, p, plugin.Inputs{})
		}
	}
	var step setup.Step
	if err == nil {
		step = &setup.Done{}
	}
	st := setup.StateOf(step, err, sess.Factory().IO.Masker)
	if st.Phase == setup.Active {
		st.Phase = setup.Ready // set up, not running: no serve runs it
	}
	return &st
}

// lastStart is plugin id's last failed start when it would otherwise be
// shown ready (state is Ready): what it needs now (setup, a login, a file
// that loads) comes first. nil when its last start worked or none is kept.
func lastStart(sess *session.Session, id string, state *setup.State) *setup.LastStart {
	if state == nil || state.Phase != setup.Ready {
		return nil
	}
	last, err := setup.ReadLastStart(sess.Host.DataDir, id)
	if err != nil || last == nil {
		return nil // an unreadable record says nothing about the plugin
	}
	return last.In(sess.Host.WorkDir) // its positions from here
}

// lastStartHint says what to do about a failed last start of the plugin
// in file.
func lastStartHint(file string, last *setup.LastStart) string {
	again := "start it again"
	if file != "" {
		again = fmt.Sprintf("start it again ('host run --once %s')", file)
	}
	var what string
	switch {
	case last.Phase == setup.NeedsSetup || last.Phase == setup.NeedsLogin:
		what = "set it up again (the line above says how), then " + again
	case last.Kind == setup.Bug:
		what = "fix the plugin's code where the error points, then " + again
	default:
		what = "fix what the error says, then " + again
	}
	if fi, err := os.Stat(file); err == nil && fi.ModTime().After(last.At) {
		what += "; the file has changed since that start"
	}
	return what + "; a start that works clears this"
}

// stateLine is a state in the words of the serve's status line.
func stateLine(id string, st *setup.State) string {
	s := serve.State{ID: id, Phase: st.Phase, Kind: st.Kind, Reason: st.Reason}
	for _, q := range st.Fields {
		s.Fields = append(s.Fields, serve.Field{Key: q.Key, Label: q.Label, Secret: q.Secret})
	}
	return s.Line()
}
