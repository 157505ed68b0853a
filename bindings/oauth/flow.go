package oauth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// CallbackPath is the path of the loopback redirect URI.
const CallbackPath = "/callback"

// FlowOptions are the caller's choices for Start.
type FlowOptions struct {
	// Client sends the code exchange; nil means http.DefaultClient.
	Client *http.Client
	// Name is what is being logged in (the plugin's name), for the page.
	Name string
	// Page writes the page the browser shows after the redirect, once the
	// code exchange has finished (its outcome in the CallbackResult): with
	// a Page, call Wait concurrently with the browser's visit (as a login
	// does), since the callback waits for it. It sets its own headers. Nil
	// means a plain built-in page, answered at once ("Login received").
	Page func(w http.ResponseWriter, r CallbackResult)
}

// Flow is one authorization code login (RFC 6749 4.1 with PKCE, RFC 7636)
// on a loopback redirect (RFC 8252 7.3): Start listens on 127.0.0.1, the
// caller sends the user to AuthURL, and Wait (or ExchangePasted) returns
// the tokens. A Flow takes exactly one callback whose state matches; callbacks
// with another state are answered 400 and ignored, so a stray or hostile
// request cannot end the user's login. Methods are safe for concurrent use.
// Close releases the port; it is safe to call more than once.
type Flow struct {
	cfg      Config
	oc       *oauth2.Config
	client   *http.Client
	state    string
	verifier string // "" without PKCE
	redirect string
	ln       net.Listener
	srv      *http.Server

	mu      sync.Mutex
	claimed bool // a callback or a paste with the right state was taken

	results chan callback       // the one claimed callback; buffered 1
	outcome chan CallbackResult // the exchange's outcome for the page; buffered 1
	name    string
	page    func(http.ResponseWriter, CallbackResult)
	closed  chan struct{}
	once    sync.Once

	// callbackAt is when the claimed callback arrived (benchmarks).
	callbackAt time.Time
}

type callback struct {
	code string
	err  error // a provider error from the redirect
}

// Start prepares a login: a fresh state and (when cfg.PKCE) a PKCE
// verifier, and an HTTP listener on 127.0.0.1:cfg.RedirectPort (a random
// port when 0) that serves the redirect at /callback. It does not contact
// the provider. The caller must Close the Flow. ctx bounds only Start.
func Start(ctx context.Context, cfg Config, opts FlowOptions) (*Flow, error) {
	if err := cfg.validate("authorizationUrl"); err != nil {
		return nil, err
	}
	state, err := randomString(32)
	if err != nil {
		return nil, err
	}
	f := &Flow{cfg: cfg, client: opts.Client, state: state, results: make(chan callback, 1), closed: make(chan struct{}),
		outcome: make(chan CallbackResult, 1), name: opts.Name, page: opts.Page}
	if cfg.PKCE {
		f.verifier = oauth2.GenerateVerifier()
	}
	var lc net.ListenConfig
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.RedirectPort))
	f.ln, err = lc.Listen(ctx, "tcp4", addr)
	if err != nil {
		hint := "check that the loopback interface is up"
		if cfg.RedirectPort != 0 {
			hint = fmt.Sprintf("another program uses port %d; stop it, or change auth.redirectPort if the provider allows another redirect URI", cfg.RedirectPort)
		}
		return nil, withHint(fmt.Errorf("oauth: cannot listen on %s for the login redirect: %w", addr, err), hint)
	}
	f.redirect = "http://" + f.ln.Addr().String() + CallbackPath
	f.oc = cfg.oauth2Config(f.redirect)
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, f.serveCallback)
	f.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      callbackWait + 10*time.Second, // the page waits for the exchange
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          discardLog,
	}
	go func() { _ = f.srv.Serve(f.ln) }()
	return f, nil
}

// AuthURL is the URL to open in the user's browser: response_type=code,
// client_id, redirect_uri, scope, state and, with PKCE, code_challenge and
// code_challenge_method=S256. It holds no secret the user may not see.
func (f *Flow) AuthURL() string {
	var opts []oauth2.AuthCodeOption
	if f.verifier != "" {
		opts = append(opts, oauth2.S256ChallengeOption(f.verifier))
	}
	return f.oc.AuthCodeURL(f.state, opts...)
}

// RedirectURI is http://127.0.0.1:<port>/callback, the listener's address.
func (f *Flow) RedirectURI() string { return f.redirect }

// Wait waits for the browser's callback, then exchanges its code (with the
// PKCE verifier) at the token endpoint and returns the tokens; it stores
// nothing (see Save). It returns an error matching ErrTimeout when ctx's
// deadline passes first, ctx's error when ctx is cancelled, a
// *ProviderError (errors.As) when the provider refused, an *EndpointError
// when the token endpoint could not be reached, and ErrFlowUsed when the
// callback was already taken by an earlier Wait or ExchangePasted.
// Call it once; it may run concurrently with ExchangePasted (the first
// valid answer wins).
func (f *Flow) Wait(ctx context.Context) (*Token, error) {
	f.mu.Lock()
	used := f.claimed && len(f.results) == 0
	f.mu.Unlock()
	if used {
		return nil, ErrFlowUsed
	}
	select {
	case cb := <-f.results:
		if cb.err != nil {
			return nil, cb.err
		}
		t, err := f.exchange(ctx, cb.code)
		f.report(t, err)
		return t, err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, withHintKind(ErrTimeout, HintLoginTimeout, "run the login again and finish it in the browser in time; on a machine without a browser, paste the address the browser ends on, or log in with a device code")
		}
		return nil, fmt.Errorf("oauth: waiting for the login: %w", ctx.Err())
	case <-f.closed:
		return nil, errors.New("oauth: the login was closed before the browser came back")
	}
}

// ExchangePasted finishes the login from the URL the browser ended on
// (http://127.0.0.1:<port>/callback?code=...&state=...), pasted by a user
// whose browser runs on another machine; a bare query string works too. A
// URL with another state returns ErrStateMismatch, text that is no such
// address ErrNotRedirect, both leaving the Flow waiting; otherwise it is
// Wait with the code from the URL.
func (f *Flow) ExchangePasted(ctx context.Context, pasted string) (*Token, error) {
	q, err := parsePasted(pasted)
	if err != nil {
		return nil, err
	}
	if !f.stateOK(q.Get("state")) {
		return nil, withHint(ErrStateMismatch, "paste the address from the browser tab opened for this login (start the login again if in doubt)")
	}
	cb := fromQuery(q)
	// A concurrent Wait learns that the paste took the login.
	if !f.claim(callback{err: ErrFlowUsed}, time.Time{}) {
		return nil, ErrFlowUsed
	}
	if cb.err != nil {
		return nil, cb.err
	}
	return f.exchange(ctx, cb.code)
}

// Close stops the listener and ends a pending Wait. It returns when the
// callback page has been written. Safe to call more than once.
func (f *Flow) Close() error {
	f.once.Do(func() {
		close(f.closed)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := f.srv.Shutdown(ctx); err != nil {
			_ = f.srv.Close()
		}
	})
	return nil
}

func (f *Flow) exchange(ctx context.Context, code string) (*Token, error) {
	var opts []oauth2.AuthCodeOption
	if f.verifier != "" {
		opts = append(opts, oauth2.VerifierOption(f.verifier))
	}
	start := time.Now()
	ot, err := f.oc.Exchange(withClient(ctx, f.client), code, opts...)
	if err != nil {
		return nil, mapErr(StageExchange, f.cfg.TokenURL, err)
	}
	if ot.AccessToken == "" {
		return nil, mapErr(StageExchange, f.cfg.TokenURL, errors.New("the answer has no access_token"))
	}
	t, _ := fromOAuth2(ot, f.cfg.Scopes, start)
	return t, nil
}

func (f *Flow) stateOK(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(f.state)) == 1
}

// claim takes the flow's one callback and hands cb to Wait; false when
// already taken.
func (f *Flow) claim(cb callback, at time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.claimed {
		return false
	}
	f.claimed = true
	f.callbackAt = at
	f.results <- cb // buffered 1, and only one claim succeeds
	return true
}

func (f *Flow) serveCallback(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		f.render(w, CallbackResult{Kind: CallbackWrongMethod, Status: http.StatusMethodNotAllowed})
		return
	}
	q := r.URL.Query()
	if !f.stateOK(q.Get("state")) {
		f.render(w, CallbackResult{Kind: CallbackStateMismatch, Status: http.StatusBadRequest})
		return
	}
	cb := fromQuery(q)
	if !f.claim(cb, at) {
		f.render(w, CallbackResult{Kind: CallbackAlreadyUsed, Status: http.StatusGone})
		return
	}
	if cb.err != nil {
		res := CallbackResult{Kind: CallbackProviderError, Err: cb.err}
		var pe *ProviderError
		if errors.As(cb.err, &pe) {
			res.ProviderCode, res.ProviderDescription = pe.Code, pe.Description
		}
		f.render(w, res)
		return
	}
	if f.page == nil {
		f.render(w, CallbackResult{Kind: CallbackReceived})
		return
	}
	// Answer with the real outcome: wait for Wait's code exchange.
	timer := time.NewTimer(callbackWait)
	defer timer.Stop()
	select {
	case res := <-f.outcome:
		f.render(w, res)
	case <-timer.C:
		f.render(w, CallbackResult{Kind: CallbackNoResult})
	case <-f.closed:
		f.render(w, CallbackResult{Kind: CallbackNoResult})
	case <-r.Context().Done():
	}
}

// fromQuery reads the redirect's code or error.
func fromQuery(q url.Values) callback {
	if code := q.Get("error"); code != "" {
		return callback{err: providerErr(&ProviderError{Stage: StageAuthorize, Code: clean(code, 64), Description: clean(q.Get("error_description"), 300)})}
	}
	if code := q.Get("code"); code != "" {
		return callback{code: code}
	}
	return callback{err: withHint(errors.New("oauth: the provider's redirect has neither a code nor an error"),
		"check the plugin's auth.authorizationUrl and try the login again")}
}

func parsePasted(s string) (url.Values, error) {
	s = strings.TrimSpace(s)
	bad := withHint(ErrNotRedirect,
		"copy the whole address from the browser's address bar (it starts with http://127.0.0.1 and contains code= and state=)")
	if s == "" {
		return nil, bad
	}
	raw := s
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		raw = u.RawQuery
	} else {
		raw = strings.TrimPrefix(raw, "?")
	}
	q, err := url.ParseQuery(raw)
	if err != nil || (q.Get("code") == "" && q.Get("error") == "") || q.Get("state") == "" {
		return nil, bad
	}
	return q, nil
}

var discardLog = log.New(io.Discard, "", 0)

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("oauth: no randomness for the login state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
