// Package mcpauth is the authorization of host's MCP endpoint over HTTP,
// the OAuth 2.1 resource server side: the protected resource metadata
// (RFC 9728) at its well-known path, the Bearer challenge naming that
// metadata on a 401, and each request's access token checked, by a
// Verifier, for issuer, audience (the resource URI, RFC 8707), expiry and
// scope. Verifiers: host's own authorization server (package authserver),
// an external issuer, OpenID Connect or RFC 8414 (JWTs against its JWKS,
// or token introspection with a short cache; NewIssuer), and the static
// bearer token on loopback. CORS wraps the endpoints a browser-based
// client calls.
//
// The resource URI and the issuer are those of the request's origin: the
// Host header, or, behind a TLS-terminating proxy the user trusts
// (Options.TrustProxy), X-Forwarded-Proto and X-Forwarded-Host.
package mcpauth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// MetadataPath is the well-known prefix of protected resource metadata
// (RFC 9728 §3); a resource at /mcp has its metadata at MetadataPath+"/mcp".
const MetadataPath = "/.well-known/oauth-protected-resource"

// DefaultScope is the scope a token must carry to use host's MCP endpoint
// unless the user names another (--oauth-scope).
const DefaultScope = "mcp"

// Grant is what a valid access token allows: who, through which client,
// which scopes, until when.
type Grant struct {
	Subject  string
	ClientID string
	Scopes   []string
	Expiry   time.Time // zero: unknown (a static token)
}

// A Verifier checks an access token for the resource URI it must be meant
// for (its audience). An invalid, expired, revoked or foreign token is an
// error wrapping ErrInvalidToken; any other error is the verifier's own
// failure (the issuer cannot be reached), answered 503. Safe for
// concurrent use.
type Verifier interface {
	Verify(ctx context.Context, token, resource string) (*Grant, error)
}

// ErrInvalidToken marks a token that is not accepted. Its message never
// holds the token.
var ErrInvalidToken = errors.New("invalid token")

// Options configure a Resource.
type Options struct {
	// Path is the protected resource's path (mcpserver.Path).
	Path string
	// Issuer is the authorization server's issuer URL; empty: host's own,
	// whose issuer is the request's origin.
	Issuer string
	// Verifier checks access tokens; nil accepts only StaticToken.
	Verifier Verifier
	// StaticToken, when set, is also accepted, on loopback origins only.
	StaticToken string
	// Scope is the scope every token must carry ("" none).
	Scope string
	// TrustProxy takes the origin from X-Forwarded-Proto and
	// X-Forwarded-Host; without it those headers are removed.
	TrustProxy bool
}

// Resource is the resource server in front of host's MCP endpoint. Safe
// for concurrent use.
type Resource struct{ o Options }

// New returns the resource server o describes.
func New(o Options) *Resource { return &Resource{o: o} }

type ctxKey struct{}

// Origin is the origin (scheme://host[:port]) r was sent to, as Forwarded
// established it ("http://" + r.Host without it).
func Origin(r *http.Request) string {
	if o, ok := r.Context().Value(ctxKey{}).(string); ok {
		return o
	}
	return "http://" + r.Host
}

// Forwarded establishes each request's origin before next sees it. With
// TrustProxy the first X-Forwarded-Proto and X-Forwarded-Host give the
// scheme and replace r.Host (so Host and Origin checks see the public
// name); without it forwarded headers are dropped. A request whose origin
// is neither https nor loopback is refused: tokens and consent codes never
// travel in clear text beyond this machine.
func (rs *Resource) Forwarded(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme := "http"
		if rs.o.TrustProxy {
			if p := firstValue(r.Header.Get("X-Forwarded-Proto")); p == "https" || p == "http" {
				scheme = p
			}
			if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" {
				r.Host = h
			}
		} else {
			for _, h := range []string{"Forwarded", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-For"} {
				r.Header.Del(h)
			}
		}
		if scheme != "https" && !Loopback(r.Host) {
			http.Error(w, "forbidden: host serves other machines only over TLS; put a TLS-terminating proxy in front of it and start it with --trust-proxy", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, scheme+"://"+r.Host)))
	})
}

func firstValue(v string) string {
	v, _, _ = strings.Cut(v, ",")
	return strings.TrimSpace(v)
}

// ResourceURI is the canonical URI of the protected resource for r.
func (rs *Resource) ResourceURI(r *http.Request) string { return Origin(r) + rs.o.Path }

// Issuer is the authorization server's issuer for r.
func (rs *Resource) Issuer(r *http.Request) string {
	if rs.o.Issuer != "" {
		return rs.o.Issuer
	}
	return Origin(r)
}

// MetadataURL is where r's client finds the protected resource metadata.
func (rs *Resource) MetadataURL(r *http.Request) string {
	return Origin(r) + MetadataPath + rs.o.Path
}

// Metadata serves the protected resource metadata (RFC 9728) at
// MetadataPath+Path and at MetadataPath itself (wrap it in CORS).
func (rs *Resource) Metadata(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	md := map[string]any{
		"resource":                 rs.ResourceURI(r),
		"authorization_servers":    []string{rs.Issuer(r)},
		"bearer_methods_supported": []string{"header"},
		"resource_name":            "host (MCP tools of its plugins)",
	}
	if rs.o.Scope != "" {
		md["scopes_supported"] = []string{rs.o.Scope}
	}
	WriteJSON(w, http.StatusOK, md)
}

// staticGrant is the Grant of the static token.
func staticGrant() *Grant { return &Grant{Subject: "host-user", ClientID: "host static token"} }

// User is who a grant speaks for: the client and the subject (sessions
// are bound to it).
func (g *Grant) User() string { return g.ClientID + "\x00" + g.Subject }

// Check reports whether r carries an acceptable access token for this
// resource, and its grant. When it does not, it has answered: 401 with a
// Bearer challenge naming the metadata (and error="invalid_token" when a
// token was sent), 403 insufficient_scope, or 503 when the issuer cannot
// be asked.
func (rs *Resource) Check(w http.ResponseWriter, r *http.Request) (*Grant, bool) {
	raw, hasAuth := bearer(r)
	if !hasAuth {
		rs.challenge(w, r, http.StatusUnauthorized, "", "this MCP endpoint needs an access token: connect with an MCP client that supports OAuth (it discovers host's authorization server from this answer), or send the token host printed as 'Authorization: Bearer TOKEN' (loopback only)")
		return nil, false
	}
	if st := rs.o.StaticToken; st != "" && Loopback(hostOf(Origin(r))) && subtle.ConstantTimeCompare([]byte(raw), []byte(st)) == 1 {
		return staticGrant(), true
	}
	if rs.o.Verifier == nil {
		rs.challenge(w, r, http.StatusUnauthorized, "invalid_token", "unauthorized: send the token host printed as 'Authorization: Bearer TOKEN'")
		return nil, false
	}
	g, err := rs.o.Verifier.Verify(r.Context(), raw, rs.ResourceURI(r))
	if errors.Is(err, ErrInvalidToken) {
		rs.challenge(w, r, http.StatusUnauthorized, "invalid_token", "unauthorized: the access token is not accepted ("+err.Error()+"); the client should get a new one")
		return nil, false
	}
	if err != nil {
		http.Error(w, "cannot check the access token now: "+err.Error(), http.StatusServiceUnavailable)
		return nil, false
	}
	if rs.o.Scope != "" && !slices.Contains(g.Scopes, rs.o.Scope) {
		rs.challenge(w, r, http.StatusForbidden, "insufficient_scope", fmt.Sprintf("forbidden: the access token lacks the scope %q", rs.o.Scope))
		return nil, false
	}
	return g, true
}

// Authorize is Check in the shape mcpserver.HTTPOptions.Authorize takes.
func (rs *Resource) Authorize(w http.ResponseWriter, r *http.Request) (string, bool) {
	g, ok := rs.Check(w, r)
	if !ok {
		return "", false
	}
	return g.User(), true
}

func (rs *Resource) challenge(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	v := fmt.Sprintf(`Bearer resource_metadata="%s"`, rs.MetadataURL(r))
	if rs.o.Scope != "" {
		v += fmt.Sprintf(`, scope="%s"`, rs.o.Scope)
	}
	if code != "" {
		v += fmt.Sprintf(`, error="%s"`, code)
	}
	w.Header().Set("WWW-Authenticate", v)
	http.Error(w, msg, status)
}

// bearer returns the token of r's Authorization header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

func hostOf(origin string) string {
	_, h, _ := strings.Cut(origin, "://")
	return h
}

// Loopback reports whether a host (a Host header: name or address, with or
// without a port) is this machine's loopback: localhost, 127.0.0.0/8, ::1.
func Loopback(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// WriteJSON writes v as a JSON answer that no cache keeps.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// CORS lets a page of any origin call h, one of the endpoints an MCP
// client in a browser calls before it has a token (the protected resource
// and authorization server metadata, the token, registration and
// revocation endpoints): a preflight (OPTIONS with
// Access-Control-Request-Method) is answered 204 with the methods given
// and the headers such a client sends; every other request passes to h
// with Access-Control-Allow-Origin: *. No credentials are allowed: these
// endpoints read no cookie, so a page gains nothing it does not send
// itself (a code with its PKCE verifier, a refresh token). Pages where the
// user decides (the authorization and consent pages) must not be wrapped.
// Private Network Access is not granted: a public site's page cannot reach
// a loopback serve through a browser that enforces it.
func CORS(h http.Handler, methods ...string) http.Handler {
	allow := strings.Join(append(methods, http.MethodOptions), ", ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			hd.Set("Access-Control-Allow-Methods", allow)
			hd.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, MCP-Protocol-Version")
			hd.Set("Access-Control-Max-Age", "7200")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		hd.Set("Access-Control-Expose-Headers", "WWW-Authenticate")
		h.ServeHTTP(w, r)
	})
}
