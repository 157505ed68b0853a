package setup

import (
	"context"
	"errors"
	"strings"

	"host/bindings/mask"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/schema"
)

// Phase is where a plugin stands. It is the one vocabulary of every
// surface: the serve's workers and supervisor, `host status` (and its
// --json), the MCP server, the setup page. Its text is what those show.
type Phase string

// The phases. A session's outcome gives Active, NeedsSetup, NeedsLogin,
// SecretsUnavailable or Error (see StateOf); Starting, Restarting,
// Disabled and Stopped are a supervisor's; Ready is a plugin that is set
// up but not running where it is shown (the page of `host setup
// --browser`).
const (
	Starting           Phase = "starting"
	NeedsSetup         Phase = "needs setup"
	NeedsLogin         Phase = "login needed"
	Active             Phase = "active"
	Ready              Phase = "ready"
	Error              Phase = "error"
	Restarting         Phase = "restarting"
	Disabled           Phase = "disabled"
	Stopped            Phase = "stopped"
	SecretsUnavailable Phase = "secrets unavailable"
)

// Listed reports whether the tools of a plugin in phase ph are offered to
// clients: those of an active plugin, and those of one that waits for
// setup, a login or its secrets (a call then starts the setup or says
// what is wrong).
func (ph Phase) Listed() bool {
	return ph == Active || ph == NeedsSetup || ph == NeedsLogin || ph == SecretsUnavailable
}

// State is a plugin's phase with its reason, as a session's outcome
// decides it (StateOf). Every surface shows a plugin in the same state for
// the same plugin, config and secrets.
type State struct {
	Phase Phase `json:"state"`
	// Kind is why the session ended without activating the plugin (a
	// Failure's kind), "" when it did not fail or was not run.
	Kind Kind `json:"kind,omitempty"`
	// Reason says why, for every phase but Active: the error with its
	// plugin.ts:line:col, the fields missing, the login refusal. Masked.
	Reason string `json:"reason,omitempty"`
	// Fields are the config fields concerned when Phase is NeedsSetup:
	// those missing (Kind Missing) or invalid (Kind Invalid); none for
	// refused credentials.
	Fields []Question `json:"fields,omitempty"`
}

// ErrNotLoggedIn is an OAuth2 plugin's login that never happened, when the
// session may not start one (Options.NoLogin).
var ErrNotLoggedIn = errors.New("not logged in")

// StateOf is the state a session's step or end leaves its plugin in: a
// Done is Active, a Login (not started here) NeedsLogin, an Ask
// NeedsSetup; a Failure by its Kind:
//
//   - Missing, Invalid, Refused: NeedsSetup (asking again helps);
//   - LoginNeeded: NeedsLogin;
//   - a secret backend that cannot be reached (secrets.ErrUnavailable):
//     SecretsUnavailable;
//   - Bug, HostFailed, LoadFailed, Claimed, BadInput, Cancelled and any
//     other error: Error.
//
// The reason is the failure with its position (Text), masked with m (nil
// masks nothing).
func StateOf(step Step, err error, m *mask.Masker) State {
	msk := func(s string) string {
		if m == nil {
			return s
		}
		return m.Mask(s)
	}
	if err != nil {
		var f *Failure
		if !errors.As(err, &f) {
			if errors.Is(err, secrets.ErrUnavailable) {
				return State{Phase: SecretsUnavailable, Kind: HostFailed, Reason: msk(err.Error())}
			}
			return State{Phase: Error, Reason: msk(err.Error())}
		}
		st := State{Phase: Error, Kind: f.Kind, Reason: msk(Text(err)), Fields: f.Questions}
		switch {
		case f.Kind == Missing:
			keys := make([]string, len(f.Questions))
			for i, q := range f.Questions {
				keys[i] = q.Key
			}
			st.Phase, st.Reason = NeedsSetup, "missing "+strings.Join(keys, ", ")
		case f.Kind == Invalid || f.Kind == Refused:
			st.Phase = NeedsSetup
		case f.Kind == LoginNeeded:
			st.Phase = NeedsLogin
		case errors.Is(err, secrets.ErrUnavailable):
			st.Phase = SecretsUnavailable
		}
		return st
	}
	switch s := step.(type) {
	case *Done:
		return State{Phase: Active}
	case *Login:
		reason := s.Reason
		if reason == "" {
			reason = ErrNotLoggedIn.Error()
		}
		return State{Phase: NeedsLogin, Kind: LoginNeeded, Reason: msk(reason)}
	case *Ask:
		keys := make([]string, len(s.Questions))
		for i, q := range s.Questions {
			keys[i] = q.Key
		}
		return State{Phase: NeedsSetup, Kind: Missing, Reason: "missing " + strings.Join(keys, ", "), Fields: s.Questions}
	}
	return State{Phase: Error, Reason: "no setup step"}
}

// Text is a session's failure as one line, with its plugin.ts:line:col
// in front when the message does not hold it already. Not masked.
func Text(err error) string {
	var f *Failure
	if errors.As(err, &f) && f.Pos != "" && !strings.Contains(f.Error(), f.Pos) {
		return f.Pos + ": " + f.Error()
	}
	return err.Error()
}

// Check is what a plugin still needs before it can activate, without
// activating it or starting a login: a Missing Failure for required
// fields without a value, an Invalid Failure for values the configSchema
// refuses (as activating would), a LoginNeeded Failure for an OAuth2 plugin not
// logged in (ErrNotLoggedIn) or whose stored login the provider refused,
// nil when nothing is missing. It is the check a Session makes before it
// activates; StateOf gives the state it means.
func Check(ctx context.Context, p *plugin.Plugin, st *plugin.Setup) error {
	info := Info{ID: p.ID, Name: p.Name}
	if missing := st.Missing(); len(missing) > 0 {
		qs := make([]Question, 0, len(missing))
		for _, f := range missing {
			qs = append(qs, questionOf(f))
		}
		return &Failure{Kind: Missing, Plugin: info, Questions: qs, Err: &MissingError{Plugin: info, Fields: qs}}
	}
	if _, err := st.Validate(); err != nil {
		f := &Failure{Kind: Invalid, Plugin: info, Err: err}
		var ve *schema.ValidationError
		if errors.As(err, &ve) {
			for _, k := range issueKeys(ve.Issues) {
				if fld, ok := st.Field(k); ok {
					f.Questions = append(f.Questions, questionOf(fld))
				}
			}
		}
		return f
	}
	why, err := loginNeeded(ctx, p, st, info)
	if err != nil {
		return err
	}
	if why != nil {
		return &Failure{Kind: LoginNeeded, Plugin: info, Err: why}
	}
	return nil
}

// Inspect is what a loaded plugin still needs, without activating it or
// starting a login, as a session would find it before onActivate: its
// setup gathered from in (the saved config, the keyring, --set and the
// environment when in has them), checked (Check). The error is a Failure
// of the kind a session gives (BadInput, HostFailed, Missing, Invalid,
// LoginNeeded; a keyring that cannot be reached wraps
// secrets.ErrUnavailable), nil when the plugin would activate; StateOf
// gives the state it means. The setup is nil when it could not be
// gathered. The caller checks p's claim on its id first (plugin.Claim), as
// a session does.
func Inspect(ctx context.Context, p *plugin.Plugin, in plugin.Inputs) (*plugin.Setup, error) {
	st, err := p.Setup(ctx, in)
	if err != nil {
		return nil, setupFailure(Info{ID: p.ID, Name: p.Name}, err)
	}
	return st, Check(ctx, p, st)
}

// ClaimFailure is the Failure of a plugin whose file does not own its id
// (plugin.Claim's error).
func ClaimFailure(info Info, err error) error {
	return &Failure{Kind: Claimed, Plugin: info, Err: err}
}

// LoadFailure is the Failure of a plugin file that does not load (does
// not build, throws at load, declares no plugin), with its position.
func LoadFailure(info Info, err error) error {
	return &Failure{Kind: LoadFailed, Plugin: info, Pos: position(err), Err: err}
}

// setupFailure is the Failure of gathering a plugin's setup: bad input
// (an *plugin.InputError) or the host failing (the keyring, the saved
// config).
func setupFailure(info Info, err error) error {
	var ie *plugin.InputError
	if errors.As(err, &ie) {
		return &Failure{Kind: BadInput, Plugin: info, Err: err}
	}
	return &Failure{Kind: HostFailed, Plugin: info, Err: err}
}
