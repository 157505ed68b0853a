package authserver

// How clients come to be known: dynamic registration (RFC 7591) and
// Client ID Metadata Documents (an https client_id whose document the
// server fetches).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"host/cmd/host/internal/mcpauth"
)

// clientMetadata is the part of RFC 7591 client metadata host reads.
type clientMetadata struct {
	ClientID                string   `json:"client_id,omitempty"`
	ClientName              string   `json:"client_name,omitempty"`
	RedirectURIs            []string `json:"redirect_uris"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method,omitempty"`
	ClientURI               string   `json:"client_uri,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
}

// check validates what host needs of a client's metadata.
func (m *clientMetadata) check() error {
	if len(m.RedirectURIs) == 0 {
		return errors.New("redirect_uris is missing")
	}
	if len(m.RedirectURIs) > 20 {
		return errors.New("too many redirect_uris (at most 20)")
	}
	for _, u := range m.RedirectURIs {
		if err := checkRedirectURI(u); err != nil {
			return fmt.Errorf("redirect_uri %q: %w", u, err)
		}
	}
	for _, g := range m.GrantTypes {
		if g != "authorization_code" && g != "refresh_token" {
			return fmt.Errorf("grant_type %q is not supported (authorization_code, refresh_token)", g)
		}
	}
	for _, t := range m.ResponseTypes {
		if t != "code" {
			return fmt.Errorf("response_type %q is not supported (code)", t)
		}
	}
	return nil
}

// displayName is a client's name as pages and the terminal show it: the
// characters a person can read, at most 80.
func displayName(name, fallback string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if r := []rune(name); len(r) > 80 {
		name = string(r[:80]) + "…"
	}
	if name == "" {
		return fallback
	}
	return name
}

// register is dynamic client registration (RFC 7591): public clients only
// (token_endpoint_auth_method none; PKCE binds the code to its client).
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "the registration endpoint takes POST")
		return
	}
	// JSON only. A page may register a client (browser-based MCP clients
	// do, after a CORS preflight): a registration grants nothing until the
	// user approves the client on the consent page, with the code the serve
	// prints; unapproved ones are bounded (maxUnapproved).
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		oauthError(w, http.StatusBadRequest, "invalid_client_metadata", "the body must be application/json")
		return
	}
	var m clientMetadata
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&m); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_client_metadata", "the body is not JSON client metadata")
		return
	}
	if err := m.check(); err != nil {
		code := "invalid_client_metadata"
		if errors.Is(err, errBadRedirect) {
			code = "invalid_redirect_uri"
		}
		oauthError(w, http.StatusBadRequest, code, err.Error())
		return
	}
	ctx := r.Context()
	if err := s.o.Store.pruneRegistrations(ctx, maxUnapproved-1); err != nil {
		s.dbError(w, err)
		return
	}
	c := &Client{ID: "host-client-" + randomString(12), Name: displayName(m.ClientName, "an unnamed client"), Kind: KindRegistered, RedirectURIs: m.RedirectURIs}
	if err := s.o.Store.putClient(ctx, c); err != nil {
		s.dbError(w, err)
		return
	}
	mcpauth.WriteJSON(w, http.StatusCreated, map[string]any{
		"client_id":                  c.ID,
		"client_id_issued_at":        s.now().Unix(),
		"client_name":                m.ClientName,
		"redirect_uris":              m.RedirectURIs,
		"grant_types":                []string{"authorization_code", "refresh_token"},
		"response_types":             []string{"code"},
		"token_endpoint_auth_method": "none",
		"scope":                      s.o.Scope,
	})
}

// isMetadataClientID reports whether a client_id is a Client ID Metadata
// Document URL: https, with a path, no fragment, no credentials.
func isMetadataClientID(id string) bool {
	u, err := url.Parse(id)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.Path != "" && u.Path != "/" && u.Fragment == "" && u.User == nil
}

// maxMetadataDocument bounds a fetched client metadata document.
const maxMetadataDocument = 5 << 10

// fetchMetadataClient fetches a Client ID Metadata Document (no
// redirects, at most maxMetadataDocument bytes, within 10s), checks that
// it names itself, and records the client.
func (s *Server) fetchMetadataClient(ctx context.Context, id string) (*Client, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, id, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	hc := *s.o.HTTPClient
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the client's metadata document: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching the client's metadata document: %s", resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" {
		return nil, fmt.Errorf("the client's metadata document is %q, not application/json", mt)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadataDocument+1))
	if err != nil {
		return nil, fmt.Errorf("reading the client's metadata document: %w", err)
	}
	if len(b) > maxMetadataDocument {
		return nil, fmt.Errorf("the client's metadata document is larger than %d bytes", maxMetadataDocument)
	}
	var m clientMetadata
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("the client's metadata document is not JSON client metadata: %w", err)
	}
	if m.ClientID != id {
		return nil, errors.New("the client's metadata document names another client_id")
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("the client's metadata document: %w", err)
	}
	if m.TokenEndpointAuthMethod != "" && m.TokenEndpointAuthMethod != "none" {
		return nil, fmt.Errorf("the client's metadata document asks for token_endpoint_auth_method %q; host takes public clients only (none)", m.TokenEndpointAuthMethod)
	}
	u, _ := url.Parse(id)
	c := &Client{ID: id, Name: displayName(m.ClientName, u.Host), Kind: KindMetadata, RedirectURIs: m.RedirectURIs}
	if err := s.o.Store.putClient(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}
