package sqlitedb_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"host/bindings/sqlitedb"
)

func open(t *testing.T, path string, migrations ...string) error {
	t.Helper()
	db, err := sqlitedb.Open(path, sqlitedb.Options{BusyTimeout: 5 * time.Second, MaxOpenConns: 2, Migrations: migrations})
	if err == nil {
		err = db.Close()
	}
	return err
}

// TestOpenCreatesAndMigrates: a new file (and its directory) is made
// private, runs every migration once in WAL mode, and a later Open with one
// more migration runs only that one.
func TestOpenCreatesAndMigrates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.db")
	m1 := `CREATE TABLE a(k TEXT PRIMARY KEY)`
	if err := open(t, path, m1); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700 | os.ModeDir} {
			if fi, err := os.Stat(p); err != nil || fi.Mode() != want {
				t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode(), err, want)
			}
		}
	}
	// m1 again would fail (the table exists): only the new one runs.
	db, err := sqlitedb.Open(path, sqlitedb.Options{BusyTimeout: 5 * time.Second, Migrations: []string{m1, `CREATE TABLE b(k TEXT)`}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	var mode, sync string
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != 2 {
		t.Errorf("user_version %d (%v), want 2", v, err)
	}
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q (%v), want wal", mode, err)
	}
	if err := db.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != "2" {
		t.Errorf("synchronous %q (%v), want 2 (FULL)", sync, err)
	}
	if _, err := db.Exec(`INSERT INTO a VALUES ('x'); INSERT INTO b VALUES ('y')`); err != nil {
		t.Error(err)
	}
}

// TestOpenNewerSchema: a file a later host migrated further is refused
// with a VersionError, not used.
func TestOpenNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	if err := open(t, path, `CREATE TABLE a(k)`, `CREATE TABLE b(k)`); err != nil {
		t.Fatal(err)
	}
	err := open(t, path, `CREATE TABLE a(k)`)
	var ve *sqlitedb.VersionError
	if !errors.As(err, &ve) || ve.Have != 2 || ve.Known != 1 {
		t.Fatalf("err = %v, want a VersionError 2 > 1", err)
	}
}

// TestOpenFileError: a directory that cannot be created is a FileError.
func TestOpenFileError(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := open(t, filepath.Join(blocker, "x.db"))
	var fe *sqlitedb.FileError
	if !errors.As(err, &fe) || fe.Op != "create directory" {
		t.Fatalf("err = %v, want a FileError creating the directory", err)
	}
}
