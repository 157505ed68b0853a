package serve

import (
	"os"
	"os/exec"
	"testing"
)

// TestRSSReader: the supervisor's poll reads a worker's resident set as
// residentBytes does, without allocating once the file is open, and closes
// the file of a process that ended (on a failed read, or at the sweep
// after the worker is no longer polled).
func TestRSSReader(t *testing.T) { // not parallel: AllocsPerRun
	var r rssReader
	defer r.close()
	self := os.Getpid()
	got, ok := r.read(self)
	want, _ := residentBytes(self)
	if !ok || got <= 0 || got > 4*want || want > 4*got {
		t.Fatalf("read(self) = %d, %v; residentBytes %d", got, ok, want)
	}
	if n := testing.AllocsPerRun(100, func() { r.read(self) }); n != 0 {
		t.Errorf("%v allocations per poll of an open file, want 0", n)
	}

	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	if _, ok := r.read(pid); !ok {
		t.Fatalf("read(%d) of a running process failed", pid)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if rss, ok := r.read(pid); ok {
		t.Errorf("read(%d) of an ended process = %d, want a failure", pid, rss)
	}
	if r.open[pid] != nil {
		t.Errorf("the file of ended process %d is still open", pid)
	}

	r.sweep() // self was read since the last sweep: kept
	if r.open[self] == nil {
		t.Fatal("sweep closed the file of a process read since the last sweep")
	}
	r.sweep() // not read since: closed
	if r.open[self] != nil {
		t.Error("sweep kept the file of a process not read since the last sweep")
	}
}

func TestStatmResident(t *testing.T) {
	t.Parallel()
	page := int64(os.Getpagesize())
	for in, want := range map[string]int64{"1000 250 30 4 0 5 0\n": 250 * page, "7 0 0 0 0 0 0\n": 0} {
		if got, ok := statmResident([]byte(in)); !ok || got != want {
			t.Errorf("statmResident(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "1000", "1000 x 3"} {
		if got, ok := statmResident([]byte(in)); ok {
			t.Errorf("statmResident(%q) = %d, want a failure", in, got)
		}
	}
}
