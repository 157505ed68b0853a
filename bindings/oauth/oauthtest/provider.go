// Package oauthtest is a stand-in OAuth2 provider for tests (`host demo`
// has its own, cmd/host/internal/demo; the binary never links this
// package): an HTTPS server (a fresh self-signed certificate for
// myservice.com, *.myservice.com, localhost and 127.0.0.1) with the
// authorization endpoint, the token endpoint (authorization_code with PKCE
// verification, rotating refresh tokens, the device_code grant), the
// device authorization endpoint (RFC 8628) and GET /me for bearer checks.
// It also plays the user's browser (Visit, Browser).
//
// Every token and code it issues is obviously fake ("fake-access-...").
// It never logs. All methods are safe for concurrent use.
package oauthtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"html"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"host/bindings/fetch"
)

// Paths of the provider's endpoints.
const (
	AuthorizePath  = "/oauth/authorize"
	TokenPath      = "/oauth/token"
	DeviceCodePath = "/oauth/device/code"
	DevicePagePath = "/device"
	MePath         = "/me"
)

// DefaultClientID is the client the provider knows unless Options says
// otherwise: the documents' `clientId: 'my-app'`.
const DefaultClientID = "my-app"

// Hosts are the names the certificate covers and ConnectTo routes.
var Hosts = []string{"myservice.com", "api.myservice.com"}

// Options configure a Provider. Change them on a running provider with
// Update.
type Options struct {
	ClientID    string // the only client_id accepted; default DefaultClientID
	RequirePKCE bool   // authorize refuses requests without an S256 code_challenge

	Deny            bool   // authorize redirects with error=access_denied
	DenyDescription string // its error_description; a default when ""

	NoRotate  bool // refresh returns no refresh_token and keeps the old one valid
	ExpiresIn int  // access token lifetime in seconds; 0: 3600; <0: expires_in omitted

	TokenStatus int           // non-zero: the token endpoint answers this status with error=server_error
	TokenDelay  time.Duration // the token endpoint waits this long before answering

	DeviceInterval  int  // interval in the device authorization answer; 0: 1
	DeviceExpiresIn int  // device code lifetime in seconds; 0: 600
	DevicePending   int  // authorization_pending answers before approval (after the slow_downs)
	DeviceSlowDown  int  // slow_down answers first
	DeviceDeny      bool // access_denied instead of approval
	// The next DeviceDrop device polls (counted from when the options were
	// set) have their connection closed without an answer, then
	// DeviceUnavailable more get a bare 503 (no OAuth error): the
	// transient failures a client must poll through.
	DeviceDrop        int
	DeviceUnavailable int
}

// Provider is a running stand-in. Close stops it.
type Provider struct {
	srv *httptest.Server

	mu      sync.Mutex
	opts    Options
	codes   map[string]*grant
	refresh map[string]*refreshGrant
	access  map[string]time.Time // access token -> expiry (zero: none)
	devices map[string]*device
	lastReq url.Values
	// lastExpiry is the newest access token's expiry.
	lastExpiry time.Time

	authorizes  atomic.Int64
	exchanges   atomic.Int64
	refreshes   atomic.Int64
	devicePolls atomic.Int64
	pollsBefore int64 // devicePolls when the options were last set (under mu)

	browserOnce sync.Once
	browser     *http.Client
	tokenNanos  atomic.Int64
	seq         atomic.Int64
}

type grant struct {
	redirectURI, challenge, scope string
	expires                       time.Time
	used                          bool
}

type refreshGrant struct {
	scope   string
	revoked bool
}

type device struct {
	userCode, scope string
	expires         time.Time
	slow, pending   int
	done            bool
}

// New starts a provider with opts.
func New(opts Options) *Provider {
	p := &Provider{
		opts:    opts,
		codes:   map[string]*grant{},
		refresh: map[string]*refreshGrant{},
		access:  map[string]time.Time{},
		devices: map[string]*device{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+AuthorizePath, p.authorize)
	mux.HandleFunc("POST "+TokenPath, p.token)
	mux.HandleFunc("POST "+DeviceCodePath, p.deviceCode)
	mux.HandleFunc("GET "+DevicePagePath, p.devicePage)
	mux.HandleFunc("GET "+MePath, p.me)
	p.srv = httptest.NewUnstartedServer(mux)
	p.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	cert, err := selfSigned()
	if err != nil {
		panic(err) // only with a broken crypto/rand
	}
	p.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	p.srv.StartTLS()
	return p
}

// Close stops the server.
func (p *Provider) Close() { p.srv.Close() }

// Update changes the options of the running provider.
func (p *Provider) Update(fn func(o *Options)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(&p.opts)
	p.pollsBefore = p.devicePolls.Load()
}

// Addr is 127.0.0.1:port, the target for --connect-to.
func (p *Provider) Addr() string { return p.srv.Listener.Addr().String() }

// URL is https://127.0.0.1:port; the endpoints are URL()+AuthorizePath etc.
func (p *Provider) URL() string { return p.srv.URL }

// ConnectTo routes Hosts on port 443 to the provider, as
// --connect-to myservice.com:443:127.0.0.1:PORT does.
func (p *Provider) ConnectTo() []fetch.ConnectTo {
	_, port, _ := net.SplitHostPort(p.Addr())
	var rules []fetch.ConnectTo
	for _, h := range Hosts {
		rules = append(rules, fetch.ConnectTo{Host: h, Port: "443", ToHost: "127.0.0.1", ToPort: port})
	}
	return rules
}

// Pool trusts the provider's certificate.
func (p *Provider) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.srv.TLS.Certificates[0].Leaf)
	return pool
}

// CertPEM is the provider's certificate, for SSL_CERT_FILE.
func (p *Provider) CertPEM() []byte {
	return pemCert(p.srv.TLS.Certificates[0].Leaf.Raw)
}

// Client is a host-like HTTP client (fetch.NewClient) that trusts the
// provider and sends myservice.com and api.myservice.com to it.
func (p *Provider) Client() *http.Client {
	return fetch.NewClient(fetch.ClientOptions{RootCAs: p.Pool(), ConnectTo: p.ConnectTo()})
}

// Counters of requests the provider answered.
func (p *Provider) AuthorizeCount() int  { return int(p.authorizes.Load()) }
func (p *Provider) ExchangeCount() int   { return int(p.exchanges.Load()) }
func (p *Provider) RefreshCount() int    { return int(p.refreshes.Load()) }
func (p *Provider) DevicePollCount() int { return int(p.devicePolls.Load()) }

// TokenTime is the total time the token endpoint spent answering,
// including TokenDelay.
func (p *Provider) TokenTime() time.Duration { return time.Duration(p.tokenNanos.Load()) }

// LastAuthorize is the query of the last authorization request.
func (p *Provider) LastAuthorize() url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastReq
}

// Issue mints a token pair as a completed login would, without the flow:
// for seeding a keyring. scope is space-separated.
func (p *Provider) Issue(scope string) (access, refresh string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	access, refresh = p.newAccess(), p.newRefresh(scope)
	return access, refresh
}

// ValidAccess reports whether tok is an access token the provider issued
// that has not expired.
func (p *Provider) ValidAccess(tok string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	exp, ok := p.access[tok]
	return ok && (exp.IsZero() || time.Now().Before(exp))
}

// Expiry is when the newest access token expires, by the lifetime the
// provider gave it (zero: it does not expire, or none was issued): a test
// waits for it instead of guessing a sleep.
func (p *Provider) Expiry() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastExpiry
}

// ValidRefresh reports whether tok is a refresh token the provider would
// accept now.
func (p *Provider) ValidRefresh(tok string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	g, ok := p.refresh[tok]
	return ok && !g.revoked
}

// RevokeAll makes every refresh token issued so far invalid (a password
// change, a revoked app), so the next refresh gets invalid_grant.
func (p *Provider) RevokeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, g := range p.refresh {
		g.revoked = true
	}
}

// --- authorization endpoint ---

func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	p.authorizes.Add(1)
	q := r.URL.Query()
	p.mu.Lock()
	p.lastReq = q
	opts := p.opts
	p.mu.Unlock()
	if q.Get("client_id") != clientID(opts) {
		page(w, http.StatusBadRequest, "Unknown client", "client_id "+q.Get("client_id")+" is not registered.")
		return
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !loopback(redirect) {
		page(w, http.StatusBadRequest, "Bad redirect_uri", "redirect_uri must be an http URL on a loopback address (RFC 8252).")
		return
	}
	back := func(v url.Values) {
		if s := q.Get("state"); s != "" {
			v.Set("state", s)
		}
		u := *redirect
		u.RawQuery = v.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
	fail := func(code, desc string) { back(url.Values{"error": {code}, "error_description": {desc}}) }
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "only response_type=code is supported")
		return
	case q.Get("state") == "":
		fail("invalid_request", "state is required")
		return
	case challenge != "" && method != "S256":
		fail("invalid_request", "code_challenge_method must be S256")
		return
	case challenge == "" && opts.RequirePKCE:
		fail("invalid_request", "PKCE is required: send code_challenge with method S256")
		return
	case opts.Deny:
		desc := opts.DenyDescription
		if desc == "" {
			desc = "The user denied the request"
		}
		fail("access_denied", desc)
		return
	}
	p.mu.Lock()
	code := p.id("fake-code")
	p.codes[code] = &grant{redirectURI: redirect.String(), challenge: challenge, scope: q.Get("scope"), expires: time.Now().Add(10 * time.Minute)}
	p.mu.Unlock()
	back(url.Values{"code": {code}})
}

func loopback(u *url.URL) bool {
	if u.Scheme != "http" || u.User != nil || u.Port() == "" {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// --- token endpoint ---

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() { p.tokenNanos.Add(int64(time.Since(start))) }()
	p.mu.Lock()
	opts := p.opts
	pollsBefore := p.pollsBefore
	p.mu.Unlock()
	if opts.TokenDelay > 0 {
		time.Sleep(opts.TokenDelay)
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	grantType := r.PostForm.Get("grant_type")
	switch grantType {
	case "authorization_code":
		p.exchanges.Add(1)
	case "refresh_token":
		p.refreshes.Add(1)
	case "urn:ietf:params:oauth:grant-type:device_code":
		switch n := int(p.devicePolls.Add(1) - pollsBefore); {
		case n <= opts.DeviceDrop:
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		case n <= opts.DeviceDrop+opts.DeviceUnavailable:
			http.Error(w, "upstream unavailable", http.StatusServiceUnavailable)
			return
		}
	}
	if opts.TokenStatus != 0 {
		oauthError(w, opts.TokenStatus, "server_error", "the stand-in is configured to fail")
		return
	}
	if r.PostForm.Get("client_id") != clientID(opts) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "unknown client")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch grantType {
	case "authorization_code":
		p.codeGrant(w, r.PostForm, opts)
	case "refresh_token":
		p.refreshGrant(w, r.PostForm, opts)
	case "urn:ietf:params:oauth:grant-type:device_code":
		p.deviceGrant(w, r.PostForm, opts)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type "+grantType+" is not supported")
	}
}

// codeGrant runs with p.mu held.
func (p *Provider) codeGrant(w http.ResponseWriter, f url.Values, opts Options) {
	g, ok := p.codes[f.Get("code")]
	switch {
	case !ok:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown authorization code")
		return
	case g.used:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the authorization code was already used")
		return
	}
	g.used = true
	switch {
	case time.Now().After(g.expires):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the authorization code expired")
		return
	case f.Get("redirect_uri") != g.redirectURI:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
		return
	case g.challenge != "" && s256(f.Get("code_verifier")) != g.challenge:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "PKCE verification failed: code_verifier does not match code_challenge")
		return
	case g.challenge == "" && opts.RequirePKCE:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "PKCE is required")
		return
	}
	p.tokens(w, g.scope, "", opts)
}

// refreshGrant runs with p.mu held.
func (p *Provider) refreshGrant(w http.ResponseWriter, f url.Values, opts Options) {
	old := f.Get("refresh_token")
	g, ok := p.refresh[old]
	if !ok || g.revoked {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the refresh token is invalid, expired or revoked")
		return
	}
	keep := old
	if !opts.NoRotate {
		g.revoked = true
		keep = ""
	}
	p.tokens(w, g.scope, keep, opts)
}

// tokens issues an access token and, unless keep names the refresh token
// that stays valid, a new refresh token; p.mu held.
func (p *Provider) tokens(w http.ResponseWriter, scope, keep string, opts Options) {
	body := map[string]any{"access_token": p.newAccess(), "token_type": "Bearer"}
	if keep == "" {
		body["refresh_token"] = p.newRefresh(scope)
	}
	if n := lifetime(opts); n > 0 {
		body["expires_in"] = n
	}
	if scope != "" {
		body["scope"] = scope
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

func lifetime(opts Options) int {
	switch {
	case opts.ExpiresIn == 0:
		return 3600
	case opts.ExpiresIn < 0:
		return 0
	}
	return opts.ExpiresIn
}

// newAccess records a new access token; p.mu held.
func (p *Provider) newAccess() string {
	tok := p.id("fake-access")
	var exp time.Time
	if n := lifetime(p.opts); n > 0 {
		exp = time.Now().Add(time.Duration(n) * time.Second)
	}
	p.access[tok] = exp
	p.lastExpiry = exp
	return tok
}

// newRefresh records a new refresh token; p.mu held.
func (p *Provider) newRefresh(scope string) string {
	tok := p.id("fake-refresh")
	p.refresh[tok] = &refreshGrant{scope: scope}
	return tok
}

func (p *Provider) id(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", prefix, p.seq.Add(1), hex.EncodeToString(b))
}

// --- device authorization (RFC 8628) ---

func (p *Provider) deviceCode(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	opts := p.opts
	p.mu.Unlock()
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	if r.PostForm.Get("client_id") != clientID(opts) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "unknown client")
		return
	}
	life := opts.DeviceExpiresIn
	if life <= 0 {
		life = 600
	}
	interval := opts.DeviceInterval
	if interval <= 0 {
		interval = 1
	}
	p.mu.Lock()
	dc := p.id("fake-device")
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	user := strings.ToUpper(hex.EncodeToString(b[:2]) + "-" + hex.EncodeToString(b[2:]))
	p.devices[dc] = &device{userCode: user, scope: r.PostForm.Get("scope"), expires: time.Now().Add(time.Duration(life) * time.Second),
		slow: opts.DeviceSlowDown, pending: opts.DevicePending}
	p.mu.Unlock()
	verify := "https://" + r.Host + DevicePagePath
	writeJSON(w, http.StatusOK, map[string]any{
		"device_code":               dc,
		"user_code":                 user,
		"verification_uri":          verify,
		"verification_uri_complete": verify + "?user_code=" + url.QueryEscape(user),
		"expires_in":                life,
		"interval":                  interval,
	})
}

// deviceGrant runs with p.mu held.
func (p *Provider) deviceGrant(w http.ResponseWriter, f url.Values, opts Options) {
	d, ok := p.devices[f.Get("device_code")]
	switch {
	case !ok || d.done:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown or used device code")
	case time.Now().After(d.expires):
		oauthError(w, http.StatusBadRequest, "expired_token", "the device code expired")
	case d.slow > 0:
		d.slow--
		oauthError(w, http.StatusBadRequest, "slow_down", "polling too fast")
	case d.pending > 0:
		d.pending--
		oauthError(w, http.StatusBadRequest, "authorization_pending", "the user has not approved yet")
	case opts.DeviceDeny:
		d.done = true
		oauthError(w, http.StatusBadRequest, "access_denied", "the user denied the request")
	default:
		d.done = true
		p.tokens(w, d.scope, "", opts)
	}
}

func (p *Provider) devicePage(w http.ResponseWriter, r *http.Request) {
	page(w, http.StatusOK, "Device login", "Enter the code shown in your terminal: "+r.URL.Query().Get("user_code"))
}

// --- resource ---

func (p *Provider) me(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !p.ValidAccess(tok) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": "user-1", "name": "Demo User"})
}

// --- the user's browser ---

// Page is what the browser ended on.
type Page struct {
	Status int
	URL    string // the final URL, e.g. the loopback callback
	Body   string
}

// Visit plays the user's browser on authURL: it requests it (myservice.com
// names reach the provider), follows the provider's redirect to the
// loopback callback, as a browser does, and returns the final page.
func (p *Provider) Visit(authURL string) (*Page, error) {
	p.browserOnce.Do(func() { p.browser = p.Client() })
	resp, err := p.browser.Get(authURL)
	if err != nil {
		return nil, fmt.Errorf("oauthtest browser: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("oauthtest browser: %w", err)
	}
	return &Page{Status: resp.StatusCode, URL: resp.Request.URL.String(), Body: string(b)}, nil
}

// Browser is Visit for use as the host's browser opener: an error when
// the final page is not 200.
func (p *Provider) Browser(authURL string) error {
	pg, err := p.Visit(authURL)
	if err != nil {
		return err
	}
	if pg.Status != http.StatusOK {
		return fmt.Errorf("oauthtest browser: %s answered %d", stripQuery(pg.URL), pg.Status)
	}
	return nil
}

// RedirectOnly requests authURL without following the redirect and
// returns the Location the provider sends the browser to (for tests that
// deliver the callback themselves, e.g. the --paste flow).
func (p *Provider) RedirectOnly(authURL string) (string, error) {
	c := p.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(authURL)
	if err != nil {
		return "", fmt.Errorf("oauthtest browser: %w", err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || loc == "" {
		return "", fmt.Errorf("oauthtest browser: authorize answered %d without a redirect", resp.StatusCode)
	}
	return loc, nil
}

// --- helpers ---

func clientID(o Options) string {
	if o.ClientID == "" {
		return DefaultClientID
	}
	return o.ClientID
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func page(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><title>%[1]s</title><h1>%[1]s</h1><p>%[2]s</p>\n", html.EscapeString(title), html.EscapeString(msg))
}

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func stripQuery(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// selfSigned makes a fresh certificate for Hosts, localhost and the
// loopback addresses, valid for a day.
func selfSigned() (tls.Certificate, error) {
	return SelfSigned("myservice.com", "*.myservice.com", "localhost")
}

// SelfSigned makes a fresh self-signed certificate (its own CA) for names
// and the loopback addresses, valid for a day: what a stand-in server needs
// for clients that trust it through a pool or SSL_CERT_FILE.
func SelfSigned(names ...string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: names[0] + " stand-in"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              names,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
