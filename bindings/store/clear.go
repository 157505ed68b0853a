package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Clearing one kind of a plugin's data (its key/value rows, inbox or
// event log) without removing the plugin: the way out once its data quota
// refuses writes.
//
// Clearing the inbox keeps each cleared message's source, its dedup key,
// in inbox_seen (not counted in Usage): a plugin that emits the same
// messages again (a poll returning the last N items) does not bring back
// what the user cleared, as it would not have before. DeleteAll (host
// remove) forgets them. Sequence numbers keep growing across a clear (a
// row of plugin "" holds the highest one given out), so a follower's
// cursor ("after seq n") still sees every later message.

// DataKind is one kind of a plugin's data that Clear removes.
type DataKind string

// The kinds of data.
const (
	KindStore  DataKind = "store"  // ctx.store's key/value rows
	KindInbox  DataKind = "inbox"  // the messages of ctx.emitMessage(s)
	KindEvents DataKind = "events" // the events of ctx.emitEvent
)

// DataKinds are the kinds of data, in the order they are shown.
var DataKinds = []DataKind{KindStore, KindInbox, KindEvents}

// KindUsage is what one kind of a plugin's data holds: rows and bytes as
// the quota counts them (the bytes of each key and value, source and
// message, type and payload, plus RowOverhead a row).
type KindUsage struct {
	Kind  DataKind `json:"kind"`
	Rows  int64    `json:"rows"`
	Bytes int64    `json:"bytes"`
}

// DataUsage is what a plugin's data holds, per kind.
type DataUsage struct {
	Kinds []KindUsage `json:"kinds"` // in DataKinds' order
	// Seen is how many sources of cleared messages are kept for
	// dedup (not counted in the quota).
	Seen int64 `json:"clearedSources"`
}

// Total is the bytes of every kind, as Usage counts them.
func (u DataUsage) Total() int64 {
	var n int64
	for _, k := range u.Kinds {
		n += k.Bytes
	}
	return n
}

// DataUsage measures each kind of the plugin's data. It reads every row of
// the plugin; it may block up to BusyTimeout or until ctx ends.
func (s *Store) DataUsage(ctx context.Context) (DataUsage, error) {
	if err := s.inbox("usage"); err != nil {
		return DataUsage{}, err
	}
	var u DataUsage
	for _, k := range DataKinds {
		var rows, bytes int64
		q := `SELECT COUNT(*), COALESCE(SUM(` + rowSize[k] + `), 0) FROM ` + tables[k] + ` WHERE plugin = ?`
		if err := s.db.db.QueryRowContext(ctx, q, s.plugin).Scan(&rows, &bytes); err != nil {
			return DataUsage{}, s.fail("usage", "", err)
		}
		u.Kinds = append(u.Kinds, KindUsage{Kind: k, Rows: rows, Bytes: bytes + rows*RowOverhead})
	}
	if err := s.db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox_seen WHERE plugin = ?`, s.plugin).Scan(&u.Seen); err != nil {
		return DataUsage{}, s.fail("usage", "", err)
	}
	return u, nil
}

// Clear removes every row of one kind of the plugin's data in one
// transaction and returns what they held. Another process using the
// store at the same time (a running serve's plugin) sees the rows gone at
// its next read, and its quota counts them gone at its next write. The
// freed pages are reused by later writes; the file does not shrink (see
// DeleteAll for that). It may block up to BusyTimeout or until ctx ends.
func (s *Store) Clear(ctx context.Context, kind DataKind) (KindUsage, error) {
	if err := s.inbox("clear " + string(kind)); err != nil {
		return KindUsage{}, err
	}
	size, ok := rowSize[kind]
	if !ok {
		return KindUsage{}, fmt.Errorf("store: no data kind %q (store, inbox, events)", kind)
	}
	op := "clear " + string(kind)
	tx, err := s.db.db.BeginTx(ctx, nil)
	if err != nil {
		return KindUsage{}, s.fail(op, "", err)
	}
	defer func() { _ = tx.Rollback() }()
	var top int64 // the highest seq of the table, for a log
	table := tables[kind]
	if kind == KindInbox {
		// The first statement writes: the transaction holds the write
		// lock from here, so what is remembered is what is deleted.
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO inbox_seen (plugin, source) SELECT plugin, source FROM inbox WHERE plugin = ?`, s.plugin); err != nil {
			return KindUsage{}, s.fail(op, "", err)
		}
	}
	if kind != KindStore {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM `+table).Scan(&top); err != nil {
			return KindUsage{}, s.fail(op, "", err)
		}
	}
	u := KindUsage{Kind: kind}
	rows, err := tx.QueryContext(ctx, `DELETE FROM `+table+` WHERE plugin = ? RETURNING `+size, s.plugin)
	if err != nil {
		return KindUsage{}, s.fail(op, "", err)
	}
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return KindUsage{}, s.fail(op, "", err)
		}
		u.Rows++
		u.Bytes += n + RowOverhead
	}
	err = rows.Err()
	rows.Close()
	if err == nil && kind != KindStore {
		err = keepTop(ctx, tx, table, top)
	}
	if err != nil {
		return KindUsage{}, s.fail(op, "", err)
	}
	if err := tx.Commit(); err != nil {
		return KindUsage{}, s.fail(op, "", err)
	}
	s.forgetLog()
	return u, nil
}

// tables are the tables of the kinds.
var tables = map[DataKind]string{KindStore: "kv", KindInbox: "inbox", KindEvents: "events"}

// rowSize is a row's bytes as Usage counts them (RowOverhead aside).
var rowSize = map[DataKind]string{
	KindStore:  `length(CAST(key AS BLOB)) + length(CAST(value AS BLOB))`,
	KindInbox:  `length(CAST(source AS BLOB)) + length(CAST(message AS BLOB))`,
	KindEvents: `length(CAST(type AS BLOB)) + length(CAST(payload AS BLOB))`,
}

// keepTop keeps top, the highest seq an append-only table (inbox, events)
// had before rows were deleted, as the seq of its row of plugin "" when
// no row holds it any more, so that seqs given out later are higher still
// (SQLite gives the highest rowid plus one).
func keepTop(ctx context.Context, tx *sql.Tx, table string, top int64) error {
	var rest int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM `+table).Scan(&rest); err != nil {
		return err
	}
	if rest == top {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE plugin = ''`); err != nil {
		return err
	}
	ins := `INSERT INTO events (seq, plugin, type, payload, time) VALUES (?, '', '', '', 0)`
	if table == "inbox" {
		ins = `INSERT INTO inbox (seq, plugin, source, received, message) VALUES (?, '', '', 0, '')`
	}
	_, err := tx.ExecContext(ctx, ins, top)
	return err
}

// seenSources returns which of sources were cleared from the plugin's
// inbox (inbox_seen); nil when none were.
func (s *Store) seenSources(ctx context.Context, msgs []Message) (map[string]bool, error) {
	var any int
	err := s.db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM inbox_seen WHERE plugin = ?)`, s.plugin).Scan(&any)
	if err != nil || any == 0 {
		return nil, err
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.Source] {
			continue
		}
		var one int
		switch err := s.db.db.QueryRowContext(ctx, `SELECT 1 FROM inbox_seen WHERE plugin = ? AND source = ?`, s.plugin, m.Source).Scan(&one); err {
		case nil:
			seen[m.Source] = true
		case sql.ErrNoRows:
		default:
			return nil, err
		}
	}
	return seen, nil
}
