// Package setup is a plugin's setup as a conversation any surface can
// drive: the terminal wizard, the local setup page, MCP elicitation. A
// Session loads the plugin, gathers its config (--set, the environment, the
// saved config, the secret backend, defaults), asks for what is missing,
// logs in (OAuth2), activates, and saves only what worked. It never prints
// or prompts: it yields steps, as data, and takes answers.
//
// Driving a session:
//
//	s := setup.New(setup.Options{Host: h, Path: file, Interactive: true})
//	defer s.Close()
//	for {
//		step, err := s.Next(ctx)
//		if err != nil { // a *Failure: errors.As(err, &f); f.Kind says why
//			return err
//		}
//		switch st := step.(type) {
//		case *setup.Ask: // show st.Questions; then
//			err = s.Answer(map[string]string{key: text, ...}) // *AnswerError: re-ask those
//		case *setup.Login: // open st.URL (or show st.Device); the next Next waits
//		case *setup.Done: // st.Plugin is active; the caller owns it
//			return nil
//		}
//	}
//
// A surface that answers one request per step (a web page, an MCP
// elicitation) keeps the Session between requests: Next returns at once
// for Ask and Login; the Next after a Login blocks until the login ends
// (run it on its own goroutine, or call it once Login.Finished is closed). Answer may be called once or several times for one Ask (one
// field at a time, as the terminal does); Next returns the same Ask with the
// fields still unanswered or rejected.
//
// What the session decides:
//   - Retry: a refusal of the credentials (Refused, see Classify) asks the
//     auth fields again, with the plugin's message, up to MaxTries; a Bug or
//     a HostFailed ends the session at once, never re-asks.
//   - Invalid values (schema issues at activation) ask those fields again
//     with the issues.
//   - Reload: each retry loads the plugin afresh (a failed onActivate may
//     have left timers); what the user answered is carried over.
//   - Ids: every load checks that the file owns the plugin's id (Claim)
//     and that the id did not change since the first load (or from
//     Options.ExpectID), so no retry or reload can switch to another
//     plugin's secrets.
//   - Save: only after a successful activation; secret fields to the
//     secret backend, the rest to config.json. A value from the
//     environment or --set that cannot be saved because the secret backend
//     is unavailable is used for this run and reported in Done.NotSaved.
//
// Goroutines: Next and Answer must be called from one goroutine at a time
// (the surface's). Paste and Close may be called from any goroutine, also
// while Next waits for a login.
package setup

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/jsrt"
	"host/schema"
)

// DefaultMaxTries is how often refused credentials are asked for.
const DefaultMaxTries = 3

// DefaultLoginTimeout bounds the wait for a login.
const DefaultLoginTimeout = 5 * time.Minute

// Options configure a Session. Host and Path are required.
type Options struct {
	Host *plugin.Host
	Path string // the plugin file
	// Adopt lets this file take over an id another file owns.
	Adopt bool
	// Inputs are values supplied without asking (--set, the environment).
	Inputs plugin.Inputs
	// Interactive says the surface can answer Asks. Without it, missing
	// or invalid fields and refused credentials end the session.
	Interactive bool
	// ForceLogin logs in again although credentials are stored: OAuth2
	// plugins run the login, token plugins' saved auth fields are asked
	// again (values from Inputs count as the new answer).
	ForceLogin bool
	// NoLogin: a login that is needed ends the session with a LoginNeeded
	// Failure (ErrNotLoggedIn, or why the stored login was refused)
	// instead of starting one, for a surface that cannot show a login
	// (the serve's workers).
	NoLogin bool
	// Change are keys of fields the user chose to change although they
	// are set (host setup of a plugin that is set up): each is asked
	// again, a non-secret one with its current value as the default. What
	// is not changed keeps its value.
	Change []string
	// ExpectID, when set, is the id the plugin must have (a reload under
	// --watch keeps the running version's id).
	ExpectID string
	// MaxTries bounds the asks after refused credentials (DefaultMaxTries).
	MaxTries int
	Login    LoginOptions
	// Load loads the plugin file; nil means plugin.Load. (The CLI wraps
	// build errors for display.)
	Load func(ctx context.Context, h *plugin.Host, path string) (*plugin.Plugin, error)
	// OnClaimed, when set, is called on the first load once the plugin
	// owns its id, before its config is gathered from Inputs (the serve's
	// worker says its id there and then receives its config values). An
	// error ends the session (HostFailed).
	OnClaimed func(ctx context.Context, p *plugin.Plugin) error
	// Surface, when set, names what runs the session ("host run", "host
	// serve"...): the outcome of each activation it tries is kept in the
	// plugin's data dir (a failure as its LastStart; a success removes
	// it), shown where the plugin is not running.
	Surface string
	// Trace, when set, is told each step of the work as it ends ("loaded",
	// "claimed", "setup", "activated", "saved"): a development aid for the
	// start-up numbers.
	Trace func(what string)
}

// LoginOptions configure the OAuth2 login.
type LoginOptions struct {
	// Device uses the device authorization grant (RFC 8628).
	Device bool
	// Timeout bounds the wait for the user (DefaultLoginTimeout).
	Timeout time.Duration
	// Flow is passed to oauth.Start (the callback page, the client; the
	// client defaults to the Host's).
	Flow oauth.FlowOptions
	// OnDeviceRetry is told when a device poll failed on the way and when
	// it is tried again. Called on the polling goroutine.
	OnDeviceRetry func(err error, next time.Duration)
}

// Session is one plugin's setup. Make it with New; Close it.
type Session struct {
	o    Options
	p    *plugin.Plugin
	s    *plugin.Setup
	id   string // the id of the first load
	info Info

	try     int
	refusal string
	issues  map[string][]string
	pending []string // keys of the current Ask, in schema order
	// current are the values of the fields Options.Change asks again
	// (not secrets), offered as their defaults; kept are their values and
	// sources, which an empty answer keeps.
	current  map[string]string
	kept     map[string]keptValue
	loggedIn bool
	token    *oauth.Token
	// fromFlags are the secret fields Inputs.Set supplied (first load).
	fromFlags []Question
	finished  bool
	// activated: an activation was tried (its outcome is recorded, Options.Surface).
	activated bool

	mu    sync.Mutex
	login *loginRun
}

// New prepares a session; nothing is loaded until Next.
func New(o Options) *Session {
	if o.MaxTries <= 0 {
		o.MaxTries = DefaultMaxTries
	}
	if o.Login.Timeout <= 0 {
		o.Login.Timeout = DefaultLoginTimeout
	}
	if o.Load == nil {
		o.Load = plugin.Load
	}
	if o.Trace == nil {
		o.Trace = func(string) {}
	}
	return &Session{o: o, try: 1, issues: map[string][]string{}}
}

// Plugin is the plugin being set up (nil before the first Next). The
// session owns it until Done.
func (s *Session) Plugin() *plugin.Plugin { return s.p }

// SecretsFromFlags lists the secret fields whose value came from
// Inputs.Set (a command line, which other users may see), once the plugin
// is loaded (after the first Next).
func (s *Session) SecretsFromFlags() []Question { return s.fromFlags }

// Close releases what a session that did not reach Done holds: the
// plugin's runtime, a login's listener. Safe more than once and after Done.
func (s *Session) Close() {
	s.mu.Lock()
	lr := s.login
	s.login = nil
	s.mu.Unlock()
	if lr != nil {
		lr.close()
	}
	if !s.finished && s.p != nil {
		s.p.Close()
	}
	s.finished = true
}

var errFinished = errors.New("setup: the session has ended")

// Next returns the next step, or a *Failure. After Done or a Failure the
// session has ended and Next returns an error.
func (s *Session) Next(ctx context.Context) (Step, error) {
	if s.finished {
		return nil, errFinished
	}
	st, err := s.next(ctx)
	if err != nil {
		s.Close()
		var f *Failure
		if !errors.As(err, &f) {
			err = s.fail(HostFailed, err)
		}
		if s.activated {
			recordStart(s.o.Host.DataDir, s.o.Host.WorkDir, s.info.ID, s.o.Surface, err, s.mask)
		}
		return nil, err
	}
	if _, ok := st.(*Done); ok {
		s.finished = true
		recordStart(s.o.Host.DataDir, s.o.Host.WorkDir, s.info.ID, s.o.Surface, nil, s.mask)
	}
	return st, nil
}

func (s *Session) next(ctx context.Context) (Step, error) {
	if s.p == nil {
		if err := s.load(ctx, nil); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	lr := s.login
	s.mu.Unlock()
	if lr != nil {
		if err := s.waitLogin(ctx, lr); err != nil {
			return nil, err
		}
	}
	for {
		if ask := s.pendingAsk(); ask != nil {
			return ask, nil
		}
		if missing := s.s.Missing(); len(missing) > 0 {
			if !s.o.Interactive {
				return nil, &Failure{Kind: Missing, Plugin: s.info, Questions: s.questions(missing), Err: &MissingError{Plugin: s.info, Fields: s.questions(missing)}}
			}
			for _, f := range missing {
				s.pending = append(s.pending, f.Key)
			}
			continue
		}
		if !s.loggedIn {
			st, err := s.startLogin(ctx)
			if err != nil || st != nil {
				return st, err
			}
			s.loggedIn = true
		}
		err := s.p.Activate(ctx, s.s)
		s.activated = true
		s.o.Trace("activated")
		if err == nil {
			return s.save(ctx)
		}
		kind := Classify(ctx, err)
		var ve *schema.ValidationError
		switch {
		case kind == Invalid && errors.As(err, &ve):
			keys := issueKeys(ve.Issues)
			if !s.o.Interactive || len(keys) == 0 {
				f := &Failure{Kind: Invalid, Plugin: s.info, Err: err}
				for _, k := range keys {
					if fld, ok := s.s.Field(k); ok {
						f.Questions = append(f.Questions, s.question(fld))
					}
				}
				return nil, f
			}
			for _, is := range ve.Issues {
				if k := topKey(is.Path); k != "" {
					s.issues[k] = append(s.issues[k], is.Message)
				}
			}
			forget(s.s, keys)
			s.pending = append(s.pending, keys...)
		case kind == Refused:
			msg := s.mask(message(err))
			if !s.o.Interactive || s.try >= s.o.MaxTries || len(authKeys(s.s)) == 0 {
				return nil, &Failure{Kind: Refused, Plugin: s.info, Pos: position(err), Message: msg, Err: err}
			}
			s.try++
			s.refusal = msg
			forget(s.s, authKeys(s.s))
			s.pending = append(s.pending, authKeys(s.s)...)
		default:
			return nil, &Failure{Kind: kind, Plugin: s.info, Pos: position(err), Message: s.mask(message(err)), Err: err}
		}
		// A failed activation may have left timers or state: start afresh.
		if err := s.load(ctx, s.s); err != nil {
			return nil, err
		}
	}
}

// load loads the plugin (again), checks its id and its claim on it, and
// gathers its setup, carrying over from old what was answered.
func (s *Session) load(ctx context.Context, old *plugin.Setup) error {
	if s.p != nil {
		s.p.Close()
		s.p = nil
	}
	p, err := s.o.Load(ctx, s.o.Host, s.o.Path)
	if err != nil {
		return LoadFailure(s.info, err)
	}
	s.p = p
	s.o.Trace("loaded")
	want := s.id
	if want == "" {
		want = s.o.ExpectID
	}
	if want != "" && p.ID != want {
		return &Failure{Kind: Claimed, Plugin: Info{ID: p.ID, Name: p.Name}, Err: &IDChangedError{File: p.File, Was: want, Now: p.ID}}
	}
	if err := p.Claim(ctx, s.o.Path, s.o.Adopt); err != nil {
		return ClaimFailure(Info{ID: p.ID, Name: p.Name}, err)
	}
	s.o.Trace("claimed")
	s.id = p.ID
	s.info = Info{ID: p.ID, Name: p.Name}
	if old == nil && s.o.OnClaimed != nil {
		if err := s.o.OnClaimed(ctx, p); err != nil {
			return &Failure{Kind: HostFailed, Plugin: s.info, Err: err}
		}
	}
	ns, err := p.Setup(ctx, s.o.Inputs)
	if err != nil {
		return setupFailure(s.info, err)
	}
	if old == nil {
		for _, f := range ns.Fields {
			if f.Secret && f.Source == plugin.FromFlag {
				s.fromFlags = append(s.fromFlags, s.question(f))
			}
		}
		if s.o.ForceLogin && (p.Auth == nil || p.Auth.OAuth2 == nil) {
			for _, f := range ns.Fields {
				if f.Auth && f.Source == plugin.FromSaved {
					f.Value, f.Source = nil, plugin.Unset
				}
			}
		}
		s.askAgain(ns)
	} else {
		carry(ns, old)
	}
	s.o.Trace("setup")
	s.s = ns
	return nil
}

// carry moves what the user already answered into a fresh setup.
func carry(s, old *plugin.Setup) {
	for _, of := range old.Fields {
		if f, ok := s.Field(of.Key); ok {
			switch of.Source {
			case plugin.FromPrompt:
				f.Value, f.Source = of.Value, of.Source
			case plugin.Unset:
				if f.Source != plugin.FromDefault || f.Required {
					// The user is asked again for a value that failed.
					f.Value, f.Source = nil, plugin.Unset
				}
			}
		}
	}
}

// pendingAsk is the Ask for the pending keys still without a value.
func (s *Session) pendingAsk() *Ask {
	want := map[string]bool{}
	for _, k := range s.pending {
		want[k] = true
	}
	var keys []string
	for _, f := range s.s.Fields {
		if want[f.Key] && f.Source == plugin.Unset {
			keys = append(keys, f.Key)
		}
	}
	s.pending = keys
	if len(keys) == 0 {
		return nil
	}
	ask := &Ask{Plugin: s.info, Refusal: s.refusal, Try: s.try, MaxTries: s.o.MaxTries}
	sections := map[string]bool{}
	for _, k := range keys {
		f, _ := s.s.Field(k)
		ask.Questions = append(ask.Questions, s.question(f))
		sections[f.Section] = true
	}
	for _, f := range s.s.Fields {
		if sections[f.Section] && f.Source == plugin.FromDefault && !f.Secret {
			q := s.question(f)
			q.Default = schema.Text(f.Value)
			ask.Defaulted = append(ask.Defaulted, q)
		}
	}
	return ask
}

// Answer takes answers to the current Ask, by field key. An empty answer
// uses the field's default, or leaves an optional field unset. Each value
// is converted to the field's type and checked against its schema; the
// rejected ones are returned in an *AnswerError and stay asked.
func (s *Session) Answer(answers map[string]string) error {
	if s.finished || s.s == nil {
		return errFinished
	}
	asked := map[string]bool{}
	for _, k := range s.pending {
		asked[k] = true
	}
	bad := map[string]string{}
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		text := answers[k]
		f, ok := s.s.Field(k)
		if !ok || !asked[k] {
			bad[k] = "not asked"
			continue
		}
		delete(s.issues, k)
		kv, isKept := s.kept[k]
		switch {
		case text == "" && isKept: // a field asked again keeps its value
			f.Value, f.Source = kv.value, kv.source
			s.dropPending(k)
		case text == "" && f.HasDefault:
			f.Value, f.Source = f.Default, plugin.FromDefault
		case text == "" && f.Required:
			bad[k] = "required"
		case text == "":
			s.dropPending(k)
		default:
			if err := s.s.Supply(k, text); err != nil {
				bad[k] = err.Error()
			}
		}
		if m, ok := bad[k]; ok {
			s.issues[k] = []string{m}
		}
	}
	if len(bad) > 0 {
		return &AnswerError{Issues: bad}
	}
	return nil
}

func (s *Session) dropPending(key string) {
	out := s.pending[:0]
	for _, k := range s.pending {
		if k != key {
			out = append(out, k)
		}
	}
	s.pending = out
}

// askAgain forgets the values of the fields Options.Change names, keeping
// the non-secret ones as the defaults of their questions, and asks them.
func (s *Session) askAgain(ns *plugin.Setup) {
	for _, k := range s.o.Change {
		f, ok := ns.Field(k)
		if !ok || f.Source == plugin.Unset || f.Source == plugin.FromFlag || f.Source == plugin.FromEnv {
			continue // asked anyway, or given for this run
		}
		if !f.Secret {
			if s.current == nil {
				s.current = map[string]string{}
			}
			s.current[k] = schema.Text(f.Value)
		}
		if s.kept == nil {
			s.kept = map[string]keptValue{}
		}
		s.kept[k] = keptValue{f.Value, f.Source}
		f.Value, f.Source = nil, plugin.Unset
		s.pending = append(s.pending, k)
	}
}

// keptValue is a field's value before Options.Change asked it again.
type keptValue struct {
	value  any
	source plugin.Source
}

// save saves what worked and ends the session with Done.
func (s *Session) save(ctx context.Context) (Step, error) {
	done := &Done{Plugin: s.p, LoggedIn: s.token}
	for _, f := range s.s.Fields {
		if f.Secret && f.Source != plugin.FromSaved && f.Source != plugin.FromDefault && f.Source != plugin.Unset {
			done.Saved = append(done.Saved, s.question(f))
		}
	}
	if err := s.s.Save(ctx); err != nil {
		var ns *plugin.NotSavedError
		if !errors.As(err, &ns) {
			dctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			_ = s.p.Deactivate(dctx)
			cancel()
			return nil, &Failure{Kind: HostFailed, Plugin: s.info, Err: err}
		}
		done.Why = ns.Err
		notSaved := map[string]bool{}
		for _, k := range ns.Keys {
			notSaved[k] = true
		}
		saved := done.Saved[:0]
		for _, q := range done.Saved {
			if notSaved[q.Key] {
				done.NotSaved = append(done.NotSaved, q)
			} else {
				saved = append(saved, q)
			}
		}
		done.Saved = saved
	}
	return done, nil
}

func (s *Session) questions(fs []*plugin.Field) []Question {
	out := make([]Question, 0, len(fs))
	for _, f := range fs {
		out = append(out, s.question(f))
	}
	return out
}

func (s *Session) question(f *plugin.Field) Question {
	q := questionOf(f)
	q.Issues = s.issues[f.Key]
	if cur, ok := s.current[f.Key]; ok {
		q.Default = cur
	}
	if f.Auth {
		q.Refusal = s.refusal
	}
	return q
}

// questionOf is field f as a question, without a session's issues,
// current values and refusal.
func questionOf(f *plugin.Field) Question {
	q := Question{
		Key: f.Key, Label: f.Label, Section: f.Section, Description: f.Description,
		HelpText: f.HelpText, HelpURL: f.HelpURL, Secret: f.Secret, Auth: f.Auth,
		Required: f.Required, HasDefault: f.HasDefault, Choices: f.Options,
		Placeholder: f.Placeholder, Radio: f.Radio,
	}
	if f.HasDefault {
		q.Default = schema.Text(f.Default)
	}
	return q
}

func (s *Session) mask(text string) string {
	if s.o.Host == nil || s.o.Host.Masker == nil {
		return text
	}
	return s.o.Host.Masker.Mask(text)
}

func (s *Session) fail(kind Kind, err error) *Failure {
	return &Failure{Kind: kind, Plugin: s.info, Err: err}
}

func authKeys(s *plugin.Setup) []string {
	var keys []string
	for _, f := range s.Fields {
		if f.Auth {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

func topKey(path []any) string {
	if len(path) == 0 {
		return ""
	}
	k, _ := path[0].(string)
	return k
}

func issueKeys(issues []schema.Issue) []string {
	seen := map[string]bool{}
	var keys []string
	for _, is := range issues {
		if k := topKey(is.Path); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// forget clears fields so they are asked again.
func forget(s *plugin.Setup, keys []string) {
	for _, k := range keys {
		if f, ok := s.Field(k); ok {
			f.Value, f.Source = nil, plugin.Unset
		}
	}
}

// MissingError is required config that was not supplied where nobody can
// be asked. The CLI words how to supply each field.
type MissingError struct {
	Plugin Info
	Fields []Question
}

func (e *MissingError) Error() string {
	s := fmt.Sprintf("plugin %s needs configuration that was not supplied:", e.Plugin.ID)
	for _, f := range e.Fields {
		s += " " + f.Key
	}
	return s
}

// message is the plugin's own message of an activation failure.
func message(err error) string {
	if je, ok := jsrt.AsJSError(err); ok {
		return je.Message
	}
	return err.Error()
}

// position is "file.ts:line:col" of a JS error, "" when unknown.
func position(err error) string {
	if je, ok := jsrt.AsJSError(err); ok {
		return je.Position()
	}
	return ""
}
