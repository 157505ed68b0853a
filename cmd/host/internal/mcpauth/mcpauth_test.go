package mcpauth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// verifierFunc is a Verifier for unit tests.
type verifierFunc func(token, resource string) (*Grant, error)

func (f verifierFunc) Verify(_ context.Context, token, resource string) (*Grant, error) {
	return f(token, resource)
}

// TestForwarded: forwarded headers count only with TrustProxy; an origin
// neither https nor loopback is refused.
func TestForwarded(t *testing.T) {
	for _, c := range []struct {
		name   string
		trust  bool
		host   string
		fwd    map[string]string
		status int
		origin string
	}{
		{"loopback", false, "127.0.0.1:7331", nil, 200, "http://127.0.0.1:7331"},
		{"forwarded ignored", false, "127.0.0.1:7331", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "mcp.example.com"}, 200, "http://127.0.0.1:7331"},
		{"forwarded trusted", true, "127.0.0.1:7331", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "mcp.example.com, proxy.internal"}, 200, "https://mcp.example.com"},
		{"trusted proxy without TLS", true, "127.0.0.1:7331", map[string]string{"X-Forwarded-Proto": "http", "X-Forwarded-Host": "mcp.example.com"}, 403, ""},
		{"remote without TLS", false, "192.0.2.7:7331", nil, 403, ""},
		{"odd proto", true, "127.0.0.1:7331", map[string]string{"X-Forwarded-Proto": "javascript", "X-Forwarded-Host": "mcp.example.com"}, 403, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rs := New(Options{Path: "/mcp", TrustProxy: c.trust})
			var got string
			h := rs.Forwarded(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = Origin(r)
				if !c.trust && r.Header.Get("X-Forwarded-Host") != "" {
					t.Error("forwarded headers reach the handler without --trust-proxy")
				}
			}))
			r := httptest.NewRequest("GET", "/mcp", nil)
			r.Host = c.host
			for k, v := range c.fwd {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != c.status || got != c.origin {
				t.Errorf("%d %q, want %d %q (%s)", w.Code, got, c.status, c.origin, w.Body)
			}
		})
	}
}

// TestCheck: the challenge on 401 and 403; the static token only from
// loopback origins; the resource and scope handed to the verifier.
func TestCheck(t *testing.T) {
	ok := "good-token-for-tests"
	v := verifierFunc(func(token, resource string) (*Grant, error) {
		switch token {
		case ok:
			if resource != "https://mcp.example.com/mcp" && resource != "http://127.0.0.1:7331/mcp" {
				return nil, fmt.Errorf("%w: audience", ErrInvalidToken)
			}
			return &Grant{Scopes: []string{"mcp"}, Expiry: time.Now().Add(time.Hour)}, nil
		case "no-scope":
			return &Grant{Scopes: []string{"other"}}, nil
		case "down":
			return nil, fmt.Errorf("issuer unreachable")
		}
		return nil, fmt.Errorf("%w: unknown", ErrInvalidToken)
	})
	rs := New(Options{Path: "/mcp", Verifier: v, StaticToken: "static-fake-token", Scope: "mcp", TrustProxy: true})
	srv := rs.Forwarded(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := rs.Check(w, r); ok {
			w.WriteHeader(299)
		}
	}))
	do := func(host, fwdHost, auth string) (int, string) {
		r := httptest.NewRequest("POST", "/mcp", nil)
		r.Host = host
		if fwdHost != "" {
			r.Header.Set("X-Forwarded-Proto", "https")
			r.Header.Set("X-Forwarded-Host", fwdHost)
		}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w.Code, w.Header().Get("WWW-Authenticate")
	}
	local := `Bearer resource_metadata="http://127.0.0.1:7331/.well-known/oauth-protected-resource/mcp", scope="mcp"`
	remote := `Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="mcp"`
	for _, c := range []struct {
		name, fwd, auth string
		code            int
		challenge       string
	}{
		{"no token", "", "", 401, local},
		{"no token behind the proxy", "mcp.example.com", "", 401, remote},
		{"Basic", "", "Basic Zm9vOmJhcg==", 401, local},
		{"good", "", "Bearer " + ok, 299, ""},
		{"good, lower-case scheme", "", "bearer " + ok, 299, ""},
		{"good behind the proxy", "mcp.example.com", "Bearer " + ok, 299, ""},
		{"another audience", "other.example.com", "Bearer " + ok, 401, `Bearer resource_metadata="https://other.example.com/.well-known/oauth-protected-resource/mcp", scope="mcp", error="invalid_token"`},
		{"unknown", "", "Bearer nope", 401, local + `, error="invalid_token"`},
		{"scope", "", "Bearer no-scope", 403, local + `, error="insufficient_scope"`},
		{"issuer down", "", "Bearer down", 503, ""},
		{"static on loopback", "", "Bearer static-fake-token", 299, ""},
		{"static from afar", "mcp.example.com", "Bearer static-fake-token", 401, remote + `, error="invalid_token"`},
	} {
		code, ch := do("127.0.0.1:7331", c.fwd, c.auth)
		if code != c.code || ch != c.challenge {
			t.Errorf("%s: %d %q, want %d %q", c.name, code, ch, c.code, c.challenge)
		}
	}
}

// TestMetadata: RFC 9728's fields, for the request's origin.
func TestMetadata(t *testing.T) {
	for _, c := range []struct{ issuer, wantAS string }{{"", "https://mcp.example.com"}, {"https://login.example.org/", "https://login.example.org/"}} {
		rs := New(Options{Path: "/mcp", Scope: "mcp", TrustProxy: true, Issuer: c.issuer})
		r := httptest.NewRequest("GET", MetadataPath+"/mcp", nil)
		r.Header.Set("X-Forwarded-Proto", "https")
		r.Header.Set("X-Forwarded-Host", "mcp.example.com")
		w := httptest.NewRecorder()
		rs.Forwarded(http.HandlerFunc(rs.Metadata)).ServeHTTP(w, r)
		var md struct {
			Resource string   `json:"resource"`
			AS       []string `json:"authorization_servers"`
			Scopes   []string `json:"scopes_supported"`
			Methods  []string `json:"bearer_methods_supported"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &md); err != nil || w.Code != 200 {
			t.Fatal(w.Code, err)
		}
		if md.Resource != "https://mcp.example.com/mcp" || len(md.AS) != 1 || md.AS[0] != c.wantAS || strings.Join(md.Scopes, ",") != "mcp" || strings.Join(md.Methods, ",") != "header" {
			t.Errorf("metadata %+v", md)
		}
	}
}
