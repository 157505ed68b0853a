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
	w := s.BeginMessages(1)
	w.Add(msgs)
	return w.Commit(ctx)
}

// errOverPayload stands for the call's messages being over MaxPayloadSize
// until the writer knows how many there are.
var errOverPayload = errors.New("over the payload size")

// MessageWriter is one AddMessages given in parts: each part is stored
// (turned into JSON and inserted, in the one transaction of the call) on a
// goroutine of the writer's own while its caller prepares the next, so a
// large ctx.emitMessages costs about the longer of reading the messages
// and storing them rather than their sum (BenchmarkEmitMessages10k).
// Commit ends the call as AddMessages does; Abort, or a part refused,
// stores nothing. Exactly one of Commit and Abort must be called.
type MessageWriter struct {
	s      *Store
	parts  chan []Message
	commit chan bool
	done   chan struct{}
	cancel context.CancelFunc
	added  []Message
	err    error
}

// BeginMessages starts a MessageWriter for up to parts calls of Add (more
// block until the writer catches up).
func (s *Store) BeginMessages(parts int) *MessageWriter {
	ctx, cancel := context.WithCancel(context.Background())
	w := &MessageWriter{s: s, parts: make(chan []Message, max(parts, 1)), commit: make(chan bool, 1), done: make(chan struct{}), cancel: cancel}
	go w.run(ctx)
	return w
}

// Add hands the next messages of the call to the writer. The writer owns
// part from then on.
func (w *MessageWriter) Add(part []Message) { w.parts <- part }

// Abort ends the call storing nothing. It does not wait for the writer
// to roll back.
func (w *MessageWriter) Abort() {
	close(w.parts)
	w.commit <- false
	w.cancel()
}

// Commit stores what was added (see AddMessages) and returns the messages
// that were new. It may block up to BusyTimeout or until ctx ends.
func (w *MessageWriter) Commit(ctx context.Context) ([]Message, error) {
	close(w.parts)
	w.commit <- true
	select {
	case <-w.done:
	case <-ctx.Done():
		w.cancel()
		<-w.done
		if w.err == nil {
			// Committed as ctx ended: what was stored stays stored.
			return w.added, nil
		}
		return nil, w.s.fail("add messages", "", ctx.Err())
	}
	return w.added, w.err
}

// run stores the parts as they come, then commits or rolls back.
func (w *MessageWriter) run(ctx context.Context) {
	defer close(w.done)
	defer w.cancel()
	s := w.s
	var (
		tx      *sql.Tx
		batch   *sql.Stmt
		locked  bool      // s.mu
		ready   bool      // the inbox tables exist
		pending []Message // waiting for a whole insertBatch
		texts   []string  // their JSON
		first   int       // the call's index of pending[0]
		total   int       // bytes of JSON of the call
		seen    int       // messages of the call so far
		cost    int64     // of the added messages, for the quota
		ms      = time.Now().UnixMilli()
		args    = make([]any, 0, 4*insertBatch)
		buf     bytes.Buffer
		enc     = json.NewEncoder(&buf)
	)
	fail := func(err error) {
		if w.err == nil {
			w.err = err
		}
	}
	begin := func() error {
		if s.Reserve != nil {
			s.mu.Lock() // unlocked when run returns
			locked = true
		}
		var err error
		if tx, err = s.db.db.BeginTx(ctx, nil); err != nil {
			return s.fail("add messages", "", err)
		}
		v, _ := s.db.inboxInit()
		batch = tx.StmtContext(ctx, v.batch)
		return nil
	}
	defer func() {
		if tx != nil {
			_ = batch.Close()
			_ = tx.Rollback()
		}
		if locked {
			s.mu.Unlock()
		}
	}()
	// insert stores pending[:n].
	insert := func(n int) error {
		args = args[:0]
		bySource := make(map[string]int, n)
		for i := range n {
			args = append(args, s.plugin, pending[i].Source, ms, texts[i])
			if _, dup := bySource[pending[i].Source]; !dup {
				bySource[pending[i].Source] = i // the first one is stored
			}
		}
		var rows *sql.Rows
		var err error
		if n == insertBatch {
			rows, err = batch.QueryContext(ctx, args...)
		} else {
			rows, err = tx.QueryContext(ctx, insertQuery(n), args...)
		}
		if err != nil {
			return s.fail("add messages", "", err)
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			var src string
			if err := rows.Scan(&seq, &src); err != nil {
				return s.fail("add messages", "", err)
			}
			i := bySource[src]
			m := pending[i]
			m.Seq, m.Received = seq, time.UnixMilli(ms)
			cost += rowCost(src, int64(len(texts[i])))
			w.added = append(w.added, m)
		}
		if err := rows.Err(); err != nil {
			return s.fail("add messages", "", err)
		}
		pending, texts, first = pending[n:], texts[n:], first+n
		return nil
	}
	for part := range w.parts {
		if w.err != nil {
			seen += len(part)
			continue // drain: the call is refused
		}
		if !ready {
			if err := s.inbox("add messages"); err != nil {
				fail(err)
				seen += len(part)
				continue
			}
			ready = true
		}
		cleared, err := s.seenSources(ctx, part)
		if err != nil {
			fail(s.fail("add messages", "", err))
			seen += len(part)
			continue
		}
		for i := range part {
			m := &part[i]
			at := seen + i
			if m.Source == "" {
				fail(s.wrap("add messages", "", fmt.Errorf("%w: message %d has no source (the dedup key)", ErrInvalidValue, at)))
				break
			}
			if cleared[m.Source] { // the user cleared these: they stay cleared
				continue
			}
			c := *m
			c.Seq, c.Received = 0, time.Time{}
			buf.Reset()
			if err := enc.Encode(c); err != nil { // checks Metadata is JSON too
				fail(s.wrap("add messages", "", fmt.Errorf("%w: message %d: %v", ErrInvalidValue, at, err)))
				break
			}
			b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
			if len(b) > MaxMessageSize {
				fail(s.wrap("add messages", "", fmt.Errorf("%w: message %d is %s of JSON; the limit is %s", ErrValueTooLarge, at, size(len(b)), size(MaxMessageSize))))
				break
			}
			if total += len(b); total > MaxPayloadSize {
				fail(errOverPayload) // said with the call's count below
				break
			}
			pending = append(pending, *m)
			texts = append(texts, string(b))
		}
		seen += len(part)
		if w.err != nil {
			continue
		}
		if tx == nil && len(pending) > 0 {
			if err := begin(); err != nil {
				fail(err)
				continue
			}
		}
		for len(pending) >= insertBatch && w.err == nil {
			fail(insert(insertBatch))
		}
	}
	if w.err == errOverPayload {
		w.err = s.wrap("add messages", "", fmt.Errorf("%w: the %d messages of this call are over %s of JSON, the limit of one call; emit them in smaller batches", ErrValueTooLarge, seen, size(MaxPayloadSize)))
	}
	if ok := <-w.commit; !ok || w.err != nil || tx == nil {
		if ok && w.err == nil {
			w.err = s.inbox("add messages") // none to add: is the store open?
		}
		w.added = nil
		return
	}
	if len(pending) > 0 {
		if err := insert(len(pending)); err != nil {
			fail(err)
			w.added = nil
			return
		}
	}
	if s.Reserve != nil && cost > 0 {
		// The exact cost of what is new (RETURNING said which): a call
		// emitting again what was stored is never refused. Reserve reads
		// the committed rows on another connection, which do not hold
		// these yet.
		if err := s.reserve(ctx, cost); err != nil {
			fail(s.wrap("add messages", "", err))
			w.added = nil
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(s.fail("add messages", "", err))
		w.added = nil
		return
	}
	_ = batch.Close()
	tx = nil
	if len(w.added) == 0 {
		w.added = nil
	} else {
		// RETURNING gives no order guarantee; arrival order is Seq's.
		sortBySeq(w.added)
		if s.Reserve != nil {
			s.added(ctx, false, w.added[0].Seq, w.added[len(w.added)-1].Seq, cost)
		}
	}
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
