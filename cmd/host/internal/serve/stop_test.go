package serve

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"host/bindings/setup"
)

// TestSupervisorStop: Stop ends an active plugin's worker and keeps it
// stopped with its reason (not restarted, not listed to MCP clients, calls
// refused) until a Reload starts it again; a plugin stopped while it waits
// to restart after a crash stays stopped too.
func TestSupervisorStop(t *testing.T) {
	t.Parallel()
	f := startFake(t, "active", Options{MinBackoff: time.Hour})
	f.waitFor("active", phase(setup.Active))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := f.sup.Stop(ctx, "fake", "disabled by the user")
	if err != nil || st.Phase != setup.Stopped || st.Reason != "disabled by the user" || st.PID != 0 {
		t.Fatalf("stop: %+v, %v", st, err)
	}
	if infos := f.sup.Plugins(); len(infos) != 0 {
		t.Errorf("a stopped plugin is listed to MCP clients: %+v", infos)
	}
	var na *NotActiveError
	if _, err := f.sup.Call(ctx, "fake", "echo", nil); !errors.As(err, &na) {
		t.Errorf("a call of a stopped plugin: %v", err)
	}
	// Stopping again says so at once.
	if st, err := f.sup.Stop(ctx, "fake", "removed"); err != nil || st.Phase != setup.Stopped || st.Reason != "removed" {
		t.Errorf("second stop: %+v, %v", st, err)
	}
	st, replaced, err := f.sup.Reload(ctx, "fake")
	if err != nil || !replaced || st.Phase != setup.Active {
		t.Fatalf("reload after stop: %+v %v %v", st, replaced, err)
	}

	// Crashed, waiting an hour to restart: Stop holds it stopped, a reload
	// starts it.
	f.mu.Lock()
	seen := len(f.states)
	f.mu.Unlock()
	proc, err := os.FindProcess(f.sup.States()[0].PID)
	if err != nil {
		t.Fatal(err)
	}
	_ = proc.Kill()
	f.waitAfter(seen, "restarting", phase(setup.Restarting))
	if st, err := f.sup.Stop(ctx, "fake", "disabled"); err != nil || st.Phase != setup.Stopped || st.Reason != "disabled" {
		t.Fatalf("stop while restarting: %+v, %v", st, err)
	}
	if st, replaced, err := f.sup.Reload(ctx, "fake"); err != nil || !replaced || st.Phase != setup.Active {
		t.Errorf("reload: %+v %v %v", st, replaced, err)
	}
}
