package main

// host messages, host events and host status: what plugins emitted
// (ctx.emitMessage, ctx.emitEvent, ctx.updateStatus) and what they may do
// (their permissions), read from the store database; and how `host run`
// shows new messages and status changes as they happen.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	goio "io"
	"os"
	"strings"
	"sync"
	"time"

	"host/bindings/plugin"
	"host/bindings/store"
)

const messagesUsage = `Usage: host messages [--follow] [--json] PLUGIN

Shows the plugin's inbox: the messages it emitted with ctx.emitMessage(s),
oldest first, each once (a message whose source was seen before is not
added again). PLUGIN is a plugin file, its directory, or its id.

Flags:
  --follow     keep running and show new messages as they arrive (Ctrl-C ends)
  --json       one JSON object per line: the SDK's IncomingMessage fields
               plus seq and received
  --data-dir DIR   where the store database is (as for 'host run')
`

const eventsUsage = `Usage: host events [--json] PLUGIN

Shows the plugin's event log: what it emitted with ctx.emitEvent(type,
payload), oldest first. PLUGIN is a plugin file, its directory, or its id.

Flags:
  --json       one JSON object per line: seq, type, payload, time
  --data-dir DIR   where the store database is (as for 'host run')
`

const statusUsage = `Usage: host status [--json] [PLUGIN]

While a serve runs for the data dir: every plugin's (or one plugin's)
state with its reason, last updateStatus, tools and worker memory; --json
prints the same as a JSON array. Otherwise:

Shows each known plugin's (or one plugin's) last status, as it set it with
ctx.updateStatus, and its permissions: what it declared, or that it is
unrestricted because it declares none. PLUGIN is a plugin file, its
directory, or its id.

Flags:
  --data-dir DIR   where the store database is (as for 'host run')
`

// pluginID finds the id behind a PLUGIN argument: a file or directory is
// loaded (not activated) to read its id; anything else is an id that must
// have run in this data dir.
func pluginID(ctx context.Context, sess *session, arg string) (string, *plugin.Plugin, error) {
	path := sess.resolve(arg)
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		p, err := loadPlugin(ctx, sess.host, path)
		if err != nil {
			return "", nil, err
		}
		return p.ID, p, nil
	}
	owners, err := plugin.KnownPlugins(sess.host.DataDir)
	if err != nil {
		return "", nil, err
	}
	for _, o := range owners {
		if o.ID == arg {
			return arg, nil, nil
		}
	}
	return "", nil, usagef("no plugin %q: name a plugin file or directory, or the id of one that has run with this data dir (%s)", arg, sess.host.DataDir)
}

// openPluginStore opens the session of a command taking one PLUGIN
// argument and finds the plugin's id; the caller closes the session.
func openPluginStore(ctx context.Context, o *runOptions, pos []string, usage string) (*session, string, error) {
	if len(pos) != 1 {
		return nil, "", usagef("usage: %s", usage)
	}
	sess, err := openSession(o)
	if err != nil {
		return nil, "", err
	}
	id, p, err := pluginID(ctx, sess, pos[0])
	if err != nil {
		sess.close()
		return nil, "", err
	}
	if p != nil {
		p.Close()
	}
	return sess, id, nil
}

func messagesCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io}
	var follow, asJSON bool
	pos, err := parseCommand("messages", messagesUsage, args, io, o, func(fs *flag.FlagSet) {
		fs.BoolVar(&follow, "follow", false, "")
		fs.BoolVar(&asJSON, "json", false, "")
	})
	if err != nil {
		return err
	}
	sess, id, err := openPluginStore(ctx, o, pos, "host messages [--follow] [--json] PLUGIN")
	if err != nil {
		return err
	}
	defer sess.close()
	st := sess.store.Plugin(id)
	msgs, err := st.Messages(ctx, 0, 0)
	if err != nil {
		return err
	}
	show := func(ms []store.Message) error {
		for _, m := range ms {
			writeMessage(io.Out, io, m, asJSON)
		}
		return nil
	}
	_ = show(msgs)
	if !follow {
		if len(msgs) == 0 && !asJSON {
			fmt.Fprintf(io.Err, "%s has no messages yet.\n", id)
		}
		return nil
	}
	var after int64
	if len(msgs) > 0 {
		after = msgs[len(msgs)-1].Seq
	}
	return st.FollowMessages(ctx, after, show)
}

// writeMessage prints one message: a header line (seq, time, channel,
// sender) and the content indented, or one JSON line. Masked.
func writeMessage(w goio.Writer, io *IO, m store.Message, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(m)
		fmt.Fprintf(w, "%s\n", io.Masker.Mask(string(b)))
		return
	}
	head := fmt.Sprintf("#%d %s %s", m.Seq, m.Received.Local().Format(time.RFC3339), m.Channel)
	if m.Sender != nil {
		head += " from " + m.Sender.Name
	}
	if m.ThreadID != "" {
		head += " (thread " + m.ThreadID + ")"
	}
	var b strings.Builder
	b.WriteString(head)
	b.WriteByte('\n')
	for _, line := range strings.Split(strings.TrimRight(m.Content, "\n"), "\n") {
		b.WriteString("  ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	for _, a := range m.Attachments {
		fmt.Fprintf(&b, "  attachment: %s (%s) %s\n", a.Name, a.MimeType, a.URL)
	}
	fmt.Fprint(w, io.Masker.Mask(b.String()))
}

func eventsCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io}
	var asJSON bool
	pos, err := parseCommand("events", eventsUsage, args, io, o, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
	})
	if err != nil {
		return err
	}
	sess, id, err := openPluginStore(ctx, o, pos, "host events [--json] PLUGIN")
	if err != nil {
		return err
	}
	defer sess.close()
	evs, err := sess.store.Plugin(id).Events(ctx, 0, 0)
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

func statusCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io}
	var asJSON bool
	pos, err := parseCommand("status", statusUsage, args, io, o, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "") })
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("status: usage: host status [--json] [PLUGIN]")
	}
	if handled, err := serveStatus(ctx, o, pos, asJSON); handled {
		return err
	}
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	type row struct {
		id   string
		file string
		p    *plugin.Plugin
	}
	var rows []row
	if len(pos) == 1 {
		id, p, err := pluginID(ctx, sess, pos[0])
		if err != nil {
			return err
		}
		rows = append(rows, row{id: id, p: p})
	} else {
		owners, err := plugin.KnownPlugins(sess.host.DataDir)
		if err != nil {
			return err
		}
		if len(owners) == 0 {
			fmt.Fprintln(io.Out, "No plugin has run with this data dir yet.")
			return nil
		}
		for _, ow := range owners {
			rows = append(rows, row{id: ow.ID, file: ow.File})
		}
	}
	for i, r := range rows {
		if i > 0 {
			fmt.Fprintln(io.Out)
		}
		p := r.p
		if p == nil && r.file != "" {
			if _, err := os.Stat(r.file); err == nil {
				p, _ = plugin.Load(ctx, sess.host, r.file)
			}
		}
		fmt.Fprintf(io.Out, "%s\n", r.id)
		st, ok, err := sess.store.Plugin(r.id).Status(ctx)
		switch {
		case err != nil:
			fmt.Fprintf(io.Out, "  status:       unknown (%s)\n", io.Masker.Mask(err.Error()))
		case !ok:
			fmt.Fprintf(io.Out, "  status:       none reported\n")
		default:
			fmt.Fprintf(io.Out, "  status:       %s (%s)\n", io.Masker.Mask(statusText(st)), st.Updated.Local().Format(time.RFC3339))
		}
		if p == nil {
			fmt.Fprintf(io.Out, "  permissions:  unknown (the plugin's file is not there)\n")
			continue
		}
		fmt.Fprintf(io.Out, "  permissions:  %s\n", permissionsText(p.Permissions()))
		p.Close()
	}
	return nil
}

// statusText is "connected: Synced 3 issues (50%)".
func statusText(st store.Status) string {
	s := st.State
	if st.Message != "" {
		s += ": " + st.Message
	}
	if st.Progress != nil {
		s += fmt.Sprintf(" (%g)", *st.Progress)
	}
	return s
}

// permissionsText is a plugin's permissions for a person.
func permissionsText(ps plugin.Permissions) string {
	if !ps.Declared {
		return "unrestricted (it declares none)"
	}
	if len(ps.List) == 0 {
		return "none (it declares an empty list: no network, secrets, loop or files)"
	}
	return strings.Join(ps.List, ", ")
}

// showActivity makes `host run` print each new inbox message on stdout
// and each status change on stderr as it happens, masked.
func showActivity(h *plugin.Host, io *IO) {
	var mu sync.Mutex
	h.OnMessages = func(id string, msgs []store.Message) {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range msgs {
			first, _, more := strings.Cut(strings.TrimSpace(m.Content), "\n")
			if len(first) > 200 {
				first, more = first[:200], true
			}
			if more {
				first += " …"
			}
			from := ""
			if m.Sender != nil {
				from = " (from " + m.Sender.Name + ")"
			}
			fmt.Fprintf(io.Out, "%s\n", io.Masker.Mask(fmt.Sprintf("[%s] message %s: %s%s", id, m.Channel, first, from)))
		}
	}
	last := map[string]string{} // a status repeated unchanged is not printed again
	h.OnStatus = func(id string, st store.Status) {
		mu.Lock()
		defer mu.Unlock()
		line := io.Masker.Mask(fmt.Sprintf("[%s] status: %s", id, statusText(st)))
		if last[id] == line {
			return
		}
		last[id] = line
		fmt.Fprintf(io.Err, "%s\n", line)
	}
}
