package serve

import (
	"testing"
	"time"
)

// TestBackoff: 2 s after the first crash, doubling, at most 5 minutes.
func TestBackoff(t *testing.T) {
	o := Options{}
	o.defaults()
	s := &Supervisor{opts: o}
	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second,
		64 * time.Second, 128 * time.Second, 256 * time.Second, 5 * time.Minute, 5 * time.Minute}
	for i, w := range want {
		if got := s.backoff(i + 1); got != w {
			t.Errorf("after crash %d: %s, want %s", i+1, got, w)
		}
	}
	if o.MaxCrashes != 5 || o.CrashReset != 10*time.Minute || o.Memory != 512<<20 {
		t.Errorf("defaults: %+v", o)
	}
}

// TestStateLine: the line a terminal shows for each phase.
func TestStateLine(t *testing.T) {
	for _, c := range []struct {
		st   State
		want string
	}{
		{State{ID: "a", Phase: Active, Tools: []string{"x", "y"}}, "a: active (2 tool(s))"},
		{State{ID: "a", Phase: NeedsSetup, Fields: []Field{{Key: "token"}, {Key: "region"}}}, "a: needs setup (missing token, region)"},
		{State{ID: "a", Phase: Error, Reason: "plugin.ts:1:2: boom\n  at x"}, "a: error: plugin.ts:1:2: boom"},
		{State{ID: "a", Phase: Starting}, "a: starting"},
	} {
		if got := c.st.Line(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.st, got, c.want)
		}
	}
}
