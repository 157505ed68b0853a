package store

import (
	"context"
	"sync"
)

// A plugin's inbox and event rows count in Usage like its key/value rows:
// the bytes of each source (or event type) and message (or payload) plus
// RowOverhead a row. Summing them is a walk over every row, so a Store
// keeps what it measured per table with the table's highest seq at the
// time, and measures again only when that seq changed other than by its
// own writes (another process wrote or removed rows), or when a
// reservation would be refused (logQuota.forget).

// logTable is the measured usage of one of a plugin's append-only tables
// (inbox, events).
type logTable struct {
	known bool
	max   int64 // the highest seq when used was measured
	used  int64
}

// logQuota is a Store's cache of its inbox and events usage.
type logQuota struct {
	mu     sync.Mutex
	inbox  logTable
	events logTable
}

const (
	qInboxMax    = `SELECT COALESCE(MAX(seq), 0) FROM inbox WHERE plugin = ? AND seq < ?`
	qEventsMax   = `SELECT COALESCE(MAX(seq), 0) FROM events WHERE plugin = ? AND seq < ?`
	qInboxUsage  = `SELECT COUNT(*), COALESCE(SUM(length(CAST(source AS BLOB)) + length(CAST(message AS BLOB))), 0) FROM inbox WHERE plugin = ? AND seq <= ?`
	qEventsUsage = `SELECT COUNT(*), COALESCE(SUM(length(CAST(type AS BLOB)) + length(CAST(payload AS BLOB))), 0) FROM events WHERE plugin = ? AND seq <= ?`
	maxSeq       = int64(1) << 62
)

// logUsage is what the plugin's inbox and events rows hold as Usage counts
// them, from the cache when the tables' highest seqs are the ones it saw.
func (s *Store) logUsage(ctx context.Context) (int64, error) {
	if err := s.inbox("usage"); err != nil {
		return 0, err
	}
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	var total int64
	for _, t := range []struct {
		tab        *logTable
		qMax, qSum string
	}{{&s.log.inbox, qInboxMax, qInboxUsage}, {&s.log.events, qEventsMax, qEventsUsage}} {
		var max int64
		if err := s.db.db.QueryRowContext(ctx, t.qMax, s.plugin, maxSeq).Scan(&max); err != nil {
			return 0, s.fail("usage", "", err)
		}
		if !t.tab.known || t.tab.max != max {
			var rows, bytes int64
			if err := s.db.db.QueryRowContext(ctx, t.qSum, s.plugin, max).Scan(&rows, &bytes); err != nil {
				return 0, s.fail("usage", "", err)
			}
			*t.tab = logTable{known: true, max: max, used: bytes + rows*RowOverhead}
		}
		total += t.tab.used
	}
	return total, nil
}

// forgetLog makes the next logUsage measure both tables again.
func (s *Store) forgetLog() {
	s.log.mu.Lock()
	s.log.inbox.known, s.log.events.known = false, false
	s.log.mu.Unlock()
}

// added counts rows this Store just wrote to a table (seqs from first to
// last, adding cost): the cache stays valid when the highest seq below
// first is the one it measured, and is dropped otherwise. Rows are never
// given a seq below one already there, so the check holds once committed.
func (s *Store) added(ctx context.Context, events bool, first, last, cost int64) {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	tab, q := &s.log.inbox, qInboxMax
	if events {
		tab, q = &s.log.events, qEventsMax
	}
	if !tab.known {
		return
	}
	var max int64
	if err := s.db.db.QueryRowContext(ctx, q, s.plugin, first).Scan(&max); err != nil || max != tab.max {
		tab.known = false
		return
	}
	tab.max, tab.used = last, tab.used+cost
}

// reserve asks Reserve for add more bytes; when it refuses, what was
// counted is measured again once (another process may have removed rows)
// before the refusal stands. With s.mu held.
func (s *Store) reserve(ctx context.Context, add int64) error {
	err := s.Reserve(ctx, add)
	if err == nil || add <= 0 {
		return err
	}
	s.forgetLog()
	return s.Reserve(ctx, add)
}
