package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"
)

// standin is a local HTTPS stand-in for the documents' myservice.com API,
// used by `host demo` and the tests: GET /me answers 200 for the one valid
// bearer token and 401 otherwise.
type standin struct {
	srv        *httptest.Server
	validToken string
	meCalls    atomic.Int64
}

func newStandin(validToken string) *standin {
	s := &standin{validToken: validToken}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /me", s.me)
	s.srv = httptest.NewUnstartedServer(mux)
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	cert, err := standinCert("myservice.com", "*.myservice.com", "localhost")
	if err != nil {
		panic(err) // only with a broken crypto/rand
	}
	s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.StartTLS()
	return s
}

// standinCert makes a fresh self-signed certificate for names and
// 127.0.0.1, valid for a day.
func standinCert(names ...string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "myservice.com stand-in"},
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

func (s *standin) me(w http.ResponseWriter, r *http.Request) {
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
func (s *standin) Addr() string { return s.srv.Listener.Addr().String() }

// Pool trusts the stand-in's certificate.
func (s *standin) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(s.srv.TLS.Certificates[0].Leaf)
	return p
}

// CertPEM is the stand-in's certificate, for SSL_CERT_FILE.
func (s *standin) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.TLS.Certificates[0].Leaf.Raw})
}

func (s *standin) Close() { s.srv.Close() }
