package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	seq      INTEGER PRIMARY KEY,  -- only grows: a clear keeps the highest (clear.go)
	plugin   TEXT    NOT NULL,
	source   TEXT    NOT NULL,  -- the dedup key
	received INTEGER NOT NULL,  -- unix milliseconds
	message  TEXT    NOT NULL,  -- JSON of the Message without seq/received
	UNIQUE (plugin, source)
);
CREATE INDEX IF NOT EXISTS inbox_plugin_seq ON inbox (plugin, seq);
CREATE TABLE IF NOT EXISTS inbox_seen (  -- sources of cleared messages (clear.go)
	plugin TEXT NOT NULL,
	source TEXT NOT NULL,
	PRIMARY KEY (plugin, source)
) WITHOUT ROWID;
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
// error and nothing is stored; so is a call whose new messages Reserve
// refuses. It may block up to BusyTimeout or until ctx ends.
func (s *Store) AddMessages(ctx context.Context, msgs []Message) ([]Message, error) {
	if err := s.inbox("add messages"); err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	seen, err := s.seenSources(ctx, msgs)
	if err != nil {
		return nil, s.fail("add messages", "", err)
	}
	if seen != nil { // the user cleared these: they stay cleared
		msgs = slices.DeleteFunc(slices.Clone(msgs), func(m Message) bool { return seen[m.Source] })
		if len(msgs) == 0 {
			return nil, nil
		}
	}
	now := time.Now()
	texts := make([]string, len(msgs))
	// One encoder and buffer for the batch: json.Marshal would copy each
	// text out of its own buffer before string() copies it again.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	total := 0
	for i := range msgs {
		m := &msgs[i]
		if m.Source == "" {
			return nil, s.wrap("add messages", "", fmt.Errorf("%w: message %d has no source (the dedup key)", ErrInvalidValue, i))
		}
		c := *m
		c.Seq, c.Received = 0, time.Time{}
		buf.Reset()
		if err := enc.Encode(c); err != nil { // checks Metadata is JSON too
			return nil, s.wrap("add messages", "", fmt.Errorf("%w: message %d: %v", ErrInvalidValue, i, err))
		}
		b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if len(b) > MaxMessageSize {
			return nil, s.wrap("add messages", "", fmt.Errorf("%w: message %d is %s of JSON; the limit is %s", ErrValueTooLarge, i, size(len(b)), size(MaxMessageSize)))
		}
		if total += len(b); total > MaxPayloadSize {
			return nil, s.wrap("add messages", "", fmt.Errorf("%w: the %d messages of this call are over %s of JSON, the limit of one call; emit them in smaller batches", ErrValueTooLarge, len(msgs), size(MaxPayloadSize)))
		}
		texts[i] = string(b)
	}
	bySource := make(map[string]int, len(msgs))
	var upper int64 // the cost of every message new to the call
	for i := range msgs {
		if _, dup := bySource[msgs[i].Source]; !dup {
			bySource[msgs[i].Source] = i
			upper += rowCost(msgs[i].Source, int64(len(texts[i])))
		}
	}
	if s.Reserve != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		if err := s.reserveMessages(ctx, texts, bySource, upper); err != nil {
			return nil, err
		}
	}
	tx, err := s.db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.fail("add messages", "", err)
	}
	defer func() { _ = tx.Rollback() }()
	added := make([]Message, 0, len(msgs))
	var cost int64 // of the added messages, for the quota
	ms := now.UnixMilli()
	v, _ := s.db.inboxInit()
	batch := tx.StmtContext(ctx, v.batch)
	defer batch.Close()
	args := make([]any, 0, 4*insertBatch)
	for start := 0; start < len(msgs); start += insertBatch {
		end := min(start+insertBatch, len(msgs))
		args = args[:0]
		for i := start; i < end; i++ {
			args = append(args, s.plugin, msgs[i].Source, ms, texts[i])
		}
		var rows *sql.Rows
		var err error
		if end-start == insertBatch {
			rows, err = batch.QueryContext(ctx, args...)
		} else {
			rows, err = tx.QueryContext(ctx, insertQuery(end-start), args...)
		}
		if err != nil {
			return nil, s.fail("add messages", "", err)
		}
		for rows.Next() {
			var seq int64
			var src string
			if err := rows.Scan(&seq, &src); err != nil {
				rows.Close()
				return nil, s.fail("add messages", "", err)
			}
			i := bySource[src]
			m := msgs[i]
			m.Seq, m.Received = seq, time.UnixMilli(ms)
			cost += rowCost(src, int64(len(texts[i])))
			added = append(added, m)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, s.fail("add messages", "", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, s.fail("add messages", "", err)
	}
	if len(added) == 0 {
		return nil, nil
	}
	// RETURNING gives no order guarantee; arrival order is Seq's.
	sortBySeq(added)
	if s.Reserve != nil {
		s.added(ctx, false, added[0].Seq, added[len(added)-1].Seq, cost)
	}
	return added, nil
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
// Past the plugin's quota (Reserve) nothing is stored.
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
	cost := rowCost(typ, int64(len(payload)))
	if s.Reserve != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		if err := s.reserve(ctx, cost); err != nil {
			return Event{}, s.wrap("add event", "", err)
		}
	}
	now := time.Now()
	var seq int64
	err := s.db.db.QueryRowContext(ctx, `INSERT INTO events (plugin, type, payload, time) VALUES (?, ?, ?, ?) RETURNING seq`,
		s.plugin, typ, string(payload), now.UnixMilli()).Scan(&seq)
	if err != nil {
		return Event{}, s.fail("add event", "", err)
	}
	if s.Reserve != nil {
		s.added(ctx, true, seq, seq, cost)
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

// reserveMessages reserves the quota for the messages of one AddMessages:
// upper, the cost of all of them, when Reserve allows it (nearly always);
// otherwise the cost of those whose source is not in the inbox yet, so that
// a call emitting again what was stored is never refused. With s.mu held.
func (s *Store) reserveMessages(ctx context.Context, texts []string, bySource map[string]int, upper int64) error {
	if s.Reserve(ctx, upper) == nil {
		return nil
	}
	var add int64
	for src, i := range bySource {
		var one int
		switch err := s.db.db.QueryRowContext(ctx, `SELECT 1 FROM inbox WHERE plugin = ? AND source = ?`, s.plugin, src).Scan(&one); {
		case errors.Is(err, sql.ErrNoRows):
			add += rowCost(src, int64(len(texts[i])))
		case err != nil:
			return s.fail("add messages", "", err)
		}
	}
	if add == 0 {
		return nil
	}
	if err := s.reserve(ctx, add); err != nil {
		return s.wrap("add messages", "", err)
	}
	return nil
}
