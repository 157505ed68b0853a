package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"host/cmd/host/internal/terminal"
	"host/internal/hosttest"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWaitIndicator: on a terminal a live line counts the wait (elapsed and
// the deadline) and is cleared at the end; not on a pipe, not with
// TERM=dumb; never a colour.
func TestWaitIndicator(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		tty  bool
		term string
		want bool
	}{
		{"terminal", true, "xterm-256color", true},
		{"pipe", false, "xterm-256color", false},
		{"dumb terminal", true, "dumb", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out syncBuffer
			io := &IO{Err: &out, ErrTTY: tc.tty, LookupEnv: func(k string) (string, bool) {
				if k == "TERM" {
					return tc.term, true
				}
				return "", false
			}}
			deadline := time.Now().Add(5 * time.Minute)
			stop := terminal.WaitIndicator(io, "the browser", deadline)
			if !tc.want {
				// It decides at once: nothing runs to print later.
				stop()
				if got := out.String(); got != "" {
					t.Errorf("printed %q", got)
				}
				return
			}
			hosttest.WaitFor(t, time.Minute, "two frames of the live line", func() bool { return strings.Count(out.String(), "\r") >= 2 },
				func() string { return fmt.Sprintf("%q", out.String()) })
			stop()
			got := out.String()
			if !strings.Contains(got, "Waiting for the browser: 0s elapsed, 5m0s left (until "+deadline.Format("15:04:05")+")") {
				t.Errorf("no live line: %q", got)
			}
			if strings.Count(got, "\r") < 3 || !strings.HasSuffix(got, "\r\x1b[K") {
				t.Errorf("not rewritten in place and cleared: %q", got)
			}
			if strings.Contains(got, "\x1b[3") || strings.Contains(got, "\x1b[1m") {
				t.Errorf("colour codes: %q", got)
			}
		})
	}
}
