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

// TestClear: clearing one kind of a plugin's data removes only those rows
// of only that plugin and says what they held; the quota counts them gone
// (also in a Store of another connection, as a running serve has); a
// cleared message's source stays a dedup key; seqs keep growing, so a
// follower's cursor sees the messages emitted after the clear.
func TestClear(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	serve := db.Plugin("p") // the running plugin's Store, with its quota
	const quota = 16 << 10
	limitTo(serve, quota)
	other := db.Plugin("q")
	if _, err := other.AddMessages(ctx, []Message{{Source: "q1", Channel: "c", Content: "kept"}}); err != nil {
		t.Fatal(err)
	}
	if err := other.Set(ctx, "k", json.RawMessage(`"kept"`)); err != nil {
		t.Fatal(err)
	}

	// Fill p's quota with messages, then an event and a value are refused.
	content := strings.Repeat("x", 1000)
	var last int64
	for i := 0; ; i++ {
		added, err := serve.AddMessages(ctx, []Message{{Source: fmt.Sprintf("m%d", i), Channel: "c", Content: content}})
		if errors.Is(err, errOverQuota) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		last = added[0].Seq
	}
	if _, err := serve.AddEvent(ctx, "tick", json.RawMessage(`{"pad":"`+content+`"}`)); !errors.Is(err, errOverQuota) {
		t.Fatalf("event past the quota: %v, want the refusal", err)
	}
	cli := db.Plugin("p") // host data's own Store
	u, err := cli.DataUsage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total, _ := cli.Usage(ctx)
	if u.Total() != total || u.Kinds[1].Kind != KindInbox || u.Kinds[1].Rows == 0 || u.Kinds[0].Rows != 0 || u.Seen != 0 {
		t.Fatalf("usage %+v (total %d), Usage %d", u, u.Total(), total)
	}

	cleared, err := cli.Clear(ctx, KindInbox)
	if err != nil {
		t.Fatal(err)
	}
	if cleared != u.Kinds[1] {
		t.Fatalf("cleared %+v, the inbox held %+v", cleared, u.Kinds[1])
	}
	if used, _ := cli.Usage(ctx); used != 0 {
		t.Fatalf("usage after clearing the inbox: %d", used)
	}
	// The serve's Store writes again, without being told.
	if _, err := serve.AddEvent(ctx, "tick", json.RawMessage(`{"n":2}`)); err != nil {
		t.Fatalf("event after the clear: %v", err)
	}
	// A cleared source is not delivered again; a new one is, after the
	// cursor a follower had.
	added, err := serve.AddMessages(ctx, []Message{{Source: "m0", Channel: "c", Content: "again"}, {Source: "new", Channel: "c", Content: "fresh"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 1 || added[0].Source != "new" || added[0].Seq <= last {
		t.Fatalf("added after the clear: %+v (last seq before: %d)", added, last)
	}
	if ms, _ := cli.Messages(ctx, last, 0); len(ms) != 1 || ms[0].Content != "fresh" {
		t.Fatalf("messages after the cursor: %+v", ms)
	}
	if u, _ := cli.DataUsage(ctx); u.Seen == 0 || u.Kinds[1].Rows != 1 {
		t.Fatalf("usage: %+v", u)
	}

	// Events and the store: their own rows only.
	if err := serve.Set(ctx, "a", json.RawMessage(`1`)); err != nil {
		t.Fatal(err)
	}
	if c, err := cli.Clear(ctx, KindEvents); err != nil || c.Rows != 1 {
		t.Fatalf("clear events: %+v, %v", c, err)
	}
	if c, err := cli.Clear(ctx, KindStore); err != nil || c.Rows != 1 || c.Bytes != rowCost("a", 1) {
		t.Fatalf("clear store: %+v, %v", c, err)
	}
	if evs, _ := cli.Events(ctx, 0, 0); len(evs) != 0 {
		t.Fatalf("events left: %+v", evs)
	}
	if ms, _ := cli.Messages(ctx, 0, 0); len(ms) != 1 {
		t.Fatalf("clearing events and the store touched the inbox: %+v", ms)
	}
	if ms, _ := other.Messages(ctx, 0, 0); len(ms) != 1 {
		t.Fatalf("another plugin's inbox: %+v", ms)
	}
	if _, ok, _ := other.Get(ctx, "k"); !ok {
		t.Fatal("another plugin's value was cleared")
	}
	if _, err := cli.Clear(ctx, "files"); err == nil {
		t.Fatal("an unknown kind was accepted")
	}

	// host remove forgets the dedup keys.
	if err := cli.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if added, err := serve.AddMessages(ctx, []Message{{Source: "m0", Channel: "c", Content: "again"}}); err != nil || len(added) != 1 {
		t.Fatalf("after DeleteAll: %+v, %v", added, err)
	}
}
