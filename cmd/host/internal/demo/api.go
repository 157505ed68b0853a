// Package demo holds the stand-ins `host demo` runs the documents' plugins
// against, offline: an HTTPS stand-in for their API (API, which the tests
// use too) and an OAuth2 provider for their OAuth2 plugin (Provider). They
// are product code of the demo, not test doubles: the tests' own provider
// is bindings/oauth/oauthtest, which the binary does not link.
package demo

import (
	"crypto/x509"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
)

// API is a local HTTPS stand-in for the documents' myservice.com API,
// used by `host demo` and the tests: GET /me answers 200 for the one valid
// bearer token and 401 otherwise. Its certificate is self-signed for
// myservice.com and its subdomains; trust it with Pool or CertPEM.
type API struct {
	srv        *tlsServer
	validToken string
	meCalls    atomic.Int64
}

// StartAPI starts the stand-in on 127.0.0.1. Close it.
func StartAPI(validToken string) (*API, error) {
	s := &API{validToken: validToken}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /me", s.me)
	srv, err := startTLS(mux, "myservice.com", "*.myservice.com", "localhost")
	if err != nil {
		return nil, err
	}
	s.srv = srv
	return s, nil
}

// NewAPI is StartAPI for tests and benchmarks: it panics when the
// stand-in cannot start (no port on 127.0.0.1, a broken crypto/rand).
func NewAPI(validToken string) *API {
	s, err := StartAPI(validToken)
	if err != nil {
		panic(err)
	}
	return s
}

func (s *API) me(w http.ResponseWriter, r *http.Request) {
	s.meCalls.Add(1)
	w.Header().Set("Content-Type", "application/json")
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok != s.validToken {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_token"})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"id": "user-1", "name": "Demo User"})
}

// Addr is the stand-in's 127.0.0.1:port.
func (s *API) Addr() string { return s.srv.addr }

// Pool trusts the stand-in's certificate.
func (s *API) Pool() *x509.CertPool { return s.srv.Pool() }

// CertPEM is the stand-in's certificate, for SSL_CERT_FILE.
func (s *API) CertPEM() []byte { return s.srv.CertPEM() }

// Close stops the stand-in.
func (s *API) Close() { s.srv.Close() }

// MeCalls counts the GET /me requests answered.
func (s *API) MeCalls() int64 { return s.meCalls.Load() }
