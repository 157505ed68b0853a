// Package events is `host events`: a plugin's event log (ctx.emitEvent),
// read from the store.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
)

const eventsUsage = `Usage: host events [--json] PLUGIN

Shows the plugin's event log: what it emitted with ctx.emitEvent(type,
payload), oldest first. PLUGIN is a plugin file, its directory, or its id.

Flags:
  --json       one JSON object per line: seq, type, payload, time
  --data-dir DIR   where the store database is (as for 'host run')
`

// EventsOptions are `host events`' flags and arguments.
type EventsOptions struct {
	Factory *cmdutil.Factory

	Plugin string // the PLUGIN argument
	JSON   bool
	Flags  cmdutil.PluginFlags // --data-dir
}

// NewCmdEvents is `host events`; runF, when set, runs instead of
// eventsRun.
func NewCmdEvents(f *cmdutil.Factory, runF func(context.Context, *EventsOptions) error) *cmdutil.Command {
	opts := &EventsOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "events", eventsUsage)
	opts.Flags.Register(cmd.Flags, cmdutil.FlagDataDir)
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return cmdutil.Usagef("usage: host events [--json] PLUGIN")
		}
		opts.Plugin = args[0]
		if runF != nil {
			return runF(ctx, opts)
		}
		return eventsRun(ctx, opts)
	}
	return cmd
}

func eventsRun(ctx context.Context, opts *EventsOptions) error {
	io := opts.Factory.IO
	asJSON := opts.JSON
	sess, id, err := session.OpenPluginStore(ctx, opts.Factory, &opts.Flags, opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	evs, err := sess.Store.Plugin(id).Events(ctx, 0, 0)
	if err != nil {
		return err
	}
	if len(evs) == 0 && !asJSON {
		fmt.Fprintf(io.Err, "%s has no events yet.\n", id)
	}
	for _, e := range evs {
		if asJSON {
			b, _ := json.Marshal(e)
			fmt.Fprintf(io.Out, "%s\n", io.Masker.Mask(string(b)))
			continue
		}
		fmt.Fprintf(io.Out, "#%d %s %s %s\n", e.Seq, e.Time.Local().Format(time.RFC3339), e.Type, io.Masker.Mask(string(e.Payload)))
	}
	return nil
}
