package setup

import (
	"fmt"
	"time"

	"host/bindings/oauth"
	"host/bindings/plugin"
)

// Step is what the session needs next: an *Ask, a *Login or a *Done.
type Step interface{ step() }

// Info names the plugin being set up.
type Info struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Question is one config field to ask for, with everything a renderer
// shows. Its text comes from the plugin (labels, help): escape it where it
// is rendered as markup.
type Question struct {
	Key         string   `json:"key"`
	Label       string   `json:"label"`
	Section     string   `json:"section,omitempty"` // "" when the schema names none
	Description string   `json:"description,omitempty"`
	HelpText    string   `json:"helpText,omitempty"`
	HelpURL     string   `json:"helpUrl,omitempty"`
	Placeholder string   `json:"placeholder,omitempty"`
	Secret      bool     `json:"secret,omitempty"` // do not echo; the answer goes to the secret backend
	Auth        bool     `json:"auth,omitempty"`   // one of auth.fields (asked again after a refusal)
	Required    bool     `json:"required,omitempty"`
	Default     string   `json:"default,omitempty"` // used when the answer is empty (HasDefault)
	HasDefault  bool     `json:"hasDefault,omitempty"`
	Choices     []string `json:"choices,omitempty"` // enum options
	Radio       bool     `json:"radio,omitempty"`   // show Choices as radio buttons
	// Issues are the validation problems of the last answer or the last
	// activation for this field; empty on the first ask.
	Issues []string `json:"issues,omitempty"`
	// Refusal is the plugin's own message from the last try when it
	// refused the credentials this (auth) field holds.
	Refusal string `json:"refusal,omitempty"`
}

// Ask asks for Questions (in schema order). Answer them with
// Session.Answer, then call Next.
type Ask struct {
	Plugin    Info       `json:"plugin"`
	Questions []Question `json:"questions"`
	// Defaulted are the non-secret fields of the asked sections that use
	// their default (shown so the user sees what will be used).
	Defaulted []Question `json:"defaulted,omitempty"`
	// Refusal is the plugin's message when it refused the credentials on
	// the last try; Try counts the tries (1 on the first ask) of MaxTries.
	Refusal  string `json:"refusal,omitempty"`
	Try      int    `json:"try"`
	MaxTries int    `json:"maxTries"`
}

// Login is the OAuth2 login, started: send the user to URL (or, for the
// device grant, show Device). The next Next waits until the login is
// finished (the browser's callback, a Paste, the device approval), the
// deadline passes or its ctx ends.
type Login struct {
	Plugin   Info        `json:"plugin"`
	URL      string      `json:"url,omitempty"` // the authorization URL (browser login)
	Device   *DeviceCode `json:"device,omitempty"`
	Deadline time.Time   `json:"deadline"`
	// Reason is why a login is needed although one was stored: the
	// provider refused the refresh ("" for a first login).
	Reason string `json:"reason,omitempty"`
	// Finished is closed when the login has its result (the browser came
	// back, a Paste, the device approved, it failed): a surface that must
	// not block (a web page) calls Next once it is closed.
	Finished <-chan struct{} `json:"-"`
}

// DeviceCode is what the user enters on another device (RFC 8628).
type DeviceCode struct {
	UserCode        string    `json:"userCode"`
	VerificationURI string    `json:"verificationUri"`
	CompleteURI     string    `json:"completeUri,omitempty"` // the URI with the code filled in
	Expires         time.Time `json:"expires"`
}

// Done is the end: the plugin is active. The caller owns Plugin (start its
// loop, Deactivate it).
type Done struct {
	Plugin *plugin.Plugin `json:"-"`
	// Saved lists the secret fields saved in the secret backend by this
	// session (labels), for "Saved in the OS keyring".
	Saved []Question `json:"saved,omitempty"`
	// NotSaved lists values supplied for this run (environment, --set)
	// that could not be saved because the secret backend is unavailable;
	// Why is that error.
	NotSaved []Question `json:"notSaved,omitempty"`
	Why      error      `json:"-"`
	// LoggedIn is the token a login of this session obtained, nil when
	// none ran.
	LoggedIn *oauth.Token `json:"-"`
}

func (*Ask) step()   {}
func (*Login) step() {}
func (*Done) step()  {}

// Kind says why a setup failed, and so what may help.
type Kind string

// The kinds of Failure.
const (
	// Refused: the plugin refused its credentials (onActivate threw an
	// Error after its requests completed; see Classify). Asking again
	// may help.
	Refused Kind = "refused"
	// Bug: the plugin's code failed (a TypeError, a timeout with nothing
	// in flight...). Pos is where. Asking again would not help.
	Bug Kind = "bug"
	// HostFailed: the network, the plugin's service (5xx, 429) or a host
	// service (the secret backend) failed. Retry later.
	HostFailed Kind = "host"
	// LoginNeeded: the OAuth2 login did not complete (refused, timed out,
	// the provider failed).
	LoginNeeded Kind = "login"
	// Cancelled: the user or the caller's ctx ended the setup.
	Cancelled Kind = "cancelled"
	// Missing: required fields have no value and the surface cannot ask
	// (Options.Interactive false). Questions lists them.
	Missing Kind = "missing"
	// Invalid: the values do not pass the configSchema and the surface
	// cannot ask. Questions carry the issues.
	Invalid Kind = "invalid"
	// BadInput: a value from the environment or the command line is
	// unusable, or names an unknown field.
	BadInput Kind = "input"
	// Claimed: the plugin's id belongs to another file, or changed between
	// loads of one session.
	Claimed Kind = "claimed"
	// LoadFailed: the plugin does not build or its definition is unusable.
	LoadFailed Kind = "load"
)

// Failure is the end of a setup that did not activate the plugin. Nothing
// that failed was saved and nothing is left running.
type Failure struct {
	Kind   Kind
	Plugin Info
	// Pos is "plugin.ts:line:col" for a Bug (and a Refused when the thrown
	// Error has one), "" when unknown.
	Pos string
	// Message is the plugin's own message (Refused, Bug), else "".
	Message string
	// Questions are the fields concerned (Missing, Invalid).
	Questions []Question
	Err       error
}

func (f *Failure) Error() string { return f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

// IDChangedError is a plugin whose id changed between two loads of one
// session (a retry, a reload under --watch): the new id is refused, so a
// file cannot switch to another plugin's secrets mid-session.
type IDChangedError struct {
	File, Was, Now string
}

func (e *IDChangedError) Error() string {
	return fmt.Sprintf("%s changed its plugin id from %q to %q; a plugin keeps its id while it runs", e.File, e.Was, e.Now)
}

// AnswerError lists the answers that were not accepted, by field key. The
// fields stay asked (with these issues) in the next Ask.
type AnswerError struct {
	Issues map[string]string
}

func (e *AnswerError) Error() string {
	s := ""
	for k, v := range e.Issues {
		if s != "" {
			s += "; "
		}
		s += k + ": " + v
	}
	return s
}
