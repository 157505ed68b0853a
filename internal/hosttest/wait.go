package hosttest

import (
	"testing"
	"time"
)

// pollEvery is how often WaitFor checks its condition.
const pollEvery = 5 * time.Millisecond

// WaitFor waits until cond reports true, checking it every few
// milliseconds, and fails tb (naming what) when within passes first. Give
// within a margin a loaded machine cannot eat: it bounds a hang, it is not
// an expectation of speed. For a test that would otherwise sleep "long
// enough" for something to settle: wait on the thing itself.
func WaitFor(tb testing.TB, within time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("waited %s for %s", within, what)
		}
		time.Sleep(pollEvery)
	}
}
