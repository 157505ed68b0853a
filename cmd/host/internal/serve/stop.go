package serve

import (
	"context"
	"time"

	"host/bindings/setup"
)

// userStopped is what slot.serve returns for a worker stopped by
// Supervisor.Stop (never a worker's own end reason).
const userStopped = "\x00stopped by the user"

// Stop stops the plugin named name until the next Reload (the user
// disabled or removed it): its worker ends, its state is Stopped with
// reason, its tools are no longer listed. It returns the state
// afterwards.
func (s *Supervisor) Stop(ctx context.Context, name, reason string) (State, error) {
	if reason == "" {
		reason = "stopped"
	}
	r, err := s.request(ctx, name, reloadReq{stop: reason})
	return r.state, err
}

// stopFor marks the slot stopped (its worker already ended) and answers
// the stop request r.
func (sl *slot) stopFor(r reloadReq) {
	sl.mu.Lock()
	sl.cur = nil
	sl.mu.Unlock()
	sl.set(func(s *State) { s.Phase, s.Reason, s.NextTry = setup.Stopped, r.stop, time.Time{} })
	r.done <- reloadResult{sl.snapshot(), true}
}

// stopped waits, with the plugin stopped, for the reload that starts it
// again (returned) or the serve's end (nil); another stop is answered at
// once.
func (sl *slot) stopped() *reloadReq {
	ctx := sl.sup.ctx
	for {
		select {
		case <-ctx.Done():
			return nil
		case r := <-sl.reloads:
			if r.stop == "" {
				return &r
			}
			sl.set(func(s *State) { s.Reason = r.stop })
			r.done <- reloadResult{sl.snapshot(), false}
		}
	}
}
