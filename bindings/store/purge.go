package store

import "context"

// DeleteAll removes every row of the plugin in one transaction: its
// key/value data, inbox, events and status (`host remove`). Sequence
// numbers of the inbox and events may be given out again afterwards, to
// the next messages of any plugin; a plugin installed anew under the same
// id starts its inbox empty. It may block up to BusyTimeout or until ctx
// ends.
func (s *Store) DeleteAll(ctx context.Context) error {
	if err := s.inbox("delete all"); err != nil {
		return err
	}
	tx, err := s.db.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail("delete all", "", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, table := range []string{"kv", "inbox", "events", "status"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE plugin = ?`, s.plugin); err != nil {
			return s.fail("delete all", "", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.fail("delete all", "", err)
	}
	return nil
}
