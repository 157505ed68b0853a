// Package data is `host data`: what a plugin keeps in the store (its
// ctx.store values, inbox and event log), and clearing one kind of it,
// the way out once its data quota refuses writes.
package data

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"host/bindings/store"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/control"
	"host/cmd/host/internal/session"
)

const dataUsage = `Usage: host data [--json] PLUGIN
       host data --clear KIND[,KIND...] [--yes] PLUGIN

Shows what the plugin keeps in the store, per kind, as its data quota
counts it (each key and value, source and message, type and payload, plus
64 bytes a row); its ctx.dataDir files count toward the same quota.
PLUGIN is a plugin file, its directory, or its id.

With --clear, removes every row of one kind, after asking:
  store    the plugin's ctx.store values (refused while a 'host serve' or
           a 'host mcp' runs the plugin: they are its working state; stop
           it first)
  inbox    the messages it emitted (ctx.emitMessage). Their sources stay
           known, so a message the plugin emits again with the same
           source is still a duplicate and is not added back ('host remove'
           forgets them too)
  events   the events it emitted (ctx.emitEvent)
A running 'host serve' or 'host mcp' keeps serving the plugin; its clients
are told the inbox changed, and the plugin's quota counts the rows gone at
its next write.

Flags:
  --clear KIND     store, inbox or events (several: inbox,events)
  --yes            do not ask (scripts)
  --json           the usage as JSON
  --data-dir DIR   where the store database is (as for 'host run')
`

// DataOptions are `host data`'s flags and arguments.
type DataOptions struct {
	Factory *cmdutil.Factory

	Plugin string           // the PLUGIN argument
	Clear  []store.DataKind // --clear, in the order given
	Yes    bool
	JSON   bool
	Flags  cmdutil.PluginFlags // --data-dir
}

// NewCmdData is `host data`; runF, when set, runs instead of dataRun.
func NewCmdData(f *cmdutil.Factory, runF func(context.Context, *DataOptions) error) *cmdutil.Command {
	opts := &DataOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "data", dataUsage)
	opts.Flags.Register(cmd.Flags, cmdutil.FlagDataDir)
	var clear string
	cmd.Flags.StringVar(&clear, "clear", "", "")
	cmd.Flags.BoolVar(&opts.Yes, "yes", false, "")
	cmd.Flags.BoolVar(&opts.Yes, "y", false, "")
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return cmdutil.Usagef("usage: host data [--clear store|inbox|events] [--yes] PLUGIN")
		}
		opts.Plugin = args[0]
		kinds, err := parseKinds(clear)
		if err != nil {
			return err
		}
		opts.Clear = kinds
		if runF != nil {
			return runF(ctx, opts)
		}
		return dataRun(ctx, opts)
	}
	return cmd
}

// parseKinds reads --clear's comma-separated kinds.
func parseKinds(v string) ([]store.DataKind, error) {
	if v == "" {
		return nil, nil
	}
	var out []store.DataKind
	for _, k := range strings.Split(v, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(store.DataKinds, store.DataKind(k)) {
			return nil, cmdutil.Usagef("--clear %s: no such kind of data; the kinds are store, inbox and events", k)
		}
		if !slices.Contains(out, store.DataKind(k)) {
			out = append(out, store.DataKind(k))
		}
	}
	return out, nil
}

func dataRun(ctx context.Context, opts *DataOptions) error {
	f := opts.Factory
	sess, id, err := session.OpenPluginStore(ctx, f, &opts.Flags, opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	st := sess.Store.Plugin(id)
	u, err := st.DataUsage(ctx)
	if err != nil {
		return err
	}
	if len(opts.Clear) == 0 {
		return show(f, sess, id, u, opts.JSON)
	}
	// The serve and each host mcp running for the data dir.
	dataDir, err := f.DataDir(opts.Flags.DataDir)
	if err != nil {
		return err
	}
	peers := control.DialAll(dataDir)
	defer func() {
		for _, p := range peers {
			p.Close()
		}
	}()
	if slices.Contains(opts.Clear, store.KindStore) {
		for _, p := range peers {
			if err := refuseStoreWhileRunning(ctx, p, id); err != nil {
				return err
			}
		}
	}
	for _, k := range opts.Clear {
		if err := clearKind(ctx, f, st, peers, id, byKind(u, k), opts.Yes); err != nil {
			return err
		}
	}
	return nil
}

// refuseStoreWhileRunning refuses to clear ctx.store under a serve or a
// host mcp (p) running the plugin: the plugin reads and writes it at any
// moment (a cursor, a cache, several keys updated together), so cleared
// under it, it could write back half of what it had. Its inbox and events
// it only appends to.
func refuseStoreWhileRunning(ctx context.Context, p control.Peer, id string) error {
	runs, err := p.Runs(ctx, id)
	if err != nil {
		return fmt.Errorf("nothing was cleared: %s runs for this data dir and did not say whether it runs %s: %w", p.Who(), id, err)
	}
	if !runs {
		return nil
	}
	if p.Name == control.ServeName {
		return fmt.Errorf("nothing was cleared: the serve running for this data dir runs %s, and its ctx.store values are its working state, which it may be writing now; stop the serve, run this again, then start the serve (the inbox and events can be cleared while it runs)", id)
	}
	return fmt.Errorf("nothing was cleared: %s running for this data dir serves %s to an AI client, and its ctx.store values are its working state, which it may be writing now; end that host mcp (quit the AI client or restart its MCP server), run this again, then start it again (the inbox and events can be cleared while it runs)", p.Who(), id)
}

func byKind(u store.DataUsage, k store.DataKind) store.KindUsage {
	for _, ku := range u.Kinds {
		if ku.Kind == k {
			return ku
		}
	}
	return store.KindUsage{Kind: k}
}

// clearKind asks, clears one kind and tells the peers (the serve and each
// host mcp running).
func clearKind(ctx context.Context, f *cmdutil.Factory, st *store.Store, peers []control.Peer, id string, ku store.KindUsage, yes bool) error {
	out := f.IO.Out
	what := describe(ku)
	if ku.Rows == 0 {
		fmt.Fprintf(out, "%s's %s is empty already.\n", id, ku.Kind)
		return nil
	}
	if err := cmdutil.Confirm(f, yes, fmt.Sprintf("Clear %s's %s (%s)?", id, ku.Kind, what), "nothing was cleared"); err != nil {
		return err
	}
	done, err := st.Clear(ctx, ku.Kind)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "cleared %s's %s: %s\n", id, ku.Kind, describe(done))
	for _, p := range peers {
		var re *control.RemoteError
		switch err := p.Cleared(ctx, id, string(ku.Kind)); {
		case err == nil:
			if ku.Kind == store.KindInbox {
				fmt.Fprintf(out, "told %s: its clients see the empty inbox\n", running(p))
			}
		case errors.As(err, &re) && re.Kind == "not found":
			// It does not run this plugin: nothing to tell.
		default:
			fmt.Fprintf(f.IO.Err, "host: the data is cleared, but %s was not told (%s); its clients see the change at their next read\n", running(p), f.IO.Masker.Mask(err.Error()))
		}
	}
	return nil
}

// running is "the running serve", "the running host mcp (pid 1234)".
func running(p control.Peer) string { return "the running " + strings.TrimPrefix(p.Who(), "the ") }

// show prints the usage per kind.
func show(f *cmdutil.Factory, sess *session.Session, id string, u store.DataUsage, asJSON bool) error {
	out := f.IO.Out
	if asJSON {
		b, _ := json.Marshal(struct {
			Plugin string `json:"plugin"`
			store.DataUsage
			Total int64 `json:"total"`
		}{id, u, u.Total()})
		fmt.Fprintf(out, "%s\n", b)
		return nil
	}
	fmt.Fprintf(out, "%s keeps in %s:\n", id, sess.Store.Path())
	for _, k := range u.Kinds {
		line := fmt.Sprintf("  %-7s %-14s %9s", k.Kind, rows(k), size(k.Bytes))
		if k.Kind == store.KindInbox && u.Seen > 0 {
			line += fmt.Sprintf("   (and %d sources of cleared messages, kept as duplicates)", u.Seen)
		}
		fmt.Fprintln(out, line)
	}
	fmt.Fprintf(out, "  %-7s %-14s %9s\n", "total", "", size(u.Total()))
	fmt.Fprintf(out, "Its ctx.dataDir files count toward the same quota: %s\n", filepath.Join(sess.Host.DataDir, "plugins", id, "data"))
	fmt.Fprintf(out, "Clear one kind with: host data --clear inbox|events|store %s\n", id)
	return nil
}

// describe is "12 messages, 48 KiB".
func describe(k store.KindUsage) string { return rows(k) + ", " + size(k.Bytes) }

// rows is a kind's row count in its own word.
func rows(k store.KindUsage) string {
	word := map[store.DataKind]string{store.KindStore: "value", store.KindInbox: "message", store.KindEvents: "event"}[k.Kind]
	if k.Rows != 1 {
		word += "s"
	}
	return fmt.Sprintf("%d %s", k.Rows, word)
}

// size shows n bytes in B, KiB or MiB.
func size(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
