package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"host/jsrt"
)

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestStoreOperations(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t).Plugin("demo")

	type step struct {
		op    string // get, set, delete, keys
		key   string
		value string // set: JSON to store; get: JSON expected ("" = missing); keys: comma-separated expected
	}
	steps := []step{
		{op: "keys", value: ""},
		{op: "get", key: "token_expiry", value: ""},
		{op: "set", key: "token_expiry", value: `1700000000000`},
		{op: "get", key: "token_expiry", value: `1700000000000`},
		{op: "set", key: "token_expiry", value: `1800000000000`},
		{op: "get", key: "token_expiry", value: `1800000000000`},
		{op: "set", key: "b", value: `{"nested":[1,"two",null,true]}`},
		{op: "set", key: "a", value: `"text"`},
		{op: "set", key: "ä", value: `null`},
		{op: "get", key: "ä", value: `null`},
		{op: "keys", value: "a,b,token_expiry,ä"},
		{op: "delete", key: "b"},
		{op: "delete", key: "never-set"},
		{op: "get", key: "b", value: ""},
		{op: "keys", value: "a,token_expiry,ä"},
	}
	for i, st := range steps {
		name := fmt.Sprintf("%d_%s_%s", i, st.op, st.key)
		switch st.op {
		case "set":
			if err := s.Set(ctx, st.key, json.RawMessage(st.value)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		case "get":
			v, ok, err := s.Get(ctx, st.key)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if want := st.value != ""; ok != want || string(v) != st.value {
				t.Fatalf("%s: got (%s, %v), want (%s, %v)", name, v, ok, st.value, want)
			}
		case "delete":
			if err := s.Delete(ctx, st.key); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		case "keys":
			keys, err := s.Keys(ctx)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if keys == nil {
				t.Fatalf("%s: Keys returned nil, want a non-nil slice", name)
			}
			if got := strings.Join(keys, ","); got != st.value {
				t.Fatalf("%s: keys %q, want %q", name, got, st.value)
			}
		}
	}
}

func TestPluginScoping(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a, b := db.Plugin("a"), db.Plugin("b")
	if err := a.Set(ctx, "shared-name", json.RawMessage(`"from a"`)); err != nil {
		t.Fatal(err)
	}
	if err := a.Set(ctx, "only-a", json.RawMessage(`1`)); err != nil {
		t.Fatal(err)
	}
	if err := b.Set(ctx, "shared-name", json.RawMessage(`"from b"`)); err != nil {
		t.Fatal(err)
	}

	if v, _, _ := a.Get(ctx, "shared-name"); string(v) != `"from a"` {
		t.Errorf("a sees %s, want \"from a\"", v)
	}
	if v, _, _ := b.Get(ctx, "shared-name"); string(v) != `"from b"` {
		t.Errorf("b sees %s, want \"from b\"", v)
	}
	if _, ok, _ := b.Get(ctx, "only-a"); ok {
		t.Error("b can read a's key only-a")
	}
	if keys, _ := b.Keys(ctx); strings.Join(keys, ",") != "shared-name" {
		t.Errorf("b's keys = %q, want [shared-name]", keys)
	}
	if err := b.Delete(ctx, "only-a"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.Get(ctx, "only-a"); !ok {
		t.Error("b's delete removed a's key")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t).Plugin("demo")
	values := []string{
		`0`, `-1.5e300`, `9007199254740993`, `true`, `false`, `null`, `""`,
		`"emoji 🎉 and \u0000 and \"quotes\""`,
		`[]`, `{}`, `[1,[2,[3]]]`,
		`{"b":1,"a":2}`,    // key order kept
		`{ "spaced" : 1 }`, // text kept as given
		`"` + strings.Repeat("x", MaxValueSize-2) + `"`, // exactly the limit
	}
	for i, v := range values {
		key := fmt.Sprintf("k%d", i)
		if err := s.Set(ctx, key, json.RawMessage(v)); err != nil {
			t.Fatalf("Set(%.40s): %v", v, err)
		}
		got, ok, err := s.Get(ctx, key)
		if err != nil || !ok || string(got) != v {
			t.Fatalf("Get(%s) = %.40s, %v, %v; want %.40s", key, got, ok, err, v)
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	s := db.Plugin("demo")
	refuse := db.Plugin("demo")
	refuse.Check = func(key string, value json.RawMessage) error {
		if strings.Contains(string(value), "fake-token") {
			return errors.New("the value looks like a secret; use ctx.secrets")
		}
		return nil
	}

	tests := []struct {
		name     string
		do       func() error
		is       error
		code     string
		contains string
	}{
		{"empty key", func() error { return s.Set(ctx, "", json.RawMessage(`1`)) }, ErrInvalidKey, "ERR_STORE_INVALID_KEY", "the key is empty"},
		{"empty key get", func() error { _, _, err := s.Get(ctx, ""); return err }, ErrInvalidKey, "ERR_STORE_INVALID_KEY", "store: get"},
		{"empty key delete", func() error { return s.Delete(ctx, "") }, ErrInvalidKey, "ERR_STORE_INVALID_KEY", "store: delete"},
		{"long key", func() error { return s.Set(ctx, strings.Repeat("k", MaxKeyLen+1), json.RawMessage(`1`)) }, ErrInvalidKey, "ERR_STORE_INVALID_KEY", "513 bytes long; the limit is 512"},
		{"bad utf-8 key", func() error { return s.Set(ctx, "k\xff", json.RawMessage(`1`)) }, ErrInvalidKey, "ERR_STORE_INVALID_KEY", "UTF-8"},
		{"invalid json", func() error { return s.Set(ctx, "k", json.RawMessage(`{nope`)) }, ErrInvalidValue, "ERR_STORE_INVALID_VALUE", `store: set "k"`},
		{"empty json", func() error { return s.Set(ctx, "k", nil) }, ErrInvalidValue, "ERR_STORE_INVALID_VALUE", "not valid JSON"},
		{"too large", func() error {
			return s.Set(ctx, "big", json.RawMessage(`"`+strings.Repeat("x", 3<<19)+`"`))
		}, ErrValueTooLarge, "ERR_STORE_VALUE_TOO_LARGE", "1.5 MiB of JSON; the limit is 1 MiB"},
		{"check refuses", func() error {
			return refuse.Set(ctx, "api", json.RawMessage(`"fake-token-123"`))
		}, nil, "", "looks like a secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
			var c jsrt.Coder
			if tt.code != "" && (!errors.As(err, &c) || c.Code() != tt.code) {
				t.Errorf("error %q has no code %s", err, tt.code)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q does not contain %q", err, tt.contains)
			}
			if strings.Contains(err.Error(), "fake-token-123") {
				t.Errorf("error %q shows the value", err)
			}
		})
	}
	if keys, _ := s.Keys(ctx); len(keys) != 0 {
		t.Errorf("failed writes stored keys %q", keys)
	}
	if err := refuse.Set(ctx, "ok", json.RawMessage(`"plain"`)); err != nil {
		t.Errorf("Check refused a plain value: %v", err)
	}
}

func TestClosed(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	s := db.Plugin("demo")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := s.Set(ctx, "k", json.RawMessage(`1`)); !errors.Is(err, ErrClosed) {
		t.Errorf("Set after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Keys(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Keys after Close: %v, want ErrClosed", err)
	}
}

func TestCancelledContext(t *testing.T) {
	s := openTemp(t).Plugin("demo")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Set(ctx, "k", json.RawMessage(`1`)); !errors.Is(err, context.Canceled) {
		t.Errorf("Set with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestFileAndPersistence(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data dir", "nested")
	path := filepath.Join(dir, "odd ?#% name.db") // URI-special characters
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Plugin("demo").Set(ctx, "token_expiry", json.RawMessage(`42`)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("stat: %v", err)
			continue
		}
		if m := fi.Mode().Perm(); m != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), m)
		}
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("created directory: %v, %v; want mode 0700", fi.Mode(), err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if v, ok, err := db.Plugin("demo").Get(ctx, "token_expiry"); err != nil || !ok || string(v) != "42" {
		t.Errorf("after reopen: %s, %v, %v; want 42", v, ok, err)
	}
	var mode string
	if err := db.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()

	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(garbage)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(jsrt.Hint(err), "move") {
		t.Errorf("Open(garbage) = %v (hint %q); want ErrCorrupt with a hint", err, jsrt.Hint(err))
	}

	newer := filepath.Join(dir, "newer.db")
	raw, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = Open(newer)
	if err == nil || !strings.Contains(err.Error(), "newer") || !strings.Contains(jsrt.Hint(err), "upgrade host") {
		t.Errorf("Open(newer schema) = %v (hint %q)", err, jsrt.Hint(err))
	}

	if _, err := Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}

	if os.Geteuid() != 0 { // root ignores permissions
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		_, err := Open(filepath.Join(ro, "store.db"))
		if err == nil || !strings.Contains(jsrt.Hint(err), "writable") {
			t.Errorf("Open in a read-only directory = %v (hint %q)", err, jsrt.Hint(err))
		}
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := db.Plugin("demo")
			for i := range 50 {
				key := fmt.Sprintf("g%d-%03d", g, i)
				if err := s.Set(ctx, key, json.RawMessage(fmt.Sprint(i))); err != nil {
					errs <- err
					return
				}
				if _, ok, err := s.Get(ctx, key); err != nil || !ok {
					errs <- fmt.Errorf("get %s: %v, %v", key, ok, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if keys, _ := db.Plugin("demo").Keys(ctx); len(keys) != 400 {
		t.Errorf("%d keys, want 400", len(keys))
	}
}

// writeFromProcesses runs this test binary once per name, all at once, as
// TestHelperProcess: each opens path and writes n keys named after it.
func writeFromProcesses(t *testing.T, path string, n int, names ...string) {
	t.Helper()
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for _, name := range names {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STORE_HELPER_DB="+path, "STORE_HELPER_NAME="+name, fmt.Sprintf("STORE_HELPER_N=%d", n))
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper %s: %v\n%s", names[i], err, outs[i])
		}
	}
}

// Processes that open a new store file at the same moment all get in (the
// first one's switch to WAL can make the others' open fail with
// SQLITE_BUSY without SQLite waiting) and every write of theirs lands.
func TestProcessesOpenANewStoreAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	names := []string{"a", "b", "c", "d", "e", "f"}
	for round := range 3 {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("new-%d.db", round))
		writeFromProcesses(t, path, 20, names...)
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		keys, err := db.Plugin("shared").Keys(context.Background())
		db.Close()
		if err != nil || len(keys) != 20*len(names) {
			t.Fatalf("round %d: %d keys, %v; want %d", round, len(keys), err, 20*len(names))
		}
	}
}

// TestTwoProcesses runs this test binary twice at once as TestHelperProcess;
// each writes 1,000 keys to the same plugin in the same (new) file.
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const perProcess = 1000
	path := filepath.Join(t.TempDir(), "shared.db")
	writeFromProcesses(t, path, perProcess, "p1", "p2")

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys, err := db.Plugin("shared").Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2*perProcess {
		t.Fatalf("%d keys in the store, want %d", len(keys), 2*perProcess)
	}
	for _, name := range []string{"p1", "p2"} {
		for _, i := range []int{0, perProcess / 2, perProcess - 1} {
			key := fmt.Sprintf("%s-%04d", name, i)
			v, ok, err := db.Plugin("shared").Get(context.Background(), key)
			if want := fmt.Sprintf(`{"by":%q,"i":%d}`, name, i); err != nil || !ok || string(v) != want {
				t.Errorf("%s = %s, %v, %v; want %s", key, v, ok, err, want)
			}
		}
	}
}

// TestHelperProcess is not a test: TestTwoProcesses runs it in a child process.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("STORE_HELPER_DB")
	if path == "" {
		t.Skip("helper for TestTwoProcesses")
	}
	name := os.Getenv("STORE_HELPER_NAME")
	var n int
	fmt.Sscan(os.Getenv("STORE_HELPER_N"), &n)
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := db.Plugin("shared")
	for i := range n {
		v := fmt.Sprintf(`{"by":%q,"i":%d}`, name, i)
		if err := s.Set(context.Background(), fmt.Sprintf("%s-%04d", name, i), json.RawMessage(v)); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkSet(b *testing.B) {
	ctx := context.Background()
	s := openTemp(b).Plugin("bench")
	v := json.RawMessage(`{"access":"x","expires":1700000000000,"scopes":["a","b"]}`)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := s.Set(ctx, fmt.Sprintf("key-%d", i%1000), v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	s := openTemp(b).Plugin("bench")
	for i := range 1000 {
		if err := s.Set(ctx, fmt.Sprintf("key-%d", i), json.RawMessage(`{"expires":1700000000000}`)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok, err := s.Get(ctx, fmt.Sprintf("key-%d", i%1000)); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
