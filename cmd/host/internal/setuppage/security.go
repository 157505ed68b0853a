package setuppage

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// cookieName is the page's session cookie.
const cookieName = "host_setup"

// tokenTTL is how long a one-time token can be exchanged; sessionTTL how
// long a browser session lasts without a request.
const (
	tokenTTL   = 15 * time.Minute
	sessionTTL = 12 * time.Hour
)

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessions are the one-time tokens not yet exchanged and the browser
// sessions they became.
type sessions struct {
	mu       sync.Mutex
	tokens   map[string]oneTime  // token -> its expiry and scope
	browsers map[string]*browser // cookie value -> session
	now      func() time.Time
	// spent are told when their token is exchanged (WaitSpent).
	spent map[string][]chan struct{}
}

type browser struct {
	csrf    string
	expires time.Time
	// plugin is the one plugin whose page the session opens; "" opens
	// every page (the link host serve prints).
	plugin string
}

type oneTime struct {
	expires time.Time
	plugin  string
	// code, when set, must be typed on the page before the token becomes
	// a session: the link alone (e.g. in an AI client's transcript) opens
	// nothing. tries counts the wrong codes.
	code  string
	tries int
}

// codeTries is how many wrong codes spend a code link.
const codeTries = 5

// pendingCode is a code link not yet used: its plugin and code, shown
// to the user on the terminal and the list page.
type pendingCode struct{ Plugin, Code string }

// keepSession is what exchange returns when the browser's session stays.
const keepSession = "\x00keep"

// allows reports whether the session may open path (below the page's
// base): a session scoped to one plugin opens that plugin's page, its
// actions and the live updates only.
func (b *browser) allows(path string) bool {
	if b.plugin == "" {
		return true
	}
	p := PluginPath(b.plugin)
	return path == p || strings.HasPrefix(path, p+"/") || path == "/events"
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{tokens: map[string]oneTime{}, browsers: map[string]*browser{}, now: now}
}

// newToken makes a one-time token for the pages of plugin ("" for all).
func (s *sessions) newToken(plugin string) string {
	t := randomToken()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, ot := range s.tokens {
		if now.After(ot.expires) {
			delete(s.tokens, k)
		}
	}
	s.tokens[t] = oneTime{expires: now.Add(tokenTTL), plugin: plugin}
	return t
}

// newCodeToken makes a one-time token for plugin's page that opens it
// only with code.
func (s *sessions) newCodeToken(plugin, code string) string {
	t := s.newToken(plugin)
	s.mu.Lock()
	ot := s.tokens[t]
	ot.code = code
	s.tokens[t] = ot
	s.mu.Unlock()
	return t
}

// needsCode reports whether token is a live code link.
func (s *sessions) needsCode(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ot, ok := s.tokens[token]
	return ok && ot.code != "" && !s.now().After(ot.expires)
}

// exchangeCode spends a code link whose code is right for a session, as
// exchange does. left is how many tries remain after a wrong code (0: the
// link is spent).
func (s *sessions) exchangeCode(token, code string, have *browser) (id string, left int) {
	s.mu.Lock()
	ot, ok := s.tokens[token]
	if !ok || ot.code == "" || s.now().After(ot.expires) {
		delete(s.tokens, token)
		s.mu.Unlock()
		return "", 0
	}
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(code)), []byte(ot.code)) != 1 {
		ot.tries++
		left = codeTries - ot.tries
		if left <= 0 {
			delete(s.tokens, token)
		} else {
			s.tokens[token] = ot
		}
		s.mu.Unlock()
		return "", left
	}
	ot.code = ""
	s.tokens[token] = ot
	s.mu.Unlock()
	return s.exchange(token, have), 0
}

// codes are the code links not yet used.
func (s *sessions) codes() []pendingCode {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []pendingCode
	for _, ot := range s.tokens {
		if ot.code != "" && !s.now().After(ot.expires) {
			out = append(out, pendingCode{ot.plugin, ot.code})
		}
	}
	return out
}

// exchange spends a one-time token for a new browser session: its cookie
// value, "" when the token is unknown, spent or expired. A browser whose
// session (have) opens every page keeps it (keepSession).
func (s *sessions) exchange(token string, have *browser) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ot, ok := s.tokens[token]
	if ok && ot.code != "" {
		return "" // only with its code (exchangeCode)
	}
	delete(s.tokens, token)
	s.tellSpentLocked(token)
	if !ok || s.now().After(ot.expires) {
		return ""
	}
	if have != nil && (have.plugin == "" || have.plugin == ot.plugin) {
		return keepSession
	}
	id := randomToken()
	s.browsers[id] = &browser{csrf: randomToken(), expires: s.now().Add(sessionTTL), plugin: ot.plugin}
	return id
}

// lookup is the browser session of cookie value id, nil when none.
func (s *sessions) lookup(id string) *browser {
	if id == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.browsers[id]
	if !ok {
		return nil
	}
	now := s.now()
	if now.After(b.expires) {
		delete(s.browsers, id)
		return nil
	}
	b.expires = now.Add(sessionTTL)
	return b
}

// checkCSRF reports whether form value got is the session's CSRF token.
func (b *browser) checkCSRF(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(b.csrf)) == 1
}

// loopbackAddr reports whether addr (host:port) is on a loopback address.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostAllowed reports whether a request's Host header names the page's
// listener: its own address, or localhost with its port. Anything else is
// a DNS-rebinding attempt (a foreign name resolving to 127.0.0.1).
func (srv *Server) hostAllowed(host string) bool {
	if host == srv.addr {
		return true
	}
	h, p, err := net.SplitHostPort(host)
	if err != nil {
		return false
	}
	return p == srv.port && (h == "localhost" || h == "127.0.0.1" || h == "[::1]" || h == "::1")
}

// sameOrigin reports whether an unsafe request comes from the page itself:
// its Origin (or, without one, its Referer) is the page's origin. A
// request with neither is refused: every browser sends Origin on a POST.
func (srv *Server) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		ref := r.Header.Get("Referer")
		if ref == "" {
			return false
		}
		u, err := url.Parse(ref)
		if err != nil {
			return false
		}
		o = u.Scheme + "://" + u.Host
	}
	u, err := url.Parse(o)
	if err != nil || u.Scheme != "http" {
		return false
	}
	return srv.hostAllowed(u.Host)
}

// securityHeaders are set on every response: nothing but the page's own
// style sheet and script, forms only to the page, no framing.
func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: with no-referrer a browser sends
	// "Origin: null" on the page's own POSTs, and sameOrigin needs it.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}
