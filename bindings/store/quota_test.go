package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

var errOverQuota = errors.New("over quota")

// TestLogQuota: a plugin's inbox and events rows count in Usage as the
// database file holds them (also what another connection to the file
// wrote or removed); a call Reserve refuses stores nothing, emitting
// stored messages again is not refused, and DeleteAll frees the room.
func TestLogQuota(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	open := func() *DB {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	s := open().Plugin("p")
	const quota = 64 << 10
	limitTo(s, quota)
	other := open().Plugin("p") // another process's connection
	measured := func() int64 {  // what a Store that cached nothing counts
		u, err := open().Plugin("p").Usage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	content := strings.Repeat("x", 4000)
	batch := func(c int) []Message {
		ms := make([]Message, 5)
		for i := range ms {
			ms[i] = Message{Source: fmt.Sprintf("m%d", 5*c+i), Channel: "c", Content: content}
		}
		return ms
	}
	n := 0
	var err error
	for ; n < 10; n++ {
		if _, err = s.AddMessages(ctx, batch(n)); err != nil {
			break
		}
	}
	if n != 3 || !errors.Is(err, errOverQuota) {
		t.Fatalf("refused after %d batches with %v; want 3, errOverQuota", n, err)
	}
	if got, _ := s.Messages(ctx, 0, 0); len(got) != 15 {
		t.Fatalf("%d messages stored; want 15 (nothing of the refused call)", len(got))
	}
	used, err := s.Usage(ctx)
	if err != nil || used != measured() || used < 15*4000 {
		t.Fatalf("usage %d (%v); measured %d", used, err, measured())
	}
	if added, err := s.AddMessages(ctx, append(batch(0), batch(1)...)); err != nil || len(added) != 0 {
		t.Fatalf("the stored messages again: %d added, %v", len(added), err)
	}
	if _, err := s.AddEvent(ctx, "big", json.RawMessage(`{"v":"`+content+content+`"}`)); !errors.Is(err, errOverQuota) {
		t.Fatalf("big event: %v", err)
	}
	if _, err := s.AddEvent(ctx, "small", json.RawMessage(`{}`)); err != nil {
		t.Fatalf("small event: %v", err)
	}
	if evs, _ := s.Events(ctx, 0, 0); len(evs) != 1 || evs[0].Type != "small" {
		t.Fatalf("events %v", evs)
	}
	if used, err := s.Usage(ctx); err != nil || used != measured() {
		t.Fatalf("usage after the event %d (%v); measured %d", used, err, measured())
	}
	// Another connection's rows count.
	if _, err := other.AddEvent(ctx, "elsewhere", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	if used, err := s.Usage(ctx); err != nil || used != measured() {
		t.Fatalf("usage after another connection's event %d (%v); measured %d", used, err, measured())
	}
	// What another connection removes frees the room.
	if err := other.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMessages(ctx, batch(9)); err != nil {
		t.Fatalf("after DeleteAll: %v", err)
	}
	if used, err := s.Usage(ctx); err != nil || used != measured() {
		t.Fatalf("usage after DeleteAll %d (%v); measured %d", used, err, measured())
	}
}

// limitTo gives s a quota of quota bytes counted as Usage counts them, as
// a running plugin's Store has.
func limitTo(s *Store, quota int64) {
	s.Reserve = func(ctx context.Context, add int64) error {
		used, err := s.Usage(ctx)
		if err != nil {
			return err
		}
		if used+add > quota {
			return errOverQuota
		}
		return nil
	}
}
