// Package store keeps each plugin's JSON key/value data (the plugin's
// `ctx.store`) in an embedded SQLite database file that several host
// processes can use at once without losing a write.
//
// The Go side is Open, DB and Store; NewObject (js.go) is the JS binding.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"host/bindings/sqlitedb"
	"host/jsrt"
)

// Limits.
const (
	// MaxKeyLen is the longest key, in bytes of UTF-8.
	MaxKeyLen = 512
	// MaxValueSize is the largest value, in bytes of JSON text.
	MaxValueSize = 1 << 20
	// BusyTimeout is how long a write waits for another connection or
	// process that holds the database's write lock before it fails with
	// ErrBusy.
	BusyTimeout = 5 * time.Second
	// maxOpenConns bounds the connections of one DB: WAL lets readers run
	// beside the one writer; writers queue on SQLite's lock (busy_timeout).
	maxOpenConns = 4
)

// Error codes; JS sees them as the rejected error's `code`.
var (
	ErrInvalidKey    error = jsrt.WithCode(errors.New("invalid key"), "ERR_STORE_INVALID_KEY")
	ErrInvalidValue  error = jsrt.WithCode(errors.New("value is not valid JSON"), "ERR_STORE_INVALID_VALUE")
	ErrValueTooLarge error = jsrt.WithCode(errors.New("value too large"), "ERR_STORE_VALUE_TOO_LARGE")
	ErrBusy          error = jsrt.WithCode(errors.New("the store database is locked by another connection"), "ERR_STORE_BUSY")
	ErrReadOnly      error = jsrt.WithCode(errors.New("the store database cannot be written"), "ERR_STORE_READ_ONLY")
	ErrCorrupt       error = jsrt.WithCode(errors.New("the store database file is damaged or not a store database"), "ERR_STORE_CORRUPT")
	ErrDiskFull      error = jsrt.WithCode(errors.New("the disk holding the store database is full"), "ERR_STORE_DISK_FULL")
	ErrClosed        error = jsrt.WithCode(errors.New("the store is closed"), "ERR_STORE_CLOSED")
)

// migrations[i] brings the schema from user_version i to i+1 (sqlitedb).
// Append only.
var migrations = []string{
	`CREATE TABLE kv (
		plugin  TEXT    NOT NULL,
		key     TEXT    NOT NULL,
		value   TEXT    NOT NULL,  -- JSON text
		updated INTEGER NOT NULL,  -- unix milliseconds
		PRIMARY KEY (plugin, key)
	) WITHOUT ROWID`,
}

const (
	qUsage  = `SELECT COUNT(*), COALESCE(SUM(length(CAST(key AS BLOB)) + length(CAST(value AS BLOB))), 0) FROM kv WHERE plugin = ?`
	qSize   = `SELECT length(CAST(value AS BLOB)) FROM kv WHERE plugin = ? AND key = ?`
	qGet    = `SELECT value FROM kv WHERE plugin = ? AND key = ?`
	qSet    = `INSERT INTO kv (plugin, key, value, updated) VALUES (?, ?, ?, ?) ON CONFLICT (plugin, key) DO UPDATE SET value = excluded.value, updated = excluded.updated`
	qDelete = `DELETE FROM kv WHERE plugin = ? AND key = ?`
	qKeys   = `SELECT key FROM kv WHERE plugin = ? ORDER BY key`
)

// DB is an open store database file. Keep one per file per process; its
// methods and the Stores it hands out are safe for concurrent use.
type DB struct {
	path   string
	lazy   sync.Once // OpenLazy: opens on first use
	lerr   error
	db     *sql.DB
	get    *sql.Stmt
	set    *sql.Stmt
	del    *sql.Stmt
	keys   *sql.Stmt
	closed atomic.Bool
}

// Open opens the store database at path, creating the file (mode 0600, its
// directory 0700) and the schema when missing, and upgrading an older
// schema. The database runs in WAL mode with synchronous=FULL, so a write
// that returned nil survives a crash or power loss, and with a busy timeout,
// so other processes using the same file make writes wait instead of fail.
// Close the DB when done.
func Open(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: open: empty database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db, err := sqlitedb.Open(abs, sqlitedb.Options{
		BusyTimeout:  BusyTimeout,
		MaxOpenConns: maxOpenConns,
		// A page cache (at most 16 MiB a connection, taken as used) that
		// holds a large batch of inbox messages: with SQLite's default 2
		// MiB the transaction spills pages to the WAL before its commit
		// writes them again. The statement journal (a multi-row INSERT's
		// undo) in memory, not in a temporary file
		// (BenchmarkEmitMessages10k).
		Pragmas:    []string{"cache_size(-16384)", "temp_store(memory)"},
		Migrations: migrations,
	})
	if err != nil {
		return nil, openError(abs, err)
	}
	d := &DB{path: abs, db: db}
	d.lazy.Do(func() {})
	if err := d.init(context.Background()); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("store: open %s: %w", abs, classify(abs, err))
	}
	return d, nil
}

// openError words an error of sqlitedb.Open with what to do.
func openError(abs string, err error) error {
	var fe *sqlitedb.FileError
	var ve *sqlitedb.VersionError
	var hint string
	switch {
	case errors.As(err, &fe) && fe.Op == "create directory":
		hint = "check that the data directory can be created and written by this user"
	case errors.As(err, &fe):
		hint = "check that the data directory is writable by this user"
	case errors.As(err, &ve):
		hint = "upgrade host, or point it at another data directory"
	default:
		return fmt.Errorf("store: open %s: %w", abs, classify(abs, err))
	}
	return jsrt.WithHint(fmt.Errorf("store: open %s: %w", abs, err), hint)
}

// OpenLazy returns a DB for path that is opened (and created) by the first
// Store call, so a process whose plugins never use ctx.store neither pays
// for opening the file nor creates it. An open error is returned by that
// call and every later one.
func OpenLazy(path string) *DB {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return &DB{path: abs}
}

// ensure opens a lazy DB once.
func (d *DB) ensure() error {
	d.lazy.Do(func() {
		o, err := Open(d.path)
		if err != nil {
			d.lerr = err
			return
		}
		d.db, d.get, d.set, d.del, d.keys = o.db, o.get, o.set, o.del, o.keys
	})
	return d.lerr
}

func (d *DB) init(ctx context.Context) error {
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var s *sql.Stmt
		s, err = d.db.PrepareContext(ctx, q)
		return s
	}
	d.get, d.set, d.del, d.keys = prep(qGet), prep(qSet), prep(qDelete), prep(qKeys)
	return err
}

// Path is the database file's absolute path.
func (d *DB) Path() string { return d.path }

// Close closes the database. Calls on its Stores afterwards fail with
// ErrClosed. Safe to call more than once.
func (d *DB) Close() error {
	if d.closed.Swap(true) {
		return nil
	}
	d.lazy.Do(func() { d.lerr = ErrClosed }) // a lazy DB never opened stays closed
	if d.db == nil {
		return nil
	}
	for _, s := range []*sql.Stmt{d.get, d.set, d.del, d.keys} {
		if s != nil {
			_ = s.Close()
		}
	}
	return d.db.Close()
}

// Plugin returns the Store holding the rows of plugin id. Stores of
// different ids never see each other's keys.
func (d *DB) Plugin(id string) *Store {
	return &Store{db: d, plugin: id}
}

// Store is one plugin's key/value data. Its methods are safe for concurrent
// use; set Check before the first call.
type Store struct {
	db     *DB
	plugin string

	// Check, when set, is called by Set with each valid key and value before
	// anything is written; an error it returns is returned by Set (wrapped)
	// and nothing is stored. The host uses it to refuse values that must
	// not be kept here (secrets).
	Check func(key string, value json.RawMessage) error
	// Reserve, when set, is called by Set after Check, and by AddMessages
	// and AddEvent, with the bytes the write adds to the plugin's rows as
	// Usage counts them (negative when it shrinks them); an error it
	// returns is returned by the call (wrapped) and nothing of it is
	// stored. Writes of one Store run one at a time then. The host bounds
	// a plugin's data with it (its quota).
	Reserve func(ctx context.Context, add int64) error

	mu  sync.Mutex // serialises Set, AddMessages and AddEvent when Reserve is set
	log logQuota   // what the inbox and events rows hold (quota.go)
}

// RowOverhead is what each stored key counts for in Usage beyond the
// bytes of its key and its value (the database's own bookkeeping), so that
// a plugin cannot fill the disk with empty values either.
const RowOverhead = 64

// rowCost is what one row counts for in Usage.
func rowCost(key string, valueLen int64) int64 { return int64(len(key)) + valueLen + RowOverhead }

// Usage is what the plugin's rows hold as a quota counts them: the bytes
// of each key and value, of each inbox message and its source, and of each
// event and its type, plus RowOverhead a row. It may block up to
// BusyTimeout or until ctx ends.
func (s *Store) Usage(ctx context.Context) (int64, error) {
	if err := s.ready("usage", "", false); err != nil {
		return 0, err
	}
	var rows, bytes int64
	if err := s.db.db.QueryRowContext(ctx, qUsage, s.plugin).Scan(&rows, &bytes); err != nil {
		return 0, s.fail("usage", "", err)
	}
	log, err := s.logUsage(ctx)
	if err != nil {
		return 0, err
	}
	return bytes + rows*RowOverhead + log, nil
}

// PluginID is the plugin id the Store is scoped to.
func (s *Store) PluginID() string { return s.plugin }

// ValidKey reports why key cannot be used as a store key, or nil.
func ValidKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: the key is empty", ErrInvalidKey)
	case len(key) > MaxKeyLen:
		return fmt.Errorf("%w: the key is %d bytes long; the limit is %d", ErrInvalidKey, len(key), MaxKeyLen)
	case !utf8.ValidString(key):
		return fmt.Errorf("%w: the key is not valid UTF-8", ErrInvalidKey)
	}
	return nil
}

func (s *Store) ready(op, key string, checkKey bool) error {
	if s.db.closed.Load() {
		return s.wrap(op, key, ErrClosed)
	}
	if err := s.db.ensure(); err != nil {
		return s.wrap(op, key, err)
	}
	if s.plugin == "" {
		return s.wrap(op, key, errors.New("the store has no plugin id"))
	}
	if checkKey {
		if err := ValidKey(key); err != nil {
			return s.wrap(op, key, err)
		}
	}
	return nil
}

// Get returns the JSON value stored under key, and false when there is none.
// It may block up to BusyTimeout or until ctx ends.
func (s *Store) Get(ctx context.Context, key string) (json.RawMessage, bool, error) {
	if err := s.ready("get", key, true); err != nil {
		return nil, false, err
	}
	var v []byte
	err := s.db.get.QueryRowContext(ctx, s.plugin, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.fail("get", key, err)
	}
	return json.RawMessage(v), true, nil
}

// Set stores value (JSON text, at most MaxValueSize bytes) under key,
// replacing what was there. Once it returns nil the write is durable and
// visible to every process using the file. It may block up to BusyTimeout
// (another writer) or until ctx ends.
func (s *Store) Set(ctx context.Context, key string, value json.RawMessage) error {
	if err := s.ready("set", key, true); err != nil {
		return err
	}
	if len(value) > MaxValueSize {
		return s.wrap("set", key, fmt.Errorf("%w: %s of JSON; the limit is %s", ErrValueTooLarge, size(len(value)), size(MaxValueSize)))
	}
	if !json.Valid(value) {
		return s.wrap("set", key, ErrInvalidValue)
	}
	if s.Check != nil {
		if err := s.Check(key, value); err != nil {
			return s.wrap("set", key, err)
		}
	}
	if s.Reserve != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		add := rowCost(key, int64(len(value)))
		var old int64
		switch err := s.db.db.QueryRowContext(ctx, qSize, s.plugin, key).Scan(&old); {
		case err == nil:
			add -= rowCost(key, old)
		case !errors.Is(err, sql.ErrNoRows):
			return s.fail("set", key, err)
		}
		if err := s.reserve(ctx, add); err != nil {
			return s.wrap("set", key, err)
		}
	}
	if _, err := s.db.set.ExecContext(ctx, s.plugin, key, string(value), time.Now().UnixMilli()); err != nil {
		return s.fail("set", key, err)
	}
	return nil
}

// Delete removes key. Deleting a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.ready("delete", key, true); err != nil {
		return err
	}
	if _, err := s.db.del.ExecContext(ctx, s.plugin, key); err != nil {
		return s.fail("delete", key, err)
	}
	return nil
}

// Keys returns the plugin's keys, sorted by their bytes (Unicode code point
// order). It is never nil.
func (s *Store) Keys(ctx context.Context) ([]string, error) {
	if err := s.ready("keys", "", false); err != nil {
		return nil, err
	}
	rows, err := s.db.keys.QueryContext(ctx, s.plugin)
	if err != nil {
		return nil, s.fail("keys", "", err)
	}
	defer rows.Close()
	keys := []string{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, s.fail("keys", "", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("keys", "", err)
	}
	return keys, nil
}

func (s *Store) wrap(op, key string, err error) error {
	return &OpError{Op: op, Key: key, Err: err}
}

func (s *Store) fail(op, key string, err error) error {
	if s.db.closed.Load() {
		return s.wrap(op, key, ErrClosed)
	}
	return s.wrap(op, key, classify(s.db.path, err))
}

// OpError is the error of a Store method: which call, which key (empty for
// Keys) and why. Values never appear in it.
type OpError struct {
	Op  string // "get", "set", "delete" or "keys"
	Key string
	Err error
}

func (e *OpError) Error() string {
	if e.Key == "" && e.Op != "get" && e.Op != "set" && e.Op != "delete" { // calls without a key
		return fmt.Sprintf("store: %s: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("store: %s %s: %v", e.Op, quote(e.Key), e.Err)
}

// quote is key as errors show it: quoted, and cut after 40 bytes (at a
// character boundary) with "..." when longer, so that a huge key does not
// flood the message.
func quote(key string) string {
	const max = 40
	if len(key) <= max {
		return strconv.Quote(key)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut--
	}
	return strconv.Quote(key[:cut] + "...")
}

func (e *OpError) Unwrap() error { return e.Err }

// classify marks a SQLite error with one of the package's errors and a hint
// for the user; other errors pass through.
func classify(path string, err error) error {
	mark := func(kind error, hint string) error {
		return jsrt.WithHint(fmt.Errorf("%w (%w)", kind, err), hint)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return mark(ErrBusy, fmt.Sprintf("another host process kept %s locked for more than %s; try again, or stop the other process", path, BusyTimeout))
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN:
			return mark(ErrReadOnly, fmt.Sprintf("check that %s and its directory are writable by this user", path))
		case sqlite3.SQLITE_FULL:
			return mark(ErrDiskFull, "free some disk space and try again")
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return mark(ErrCorrupt, fmt.Sprintf("move %s aside; the host then creates a new, empty store", path))
		}
	}
	return err
}

// size renders n bytes for a person: "1 MiB", "1.5 MiB", "12.3 KiB", "80 bytes".
func size(n int) string {
	unit := func(u int, name string) string {
		if n%u == 0 {
			return fmt.Sprintf("%d %s", n/u, name)
		}
		return fmt.Sprintf("%.1f %s", float64(n)/float64(u), name)
	}
	switch {
	case n >= 1<<20:
		return unit(1<<20, "MiB")
	case n >= 1<<10:
		return unit(1<<10, "KiB")
	}
	return fmt.Sprintf("%d bytes", n)
}

var _ error = (*OpError)(nil)
