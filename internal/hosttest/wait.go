package hosttest

import (
	"errors"
	"testing"
	"time"
)

// WaitFor checks its condition after firstPoll, then twice as long after
// each miss up to maxPoll: a quick condition is seen at once, a slow one
// (an HTTP request, a /proc scan) is not run hundreds of times a second.
const (
	firstPoll = 2 * time.Millisecond
	maxPoll   = 50 * time.Millisecond
)

// WaitFor waits until cond reports true, checking it every few
// milliseconds (at most 50 ms apart), and fails tb when within passes first, saying what it
// waited for and what it saw instead: seen describes the state cond
// looked at (the terminal's screen, the log, the last error), called once
// on failure. Give within a margin a loaded machine cannot eat: it bounds
// a hang, it is not an expectation of speed. For a test that would
// otherwise sleep "long enough" for something to settle: wait on the thing
// itself. A wait that yields a value sets it from cond:
//
//	var pid int
//	hosttest.WaitFor(t, time.Minute, "the page worker", func() bool {
//		pid = find()
//		return pid != 0
//	}, func() string { return ps() })
func WaitFor(tb testing.TB, within time.Duration, what string, cond func() bool, seen func() string) {
	tb.Helper()
	if err := Wait(within, what, cond, seen); err != nil {
		tb.Fatal(err)
	}
}

// Wait is WaitFor returning its failure instead of ending the test: for a
// test that goes on checking after one wait failed (t.Error), and for
// goroutines, which must not call t.Fatal.
func Wait(within time.Duration, what string, cond func() bool, seen func() string) error {
	deadline := time.Now().Add(within)
	every := firstPoll
	for !cond() {
		if time.Now().After(deadline) {
			msg := "waited " + within.String() + " for " + what
			if seen != nil {
				msg += "; saw instead: " + seen()
			}
			return errors.New(msg)
		}
		time.Sleep(every)
		every = min(2*every, maxPoll)
	}
	return nil
}
