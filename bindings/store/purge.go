package store

import "context"

// DeleteAll removes every row of the plugin in one transaction: its
// key/value data, inbox (and the sources of cleared messages), events and
// status (`host remove`). The freed
// space is overwritten (SQLite's secure_delete), the file rewritten
// (VACUUM) and the write-ahead log checkpointed and truncated, so the
// database files keep no copy of what was removed; this takes time in
// proportion to the whole database. Sequence numbers of the inbox and events may be given out
// again afterwards; a plugin installed anew under the same id starts with
// an empty inbox. It may block up to BusyTimeout or until ctx ends.
func (s *Store) DeleteAll(ctx context.Context) error {
	if err := s.inbox("delete all"); err != nil {
		return err
	}
	conn, err := s.db.db.Conn(ctx)
	if err != nil {
		return s.fail("delete all", "", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return s.fail("delete all", "", err)
	}
	defer func() { _, _ = conn.ExecContext(context.Background(), `PRAGMA secure_delete = OFF`) }()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.fail("delete all", "", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, table := range []string{"kv", "inbox", "inbox_seen", "events", "status"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE plugin = ?`, s.plugin); err != nil {
			return s.fail("delete all", "", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.fail("delete all", "", err)
	}
	// Earlier updates leave old copies of rows in free space that
	// secure_delete never saw: VACUUM rewrites the file without them. Then
	// the log is checkpointed and truncated. (Another process reading the
	// database at that moment can keep the log from being truncated; its
	// frames are overwritten by later writes.)
	if _, err := conn.ExecContext(ctx, `VACUUM`); err != nil {
		return s.fail("delete all", "", err)
	}
	_, _ = conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return nil
}
