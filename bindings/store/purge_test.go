package store

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// DeleteAll removes one plugin's key/value rows, inbox, events and status,
// and nothing of another plugin's.
func TestDeleteAll(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fill := func(s *Store) {
		if err := s.Set(ctx, "k", json.RawMessage(`1`)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddMessages(ctx, []Message{{Source: "a", Channel: "c", Content: "x"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddEvent(ctx, "e", json.RawMessage(`{}`)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(ctx, Status{State: "connected"}); err != nil {
			t.Fatal(err)
		}
	}
	gone, kept := db.Plugin("gone"), db.Plugin("kept")
	fill(gone)
	fill(kept)
	if err := gone.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	count := func(s *Store) (n int) {
		keys, _ := s.Keys(ctx)
		msgs, _ := s.Messages(ctx, 0, 10)
		evs, _ := s.Events(ctx, 0, 10)
		_, st, _ := s.Status(ctx)
		n = len(keys) + len(msgs) + len(evs)
		if st {
			n++
		}
		return n
	}
	if n := count(gone); n != 0 {
		t.Errorf("after DeleteAll the plugin still has %d rows", n)
	}
	if n := count(kept); n != 4 {
		t.Errorf("the other plugin has %d rows, want 4", n)
	}
}

// Nothing of the removed rows stays in the database's files.
func TestDeleteAllLeavesNoCopy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := db.Plugin("gone")
	if err := s.Set(ctx, "k", json.RawMessage(`"unique-marker-value"`)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMessages(ctx, []Message{{Source: "a", Channel: "c", Content: "unique-marker-message"}}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"unique-marker-status-1", "unique-marker-status-2"} {
		if err := s.SetStatus(ctx, Status{State: "connected", Message: m}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Set(ctx, "k", json.RawMessage(`"unique-marker-value-2"`)); err != nil {
		t.Fatal(err)
	}
	if err := db.Plugin("kept").Set(ctx, "k", json.RawMessage(`1`)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if bytes.Contains(b, []byte("unique-marker")) {
			t.Errorf("%s still holds removed data", e.Name())
		}
	}
}
