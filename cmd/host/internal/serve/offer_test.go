package serve

import (
	"testing"

	"host/bindings/setup"
)

// TestOfferKeepsTheNewestState: a worker's state updates can reach the
// supervisor in another order than they were made (two updates sending at
// once, a read answered after a notification). An older one arriving after
// a newer one is dropped, so a plugin that said "active" is never shown
// "starting" again by its own earlier update.
func TestOfferKeepsTheNewestState(t *testing.T) {
	w := &worker{states: make(chan State, 16)}
	w.offer(float64(2), State{ID: "gate", Phase: setup.Active})
	w.offer(float64(1), State{ID: "gate", Phase: setup.Starting, Loaded: true}) // overtaken on the way
	w.offer(float64(2), State{ID: "gate", Phase: setup.Starting})               // the same number again (a read)
	w.offer(nil, State{ID: "gate", Phase: setup.Error, Reason: "an unnumbered state"})
	w.offer(float64(3), State{ID: "gate", Phase: setup.Stopped})
	var got []setup.Phase
	for len(w.states) > 0 {
		got = append(got, (<-w.states).Phase)
	}
	want := []setup.Phase{setup.Active, setup.Error, setup.Stopped}
	if len(got) != len(want) {
		t.Fatalf("states taken: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("states taken: %v, want %v", got, want)
		}
	}
}
