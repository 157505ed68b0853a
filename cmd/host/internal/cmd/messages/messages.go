// Package messages is `host messages`: a plugin's inbox, the messages it
// emitted (ctx.emitMessage), read from the store.
package messages

import (
	"context"
	"encoding/json"
	"fmt"
	goio "io"
	"strings"
	"time"

	"host/bindings/store"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
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

// MessagesOptions are `host messages`' flags and arguments.
type MessagesOptions struct {
	Factory *cmdutil.Factory

	Plugin string // the PLUGIN argument
	Follow bool
	JSON   bool
	Flags  cmdutil.PluginFlags // --data-dir
}

// NewCmdMessages is `host messages`; runF, when set, runs instead of
// messagesRun.
func NewCmdMessages(f *cmdutil.Factory, runF func(context.Context, *MessagesOptions) error) *cmdutil.Command {
	opts := &MessagesOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "messages", messagesUsage)
	opts.Flags.Register(cmd.Flags, cmdutil.FlagDataDir)
	cmd.Flags.BoolVar(&opts.Follow, "follow", false, "")
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return cmdutil.Usagef("usage: host messages [--follow] [--json] PLUGIN")
		}
		opts.Plugin = args[0]
		if runF != nil {
			return runF(ctx, opts)
		}
		return messagesRun(ctx, opts)
	}
	return cmd
}

func messagesRun(ctx context.Context, opts *MessagesOptions) error {
	io := opts.Factory.IO
	sess, id, err := session.OpenPluginStore(ctx, opts.Factory, &opts.Flags, opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	st := sess.Store.Plugin(id)
	msgs, err := st.Messages(ctx, 0, 0)
	if err != nil {
		return err
	}
	show := func(ms []store.Message) error {
		for _, m := range ms {
			writeMessage(io.Out, io, m, opts.JSON)
		}
		return nil
	}
	_ = show(msgs)
	if !opts.Follow {
		if len(msgs) == 0 && !opts.JSON {
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
func writeMessage(w goio.Writer, io *cmdutil.IO, m store.Message, asJSON bool) {
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
