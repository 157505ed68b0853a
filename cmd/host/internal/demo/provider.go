package demo

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"host/bindings/fetch"
)

// The provider's endpoints, where the documents' OAuth2 plugin expects
// them on https://myservice.com.
const (
	authorizePath = "/oauth/authorize"
	tokenPath     = "/oauth/token"
)

// codeLifetime is how long an authorization code may wait for its
// exchange; tokenLifetime is the access tokens' expires_in.
const (
	codeLifetime  = 5 * time.Minute
	tokenLifetime = time.Hour
)

// Provider is the OAuth2 provider `host demo` logs the documents' OAuth2
// plugin in to, standing in for https://myservice.com: an authorization
// endpoint that approves every valid request at once (there is no user to
// ask) and redirects to the loopback callback with code and state, and a
// token endpoint for the authorization_code grant (PKCE with S256 is
// required) and the refresh_token grant (refresh tokens rotate). It knows
// one public client. Every code and token it issues starts with "fake-".
// Its methods are safe for concurrent use.
type Provider struct {
	srv      *tlsServer
	clientID string
	client   *http.Client

	mu      sync.Mutex
	codes   map[string]authRequest // authorization code -> what it grants
	refresh map[string]string      // valid refresh token -> its scope

	exchanges atomic.Int64
}

// authRequest is an approved authorization request waiting for its code
// to be exchanged.
type authRequest struct {
	redirectURI, challenge, scope string
	expires                       time.Time
}

// StartProvider starts the provider on 127.0.0.1 for the public client
// clientID. Close it.
func StartProvider(clientID string) (*Provider, error) {
	p := &Provider{clientID: clientID, codes: map[string]authRequest{}, refresh: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+authorizePath, p.authorize)
	mux.HandleFunc("POST "+tokenPath, p.token)
	srv, err := startTLS(mux, "myservice.com")
	if err != nil {
		return nil, err
	}
	p.srv = srv
	_, port, err := net.SplitHostPort(srv.addr)
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("demo: the provider's address %q: %w", srv.addr, err)
	}
	p.client = fetch.NewClient(fetch.ClientOptions{
		RootCAs:   srv.Pool(),
		ConnectTo: []fetch.ConnectTo{{Host: "myservice.com", Port: "443", ToHost: "127.0.0.1", ToPort: port}},
	})
	return p, nil
}

// Addr is the provider's 127.0.0.1:port.
func (p *Provider) Addr() string { return p.srv.addr }

// Client is an HTTP client for the host to use: it sends
// https://myservice.com to the provider and trusts its certificate.
func (p *Provider) Client() *http.Client { return p.client }

// Exchanges counts the authorization codes exchanged for tokens, each
// after its PKCE verifier matched.
func (p *Provider) Exchanges() int64 { return p.exchanges.Load() }

// Close stops the provider.
func (p *Provider) Close() { p.srv.Close() }

// Approve is the user's browser for the host to open authURL with: it
// loads the authorization page, which approves at once, and follows the
// redirect to the host's loopback callback. It fails unless the callback
// answers 200.
func (p *Provider) Approve(authURL string) error {
	resp, err := p.client.Get(authURL)
	if err != nil {
		return fmt.Errorf("demo browser: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		u := *resp.Request.URL
		u.RawQuery = "" // the callback's query holds the code
		return fmt.Errorf("demo browser: %s answered %s", u.String(), resp.Status)
	}
	return nil
}

// authorize approves the request: errors the client can be told of go
// back to it on the redirect (RFC 6749 4.1.2.1); without a client or a
// redirect URI to trust, the page says what is wrong.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.clientID {
		http.Error(w, fmt.Sprintf("unknown client_id %q: this provider knows only %q", q.Get("client_id"), p.clientID), http.StatusBadRequest)
		return
	}
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !isLoopbackHTTP(back) {
		http.Error(w, "redirect_uri must be http://127.0.0.1:PORT/..., a loopback address with a port (RFC 8252)", http.StatusBadRequest)
		return
	}
	answer := url.Values{}
	if state := q.Get("state"); state != "" {
		answer.Set("state", state)
	}
	switch {
	case q.Get("response_type") != "code":
		answer.Set("error", "unsupported_response_type")
		answer.Set("error_description", "only response_type=code is supported")
	case q.Get("state") == "":
		answer.Set("error", "invalid_request")
		answer.Set("error_description", "state is required")
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		answer.Set("error", "invalid_request")
		answer.Set("error_description", "PKCE is required: send code_challenge with code_challenge_method=S256")
	default:
		code := "fake-code-" + rand.Text()
		p.mu.Lock()
		p.codes[code] = authRequest{redirectURI: back.String(), challenge: q.Get("code_challenge"),
			scope: q.Get("scope"), expires: time.Now().Add(codeLifetime)}
		p.mu.Unlock()
		answer.Set("code", code)
	}
	back.RawQuery = answer.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// isLoopbackHTTP reports whether u is a native app's loopback redirect
// URI: plain http to localhost or a loopback IP, with a port.
func isLoopbackHTTP(u *url.URL) bool {
	if u.Scheme != "http" || u.User != nil || u.Port() == "" {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// token answers the token endpoint (RFC 6749 section 5).
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	f := r.PostForm
	if f.Get("client_id") != p.clientID {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "unknown client_id")
		return
	}
	switch f.Get("grant_type") {
	case "authorization_code":
		p.exchangeCode(w, f)
	case "refresh_token":
		p.refreshTokens(w, f)
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
	}
}

// exchangeCode redeems an authorization code, once, for the PKCE
// verifier of its challenge.
func (p *Provider) exchangeCode(w http.ResponseWriter, f url.Values) {
	p.mu.Lock()
	req, ok := p.codes[f.Get("code")]
	delete(p.codes, f.Get("code")) // a code is good for one try
	p.mu.Unlock()
	var problem string
	switch {
	case !ok:
		problem = "the authorization code is unknown or was already used"
	case time.Now().After(req.expires):
		problem = "the authorization code expired"
	case f.Get("redirect_uri") != req.redirectURI:
		problem = "redirect_uri differs from the authorization request's"
	case !pkceMatches(f.Get("code_verifier"), req.challenge):
		problem = "code_verifier does not match the code_challenge (PKCE)"
	}
	if problem != "" {
		tokenError(w, http.StatusBadRequest, "invalid_grant", problem)
		return
	}
	p.exchanges.Add(1)
	p.issue(w, req.scope)
}

// refreshTokens trades a refresh token for new tokens; the old one is
// spent.
func (p *Provider) refreshTokens(w http.ResponseWriter, f url.Values) {
	p.mu.Lock()
	scope, ok := p.refresh[f.Get("refresh_token")]
	delete(p.refresh, f.Get("refresh_token"))
	p.mu.Unlock()
	if !ok {
		tokenError(w, http.StatusBadRequest, "invalid_grant", "the refresh token is unknown or was already used")
		return
	}
	p.issue(w, scope)
}

// pkceMatches reports whether verifier hashes to challenge by S256
// (RFC 7636 section 4.6).
func pkceMatches(verifier, challenge string) bool {
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return verifier != "" && subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

// issue answers with a new access token and a new refresh token for scope.
func (p *Provider) issue(w http.ResponseWriter, scope string) {
	refresh := "fake-refresh-" + rand.Text()
	p.mu.Lock()
	p.refresh[refresh] = scope
	p.mu.Unlock()
	answer := map[string]any{
		"access_token":  "fake-access-" + rand.Text(),
		"token_type":    "Bearer",
		"expires_in":    int(tokenLifetime / time.Second),
		"refresh_token": refresh,
	}
	if scope != "" {
		answer["scope"] = scope
	}
	sendJSON(w, http.StatusOK, answer)
}

// tokenError is the token endpoint's error answer (RFC 6749 5.2).
func tokenError(w http.ResponseWriter, status int, code, description string) {
	sendJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func sendJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
