// Package demo holds the stand-ins `host demo` runs the documents' plugins
// against, offline: an HTTPS stand-in for their API (the tests use it
// too). They are product code of the demo, not test doubles of a package.
package demo

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"

	"host/bindings/oauth/oauthtest"
)

// API is a local HTTPS stand-in for the documents' myservice.com API,
// used by `host demo` and the tests: GET /me answers 200 for the one valid
// bearer token and 401 otherwise. Its certificate is self-signed for
// myservice.com and its subdomains; trust it with Pool or CertPEM.
type API struct {
	srv        *httptest.Server
	validToken string
	meCalls    atomic.Int64
}

// NewAPI starts the stand-in on 127.0.0.1. Close it.
func NewAPI(validToken string) *API {
	s := &API{validToken: validToken}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /me", s.me)
	s.srv = httptest.NewUnstartedServer(mux)
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	cert, err := oauthtest.SelfSigned("myservice.com", "*.myservice.com", "localhost")
	if err != nil {
		panic(err) // only with a broken crypto/rand
	}
	s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.StartTLS()
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
func (s *API) Addr() string { return s.srv.Listener.Addr().String() }

// Pool trusts the stand-in's certificate.
func (s *API) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(s.srv.TLS.Certificates[0].Leaf)
	return p
}

// CertPEM is the stand-in's certificate, for SSL_CERT_FILE.
func (s *API) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.TLS.Certificates[0].Leaf.Raw})
}

// Close stops the stand-in.
func (s *API) Close() { s.srv.Close() }

// MeCalls counts the GET /me requests answered.
func (s *API) MeCalls() int64 { return s.meCalls.Load() }
