package setuppage

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"host/bindings/mask"
	"host/cmd/host/internal/pkgstore"
)

// Options configure a Server.
type Options struct {
	Backend Backend
	// Addr is the address the page's listener is bound to
	// ("127.0.0.1:PORT"); it must be a loopback address.
	Addr string
	// Masker masks every text the page shows that came from a plugin or a
	// provider (the backend's texts are masked already). Nil masks
	// nothing (tests only).
	Masker *mask.Masker
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// SessionTimeout bounds one session step the page waits for (an
	// activation); 0 means 2 minutes.
	SessionTimeout time.Duration
}

// Server is the setup page. Make it with New, serve Handler on the
// listener at Options.Addr, Close it when done.
type Server struct {
	o      Options
	addr   string // host:port of the listener
	port   string
	origin string // "http://" + addr
	// base is the path every page is served under: "/s/" and a random
	// token. The session cookie is scoped to it, so a server on another
	// port of 127.0.0.1 (browsers send cookies to every port of a host)
	// never receives it: the browser sends it there only for a path no
	// other page knows.
	base string
	tmpl *template.Template
	sess *sessions

	mu     sync.Mutex
	flows  map[string]*flow
	subs   map[chan struct{}]struct{}
	closed bool
	// oneShot: the process ends once a plugin is set up (EndsWhenSetUp).
	oneShot bool
	unsub   func()
	ctx     context.Context // ends at Close: background logins

	// The installed plugins (packages.go): the manager, the last
	// action's result, updates waiting for consent, plugins whose consent
	// the user has seen here.
	pkgs       Packages
	pkgResult  *outcome
	pkgUpdates map[string]*pkgstore.Plan
	consented  map[string]bool
	cancel     context.CancelFunc
}

// New makes the page's server. It refuses a non-loopback Addr.
func New(o Options) (*Server, error) {
	if o.Backend == nil {
		return nil, errors.New("setuppage: no backend")
	}
	if !loopbackAddr(o.Addr) {
		return nil, fmt.Errorf("the setup page listens on loopback only, not on %s", o.Addr)
	}
	_, port, _ := net.SplitHostPort(o.Addr)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SessionTimeout <= 0 {
		o.SessionTimeout = 2 * time.Minute
	}
	ctx, cancel := context.WithCancel(context.Background())
	base := "/s/" + randomToken()
	tmpl := newTemplates(base)
	s := &Server{
		o: o, addr: o.Addr, port: port, origin: "http://" + o.Addr, base: base, tmpl: tmpl, sess: newSessions(o.Now),
		flows: map[string]*flow{}, subs: map[chan struct{}]struct{}{}, ctx: ctx, cancel: cancel,
	}
	s.unsub = o.Backend.Subscribe(s.changed)
	return s, nil
}

// Origin is the page's origin, "http://127.0.0.1:PORT".
func (s *Server) Origin() string { return s.origin }

// URL is the address of page path ("/" for the list, PluginPath(id) for
// one plugin), without a token.
func (s *Server) URL(path string) string { return s.origin + s.base + path }

// Link is the address of the page (path "/" for the list, or
// PluginPath(id) for one plugin) with a fresh one-time token that the
// browser exchanges for its session cookie. A token is good once, for 15
// minutes. The session of a link to one plugin's page opens that page
// only (see SetupLink).
func (s *Server) Link(path string) string {
	plugin := ""
	if rest, ok := strings.CutPrefix(path, "/setup/"); ok {
		plugin, _ = url.PathUnescape(strings.SplitN(rest, "/", 2)[0])
	}
	return s.URL(path) + "?token=" + url.QueryEscape(s.sess.newToken(plugin))
}

// PluginPath is the page of one plugin.
func PluginPath(id string) string { return "/setup/" + url.PathEscape(id) }

// SetupLink is Link for plugin id's page, and a channel told once when a
// session of the page set the plugin up (nil) or the server closed.
// release stops the notice.
func (s *Server) SetupLink(id string) (link string, done <-chan error, release func()) {
	ch := make(chan error, 1)
	s.mu.Lock()
	f := s.flowLocked(id)
	f.done = append(f.done, ch)
	s.mu.Unlock()
	release = func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if f, ok := s.flows[id]; ok {
			for i, c := range f.done {
				if c == ch {
					f.done = append(f.done[:i], f.done[i+1:]...)
					break
				}
			}
		}
	}
	return s.Link(PluginPath(id)), ch, release
}

// EndsWhenSetUp tells the server that its process ends once a plugin is
// set up: the page of that success is then complete in itself (its style
// inline, no links back to a server that is gone) and says the window can
// be closed.
func (s *Server) EndsWhenSetUp() {
	s.mu.Lock()
	s.oneShot = true
	s.mu.Unlock()
}

// CodeLink is SetupLink for a link that people other than the user may
// read (an AI client's tool result, which the model and transcripts
// see): it opens the page only after code is typed there, and code is
// shown only where the user looks (the caller's terminal, the list page).
// SetupLink's done channel tells when a session of either set the
// plugin up.
func (s *Server) CodeLink(id string) (link, code string) {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	code = fmt.Sprintf("%06d", n.Int64())
	link = s.URL(PluginPath(id)) + "?token=" + url.QueryEscape(s.sess.newCodeToken(id, code))
	s.changed() // the list page shows the code
	return link, code
}

// WaitShown waits, at most d, until the page has shown plugin id's last
// setup result to the browser (a command that ends once the setup is done
// waits so for the page to tell the user).
func (s *Server) WaitShown(id string, d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		f := s.flows[id]
		pending := f != nil && f.result != nil
		s.mu.Unlock()
		if !pending {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Close ends the sessions in progress and the live updates.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	flows := s.flows
	s.flows = map[string]*flow{}
	for ch := range s.subs {
		close(ch)
	}
	s.subs = map[chan struct{}]struct{}{}
	updates := s.pkgUpdates
	s.pkgUpdates = nil
	s.mu.Unlock()
	s.cancel()
	s.unsub()
	for _, plan := range updates {
		plan.Discard() // updates that waited for consent leave nothing staged
	}
	for _, f := range flows {
		if f.sess != nil {
			f.sess.Close()
		}
		for _, ch := range f.done {
			ch <- errors.New("the setup page closed")
		}
	}
}

// Handler serves the page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /assets/{file}", s.asset)
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /setup/{id}", s.pluginPage)
	mux.HandleFunc("POST /setup/{id}", s.save)
	mux.HandleFunc("POST /setup/{id}/connect", s.connect)
	mux.HandleFunc("POST /setup/{id}/remove", s.remove)
	mux.HandleFunc("POST /setup/{id}/logout", s.logout)
	mux.HandleFunc("POST /setup/{id}/cancel", s.cancelFlow)
	mux.HandleFunc("GET /events", s.events)
	s.packageRoutes(mux)
	return s.guard(mux)
}

func (s *Server) mask(text string) string {
	if s.o.Masker == nil {
		return text
	}
	return s.o.Masker.Mask(text)
}

func (s *Server) plugin(id string) (Plugin, bool) {
	for _, p := range s.o.Backend.Plugins() {
		if p.ID == id {
			return p, true
		}
	}
	return Plugin{}, false
}
