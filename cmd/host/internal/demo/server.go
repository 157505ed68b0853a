package demo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"time"
)

// tlsServer is an HTTPS server on a free port of 127.0.0.1 with a
// certificate of its own (see selfSignedCert).
type tlsServer struct {
	http *http.Server
	addr string
	leaf *x509.Certificate
}

// startTLS serves h over HTTPS on 127.0.0.1 with a fresh certificate for
// names and the loopback addresses. Close the server.
func startTLS(h http.Handler, names ...string) (*tlsServer, error) {
	cert, err := selfSignedCert(names)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: listening on 127.0.0.1: %w", err)
	}
	s := &tlsServer{
		http: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          log.New(io.Discard, "", 0), // a stand-in has nothing to tell the user
		},
		addr: ln.Addr().String(),
		leaf: cert.Leaf,
	}
	tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	go func() { _ = s.http.Serve(tlsLn) }() // returns http.ErrServerClosed on Close
	return s, nil
}

// Pool trusts the server's certificate.
func (s *tlsServer) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(s.leaf)
	return pool
}

// CertPEM is the server's certificate in PEM, for SSL_CERT_FILE.
func (s *tlsServer) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.leaf.Raw})
}

// Close stops the server and closes its connections.
func (s *tlsServer) Close() { _ = s.http.Close() }

// selfSignedCert makes a certificate that is its own issuer, for names
// (the first is its subject) and 127.0.0.1 and ::1, valid from an hour ago
// for a day: clients trust it by holding it as a root.
func selfSignedCert(names []string) (tls.Certificate, error) {
	if len(names) == 0 {
		return tls.Certificate{}, fmt.Errorf("demo: a certificate needs at least one name")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("demo: generating the certificate's key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("demo: choosing the certificate's serial: %w", err)
	}
	now := time.Now()
	tmpl := x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: names[0], Organization: []string{"host demo"}},
		DNSNames:     names,
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		// Its own issuer: a CA that may sign, for server authentication.
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, key.Public(), key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("demo: signing the certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("demo: reading the certificate back: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
