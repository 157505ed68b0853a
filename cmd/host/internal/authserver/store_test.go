package authserver

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// TestOpenStoreUnversionedFile: an oauth.db written before its schema had
// a version (user_version 0, the tables there) opens with its clients and
// grants kept, and is marked as at version 1.
func TestOpenStoreUnversionedFile(t *testing.T) {
	dir := t.TempDir()
	old, err := sql.Open("sqlite", filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(migrations[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO clients(id, name, kind, redirect_uris, created) VALUES ('c1', 'Old Client', 'registered', '["http://127.0.0.1:9/cb"]', 1);
		INSERT INTO grants(id, client_id, scope, resource, created) VALUES ('g1', 'c1', 'mcp', 'http://127.0.0.1:9/mcp', 2)`); err != nil {
		t.Fatal(err)
	}
	_ = old.Close()

	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.Clients(context.Background(), false)
	if err != nil || len(cs) != 1 || cs[0].Name != "Old Client" || cs[0].Grants != 1 {
		t.Fatalf("clients %+v (%v), want Old Client with 1 grant", cs, err)
	}
	var v int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != 1 {
		t.Errorf("user_version %d (%v), want 1", v, err)
	}
}
