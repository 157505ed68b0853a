package store

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenLazy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "store.db")
	db := OpenLazy(path)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file exists before first use: %v", err)
	}
	s := db.Plugin("p")
	ctx := context.Background()
	if err := s.Set(ctx, "k", json.RawMessage(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("after first use: %v %v", fi, err)
	}
	if v, ok, err := s.Get(ctx, "k"); err != nil || !ok || string(v) != `{"v":1}` {
		t.Fatalf("get = %s %v %v", v, ok, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(ctx, "k"); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}

	// Never used: Close is fine and nothing is created.
	unused := filepath.Join(t.TempDir(), "unused.db")
	if err := OpenLazy(unused).Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(unused); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an unused lazy store created its file")
	}

	// An open error surfaces on use.
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	_ = os.WriteFile(blocker, []byte("x"), 0o600)
	bad := OpenLazy(filepath.Join(blocker, "store.db")).Plugin("p")
	if err := bad.Set(ctx, "k", json.RawMessage(`1`)); err == nil {
		t.Errorf("no error from a store under a file")
	}
}
