package mcpserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/cmd/host/internal/mcpauth"
)

// Path is where the Streamable HTTP endpoint is served.
const Path = "/mcp"

// HTTPOptions configure the Streamable HTTP endpoint.
type HTTPOptions struct {
	// Token is the bearer token every request must carry
	// (Authorization: Bearer TOKEN); empty turns authentication off, which
	// CheckListen allows only on loopback.
	Token string
	// Authorize, when set, decides instead of Token whether a request
	// may reach MCP, and who sends it (user: the same for every request
	// of one client's grant); when it returns false it has answered the
	// request (401 with an OAuth challenge, 403). Called after the Host
	// and Origin checks, before routing. A session (2025-11-25) belongs
	// to the user who opened it: another user's request for it is 403.
	Authorize func(http.ResponseWriter, *http.Request) (user string, ok bool)
	// AllowRemote accepts any Host header (the listener is not loopback).
	// Without it only loopback names and addresses are accepted, so a DNS
	// rebinding page cannot reach the server through a name of its own.
	AllowRemote bool
	// SessionTimeout closes sessions idle this long (default 30 minutes).
	SessionTimeout time.Duration
	// MaxSessions caps the sessions (2025-11-25 and earlier) open at once
	// (default MaxSessions); MaxSessionsPerToken those of one bearer token
	// (default MaxSessionsPerToken). A client past either gets 429 and a
	// JSON-RPC error saying which cap and what to do.
	MaxSessions, MaxSessionsPerToken int
}

// The session caps' defaults: far above what AI clients open (one or a few
// each), far below what exhausts the serve's memory.
const (
	MaxSessions         = 256
	MaxSessionsPerToken = 64
)

// HTTPHandler serves MCP's Streamable HTTP transport at Path. A request
// in 2026-07-28 (an MCP-Protocol-Version header of that revision or later,
// or, on a POST without a session, a body whose _meta names one) is served
// sessionless, each request on its own; any other on the sessions of
// 2025-11-25 and earlier (Mcp-Session-Id, as the SDK implements them).
// Before MCP sees a request: a foreign Host (unless AllowRemote) or an
// Origin other than the server's own is 403; a missing or wrong bearer
// token is 401.
func (s *Server) HTTPHandler(o HTTPOptions) http.Handler {
	if o.SessionTimeout == 0 {
		o.SessionTimeout = 30 * time.Minute
	}
	if o.MaxSessions == 0 {
		o.MaxSessions = MaxSessions
	}
	if o.MaxSessionsPerToken == 0 {
		o.MaxSessionsPerToken = MaxSessionsPerToken
	}
	caps := &sessionCaps{s: s, o: o, owner: map[string]*sessionOwner{}, pending: map[string]int{}}
	get := func(*http.Request) *mcp.Server { return s.mcp }
	sessions := mcp.NewStreamableHTTPHandler(get, &mcp.StreamableHTTPOptions{
		SessionTimeout: o.SessionTimeout,
		// Host is checked below, with the same rule for every listener.
		DisableLocalhostProtection: true,
		// Streams start with a priming event (an id to resume from,
		// 2025-11-25); the store keeps a bounded tail of each session's
		// events.
		EventStore: mcp.NewMemoryEventStore(nil),
	})
	sessionless := mcp.NewStreamableHTTPHandler(get, &mcp.StreamableHTTPOptions{
		Stateless:                    true,
		DisableLocalhostProtection:   true,
		PropagateRequestCancellation: true, // the client closing a call's request cancels it
	})
	// The SDK binds a session to the TokenInfo's UserID in the request's
	// context, which only its middleware sets: it hands on the user
	// Authorize established (the token is checked once, by Authorize).
	var bound http.Handler = sessions
	if o.Authorize != nil {
		bound = auth.RequireBearerToken(func(ctx context.Context, _ string, _ *http.Request) (*auth.TokenInfo, error) {
			user, _ := ctx.Value(userKey{}).(string)
			return &auth.TokenInfo{UserID: user}, nil
		}, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(sessions)
	}
	token := []byte(o.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !o.AllowRemote && !loopbackHost(r.Host) {
			http.Error(w, "forbidden: the Host header is not a loopback address (DNS rebinding protection)", http.StatusForbidden)
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(origin, r.Host, o.AllowRemote) {
			http.Error(w, "forbidden: requests from another origin are refused", http.StatusForbidden)
			return
		}
		if o.Authorize != nil {
			user, ok := o.Authorize(w, r)
			if !ok {
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), userKey{}, user))
		} else if len(token) > 0 {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), token) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="host"`)
				http.Error(w, "unauthorized: send the token host printed as 'Authorization: Bearer TOKEN'", http.StatusUnauthorized)
				return
			}
		}
		if r.URL.Path != Path {
			http.NotFound(w, r)
			return
		}
		stateless := sessionlessRequest(r)
		user, _ := r.Context().Value(userKey{}).(string)
		if s.fastCall(w, r, stateless, caps, user) {
			return
		}
		if stateless {
			sessionless.ServeHTTP(w, r)
			return
		}
		caps.serve(bound, w, r)
	})
}

// userKey is the context key of the user Authorize established.
type userKey struct{}

// sessionCaps counts the sessions of each bearer token and in total, and
// refuses a new one past the caps.
type sessionCaps struct {
	s *Server
	o HTTPOptions

	mu       sync.Mutex
	owner    map[string]*sessionOwner // by session id
	pending  map[string]int           // token hash -> new sessions being opened
	reported bool
}

// sessionOwner is who opened a session, and when the SDK's handler last
// served one of its requests.
type sessionOwner struct {
	key  string // the token's hash
	user string // Authorize's user ("" without Authorize)
	seen time.Time
}

// serve serves r on the sessions, refusing a new session past the caps.
func (c *sessionCaps) serve(h http.Handler, w http.ResponseWriter, r *http.Request) {
	if id := r.Header.Get("Mcp-Session-Id"); r.Method != http.MethodPost || id != "" {
		serveSession(h, w, r)
		c.touched(id)
		return
	}
	sum := sha256.Sum256([]byte(r.Header.Get("Authorization")))
	key := hex.EncodeToString(sum[:8])
	c.mu.Lock()
	live := map[string]bool{}
	for ss := range c.s.mcp.Sessions() {
		if id := ss.ID(); id != "" {
			live[id] = true
		}
	}
	mine, total := c.pending[key], 0
	for _, n := range c.pending {
		total += n
	}
	for id, o := range c.owner {
		if !live[id] {
			delete(c.owner, id)
		} else if o.key == key {
			mine++
		}
	}
	total += len(c.owner)
	var problem string
	switch {
	case total >= c.o.MaxSessions:
		problem = fmt.Sprintf("too many MCP sessions: %d are open, the most host keeps; close sessions you no longer use (DELETE), or wait: sessions idle for %s are closed", total, c.o.SessionTimeout)
	case mine >= c.o.MaxSessionsPerToken:
		problem = fmt.Sprintf("too many MCP sessions for this token: %d are open, the most host keeps for one token; close sessions you no longer use (DELETE), or wait: sessions idle for %s are closed", mine, c.o.SessionTimeout)
	}
	report := problem != "" && !c.reported
	if report {
		c.reported = true
	}
	if problem == "" {
		c.pending[key]++
	}
	c.mu.Unlock()
	if problem != "" {
		if report && c.s.opts.OnProblem != nil {
			c.s.opts.OnProblem(fmt.Errorf("refusing new MCP sessions: %s (told once)", problem))
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
		out, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": nil, "error": map[string]any{"code": -32000, "message": problem}})
		_, _ = w.Write(out)
		return
	}
	serveSession(h, w, r)
	c.mu.Lock()
	if c.pending[key]--; c.pending[key] == 0 {
		delete(c.pending, key)
	}
	if id := w.Header().Get("Mcp-Session-Id"); id != "" {
		user, _ := r.Context().Value(userKey{}).(string)
		c.owner[id] = &sessionOwner{key: key, user: user, seen: time.Now()}
	}
	c.mu.Unlock()
}

// SSERetry is the reconnection delay host's event streams suggest (the SSE
// retry field) on 2025-11-25 sessions.
const SSERetry = 3 * time.Second

// serveSession serves r on the sessions of 2025-11-25 and earlier, with two
// things the SDK's handler does not do: an event stream starts with a retry
// field (how long a client waits before it resumes), and a request for a
// method the server does not know is answered as JSON-RPC says, error
// -32601 with the request's id, not a plain-text HTTP 400.
func serveSession(h http.Handler, w http.ResponseWriter, r *http.Request) {
	var body []byte
	if r.Method == http.MethodPost && r.Body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, mcp.DefaultMaxRequestBodyBytes+1))
		r.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		if err != nil {
			body = nil
		}
	}
	sw := &sessionWriter{ResponseWriter: w}
	h.ServeHTTP(sw, r)
	if !sw.intercepted {
		return
	}
	var req struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	if bytes.HasPrefix(sw.buf.Bytes(), []byte("JSON RPC not handled")) && json.Unmarshal(body, &req) == nil && len(req.ID) > 0 {
		w.Header().Del("X-Content-Type-Options")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		out, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": req.ID, "error": map[string]any{"code": -32601, "message": fmt.Sprintf("method %q not found", req.Method)}})
		_, _ = w.Write(out)
		return
	}
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(sw.buf.Bytes())
}

// sessionWriter is serveSession's view of the SDK handler's response.
type sessionWriter struct {
	http.ResponseWriter
	intercepted bool // a plain-text 400, held in buf
	buf         bytes.Buffer
	started     bool
}

func (w *sessionWriter) WriteHeader(code int) {
	if code == http.StatusBadRequest && strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		w.intercepted = true
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *sessionWriter) Write(b []byte) (int, error) {
	if w.intercepted {
		return w.buf.Write(b)
	}
	if !w.started {
		w.started = true
		if strings.HasPrefix(w.Header().Get("Content-Type"), "text/event-stream") {
			if _, err := fmt.Fprintf(w.ResponseWriter, "retry: %d\n\n", SSERetry.Milliseconds()); err != nil {
				return 0, err
			}
		}
	}
	return w.ResponseWriter.Write(b)
}

func (w *sessionWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok && !w.intercepted {
		f.Flush()
	}
}

func (w *sessionWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// sessionlessRequest reports whether r speaks 2026-07-28 or later. A POST
// without a session whose header says nothing is read ahead (at most
// maxPeek bytes; the body is put back) for the _meta key that marks the
// revision.
func sessionlessRequest(r *http.Request) bool {
	if v := r.Header.Get("Mcp-Protocol-Version"); v != "" {
		return v >= "2026-07-28"
	}
	if r.Method != http.MethodPost || r.Header.Get("Mcp-Session-Id") != "" || r.Body == nil {
		return false
	}
	head := make([]byte, maxPeek)
	n, err := io.ReadFull(r.Body, head)
	head = head[:n]
	r.Body = readCloser{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false
	}
	return bytes.Contains(head, []byte(`"io.modelcontextprotocol/protocolVersion"`))
}

// maxPeek bounds what sessionlessRequest reads ahead.
const maxPeek = 64 << 10

type readCloser struct {
	io.Reader
	io.Closer
}

// loopbackHost reports whether a Host header names this machine's
// loopback: localhost, 127.0.0.0/8 or ::1, with any port.
func loopbackHost(host string) bool { return mcpauth.Loopback(host) }

// sameOrigin reports whether a browser Origin may call: a loopback origin
// when the server is local, else exactly the server's own host.
func sameOrigin(origin, host string, remote bool) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if strings.EqualFold(u.Host, host) {
		return true
	}
	return !remote && loopbackHost(u.Host)
}

// ListenError is a --http address host refuses to serve on.
type ListenError struct{ Addr, Problem string }

func (e *ListenError) Error() string {
	return fmt.Sprintf("cannot serve MCP on %s: %s", e.Addr, e.Problem)
}

// CheckListen checks an address for the HTTP endpoint: a host and a port;
// loopback unless allowRemote; authentication off only on loopback.
func CheckListen(addr string, allowRemote, noAuth bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return &ListenError{addr, "expected HOST:PORT, e.g. 127.0.0.1:7331"}
	}
	loop := loopbackHost(host)
	if host == "" || host == "0.0.0.0" || host == "::" {
		loop = false
	}
	if !loop && !allowRemote {
		return &ListenError{addr, "it is not a loopback address, so other machines could reach the plugins; use 127.0.0.1, or pass --allow-remote if you mean it"}
	}
	if !loop && noAuth {
		return &ListenError{addr, "--no-auth is only allowed on a loopback address"}
	}
	return nil
}

// TokenFile is where the HTTP endpoint's bearer token is kept in the data
// dir (mode 0600).
const TokenFile = "mcp-token"

// LoadToken returns the bearer token kept in dataDir, creating it (32
// random bytes, base64url) the first time. A token file readable by others
// is refused.
func LoadToken(dataDir string) (string, error) {
	path := filepath.Join(dataDir, TokenFile)
	if fi, err := os.Stat(path); err == nil {
		if fi.Mode().Perm()&0o077 != 0 {
			return "", fmt.Errorf("%s is readable by other users (mode %v); remove it and host makes a new token", path, fi.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		if t := strings.TrimSpace(string(b)); t != "" {
			return t, nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	t := base64.RawURLEncoding.EncodeToString(b[:])
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(t+"\n"), 0o600); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	return t, nil
}
