// Package authserver is host's own minimal OAuth 2.1 authorization server
// for one person, beside `host serve --http`: authorization code with PKCE
// (S256 only), clients identified by a Client ID Metadata Document (an
// https client_id) or registered dynamically (RFC 7591), a consent page in
// host's look naming the client where the user proves themselves with a
// one-time code the serve prints (or the serve's static token), one-time
// codes, refresh-token rotation with reuse detection, and revocation (RFC
// 7009; `host clients` through Store). Codes and tokens are opaque random
// strings stored only as hashes; access tokens are checked against the
// database on each request, so a revocation holds at once.
//
// Its issuer is the origin of each request (mcpauth.Origin): the serve's
// loopback address, or its public https name behind a trusted proxy.
package authserver

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"host/bindings/sqlitedb"
	"host/cmd/host/internal/mcpauth"
)

// Paths of the endpoints (under the issuer).
const (
	MetadataPath  = "/.well-known/oauth-authorization-server"
	AuthorizePath = "/oauth/authorize"
	TokenPath     = "/oauth/token"
	RegisterPath  = "/oauth/register"
	RevokePath    = "/oauth/revoke"
)

// Lifetimes.
const (
	CodeTTL    = time.Minute
	AccessTTL  = time.Hour
	RefreshTTL = 30 * 24 * time.Hour
	// ConsentTTL bounds how long a consent page waits for the user.
	ConsentTTL = 10 * time.Minute
	// maxTries is how many wrong codes one consent page takes.
	maxTries = 5
	// maxPending bounds the consent pages open at once.
	maxPending = 32
	// maxUnapproved bounds registered clients never approved.
	maxUnapproved = 100
)

// Options configure a Server.
type Options struct {
	Store *Store
	// ResourcePath is the protected resource's path: its URI, the
	// audience of every token issued, is the request's origin with it.
	ResourcePath string
	// Scope is the one scope tokens carry.
	Scope string
	// Say tells the user, on the serve's terminal, that a client asks for
	// access and which code approves it. Called on the request's goroutine.
	Say func(line string)
	// StaticToken, when set, is accepted on the consent page in place of
	// the one-time code.
	StaticToken string
	// HTTPClient fetches Client ID Metadata Documents (nil: a default one).
	HTTPClient *http.Client
	// AccessTTL is how long an access token lives (0: AccessTTL).
	AccessTTL time.Duration
}

// Server is the authorization server. Safe for concurrent use.
type Server struct {
	o   Options
	now func() time.Time

	mu      sync.Mutex
	pending map[string]*consent // id -> a consent page waiting for the user
	lastUse map[string]time.Time
}

// New returns the authorization server o describes.
func New(o Options) *Server {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.AccessTTL <= 0 {
		o.AccessTTL = AccessTTL
	}
	return &Server{o: o, now: time.Now, pending: map[string]*consent{}, lastUse: map[string]time.Time{}}
}

// Handler serves the metadata (RFC 8414) and the endpoints. Those a
// browser-based MCP client calls from its own page (metadata, token,
// registration, revocation) answer CORS (mcpauth.CORS); the authorization
// and consent pages, where the user decides, do not.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(MetadataPath, mcpauth.CORS(http.HandlerFunc(s.metadata), http.MethodGet, http.MethodHead))
	mux.HandleFunc(AuthorizePath, s.authorize)
	mux.Handle(TokenPath, mcpauth.CORS(http.HandlerFunc(s.token), http.MethodPost))
	mux.Handle(RegisterPath, mcpauth.CORS(http.HandlerFunc(s.register), http.MethodPost))
	mux.Handle(RevokePath, mcpauth.CORS(http.HandlerFunc(s.revoke), http.MethodPost))
	return mux
}

func (s *Server) metadata(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	iss := mcpauth.Origin(r)
	mcpauth.WriteJSON(w, http.StatusOK, map[string]any{
		"issuer":                                         iss,
		"authorization_endpoint":                         iss + AuthorizePath,
		"token_endpoint":                                 iss + TokenPath,
		"registration_endpoint":                          iss + RegisterPath,
		"revocation_endpoint":                            iss + RevokePath,
		"scopes_supported":                               []string{s.o.Scope},
		"response_types_supported":                       []string{"code"},
		"response_modes_supported":                       []string{"query"},
		"grant_types_supported":                          []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported":               []string{"S256"},
		"token_endpoint_auth_methods_supported":          []string{"none"},
		"revocation_endpoint_auth_methods_supported":     []string{"none"},
		"client_id_metadata_document_supported":          true,
		"authorization_response_iss_parameter_supported": true,
	})
}

// Verify checks an access token this server issued: known, not expired,
// not revoked, for resource. It implements mcpauth.Verifier.
func (s *Server) Verify(ctx context.Context, token, resource string) (*mcpauth.Grant, error) {
	row, err := s.o.Store.lookupAccess(ctx, token)
	if err != nil {
		return nil, err
	}
	switch {
	case row == nil:
		return nil, fmt.Errorf("%w: unknown or revoked", mcpauth.ErrInvalidToken)
	case !s.now().Before(row.Expires):
		return nil, fmt.Errorf("%w: expired", mcpauth.ErrInvalidToken)
	case row.Resource != resource:
		return nil, fmt.Errorf("%w: issued for another resource (%s)", mcpauth.ErrInvalidToken, row.Resource)
	}
	s.touch(ctx, row.ClientID)
	return &mcpauth.Grant{Subject: "host-user", ClientID: row.ClientID, Scopes: strings.Fields(row.Scope), Expiry: row.Expires}, nil
}

// touch records a client's use, at most once a minute.
func (s *Server) touch(ctx context.Context, clientID string) {
	now := s.now()
	s.mu.Lock()
	last := s.lastUse[clientID]
	if now.Sub(last) < time.Minute {
		s.mu.Unlock()
		return
	}
	s.lastUse[clientID] = now
	s.mu.Unlock()
	_, _ = s.o.Store.db.ExecContext(ctx, `UPDATE clients SET last_used = ? WHERE id = ?`, now.Unix(), clientID)
}

// oauthError answers a token, registration or revocation request with an
// RFC 6749 §5.2 error.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	mcpauth.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// dbFailure says what a failed read or write of the OAuth database means
// to a client: busy (another writer holds the lock) is worth trying again;
// anything else is host's fault, which the serve's terminal is told (Say)
// with the database's own words.
func (s *Server) dbFailure(err error) (status int, code, desc string) {
	if sqlitedb.IsBusy(err) {
		return http.StatusServiceUnavailable, "temporarily_unavailable", "host's OAuth database is busy: try again"
	}
	if s.o.Say != nil {
		s.o.Say("host: the OAuth database failed: " + err.Error())
	}
	return http.StatusInternalServerError, "server_error", "host could not use its OAuth database (host serve's output says why)"
}

// dbError answers a request whose database step failed (dbFailure).
func (s *Server) dbError(w http.ResponseWriter, err error) {
	status, code, desc := s.dbFailure(err)
	oauthError(w, status, code, desc)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "the token endpoint takes POST")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	clientID := r.PostForm.Get("client_id")
	if u, _, ok := r.BasicAuth(); ok && clientID == "" {
		clientID, _ = url.QueryUnescape(u)
	}
	if clientID == "" {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client_id is missing")
		return
	}
	var (
		row *secretRow
		err error
	)
	ctx := r.Context()
	tx, err := s.o.Store.db.BeginTx(ctx, nil)
	if err != nil {
		s.dbError(w, err)
		return
	}
	defer func() { _ = tx.Rollback() }()
	fail := func(desc string) {
		oauthError(w, http.StatusBadRequest, "invalid_grant", desc)
	}
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "authorization_code":
		row, err = lookup(ctx, tx, "code", r.PostForm.Get("code"))
		if err != nil {
			s.dbError(w, err)
			return
		}
		switch {
		case row == nil:
			fail("the code is unknown, expired or revoked")
			return
		case row.Used:
			// A code used twice: whoever holds it may have the tokens;
			// end them (RFC 6749 §4.1.2).
			_ = revokeGrant(ctx, tx, row.ID)
			_ = tx.Commit()
			fail("the code was already used; the tokens it gave are revoked")
			return
		case !s.now().Before(row.Expires):
			fail("the code has expired")
			return
		case row.ClientID != clientID:
			fail("the code was issued to another client")
			return
		case r.PostForm.Get("redirect_uri") != row.RedirectURI:
			fail("redirect_uri does not match the authorization request's")
			return
		case r.PostForm.Get("code_verifier") == "":
			oauthError(w, http.StatusBadRequest, "invalid_request", "code_verifier is missing (PKCE is required)")
			return
		case subtle.ConstantTimeCompare([]byte(oauth2.S256ChallengeFromVerifier(r.PostForm.Get("code_verifier"))), []byte(row.Challenge)) != 1:
			fail("code_verifier does not match the code_challenge")
			return
		}
		if _, err := tx.ExecContext(ctx, `UPDATE secrets SET used = 1 WHERE hash = ?`, hash(r.PostForm.Get("code"))); err != nil {
			s.dbError(w, err)
			return
		}
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		row, err = lookup(ctx, tx, "refresh", rt)
		if err != nil {
			s.dbError(w, err)
			return
		}
		switch {
		case row == nil:
			fail("the refresh token is unknown or revoked")
			return
		case row.ClientID != clientID:
			fail("the refresh token was issued to another client")
			return
		case row.Used:
			// A rotated refresh token presented again: it leaked, or
			// the client lost the new one. End the grant (OAuth 2.1
			// §4.3.1).
			_ = revokeGrant(ctx, tx, row.ID)
			_ = tx.Commit()
			fail("the refresh token was already used; the grant is revoked, authorize again")
			return
		case !s.now().Before(row.Expires):
			fail("the refresh token has expired")
			return
		}
		if _, err := tx.ExecContext(ctx, `UPDATE secrets SET used = 1 WHERE hash = ?`, hash(rt)); err != nil {
			s.dbError(w, err)
			return
		}
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is missing")
		return
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type %q is not supported (authorization_code, refresh_token)", gt))
		return
	}
	if res := r.PostForm.Get("resource"); res != "" && res != row.Resource {
		oauthError(w, http.StatusBadRequest, "invalid_target", "resource is not the one this grant is for")
		return
	}
	access, err := s.o.Store.issue(ctx, tx, "access", row.ID, s.o.AccessTTL, "", "")
	if err != nil {
		s.dbError(w, err)
		return
	}
	refresh, err := s.o.Store.issue(ctx, tx, "refresh", row.ID, RefreshTTL, "", "")
	if err != nil {
		s.dbError(w, err)
		return
	}
	// Expired codes and tokens are of no use to anyone.
	if _, err := tx.ExecContext(ctx, `DELETE FROM secrets WHERE expires < ?`, s.now().Unix()); err != nil {
		s.dbError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		s.dbError(w, err)
		return
	}
	w.Header().Set("Pragma", "no-cache")
	mcpauth.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token":  access,
		"token_type":    "Bearer",
		"expires_in":    int(s.o.AccessTTL.Seconds()),
		"refresh_token": refresh,
		"scope":         row.Scope,
	})
}

// revoke is RFC 7009: a refresh token ends its grant, an access token
// itself. Unknown tokens are answered 200 too.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "the revocation endpoint takes POST")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	tok := r.PostForm.Get("token")
	ctx := r.Context()
	db := s.o.Store.db
	if row, err := lookup(ctx, db, "refresh", tok); err == nil && row != nil {
		_ = revokeGrant(ctx, db, row.ID)
	} else if _, err := db.ExecContext(ctx, `DELETE FROM secrets WHERE hash = ? AND kind = 'access'`, hash(tok)); err != nil {
		s.dbError(w, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// errBadRedirect is a redirect URI host does not send codes to.
var errBadRedirect = errors.New("a redirect URI must be https, http on a loopback address (127.0.0.1, [::1], localhost), or an app's own scheme")

// checkRedirectURI accepts https, loopback http (RFC 8252 §7.3) and
// private-use schemes (RFC 8252 §7.1); never a fragment.
func checkRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Fragment != "" || strings.Contains(raw, "#") {
		return errBadRedirect
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		if u.Host == "" {
			return errBadRedirect
		}
	case "http":
		if !mcpauth.Loopback(u.Host) {
			return errBadRedirect
		}
	case "javascript", "data", "file", "vbscript", "blob", "about", "ftp", "ws", "wss":
		return errBadRedirect
	}
	return nil
}

// matchRedirect reports whether got is one of the registered URIs; a
// loopback http one matches with any port (RFC 8252 §7.3).
func matchRedirect(registered []string, got string) bool {
	gu, err := url.Parse(got)
	if err != nil {
		return false
	}
	for _, r := range registered {
		if r == got {
			return true
		}
		ru, err := url.Parse(r)
		if err != nil || ru.Scheme != "http" || gu.Scheme != "http" || !mcpauth.Loopback(ru.Host) {
			continue
		}
		if ru.Hostname() == gu.Hostname() && ru.Path == gu.Path && ru.RawQuery == gu.RawQuery {
			return true
		}
	}
	return false
}
