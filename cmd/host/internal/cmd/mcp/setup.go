package mcp

// The plugins of `host mcp` and their setup through the AI client. Each
// plugin is set up by a setup.Session, without asking anyone (stdin is the
// protocol): with what is saved, --set and the environment. One that still
// needs fields or a login waits, its tools listed; a call to one of them
// starts a new session: an OAuth2 plugin's login becomes a URL elicitation
// to the provider's authorization page (host's loopback redirect takes the
// code); a plugin set up in a terminal meanwhile just activates; one that
// needs fields typed in is sent to host's local setup page (started on
// first need), where a session activates it in this process.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/bindings/setup"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/setuppage"
	"host/cmd/host/internal/surface"
	"host/jsrt"
)

// mcpPlugins is host mcp's set of plugins: it keeps each one's current
// instance and state in local, and is its mcpserver.SetupPages.
type mcpPlugins struct {
	secretsOnce sync.Once // the keyring's absence is told once
	sess        *session.Session
	args        session.SetupArgs // --set, --adopt
	local       *mcpserver.Local
	timeout     time.Duration // how long a login through the client may take

	mu      sync.Mutex
	entries map[string]*mcpEntry // by plugin id
	busy    map[string]bool      // a session of the plugin is running
	page    *surface.Page        // the setup page, started on first need
	pageB   *mcpPageBackend
}

// mcpPageBackend is the setup page's backend in host mcp: sessions run on
// the page's Local over the plugins' files; a plugin the page activated
// stays active in this process, serving its tools.
type mcpPageBackend struct {
	*setuppage.Local
	m *mcpPlugins
}

// Activated implements setuppage.Backend: the page's plugin instance
// becomes the one host mcp serves.
func (b *mcpPageBackend) Activated(ctx context.Context, id string, done *setup.Done) error {
	if done.Plugin != nil {
		b.m.mu.Lock()
		e := b.m.entries[id]
		b.m.mu.Unlock()
		if e != nil {
			b.m.put(e.path, done.Plugin, setup.Active, "", nil)
			b.m.say("%s is set up and active.", done.Plugin.Name)
		}
	}
	d := *done
	d.Plugin = nil // ours now: the page's Local must not deactivate it
	return b.Local.Activated(ctx, id, &d)
}

// setupPage starts the setup page the first time a plugin needs it (not
// at start: host mcp answers tools/list first).
func (m *mcpPlugins) setupPage(ctx context.Context) (*surface.Page, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.page != nil {
		return m.page, nil
	}
	var files, ids []string
	for id, e := range m.entries {
		files, ids = append(files, m.sess.Resolve(e.path)), append(ids, id)
	}
	local, err := setuppage.NewLocal(ctx, surface.LocalOptions(m.sess, m.args, files, ids))
	if err != nil {
		return nil, err
	}
	b := &mcpPageBackend{Local: local, m: m}
	ps, err := surface.StartPage("127.0.0.1:0", b, m.sess.Factory().IO)
	if err != nil {
		local.Close(ctx)
		return nil, err
	}
	m.page, m.pageB = ps, b
	return ps, nil
}

type mcpEntry struct {
	path   string
	p      *plugin.Plugin // the current instance (closed unless active)
	active bool
}

func newMCPPlugins(sess *session.Session, args session.SetupArgs, local *mcpserver.Local) *mcpPlugins {
	return &mcpPlugins{sess: sess, args: args, local: local, timeout: 15 * time.Minute, entries: map[string]*mcpEntry{}, busy: map[string]bool{}}
}

// options is the setup session of the plugin at path.
func (m *mcpPlugins) options(path, id string) setup.Options {
	a := m.args
	a.Path, a.ExpectID = m.sess.Resolve(path), id
	so := m.sess.SetupOptions(a)
	so.Interactive = false
	so.Login.Timeout = m.timeout
	return so
}

// startAll sets every plugin up at once (they are independent).
func (m *mcpPlugins) startAll(ctx context.Context, paths []string) {
	var wg sync.WaitGroup
	for _, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.start(ctx, path)
		}()
	}
	wg.Wait()
}

// start runs a first session for the plugin at path and records where it
// ended.
func (m *mcpPlugins) start(ctx context.Context, path string) {
	s := setup.New(m.options(path, ""))
	step, err := s.Next(ctx)
	p := s.Plugin()
	if p == nil {
		id := plugin.DefaultID(path)
		st := setup.StateOf(nil, err, m.sess.Factory().IO.Masker)
		m.say("host: %s: %s: %s", id, st.Phase, st.Reason)
		m.local.PutFailed(id, "", st.Reason)
		return
	}
	switch st := step.(type) {
	case *setup.Done:
		m.put(path, st.Plugin, setup.Active, "", nil)
		return
	case *setup.Login:
		// Not now: the login starts when a tool is called.
		s.Close()
		reason := "not logged in"
		if st.Reason != "" {
			reason = st.Reason
		}
		m.put(path, p, setup.NeedsLogin, reason, &mcpserver.SetupNeeded{Login: true})
	case nil:
		state, reason, need := failureState(err)
		if errors.Is(err, secrets.ErrUnavailable) {
			state, reason, need = setup.SecretsUnavailable, secretsUnavailable(err), nil
		}
		m.put(path, p, state, reason, need)
	default:
		s.Close()
		m.put(path, p, setup.Error, fmt.Sprintf("unexpected setup step %T", step), nil)
	}
	for _, e := range m.local.Plugins() {
		if e.ID == p.ID && e.State == setup.SecretsUnavailable {
			// Each plugin's line as on every surface; the cause and what
			// to do once, on the first.
			told := false
			m.secretsOnce.Do(func() {
				m.say("host: %s: %s: %s", p.ID, e.State, e.Reason)
				told = true
			})
			if !told {
				m.say("host: %s: %s: the keyring problem above", p.ID, e.State)
			}
		} else if e.ID == p.ID && e.State != setup.Active {
			m.say("host: %s: %s%s", p.ID, e.State, cmdutil.Prefixed(": ", e.Reason))
		}
	}
}

// secretsUnavailable is why a plugin's saved secrets cannot be read, with
// what to do, in the terms of an AI client's MCP configuration.
func secretsUnavailable(err error) string {
	var ue *secrets.UnavailableError
	errors.As(err, &ue)
	if errors.Is(err, secrets.ErrNoSessionBus) && (ue == nil || ue.Hint == "") {
		// Unset (a bus that is set but dead has its own hint, below).
		return "the OS keyring cannot be reached: host was started without the desktop's D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set; AI clients often start MCP servers with a minimal environment). " +
			"Add it to host's entry in the client's MCP configuration (\"env\": {\"DBUS_SESSION_BUS_ADDRESS\": \"...\"}, the value `echo $DBUS_SESSION_BUS_ADDRESS` prints in your desktop's terminal), " +
			"or start host with --secrets file and HOST_SECRETS_PASSPHRASE in its env (an encrypted file in the data dir instead of the keyring)"
	}
	msg := "the OS keyring cannot be used: " + errText(err)
	if ue != nil && ue.Hint != "" {
		msg += "; " + ue.Hint
	} else if h := jsrt.Hint(err); h != "" {
		msg += "; " + h
	}
	return msg + " (or start host with --secrets file and HOST_SECRETS_PASSPHRASE in its env)"
}

// failureState is the state a failed session leaves its plugin in
// (setup.StateOf), as host mcp's surface records it.
func failureState(err error) (setup.Phase, string, *mcpserver.SetupNeeded) {
	st := setup.StateOf(nil, err, nil)
	var need *mcpserver.SetupNeeded
	switch st.Phase {
	case setup.NeedsSetup, setup.NeedsLogin:
		need = &mcpserver.SetupNeeded{Login: st.Phase == setup.NeedsLogin}
		for _, q := range st.Fields {
			need.Fields = append(need.Fields, q.Key)
		}
	}
	return st.Phase, st.Reason, need
}

// errText is a failure as one line with its position.
func errText(err error) string { return setup.Text(err) }

func (m *mcpPlugins) say(format string, args ...any) {
	fmt.Fprintln(m.sess.Factory().IO.Err, m.sess.Factory().IO.Masker.Mask(fmt.Sprintf(format, args...)))
}

// put records p (from path) in state st, starting its loop when active.
func (m *mcpPlugins) put(path string, p *plugin.Plugin, st setup.Phase, reason string, need *mcpserver.SetupNeeded) {
	m.mu.Lock()
	old := m.entries[p.ID]
	m.entries[p.ID] = &mcpEntry{path: path, p: p, active: st == setup.Active}
	m.mu.Unlock()
	if old != nil && old.p != p && !old.active {
		old.p.Close()
	}
	if st == setup.Active {
		p.StartLoop()
	}
	m.local.Put(p, st, reason, need)
}

// stopAll deactivates the active plugins and closes the others (and the
// setup page).
func (m *mcpPlugins) stopAll() {
	m.mu.Lock()
	page, pageB := m.page, m.pageB
	m.mu.Unlock()
	if page != nil {
		page.Close()
		pageB.Local.Close(context.Background())
	}
	m.mu.Lock()
	var es []*mcpEntry
	for _, e := range m.entries {
		es = append(es, e)
	}
	m.mu.Unlock()
	var wg sync.WaitGroup
	for _, e := range es {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if e.active {
				_ = session.Deactivate(e.p)
			} else {
				e.p.Close()
			}
		}()
	}
	wg.Wait()
}

// file is the plugin file of id, for the texts.
func (m *mcpPlugins) file(id string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.entries[id]; e != nil {
		return e.path
	}
	return id
}

// StartSetup implements mcpserver.SetupPages: a new session for the
// plugin, which either activates it at once (set up meanwhile), needs
// fields typed in (no page here: ErrNoPage), or starts the OAuth2 login
// whose authorization URL the client opens.
func (m *mcpPlugins) StartSetup(ctx context.Context, id string) (*mcpserver.SetupFlow, error) {
	m.mu.Lock()
	e := m.entries[id]
	if e == nil {
		m.mu.Unlock()
		return nil, fmt.Errorf("unknown plugin %s", id)
	}
	if m.busy[id] {
		m.mu.Unlock()
		return nil, fmt.Errorf("plugin %s is being set up by another call; finish that one, then call the tool again", id)
	}
	m.busy[id] = true
	m.mu.Unlock()
	release := func() {
		m.mu.Lock()
		delete(m.busy, id)
		m.mu.Unlock()
	}
	s := setup.New(m.options(e.path, id))
	step, err := s.Next(ctx)
	switch st := step.(type) {
	case *setup.Done:
		release()
		m.put(e.path, st.Plugin, setup.Active, "", nil)
		m.say("%s is active.", st.Plugin.Name)
		return nil, mcpserver.ErrReady
	case *setup.Login:
		wctx, cancel := context.WithTimeout(context.Background(), m.timeout)
		done := make(chan error, 1)
		go func() {
			defer release()
			step, err := s.Next(wctx)
			if d, ok := step.(*setup.Done); ok {
				m.say("Logged in to %s; it is active.", d.Plugin.Name)
				m.put(e.path, d.Plugin, setup.Active, "", nil)
				done <- nil
				return
			}
			if err == nil {
				s.Close()
				err = fmt.Errorf("unexpected setup step %T", step)
			}
			done <- errors.New(m.sess.Factory().IO.Masker.Mask(errText(err)))
		}()
		var once sync.Once
		return &mcpserver.SetupFlow{URL: st.URL, Done: done, Close: func() {
			once.Do(func() { cancel(); s.Close() })
		}}, nil
	}
	release()
	if err == nil {
		s.Close()
		return nil, fmt.Errorf("unexpected setup step %T", step)
	}
	if p := s.Plugin(); p != nil {
		stt, reason, need := failureState(err)
		m.put(e.path, p, stt, reason, need)
		if stt == setup.NeedsSetup {
			ps, err := m.setupPage(ctx)
			if err != nil {
				m.say("host: the setup page: %v", err)
				return nil, mcpserver.ErrNoPage
			}
			link, done, release := ps.Srv.SetupLink(id)
			return &mcpserver.SetupFlow{URL: link, Done: done, Close: release}, nil
		}
	}
	return nil, errors.New(m.sess.Factory().IO.Masker.Mask(errText(err)))
}

var _ mcpserver.SetupPages = (*mcpPlugins)(nil)
