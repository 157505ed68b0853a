package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// A plugin's inbox (ctx.emitMessage), its event log (ctx.emitEvent) and its
// last status (ctx.updateStatus) live in the same database file as its
// key/value rows, scoped by plugin id the same way. Their tables are
// created on first use with CREATE TABLE IF NOT EXISTS, beside the kv
// schema's migrations, so a database without them is still a valid store.

const inboxSchema = `
CREATE TABLE IF NOT EXISTS inbox (
	seq      INTEGER PRIMARY KEY,  -- rows are never deleted, so it only grows
	plugin   TEXT    NOT NULL,
	source   TEXT    NOT NULL,  -- the dedup key
	received INTEGER NOT NULL,  -- unix milliseconds
	message  TEXT    NOT NULL,  -- JSON of the Message without seq/received
	UNIQUE (plugin, source)
);
CREATE INDEX IF NOT EXISTS inbox_plugin_seq ON inbox (plugin, seq);
CREATE TABLE IF NOT EXISTS events (
	seq     INTEGER PRIMARY KEY,
	plugin  TEXT    NOT NULL,
	type    TEXT    NOT NULL,
	payload TEXT    NOT NULL,  -- JSON
	time    INTEGER NOT NULL   -- unix milliseconds
);
CREATE INDEX IF NOT EXISTS events_plugin_seq ON events (plugin, seq);
CREATE TABLE IF NOT EXISTS status (
	plugin   TEXT    PRIMARY KEY,
	state    TEXT    NOT NULL,
	message  TEXT    NOT NULL,
	progress REAL,
	updated  INTEGER NOT NULL  -- unix milliseconds
) WITHOUT ROWID;
`

// Message is one entry of a plugin's inbox: the SDK's IncomingMessage as
// the plugin emitted it, plus where it sits in the inbox. Its JSON form is
// the SDK's field names (seq and received added).
type Message struct {
	// Seq orders a plugin's messages by arrival; it only grows, also
	// across processes, so "everything after Seq n" is a follow cursor.
	Seq int64 `json:"seq,omitempty"`
	// Received is when the host stored it.
	Received time.Time `json:"received,omitzero"`

	Source         string              `json:"source"` // the dedup key
	Channel        string              `json:"channel"`
	Content        string              `json:"content"`
	Sender         *MessageSender      `json:"sender,omitempty"`
	Metadata       json.RawMessage     `json:"metadata,omitempty"` // a JSON object
	Classification string              `json:"classification,omitempty"`
	ThreadID       string              `json:"threadId,omitempty"`
	Timestamp      string              `json:"timestamp,omitempty"` // ISO 8601 as the plugin gave it
	Attachments    []MessageAttachment `json:"attachments,omitempty"`
}

// MessageSender is who sent a message.
type MessageSender struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	AvatarURL string `json:"avatarUrl,omitempty"`
}

// MessageAttachment is a file attached to a message: a URL or base64
// content.
type MessageAttachment struct {
	Name     string `json:"name"`
	MimeType string `json:"mimeType"`
	URL      string `json:"url,omitempty"`
	Content  string `json:"content,omitempty"` // base64
}

// Event is one entry of a plugin's event log.
type Event struct {
	Seq     int64           `json:"seq"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"` // a JSON object
	Time    time.Time       `json:"time"`
}

// Status is what a plugin last said about itself with ctx.updateStatus.
type Status struct {
	State    string    `json:"state"` // connected, connecting, disconnected, error, syncing
	Message  string    `json:"message,omitempty"`
	Progress *float64  `json:"progress,omitempty"`
	Updated  time.Time `json:"updated"`
}

// MaxPayloadSize bounds what one emit call carries, as the SDK's host
// bounds a plugin's payload: an event's payload, or all the messages of one
// AddMessages, in bytes of JSON text (10 MiB).
const MaxPayloadSize = 10 << 20

// MaxMessageSize bounds one message's JSON text: a call's payload.
const MaxMessageSize = MaxPayloadSize

var inboxReady sync.Map // *DB -> *inboxInit

type inboxInit struct {
	once  sync.Once
	err   error
	batch *sql.Stmt // the INSERT of insertBatch messages
}

// inbox makes sure the inbox tables exist, once per DB.
func (s *Store) inbox(op string) error {
	if err := s.ready(op, "", false); err != nil {
		return err
	}
	v, _ := s.db.inboxInit()
	var err error
	v.once.Do(func() {
		if _, err := s.db.db.ExecContext(context.Background(), inboxSchema); err != nil {
			v.err = s.fail(op, "", err)
			return
		}
		if v.batch, err = s.db.db.PrepareContext(context.Background(), insertQuery(insertBatch)); err != nil {
			v.err = s.fail(op, "", err)
		}
	})
	return v.err
}

func (d *DB) inboxInit() (*inboxInit, bool) {
	v, loaded := inboxReady.LoadOrStore(d, &inboxInit{})
	return v.(*inboxInit), loaded
}

// insertBatch is how many messages one INSERT statement carries: few
// statements for a large batch, well under SQLite's variable limit.
const insertBatch = 200

// insertQuery is the INSERT of n messages, returning the new ones.
func insertQuery(n int) string {
	var q strings.Builder
	q.WriteString(`INSERT INTO inbox (plugin, source, received, message) VALUES `)
	for i := range n {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(?,?,?,?)")
	}
	q.WriteString(` ON CONFLICT (plugin, source) DO NOTHING RETURNING seq, source`)
	return q.String()
}

// AddMessages stores msgs in the inbox in one transaction, skipping every
// message whose Source is already there (or earlier in msgs). It returns
// the messages that were new, in order, with Seq and Received set. A
// message without source, channel or with text over MaxMessageSize is an
// error and nothing is stored. It may block up to BusyTimeout or until ctx
// ends.
func (s *Store) AddMessages(ctx context.Context, msgs []Message) ([]Message, error) {
	if err := s.inbox("add messages"); err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	w := s.newMessageWriter(ctx)
	w.Write(msgs)
	return w.Close(ctx)
}

// MessageWriter is AddMessages with the messages handed over in parts: a
// goroutine of its own encodes and inserts each part, in one transaction,
// while the caller prepares the next (a plugin's loop reading the next
// messages off its JS values), so a large batch costs about the longer of
// the two rather than their sum. Close commits, Abort rolls back; one of
// them must be called. Write, Close and Abort are for one goroutine at a
// time.
type MessageWriter struct {
	s      *Store
	parts  chan []Message
	abort  chan struct{}
	done   chan struct{}
	closed bool

	// Owned by the writer's goroutine until done is closed.
	tx    *sql.Tx
	batch *sql.Stmt
	ms    int64 // when the messages were received (unix milliseconds)
	next  int   // index of the next message, for errors
	total int   // bytes of JSON so far
	buf   bytes.Buffer
	enc   *json.Encoder
	args  []any
	// Encoded, waiting for a full statement: the messages and their JSON.
	pending []*Message
	texts   []string
	added   []Message
	err     error
}

// WriteMessages starts a MessageWriter (see AddMessages for what it
// stores). Nothing is written until the first part; the transaction takes
// the database's write lock then, for as long as the writer is open.
func (s *Store) WriteMessages(ctx context.Context) (*MessageWriter, error) {
	if err := s.inbox("add messages"); err != nil {
		return nil, err
	}
	return s.newMessageWriter(ctx), nil
}

func (s *Store) newMessageWriter(ctx context.Context) *MessageWriter {
	// MaxMessagesPerCall/500 parts fit without Write blocking.
	w := &MessageWriter{s: s, parts: make(chan []Message, 256), abort: make(chan struct{}), done: make(chan struct{}), ms: time.Now().UnixMilli()}
	w.enc = json.NewEncoder(&w.buf)
	go w.run(ctx)
	return w
}

// Write hands msgs over to be stored; the writer owns them from here. It
// blocks only when many parts wait to be stored.
func (w *MessageWriter) Write(msgs []Message) {
	if len(msgs) > 0 && !w.closed {
		w.parts <- msgs
	}
}

// Abort rolls back what was written and ends the writer; it does not wait.
// Safe after Close and more than once.
func (w *MessageWriter) Abort() {
	if !w.closed {
		w.closed = true
		close(w.abort)
	}
}

// Close stores what was written, in one transaction, and returns the
// messages that were new, in order, with Seq and Received set; on any
// error nothing is stored. When ctx ends first the writer is aborted.
func (w *MessageWriter) Close(ctx context.Context) ([]Message, error) {
	if w.closed {
		return nil, w.s.wrap("add messages", "", errors.New("the message writer was closed"))
	}
	w.closed = true
	close(w.parts)
	select {
	case <-w.done:
	case <-ctx.Done():
		close(w.abort)
		<-w.done
		return nil, w.s.fail("add messages", "", ctx.Err())
	}
	if w.err != nil {
		return nil, w.err
	}
	if len(w.added) == 0 {
		return nil, nil
	}
	// RETURNING gives no order guarantee; arrival order is Seq's.
	sortBySeq(w.added)
	return w.added, nil
}

// errPayloadTooLarge is a writer's error until it knows how many messages
// the call had.
var errPayloadTooLarge = errors.New("payload too large")

// run is the writer's goroutine: each part in turn, then the commit or
// the rollback.
func (w *MessageWriter) run(ctx context.Context) {
	defer close(w.done)
	defer func() {
		if w.tx != nil {
			_ = w.tx.Rollback() // a no-op after the commit
		}
	}()
	for {
		select {
		case <-w.abort:
			return
		case part, ok := <-w.parts:
			if !ok {
				if w.err == errPayloadTooLarge {
					w.err = w.s.wrap("add messages", "", fmt.Errorf("%w: the %d messages of this call are over %s of JSON, the limit of one call; emit them in smaller batches", ErrValueTooLarge, w.next, size(MaxPayloadSize)))
				}
				if w.err == nil && len(w.pending) > 0 {
					w.err = w.flush(ctx, len(w.pending))
				}
				if w.err == nil && w.tx != nil {
					if err := w.tx.Commit(); err != nil {
						w.err = w.s.fail("add messages", "", err)
					}
				}
				return
			}
			switch w.err {
			case nil:
				w.err = w.insert(ctx, part)
			case errPayloadTooLarge:
				w.next += len(part) // counted for the error
			}
		}
	}
}

// insert encodes one part and inserts what makes full statements of
// insertBatch messages; the rest waits for the next part or the end
// (flush). On the writer's goroutine.
func (w *MessageWriter) insert(ctx context.Context, msgs []Message) error {
	s := w.s
	for i := range msgs {
		m := &msgs[i]
		n := w.next + i
		if m.Source == "" {
			return s.wrap("add messages", "", fmt.Errorf("%w: message %d has no source (the dedup key)", ErrInvalidValue, n))
		}
		c := *m
		c.Seq, c.Received = 0, time.Time{}
		w.buf.Reset()
		if err := w.enc.Encode(c); err != nil { // checks Metadata is JSON too
			return s.wrap("add messages", "", fmt.Errorf("%w: message %d: %v", ErrInvalidValue, n, err))
		}
		b := bytes.TrimSuffix(w.buf.Bytes(), []byte("\n"))
		if len(b) > MaxMessageSize {
			return s.wrap("add messages", "", fmt.Errorf("%w: message %d is %s of JSON; the limit is %s", ErrValueTooLarge, n, size(len(b)), size(MaxMessageSize)))
		}
		if w.total += len(b); w.total > MaxPayloadSize {
			w.next += len(msgs)
			return errPayloadTooLarge // worded with the count in run
		}
		w.pending = append(w.pending, m)
		w.texts = append(w.texts, string(b))
	}
	w.next += len(msgs)
	for len(w.pending) >= insertBatch {
		if err := w.flush(ctx, insertBatch); err != nil {
			return err
		}
	}
	return nil
}

// flush inserts the first n pending messages in one statement.
func (w *MessageWriter) flush(ctx context.Context, n int) error {
	s := w.s
	if w.tx == nil {
		tx, err := s.db.db.BeginTx(ctx, nil)
		if err != nil {
			return s.fail("add messages", "", err)
		}
		v, _ := s.db.inboxInit()
		w.tx, w.batch = tx, tx.StmtContext(ctx, v.batch)
		w.args = make([]any, 0, 4*insertBatch)
	}
	msgs := w.pending[:n]
	w.args = w.args[:0]
	bySource := make(map[string]*Message, n)
	for i, m := range msgs {
		w.args = append(w.args, s.plugin, m.Source, w.ms, w.texts[i])
		if _, dup := bySource[m.Source]; !dup {
			bySource[m.Source] = m
		}
	}
	var rows *sql.Rows
	var err error
	if n == insertBatch {
		rows, err = w.batch.QueryContext(ctx, w.args...)
	} else {
		rows, err = w.tx.QueryContext(ctx, insertQuery(n), w.args...)
	}
	if err != nil {
		return s.fail("add messages", "", err)
	}
	for rows.Next() {
		var seq int64
		var src string
		if err := rows.Scan(&seq, &src); err != nil {
			rows.Close()
			return s.fail("add messages", "", err)
		}
		m := *bySource[src]
		m.Seq, m.Received = seq, time.UnixMilli(w.ms)
		w.added = append(w.added, m)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return s.fail("add messages", "", err)
	}
	w.pending = w.pending[:copy(w.pending, w.pending[n:])]
	w.texts = w.texts[:copy(w.texts, w.texts[n:])]
	return nil
}

func sortBySeq(ms []Message) {
	for i := 1; i < len(ms); i++ { // nearly always sorted already
		for j := i; j > 0 && ms[j].Seq < ms[j-1].Seq; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// Messages returns up to limit messages (all when limit <= 0) with a Seq
// above after, oldest first. It is never nil.
func (s *Store) Messages(ctx context.Context, after int64, limit int) ([]Message, error) {
	if err := s.inbox("messages"); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = -1
	}
	return s.scanMessages(s.db.db.QueryContext(ctx, `SELECT seq, received, message FROM inbox WHERE plugin = ? AND seq > ? ORDER BY seq LIMIT ?`, s.plugin, after, limit))
}

// LatestMessages returns the plugin's last n messages, oldest first. It is
// never nil.
func (s *Store) LatestMessages(ctx context.Context, n int) ([]Message, error) {
	if err := s.inbox("messages"); err != nil {
		return nil, err
	}
	out, err := s.scanMessages(s.db.db.QueryContext(ctx, `SELECT seq, received, message FROM inbox WHERE plugin = ? ORDER BY seq DESC LIMIT ?`, s.plugin, n))
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

func (s *Store) scanMessages(rows *sql.Rows, err error) ([]Message, error) {
	if err != nil {
		return nil, s.fail("messages", "", err)
	}
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		var m Message
		var seq, rec int64
		var text string
		if err := rows.Scan(&seq, &rec, &text); err != nil {
			return nil, s.fail("messages", "", err)
		}
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			return nil, s.wrap("messages", "", fmt.Errorf("%w: message %d: %v", ErrCorrupt, seq, err))
		}
		m.Seq, m.Received = seq, time.UnixMilli(rec)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("messages", "", err)
	}
	return out, nil
}

// FollowInterval is how often FollowMessages looks for new messages.
var FollowInterval = 200 * time.Millisecond

// FollowMessages calls fn with each batch of messages stored after Seq
// after, by this process or any other using the file, until ctx ends (then
// it returns nil) or fn or a read fails (then that error). It polls the
// database every FollowInterval. Call it from any goroutine; fn runs on
// the caller's.
func (s *Store) FollowMessages(ctx context.Context, after int64, fn func([]Message) error) error {
	t := time.NewTicker(FollowInterval)
	defer t.Stop()
	for {
		ms, err := s.Messages(ctx, after, 1000)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if len(ms) > 0 {
			after = ms[len(ms)-1].Seq
			if err := fn(ms); err != nil {
				return err
			}
			if len(ms) == 1000 {
				continue
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// AddEvent appends an event to the plugin's event log and returns it with
// Seq and Time set. payload must be JSON (an object, by the SDK's type).
func (s *Store) AddEvent(ctx context.Context, typ string, payload json.RawMessage) (Event, error) {
	if err := s.inbox("add event"); err != nil {
		return Event{}, err
	}
	if typ == "" {
		return Event{}, s.wrap("add event", "", fmt.Errorf("%w: the event type is empty", ErrInvalidValue))
	}
	if len(payload) == 0 {
		payload = json.RawMessage("{}")
	}
	if !json.Valid(payload) {
		return Event{}, s.wrap("add event", "", ErrInvalidValue)
	}
	if len(payload) > MaxPayloadSize {
		return Event{}, s.wrap("add event", "", fmt.Errorf("%w: %s of JSON; the limit is %s", ErrValueTooLarge, size(len(payload)), size(MaxPayloadSize)))
	}
	now := time.Now()
	var seq int64
	err := s.db.db.QueryRowContext(ctx, `INSERT INTO events (plugin, type, payload, time) VALUES (?, ?, ?, ?) RETURNING seq`,
		s.plugin, typ, string(payload), now.UnixMilli()).Scan(&seq)
	if err != nil {
		return Event{}, s.fail("add event", "", err)
	}
	return Event{Seq: seq, Type: typ, Payload: payload, Time: time.UnixMilli(now.UnixMilli())}, nil
}

// Events returns up to limit events (all when limit <= 0) with a Seq above
// after, oldest first. It is never nil.
func (s *Store) Events(ctx context.Context, after int64, limit int) ([]Event, error) {
	if err := s.inbox("events"); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT seq, type, payload, time FROM events WHERE plugin = ? AND seq > ? ORDER BY seq LIMIT ?`, s.plugin, after, limit)
	if err != nil {
		return nil, s.fail("events", "", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var payload string
		var ms int64
		if err := rows.Scan(&e.Seq, &e.Type, &payload, &ms); err != nil {
			return nil, s.fail("events", "", err)
		}
		e.Payload, e.Time = json.RawMessage(payload), time.UnixMilli(ms)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("events", "", err)
	}
	return out, nil
}

// SetStatus records the plugin's status, replacing the last one.
func (s *Store) SetStatus(ctx context.Context, st Status) error {
	if err := s.inbox("set status"); err != nil {
		return err
	}
	if st.Updated.IsZero() {
		st.Updated = time.Now()
	}
	var prog any
	if st.Progress != nil {
		prog = *st.Progress
	}
	_, err := s.db.db.ExecContext(ctx, `INSERT INTO status (plugin, state, message, progress, updated) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (plugin) DO UPDATE SET state = excluded.state, message = excluded.message, progress = excluded.progress, updated = excluded.updated`,
		s.plugin, st.State, st.Message, prog, st.Updated.UnixMilli())
	if err != nil {
		return s.fail("set status", "", err)
	}
	return nil
}

// Status returns the plugin's last status, and false when it never set
// one.
func (s *Store) Status(ctx context.Context) (Status, bool, error) {
	if err := s.inbox("status"); err != nil {
		return Status{}, false, err
	}
	var st Status
	var prog sql.NullFloat64
	var ms int64
	err := s.db.db.QueryRowContext(ctx, `SELECT state, message, progress, updated FROM status WHERE plugin = ?`, s.plugin).Scan(&st.State, &st.Message, &prog, &ms)
	if errors.Is(err, sql.ErrNoRows) {
		return Status{}, false, nil
	}
	if err != nil {
		return Status{}, false, s.fail("status", "", err)
	}
	if prog.Valid {
		st.Progress = &prog.Float64
	}
	st.Updated = time.UnixMilli(ms)
	return st, true, nil
}
