package setup

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"host/bindings/oauth/oauthtest"
	"host/bindings/plugin"
)

// TestStateOf: a session that may not ask (the serve's workers, host mcp)
// leaves each plugin in one state with its reason, whatever drives it: a
// refusal and invalid values need setup, a bug and a failing service are
// errors with their position, a missing field names itself, an OAuth2
// plugin not logged in needs a login.
func TestStateOf(t *testing.T) {
	for _, tc := range []struct {
		name       string
		body       string
		saved      string
		set        map[string]string
		wantPhase  Phase
		wantKind   Kind
		wantReason []string // each in the reason
		wantFields string   // keys, comma-separated
	}{
		{name: "active", body: checkToken, saved: "fake-good", wantPhase: Active},
		{name: "refused", body: checkToken, saved: "fake-bad", wantPhase: NeedsSetup, wantKind: Refused, wantReason: []string{"plugin.ts:", "Invalid API token"}},
		{name: "bug", body: `null.f();`, saved: "fake-good", wantPhase: Error, wantKind: Bug, wantReason: []string{"plugin.ts:", "TypeError"}},
		{name: "service down", body: `const r = await fetch(url + '/down'); if (!r.ok) throw new Error('Invalid API token');`, saved: "fake-good", wantPhase: Error, wantKind: HostFailed, wantReason: []string{"Invalid API token"}},
		{name: "network failure", body: `await fetch('http://127.0.0.1:1/me');`, saved: "fake-good", wantPhase: Error, wantKind: HostFailed},
		{name: "missing", body: checkToken, wantPhase: NeedsSetup, wantKind: Missing, wantReason: []string{"missing token"}, wantFields: "token"},
		{name: "invalid", body: checkToken, saved: "fake-good", set: map[string]string{"workspace": "ab"}, wantPhase: NeedsSetup, wantKind: Invalid, wantReason: []string{"workspace"}, wantFields: "workspace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			path := e.plugin("p", "p", tc.body)
			if tc.saved != "" {
				e.saveToken("p", tc.saved)
			}
			s := New(Options{Host: e.h, Path: path, Inputs: plugin.Inputs{Set: tc.set}, NoLogin: true})
			defer s.Close()
			step, err := s.Next(context.Background())
			st := StateOf(step, err, e.h.Masker)
			if d, ok := step.(*Done); ok {
				defer d.Plugin.Deactivate(context.Background())
			}
			if st.Phase != tc.wantPhase || st.Kind != tc.wantKind {
				t.Fatalf("state %+v (err %v), want %s (%s)", st, err, tc.wantPhase, tc.wantKind)
			}
			for _, w := range tc.wantReason {
				if !strings.Contains(st.Reason, w) {
					t.Errorf("reason %q, want it to hold %q", st.Reason, w)
				}
			}
			if st.Phase != Active && st.Reason == "" {
				t.Error("no reason")
			}
			var keys []string
			for _, q := range st.Fields {
				keys = append(keys, q.Key)
			}
			if got := strings.Join(keys, ","); got != tc.wantFields {
				t.Errorf("fields %q, want %q", got, tc.wantFields)
			}
			if strings.Contains(st.Reason, "fake-bad") || strings.Contains(st.Reason, "fake-good") {
				t.Errorf("reason shows a secret: %q", st.Reason)
			}
		})
	}
}

// TestStateOfLoadFailure: a plugin that does not build is an error with
// its position; a plain error is an error too.
func TestStateOfLoadFailure(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(e.h.WorkDir, "broken", "plugin.ts")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("export default definePlugin({ id: 'broken',\n  tools: [ }\n});\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := New(Options{Host: e.h, Path: path})
	defer s.Close()
	step, err := s.Next(context.Background())
	st := StateOf(step, err, nil)
	if st.Phase != Error || st.Kind != LoadFailed || !strings.Contains(st.Reason, "plugin.ts:2:") {
		t.Errorf("state %+v, want a load error at plugin.ts:2", st)
	}
	if st := StateOf(nil, errors.New("boom"), nil); st.Phase != Error || st.Reason != "boom" {
		t.Errorf("plain error: %+v", st)
	}
}

// TestStateOfLogin: an OAuth2 plugin not logged in needs a login: the
// session that may not start one (NoLogin) says so, the one that may
// yields a Login step, and Check (no activation) agrees with both.
func TestStateOfLogin(t *testing.T) {
	e := newEnv(t)
	prov := oauthtest.New(oauthtest.Options{RequirePKCE: true})
	defer prov.Close()
	e.h.HTTP = prov.Client()
	path := filepath.Join(e.h.WorkDir, "oauth2", "plugin.ts")
	src, err := os.ReadFile("../../plugins/oauth2/plugin.ts")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, src, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	want := State{Phase: NeedsLogin, Kind: LoginNeeded, Reason: "not logged in"}

	s := New(Options{Host: e.h, Path: path, NoLogin: true})
	step, err := s.Next(ctx)
	s.Close()
	if got := StateOf(step, err, nil); got.Phase != want.Phase || got.Kind != want.Kind || got.Reason != want.Reason {
		t.Errorf("NoLogin: %+v, want %+v", got, want)
	}

	s = New(Options{Host: e.h, Path: path})
	step, err = s.Next(ctx)
	if _, ok := step.(*Login); !ok {
		t.Fatalf("step %T (%v), want a Login", step, err)
	}
	if got := StateOf(step, err, nil); got.Phase != want.Phase || got.Kind != want.Kind || got.Reason != want.Reason {
		t.Errorf("Login step: %+v, want %+v", got, want)
	}
	p := s.Plugin()
	pst, err := p.Setup(ctx, plugin.Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	if got := StateOf(nil, Check(ctx, p, pst), nil); got.Phase != want.Phase || got.Kind != want.Kind || got.Reason != want.Reason {
		t.Errorf("Check: %+v, want %+v", got, want)
	}
	s.Close()
}

// TestCheckMissing: Check finds the fields a session would end on.
func TestCheckMissing(t *testing.T) {
	e := newEnv(t)
	path := e.plugin("q", "q", checkToken)
	ctx := context.Background()
	s := New(Options{Host: e.h, Path: path})
	defer s.Close()
	step, err := s.Next(ctx)
	viaSession := StateOf(step, err, nil)

	p, err := plugin.Load(ctx, e.h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	pst, err := p.Setup(ctx, plugin.Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	viaCheck := StateOf(nil, Check(ctx, p, pst), nil)
	if viaCheck.Phase != NeedsSetup || viaCheck.Phase != viaSession.Phase || viaCheck.Kind != viaSession.Kind || viaCheck.Reason != viaSession.Reason {
		t.Errorf("Check %+v, session %+v: want the same NeedsSetup", viaCheck, viaSession)
	}
}

func TestListed(t *testing.T) {
	for ph, want := range map[Phase]bool{Active: true, NeedsSetup: true, NeedsLogin: true, SecretsUnavailable: true,
		Error: false, Starting: false, Restarting: false, Disabled: false, Stopped: false, Ready: false} {
		if ph.Listed() != want {
			t.Errorf("%s.Listed() = %v", ph, !want)
		}
	}
}

// TestInspectAgreesWithSession: without activating, Inspect ends where a
// session that may not ask ends for a value the schema refuses (Invalid,
// the field named) and for input that is no value of the field's type
// (BadInput), with the same state and reason.
func TestInspectAgreesWithSession(t *testing.T) {
	e := newEnv(t)
	path := e.plugin("inv", "inv", checkToken)
	ctx := context.Background()
	for _, tc := range []struct {
		set   map[string]string
		phase Phase
		kind  Kind
	}{
		{map[string]string{"token": "fake-token-for-tests", "workspace": "ab"}, NeedsSetup, Invalid},
		{map[string]string{"token": "fake-token-for-tests", "nope": "x"}, Error, BadInput},
	} {
		in := plugin.Inputs{Set: tc.set}
		s := New(Options{Host: e.h, Path: path, Inputs: in})
		step, err := s.Next(ctx)
		viaSession := StateOf(step, err, nil)
		s.Close()

		p, err := plugin.Load(ctx, e.h, path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Inspect(ctx, p, in)
		viaInspect := StateOf(nil, err, nil)
		p.Close()
		if viaInspect.Phase != tc.phase || viaInspect.Kind != tc.kind || viaInspect.Phase != viaSession.Phase ||
			viaInspect.Kind != viaSession.Kind || viaInspect.Reason != viaSession.Reason {
			t.Errorf("%v: Inspect %+v, session %+v: want both %s (%s)", tc.set, viaInspect, viaSession, tc.phase, tc.kind)
		}
		if tc.kind == Invalid && (len(viaInspect.Fields) != 1 || viaInspect.Fields[0].Key != "workspace") {
			t.Errorf("Inspect's fields %+v, want workspace", viaInspect.Fields)
		}
	}
}
