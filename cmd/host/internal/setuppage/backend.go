// Package setuppage is host's local setup page: a loopback web page that
// lists the plugins with their state and, for each, renders the setup
// session (package bindings/setup) as a form: the config fields from the
// plugin's configSchema with their labels, sections and help, secret
// fields as write-only password inputs, "Save and test" running
// onActivate, "Connect" for OAuth2 plugins, live state updates.
//
// The page runs over a Backend: the plugins of one `host setup --browser`
// process, or the serve's. It never holds a secret after a request: secret
// inputs are never filled in, answers go to the session, which saves them
// in the secret backend, and every text shown passes the host's masker.
//
// Security: the page must be served on a loopback listener (New refuses
// another address). A one-time token from the URL host printed is
// exchanged for an HttpOnly, SameSite=Strict session cookie; every POST
// carries a CSRF token and a same-origin Origin; the Host header must name
// the listener (no DNS rebinding); responses carry a strict
// Content-Security-Policy and load nothing from elsewhere.
//
// Files by job: server.go (the Server, its options and links), guard.go
// (the checks every request passes), security.go (sessions, one-time
// tokens, CSRF), page.go (the list and a plugin's page), form.go (fields
// as form inputs, reading a submitted form), flow.go (a plugin's setup
// session between requests), actions.go (the POST handlers), events.go
// (live updates as server-sent events), render.go (templates and assets),
// backend.go and local.go (where the plugins live).
package setuppage

import (
	"context"
	"time"

	"host/bindings/oauth"
	"host/bindings/setup"
	"host/schema"
)

// Backend is where the page's plugins live. Every method may be called
// from many goroutines at once and must not block for long.
type Backend interface {
	// Plugins lists the plugins, sorted by id. It is called for every
	// page render and every live update: keep it cheap (no plugin load).
	Plugins() []Plugin

	// Fields describes the plugin's config fields in schema order with
	// their current state (values of non-secret fields, whether a secret
	// is saved; never a secret's value).
	Fields(ctx context.Context, id string) ([]Field, error)

	// Session starts a setup session of the plugin (bindings/setup, or
	// anything that drives one elsewhere) with o. The page drives it
	// until Done or a Failure, and Closes it.
	Session(ctx context.Context, id string, o SessionOptions) (Session, error)

	// Activated is told that a session of the page reached Done: the
	// plugin is set up and done.Plugin (when not nil) is active, owned by
	// the callee from now on.
	Activated(ctx context.Context, id string, done *setup.Done) error

	// RemoveSecret deletes the saved secret config field key of the
	// plugin (the plugin then needs it again).
	RemoveSecret(ctx context.Context, id, key string) error

	// Logout deletes the plugin's OAuth tokens.
	Logout(ctx context.Context, id string) error

	// Subscribe calls fn after every change of what Plugins returns,
	// until cancel is called. fn must not block.
	Subscribe(fn func()) (cancel func())
}

// Session is a setup session as the page drives it: *setup.Session has
// these methods.
type Session interface {
	Next(ctx context.Context) (setup.Step, error)
	Answer(answers map[string]string) error
	Close()
}

// SessionOptions configure a session the page starts.
type SessionOptions struct {
	// Set are values the user entered on the settings form of a plugin
	// that is set up (changes to try; saved only if activation works).
	Set map[string]string
	// ForceLogin runs the OAuth2 login although a token is stored
	// ("Connect").
	ForceLogin bool
	// Flow is what the OAuth2 login's callback page needs (the plugin's
	// name and the page that returns the browser here).
	Flow oauth.FlowOptions
	// Back is the address of the plugin's page, where Flow.Page sends
	// the browser back (for a session run in another process).
	Back string
}

// Plugin is one plugin as the page lists it. Its text is shown escaped;
// it must already be masked.
type Plugin struct {
	ID          string
	Name        string
	Description string
	// State is the plugin's state (setup.StateOf of its session where it
	// runs; setup.Ready: set up, not running here).
	State  setup.Phase
	Reason string // why, for every state but active
	// Status is the plugin's last ctx.updateStatus, nil when none.
	Status *Status
	// Auth is the plugin's auth type: "token", "oauth2" or "".
	Auth string
	// Logs are the last lines the plugin printed, masked, oldest first.
	Logs []string
	// Permissions are what the plugin may do, one category a line, an
	// undeclared category said plainly (plugin.Permissions.Summary).
	Permissions []string
	// Login is an OAuth2 plugin's login, nil when it is not logged in (or
	// not known yet).
	Login *Login
}

// Login is what the page shows of an OAuth2 plugin's login: never a
// token.
type Login struct {
	Scopes []string
	// Expiry is when the access token expires (zero: unknown); Renews: a
	// refresh token renews it without the user.
	Expiry time.Time
	Renews bool
}

// Status is a plugin's ctx.updateStatus.
type Status struct {
	State    string   `json:"state"`
	Message  string   `json:"message,omitempty"`
	Progress *float64 `json:"progress,omitempty"`
}

// Field is one config field for the settings form.
type Field struct {
	setup.Question
	Kind schema.Kind
	// Value is the current value of a non-secret field as text ("" when
	// unset); Values the items of an array field.
	Value  string
	Values []string
	// Saved: a value is saved (for a secret: in the secret backend).
	Saved bool

	order int // position in the schema (the page's own)
}
