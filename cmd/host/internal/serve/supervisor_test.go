package serve

import (
	"strings"
	"testing"
	"time"

	"host/bindings/setup"
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
		{State{ID: "a", Phase: setup.Active, Tools: []string{"x", "y"}}, "a: active (2 tool(s))"},
		{State{ID: "a", Phase: setup.NeedsSetup, Fields: []Field{{Key: "token"}, {Key: "region"}}}, "a: needs setup (missing token, region)"},
		{State{ID: "a", Phase: setup.Error, Reason: "plugin.ts:1:2: boom\n  at x"}, "a: error: plugin.ts:1:2: boom"},
		{State{ID: "a", Phase: setup.Starting}, "a: starting"},
		{State{ID: "a", Phase: setup.NeedsSetup, Kind: setup.Missing, Reason: "missing token", Fields: []Field{{Key: "token"}}}, "a: needs setup (missing token)"},
		{State{ID: "a", Phase: setup.NeedsSetup, Kind: setup.Refused, Reason: "plugin.ts:6:11: Invalid API token"}, "a: needs setup: plugin.ts:6:11: Invalid API token; run 'host setup a'"},
		{State{ID: "a", Phase: setup.NeedsSetup, Kind: setup.Invalid, Reason: "invalid value: region: too short", Fields: []Field{{Key: "region"}}}, "a: needs setup: invalid value: region: too short; run 'host setup a'"},
		{State{ID: "a", Phase: setup.NeedsLogin, Kind: setup.LoginNeeded, Reason: "not logged in"}, "a: login needed: not logged in; run 'host setup a'"},
		{State{ID: "a", Phase: setup.SecretsUnavailable, Kind: setup.HostFailed, Reason: "secret store unavailable"}, "a: secrets unavailable: secret store unavailable"},
	} {
		if got := c.st.Line(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.st, got, c.want)
		}
	}
}

// TestShadowedInStates: two plugins whose tools map to one MCP name
// (victim.svc and victim_svc) both say so in their states, which `host
// status` and the serve's lines show; a plugin not listed takes no name.
func TestShadowedInStates(t *testing.T) {
	states := []State{
		{ID: "victim.svc", Phase: setup.Active, Tools: []string{"pay"}},
		{ID: "victim_svc", Phase: setup.Active, Tools: []string{"echo", "pay"}},
		{ID: "other", Phase: setup.Error, Tools: []string{"pay"}},
	}
	shadowed(states)
	for _, i := range []int{0, 1} {
		if len(states[i].Problems) != 1 || !strings.Contains(states[i].Line(), "tool pay is not served: its MCP name victim_svc_pay is also") {
			t.Errorf("%s: %s", states[i].ID, states[i].Line())
		}
	}
	if !strings.Contains(states[0].Line(), "victim_svc/pay's") || !strings.Contains(states[1].Line(), "victim.svc/pay's") {
		t.Errorf("the other owner is not named: %s | %s", states[0].Line(), states[1].Line())
	}
	if len(states[2].Problems) != 0 {
		t.Errorf("a plugin in error took part: %v", states[2].Problems)
	}
}
