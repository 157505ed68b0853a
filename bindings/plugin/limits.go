package plugin

import (
	"fmt"
	"sync"
	"time"
)

// The limits the SDK's own host puts on what a plugin sends it (its
// sandbox's ResourceLimits): over a rate the call fails with
// ERR_RATE_LIMIT and nothing of it is kept; what was accepted before
// stays.
const (
	// MessagesPerMinute bounds the calls of ctx.emitMessage and
	// ctx.emitMessages one plugin makes in any 60 seconds. A batch is one
	// call (the SDK's host limits host/emitMessage calls and bounds a
	// batch by its payload size only, store.MaxPayloadSize here).
	MessagesPerMinute = 600
	// EventsPerMinute bounds ctx.emitEvent calls in any 60 seconds.
	EventsPerMinute = 300
	// RateWindow is the sliding window of both rates.
	RateWindow = time.Minute
)

// RateLimitError is a plugin's emit refused for its rate: Code
// ERR_RATE_LIMIT in JS.
type RateLimitError struct {
	Call  string        // "ctx.emitMessage", "ctx.emitEvent", ...
	What  string        // "messages", "events"
	Limit int           // per RateWindow
	Retry time.Duration // when enough of the window has passed
}

func (e *RateLimitError) Error() string {
	batch := "fewer " + e.What
	if e.What == "messages" {
		batch = "batches: one ctx.emitMessages call counts once"
	}
	return fmt.Sprintf("%s: refused: a plugin may emit %d %s a minute, and this one has; nothing of this call was kept, what was emitted before is; retry in %s, or emit less often (%s)",
		e.Call, e.Limit, e.What, e.Retry.Round(time.Second), batch)
}

// Code is the error's code in JS.
func (e *RateLimitError) Code() string { return "ERR_RATE_LIMIT" }

// rateWindow counts what was accepted in the last RateWindow.
type rateWindow struct {
	times []time.Time // accepted, oldest first, one per unit
}

// take records n units at now if the window has room for them, else
// reports how long until it has.
func (w *rateWindow) take(now time.Time, n, limit int) (bool, time.Duration) {
	cut := 0
	for cut < len(w.times) && now.Sub(w.times[cut]) >= RateWindow {
		cut++
	}
	w.times = w.times[cut:]
	if n > limit {
		return false, RateWindow
	}
	if len(w.times)+n > limit {
		// The oldest ones to leave before n fit.
		return false, RateWindow - now.Sub(w.times[len(w.times)+n-limit-1])
	}
	for range n {
		w.times = append(w.times, now)
	}
	return true, 0
}

// rateTable holds each plugin's windows, by id, for the Host's life: a
// reloaded plugin keeps its budget.
type rateTable struct {
	mu       sync.Mutex
	messages map[string]*rateWindow
	events   map[string]*rateWindow
	now      func() time.Time // tests; nil is time.Now
}

// allow takes n units of plugin's messages (events false) or events.
func (t *rateTable) allow(call, plugin string, events bool, n int) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	m, what, limit := &t.messages, "messages", MessagesPerMinute
	if events {
		m, what, limit = &t.events, "events", EventsPerMinute
	}
	if *m == nil {
		*m = map[string]*rateWindow{}
	}
	w := (*m)[plugin]
	if w == nil {
		w = &rateWindow{}
		(*m)[plugin] = w
	}
	now := time.Now()
	if t.now != nil {
		now = t.now()
	}
	if ok, retry := w.take(now, n, limit); !ok {
		return &RateLimitError{Call: call, What: what, Limit: limit, Retry: retry}
	}
	return nil
}
