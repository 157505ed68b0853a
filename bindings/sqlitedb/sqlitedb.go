// Package sqlitedb opens a SQLite database file the one way host keeps each
// database of its own (a plugin's store, the OAuth server's clients and
// grants): the file created with mode 0600 in a 0700 directory, the WAL
// journal with synchronous=FULL (a commit that returned survives a crash),
// transactions that take the write lock up front, a busy timeout so other
// processes using the file make writes wait instead of fail, and a schema
// brought up to date by numbered migrations (PRAGMA user_version). Several
// host processes may use one file at once.
//
// It knows nothing of what the file holds: its callers prepare their
// statements and word its errors (FileError, VersionError, IsBusy) for
// their users.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Options are what differs between host's databases.
type Options struct {
	// BusyTimeout is how long a statement waits for a lock another
	// connection or process holds before it fails with SQLITE_BUSY; Open
	// retries for as long when opening meets one.
	BusyTimeout time.Duration
	// MaxOpenConns bounds the DB's connections (and its idle ones): WAL
	// lets readers run beside the one writer; writers queue on SQLite's
	// lock (the busy timeout).
	MaxOpenConns int
	// Pragmas are more settings for every connection, each as
	// "name(value)", e.g. "cache_size(-16384)".
	Pragmas []string
	// Migrations[i] brings the schema from user_version i to i+1. Append
	// only: a file's user_version says which it has run.
	Migrations []string
}

// FileError is the database file or its directory that could not be
// created (Op "create directory" or "create file"). Its text is Err's.
type FileError struct {
	Op  string
	Err error
}

func (e *FileError) Error() string { return e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// VersionError is a file whose schema is newer than the migrations this
// program has (written by a later host).
type VersionError struct {
	Have, Known int
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than this host understands (%d)", e.Have, e.Known)
}

// IsBusy reports whether err is SQLite's "database is locked" (another
// connection or process held a lock past the busy timeout).
func IsBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}

// Open opens the database file at path (made absolute), creating it and
// its directory when missing and running the migrations it has not run.
// The caller closes the DB. Errors are not wrapped with the path.
func Open(path string, o Options) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, &FileError{Op: "create directory", Err: err}
	}
	// Create the file here so it gets mode 0600; SQLite gives the -wal
	// and -shm files the main file's mode. O_EXCL: never open (and close) a
	// file SQLite may already hold, which would drop its POSIX locks.
	if f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		_ = f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, &FileError{Op: "create file", Err: err}
	}
	// Opening can meet SQLITE_BUSY without SQLite's busy handler waiting:
	// another process is switching the new file to WAL or recovering its
	// WAL. Retry for as long as a write would wait.
	deadline := time.Now().Add(o.BusyTimeout)
	wait := 5 * time.Millisecond
	for {
		db, err := openOnce(abs, o)
		if err == nil {
			return db, nil
		}
		if !IsBusy(err) || time.Now().Add(wait).After(deadline) {
			return nil, err
		}
		time.Sleep(wait)
		wait = min(2*wait, 100*time.Millisecond)
	}
}

func openOnce(abs string, o Options) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn(abs, o))
	if err != nil {
		return nil, err
	}
	if o.MaxOpenConns > 0 {
		db.SetMaxOpenConns(o.MaxOpenConns)
		db.SetMaxIdleConns(o.MaxOpenConns)
	}
	if err := migrate(context.Background(), db, o.Migrations); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// dsn builds a file: URI (so any character in the path is safe) with the
// connection settings modernc.org/sqlite applies to every connection.
func dsn(abs string, o Options) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(o.BusyTimeout.Milliseconds()))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate") // transactions take the write lock up front
	for _, p := range o.Pragmas {
		q.Add("_pragma", p)
	}
	return (&url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}).String()
}

func migrate(ctx context.Context, db *sql.DB, migrations []string) error {
	version := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) (int, error) {
		var v int
		err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v)
		return v, err
	}
	v, err := version(db)
	if err != nil {
		return err
	}
	if v == len(migrations) {
		return nil
	}
	if v > len(migrations) {
		return &VersionError{Have: v, Known: len(migrations)}
	}
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one process migrates at a time
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if v, err = version(tx); err != nil { // another process may have migrated meanwhile
		return err
	}
	for ; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

var (
	_ error = (*FileError)(nil)
	_ error = (*VersionError)(nil)
)
