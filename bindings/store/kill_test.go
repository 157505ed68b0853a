package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSIGKILLKeepsAcknowledgedWrites kills a writer process with SIGKILL in
// the middle of its writes and checks that the database opens, passes
// SQLite's integrity check and holds every write the writer had
// acknowledged (printed after Set returned).
func TestSIGKILLKeepsAcknowledgedWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	for round := 0; round < 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKilledWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STORE_KILL_DB="+path, fmt.Sprintf("STORE_KILL_ROUND=%d", round))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		var acked []string
		for sc.Scan() {
			line := sc.Text()
			if key, ok := strings.CutPrefix(line, "ack "); ok {
				acked = append(acked, key)
				if len(acked) == 200 {
					_ = cmd.Process.Signal(syscall.SIGKILL)
				}
			}
		}
		_ = cmd.Wait()
		if len(acked) < 200 {
			t.Fatalf("round %d: the writer acknowledged only %d writes", round, len(acked))
		}
		db, err := Open(path)
		if err != nil {
			t.Fatalf("round %d: the database does not open after SIGKILL: %v", round, err)
		}
		s := db.Plugin("killed")
		ctx := context.Background()
		for _, k := range acked {
			v, ok, err := s.Get(ctx, k)
			if err != nil || !ok {
				t.Fatalf("round %d: acknowledged key %s lost (%v)", round, k, err)
			}
			var got string
			if json.Unmarshal(v, &got) != nil || got != "value-of-"+k {
				t.Fatalf("round %d: key %s = %s", round, k, v)
			}
		}
		db.Close()
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		var check string
		if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Fatalf("round %d: integrity_check = %q, %v", round, check, err)
		}
		raw.Close()
	}
}

// TestHelperKilledWriter is not a test: the SIGKILL test runs it in a
// child process that writes until it is killed.
func TestHelperKilledWriter(t *testing.T) {
	path := os.Getenv("STORE_KILL_DB")
	if path == "" {
		t.Skip("helper process for TestSIGKILLKeepsAcknowledgedWrites")
	}
	round := os.Getenv("STORE_KILL_ROUND")
	db, err := Open(path)
	if err != nil {
		fmt.Println("open failed:", err)
		os.Exit(1)
	}
	s := db.Plugin("killed")
	for i := 0; ; i++ {
		key := fmt.Sprintf("r%s-k%05d", round, i)
		v, _ := json.Marshal("value-of-" + key)
		if err := s.Set(context.Background(), key, v); err != nil {
			fmt.Println("set failed:", err)
			os.Exit(1)
		}
		// Acknowledged: Set returned. Unbuffered, so the parent sees it.
		fmt.Fprintf(os.Stdout, "ack %s\n", key)
	}
}
