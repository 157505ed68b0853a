package authserver

import (
	"net/http/httptest"
	"testing"

	"host/cmd/host/internal/mcpauth"
)

// BenchmarkCheck is what authorization adds to each MCP request: the
// static token (a constant-time compare) beside an access token of host's
// own authorization server (a database lookup by hash, so a revocation
// holds at once).
func BenchmarkCheck(b *testing.B) {
	h := newHarness(b, Options{})
	cb := "http://127.0.0.1:9/callback"
	tok := h.login(h.config(h.register(cb), cb))
	rs := mcpauth.New(mcpauth.Options{Path: "/mcp", StaticToken: "static-fake-token-0000", Scope: "mcp", Verifier: h.srv})
	origin := h.ts.URL[len("http://"):]
	for _, c := range []struct{ name, token string }{{"static", "static-fake-token-0000"}, {"oauth", tok.AccessToken}} {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest("POST", "/mcp", nil)
			r.Host = origin
			r.Header.Set("Authorization", "Bearer "+c.token)
			for b.Loop() {
				w := httptest.NewRecorder()
				if _, ok := rs.Check(w, r); !ok {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
