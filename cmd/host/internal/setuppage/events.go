package setuppage

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"host/bindings/setup"
)

// changed tells the open pages that something changed.
func (s *Server) changed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// live is one plugin in an update the page receives.
type live struct {
	ID     string      `json:"id"`
	State  setup.Phase `json:"state"`
	Class  string      `json:"class"`
	Reason string      `json:"reason,omitempty"`
	Status *Status     `json:"status,omitempty"`
	Logs   []string    `json:"logs,omitempty"`
	Flow   string      `json:"flow,omitempty"` // "ask", "login", "wait" or ""
}

func (s *Server) snapshot() []byte {
	ps := s.o.Backend.Plugins()
	out := make([]live, 0, len(ps))
	s.mu.Lock()
	for _, p := range ps {
		l := live{ID: p.ID, State: p.State, Class: stateClass(p.State), Reason: p.Reason, Status: p.Status, Logs: p.Logs}
		if f, ok := s.flows[p.ID]; ok {
			switch {
			case f.waiting || f.busy:
				l.Flow = "wait"
			case f.step != nil:
				if _, ok := f.step.(*setup.Login); ok {
					l.Flow = "login"
				} else {
					l.Flow = "ask"
				}
			}
		}
		out = append(out, l)
	}
	s.mu.Unlock()
	b, _ := json.Marshal(out)
	return b
}

// events streams the plugins' states as server-sent events: one at once,
// then one after every change.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	send := func() bool {
		if _, err := fmt.Fprintf(w, "data: %s\n\n", s.snapshot()); err != nil {
			return false
		}
		fl.Flush()
		return true
	}
	if !send() {
		return
	}
	keepAlive := time.NewTicker(25 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case _, open := <-ch:
			if !open || !send() {
				return
			}
		case <-keepAlive.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		case <-r.Context().Done():
			return
		}
	}
}
