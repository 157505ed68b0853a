package setuppage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"host/bindings/console"
	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/bindings/setup"
	"host/schema"
)

// logTail is how many lines of each plugin's output the page shows.
const logTail = 40

// Local is a Backend over plugin files set up in this process: what
// `host setup PLUGIN --browser` serves when no serve runs. A plugin the
// page sets up is activated to test it (onActivate) and, unless Keep, then
// deactivated again: it is "ready" for the next `host run` or serve.
type Local struct {
	o LocalOptions

	mu      sync.Mutex
	plugins map[string]*localPlugin
	subs    map[int]func()
	nextSub int
}

// LocalOptions configure a Local.
type LocalOptions struct {
	// Host runs the plugins. Its Log is replaced by Local's sink, which
	// keeps each plugin's last lines and passes them on to the Log it had.
	Host *plugin.Host
	// Files are the plugin files.
	Files []string
	// IDs, when set, are the files' plugin ids (one per file): the files
	// are then loaded only when the page needs one (a serve knows them).
	IDs []string
	// Inputs are values supplied without asking (--set, the environment).
	Inputs plugin.Inputs
	// Adopt lets these files take over ids other files own.
	Adopt bool
	// Keep leaves plugins the page set up active (owned by Local, ended by
	// Close).
	Keep bool
	// Login configures OAuth2 logins (the page fills in the callback
	// page).
	Login setup.LoginOptions
	// MaxTries bounds how often refused credentials are asked for in one
	// session (default 100: on a page the user retries at will).
	MaxTries int
}

type localPlugin struct {
	file   string
	info   Plugin
	fields []Field        // nil: read again on next use
	active *plugin.Plugin // Keep: the plugin the page activated
	logs   []string
}

// NewLocal loads each file once to learn its id, name and what its setup
// still needs.
func NewLocal(ctx context.Context, o LocalOptions) (*Local, error) {
	if o.MaxTries <= 0 {
		o.MaxTries = 100
	}
	l := &Local{o: o, plugins: map[string]*localPlugin{}, subs: map[int]func(){}}
	next := o.Host.Log
	o.Host.Log = func(e console.Entry) {
		l.addLog(e)
		if next != nil {
			next(e)
		}
	}
	if len(o.IDs) > 0 {
		if len(o.IDs) != len(o.Files) {
			return nil, errors.New("setuppage: IDs and Files differ in length")
		}
		for i, f := range o.Files {
			l.plugins[o.IDs[i]] = &localPlugin{file: f, info: Plugin{ID: o.IDs[i], Name: o.IDs[i], State: setup.Starting}}
		}
		return l, nil
	}
	for _, f := range o.Files {
		lp := &localPlugin{file: f}
		if err := l.inspect(ctx, lp); err != nil {
			return nil, err
		}
		if other, dup := l.plugins[lp.info.ID]; dup {
			return nil, fmt.Errorf("%s and %s both declare the plugin id %q", other.file, f, lp.info.ID)
		}
		l.plugins[lp.info.ID] = lp
	}
	return l, nil
}

// inspect loads the plugin and reads its state without activating it.
func (l *Local) inspect(ctx context.Context, lp *localPlugin) error {
	p, err := plugin.Load(ctx, l.o.Host, lp.file)
	if err != nil {
		return err
	}
	defer p.Close()
	if err := p.Claim(ctx, lp.file, l.o.Adopt); err != nil {
		return err
	}
	info := Plugin{ID: p.ID, Name: p.Name, Description: p.Description, State: setup.Ready, Permissions: p.Permissions().Summary()}
	if p.Auth != nil {
		info.Auth = p.Auth.Type
	}
	st, err := setup.Inspect(ctx, p, l.o.Inputs)
	if st != nil {
		lp.fields = fieldsOf(st)
	}
	if err != nil {
		state := setup.StateOf(nil, err, nil)
		info.State, info.Reason = state.Phase, state.Reason
	} else if p.Auth != nil && p.Auth.OAuth2 != nil {
		if os, tok, err := p.OAuthStatus(ctx, st); err == nil && os == plugin.OAuthReady && tok != nil {
			info.Login = &Login{Scopes: tok.Scopes, Expiry: tok.Expiry, Renews: tok.RefreshToken != ""}
		}
	}
	if l.o.Host.Masker != nil {
		info.Reason = l.o.Host.Masker.Mask(info.Reason)
	}
	l.mu.Lock()
	info.Logs = lp.info.Logs
	if lp.active != nil {
		info.State, info.Reason = setup.Active, ""
	}
	lp.info = info
	l.mu.Unlock()
	return nil
}

// fieldsOf describes a setup's fields for the settings form.
func fieldsOf(st *plugin.Setup) []Field {
	out := make([]Field, 0, len(st.Fields))
	for _, f := range st.Fields {
		fl := Field{
			Question: setup.Question{
				Key: f.Key, Label: f.Label, Section: f.Section, Description: f.Description,
				HelpText: f.HelpText, HelpURL: f.HelpURL, Placeholder: f.Placeholder, Secret: f.Secret,
				Auth: f.Auth, Required: f.Required, HasDefault: f.HasDefault, Choices: f.Options, Radio: f.Radio,
			},
			Kind:  f.Kind,
			Saved: f.Source != plugin.Unset && f.Source != plugin.FromDefault,
		}
		if f.HasDefault {
			fl.Default = textOf(f.Default)
		}
		if !f.Secret && f.Source != plugin.Unset {
			fl.Value = textOf(f.Value)
			if items, ok := f.Value.([]any); ok {
				for _, it := range items {
					fl.Values = append(fl.Values, textOf(it))
				}
			}
		}
		out = append(out, fl)
	}
	return out
}

func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool, float64, int, int64:
		return fmt.Sprint(x)
	case time.Time:
		return schema.FormatDate(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func (l *Local) addLog(e console.Entry) {
	l.mu.Lock()
	lp, ok := l.plugins[e.Plugin]
	if ok {
		lp.logs = append(lp.logs, fmt.Sprintf("%-5s %s", e.Level, e.Message))
		if len(lp.logs) > logTail {
			lp.logs = append([]string(nil), lp.logs[len(lp.logs)-logTail:]...)
		}
	}
	l.mu.Unlock()
	if ok {
		l.notify()
	}
}

// Plugins implements Backend.
func (l *Local) Plugins() []Plugin {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Plugin, 0, len(l.plugins))
	for _, lp := range l.plugins {
		p := lp.info
		p.Logs = append([]string(nil), lp.logs...)
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (l *Local) get(id string) (*localPlugin, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lp, ok := l.plugins[id]
	if !ok {
		return nil, fmt.Errorf("no plugin %q here", id)
	}
	return lp, nil
}

// Fields implements Backend.
func (l *Local) Fields(ctx context.Context, id string) ([]Field, error) {
	lp, err := l.get(id)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	fs := lp.fields
	l.mu.Unlock()
	if fs == nil {
		if err := l.inspect(ctx, lp); err != nil {
			return nil, err
		}
		l.mu.Lock()
		fs = lp.fields
		l.mu.Unlock()
	}
	return fs, nil
}

// Session implements Backend: a setup.Session of the plugin's file.
func (l *Local) Session(ctx context.Context, id string, o SessionOptions) (Session, error) {
	lp, err := l.get(id)
	if err != nil {
		return nil, err
	}
	in := l.o.Inputs
	if len(o.Set) > 0 {
		set := map[string]string{}
		for k, v := range in.Set {
			set[k] = v
		}
		// What the page sends is this plugin's own: scoped to it, so a
		// host of several plugins (plugin.Inputs.Shared, which refuses an
		// unscoped value) takes it.
		for k, v := range o.Set {
			set[plugin.ScopedSetKey(id, k)] = v
		}
		in.Set = set
	}
	login := l.o.Login
	login.Flow.Name, login.Flow.Page = o.Flow.Name, o.Flow.Page
	return setup.New(setup.Options{
		Host: l.o.Host, Path: lp.file, Adopt: l.o.Adopt, Inputs: in, Interactive: true,
		ForceLogin: o.ForceLogin, ExpectID: id, MaxTries: l.o.MaxTries, Login: login,
		Surface: "the setup page",
	}), nil
}

// Activated implements Backend.
func (l *Local) Activated(ctx context.Context, id string, done *setup.Done) error {
	lp, err := l.get(id)
	if err != nil {
		return err
	}
	var derr error
	if done.Plugin != nil {
		if l.o.Keep {
			l.mu.Lock()
			old := lp.active
			lp.active = done.Plugin
			l.mu.Unlock()
			if old != nil {
				_ = old.Deactivate(ctx)
			}
		} else {
			derr = done.Plugin.Deactivate(ctx)
		}
	}
	l.mu.Lock()
	lp.fields = nil
	if l.o.Keep {
		lp.info.State, lp.info.Reason = setup.Active, ""
	} else {
		lp.info.State, lp.info.Reason = setup.Ready, "set up; start it with host run or host serve"
	}
	l.mu.Unlock()
	l.notify()
	return derr
}

// Forget drops what Local knows of plugin id's fields: they are read
// again on next use. A backend wrapping Local that handles Activated
// itself calls it (what is saved changed).
func (l *Local) Forget(id string) {
	l.mu.Lock()
	if lp, ok := l.plugins[id]; ok {
		lp.fields = nil
	}
	l.mu.Unlock()
}

// RemoveSecret implements Backend.
func (l *Local) RemoveSecret(ctx context.Context, id, key string) error {
	return l.withPlugin(ctx, id, func(p *plugin.Plugin) error {
		sc, err := p.SecretScope()
		if err != nil {
			return err
		}
		return sc.DeleteConfig(ctx, key)
	})
}

// Logout implements Backend.
func (l *Local) Logout(ctx context.Context, id string) error {
	return l.withPlugin(ctx, id, func(p *plugin.Plugin) error {
		if p.Auth == nil || p.Auth.OAuth2 == nil {
			return errors.New("this plugin has no OAuth2 login")
		}
		sc, err := p.SecretScope()
		if err != nil {
			return err
		}
		return oauth.Delete(ctx, sc)
	})
}

// withPlugin loads the plugin's file, checks its claim, runs fn, and reads
// the plugin's state afresh.
func (l *Local) withPlugin(ctx context.Context, id string, fn func(*plugin.Plugin) error) error {
	lp, err := l.get(id)
	if err != nil {
		return err
	}
	p, err := plugin.Load(ctx, l.o.Host, lp.file)
	if err != nil {
		return err
	}
	if p.ID != id {
		p.Close()
		return fmt.Errorf("%s now declares the plugin id %q, not %q", lp.file, p.ID, id)
	}
	if err := p.Claim(ctx, lp.file, l.o.Adopt); err != nil {
		p.Close()
		return err
	}
	err = fn(p)
	p.Close()
	l.mu.Lock()
	active := lp.active
	lp.active = nil
	lp.fields = nil
	l.mu.Unlock()
	if active != nil {
		_ = active.Deactivate(ctx)
	}
	if ierr := l.inspect(ctx, lp); ierr != nil && err == nil {
		err = ierr
	}
	l.notify()
	return err
}

// Subscribe implements Backend.
func (l *Local) Subscribe(fn func()) (cancel func()) {
	l.mu.Lock()
	id := l.nextSub
	l.nextSub++
	l.subs[id] = fn
	l.mu.Unlock()
	return func() {
		l.mu.Lock()
		delete(l.subs, id)
		l.mu.Unlock()
	}
}

func (l *Local) notify() {
	l.mu.Lock()
	fns := make([]func(), 0, len(l.subs))
	for _, fn := range l.subs {
		fns = append(fns, fn)
	}
	l.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// Close deactivates the plugins Keep left running.
func (l *Local) Close(ctx context.Context) {
	l.mu.Lock()
	var active []*plugin.Plugin
	for _, lp := range l.plugins {
		if lp.active != nil {
			active = append(active, lp.active)
			lp.active = nil
		}
	}
	l.mu.Unlock()
	for _, p := range active {
		_ = p.Deactivate(ctx)
	}
}

var (
	_ Backend = (*Local)(nil)
	_ Session = (*setup.Session)(nil)
)
