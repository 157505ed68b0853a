package fetch

// The system roots, read lazily. On the unix systems where crypto/x509 reads
// PEM files (roots_unix.go), x509.SystemCertPool reads the bundle file and
// every file of the certificate directories and fully parses each of the
// few hundred certificates before the first TLS handshake can be verified:
// the largest cost of a short `host run --once`. Here the same files, with
// the same trust, are indexed by subject without parsing, and a handshake
// parses only the roots that can issue one of the certificates the server
// sent, which is how a CertPool finds a chain's parents anyway. The
// directories are read only when the bundle alone cannot verify a chain.

import (
	"bytes"
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"hash/maphash"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// Environment variables that replace certFiles and certDirectories, as in
// crypto/x509: SSL_CERT_FILE names the one bundle file, SSL_CERT_DIR is a
// colon-separated list of directories.
const (
	certFileEnv = "SSL_CERT_FILE"
	certDirEnv  = "SSL_CERT_DIR"
)

// errNoServerName is crypto/tls's error for a config that names no server
// and does not skip verification.
var errNoServerName = errors.New("tls: either ServerName or InsecureSkipVerify must be specified in the tls.Config")

// systemRootsConfig returns the tls.Config of a client that verifies servers
// against the system roots (opts.RootCAs nil). Where lazySystemRoots holds it
// verifies in VerifyConnection, which crypto/tls calls for full and resumed
// handshakes alike, with InsecureSkipVerify only turning off crypto/tls's
// own verification; elsewhere it is crypto/tls's default.
//
// crypto/tls verifies against Config.ServerName, which VerifyConnection does
// not see: it sees ConnectionState.ServerName, the name sent in SNI, which
// is the same minus trailing dots but empty for an IP address. ipHost is the
// name to use then (the host as http.Transport sets ServerName: an IPv6
// address in brackets); a client needs one config per IP-address host. With
// neither, the handshake fails like crypto/tls's without a ServerName.
func systemRootsConfig(ipHost string) *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if lazySystemRoots {
		c.InsecureSkipVerify = true // VerifyConnection verifies instead
		c.VerifyConnection = func(cs tls.ConnectionState) error {
			name := cs.ServerName
			if name == "" {
				name = ipHost
			}
			if name == "" {
				return errNoServerName
			}
			if len(cs.PeerCertificates) == 0 {
				return errors.New("tls: server sent no certificate")
			}
			if err := currentRoots().verify(cs.PeerCertificates, name); err != nil {
				return &tls.CertificateVerificationError{UnverifiedCertificates: cs.PeerCertificates, Err: err}
			}
			return nil
		}
	}
	return c
}

// tlsHostForIP returns the name to verify a connection to host (a URL's
// Hostname) against when that connection sends no SNI, that is when host is
// an IP address (crypto/tls's rule, zone included); ok is false otherwise.
func tlsHostForIP(host string) (name string, ok bool) {
	ip := host
	if i := strings.LastIndex(ip, "%"); i > 0 {
		ip = ip[:i]
	}
	if net.ParseIP(ip) == nil {
		return "", false
	}
	if strings.Contains(host, ":") {
		return "[" + host + "]", true // as net.JoinHostPort writes it for http.Transport
	}
	return host, true
}

// PrewarmSystemRoots reads and indexes the system root bundle (SSL_CERT_FILE
// or the OS's bundle file) so that the first HTTPS request does not, a few
// milliseconds of work; it parses no certificate. It does nothing where
// NewClient uses crypto/x509's own system roots. Safe to call from any
// goroutine, any number of times.
func PrewarmSystemRoots() {
	if lazySystemRoots {
		currentRoots().loadBundle()
	}
}

// roots is the process's system roots, created on first use; tests reset it
// to nil to re-read the environment.
var roots atomic.Pointer[rootStore]

func currentRoots() *rootStore {
	for {
		if s := roots.Load(); s != nil {
			return s
		}
		roots.CompareAndSwap(nil, newRootStore())
	}
}

// rootStore holds what crypto/x509's loadSystemRoots would read, each part
// read at most once: the first readable file of files (the bundle), then,
// when needed, the unique entries of dirs. Safe for concurrent use.
type rootStore struct {
	files, dirs []string

	bundleOnce sync.Once
	bundle     rootIndex
	dirsOnce   sync.Once
	dirRoots   rootIndex
	dirsRead   bool // loadDirs ran (tests)
}

// newRootStore takes the file and directory lists from the environment, as
// crypto/x509 does when it first needs the system roots.
func newRootStore() *rootStore {
	s := &rootStore{files: certFiles, dirs: certDirectories}
	if f := os.Getenv(certFileEnv); f != "" {
		s.files = []string{f}
	}
	if d := os.Getenv(certDirEnv); d != "" {
		s.dirs = strings.Split(d, ":")
	}
	return s
}

func (s *rootStore) loadBundle() *rootIndex {
	s.bundleOnce.Do(func() {
		for _, f := range s.files {
			data, err := os.ReadFile(f)
			if err == nil {
				s.bundle.addPEM(data)
				break
			}
			if s.bundle.err == nil && !os.IsNotExist(err) {
				s.bundle.err = err
			}
		}
	})
	return &s.bundle
}

func (s *rootStore) loadDirs() *rootIndex {
	s.dirsOnce.Do(func() {
		s.dirsRead = true
		for _, dir := range s.dirs {
			entries, err := uniqueDirEntries(dir)
			if err != nil {
				if s.dirRoots.err == nil && !os.IsNotExist(err) {
					s.dirRoots.err = err
				}
				continue
			}
			for _, e := range entries {
				// Unreadable entries (subdirectories, broken links) are
				// skipped without error, as crypto/x509 does.
				if data, err := os.ReadFile(dir + "/" + e.Name()); err == nil {
					s.dirRoots.addPEM(data)
				}
			}
		}
	})
	return &s.dirRoots
}

// uniqueDirEntries lists dir without the symbolic links whose target has no
// slash, that is links to another entry of dir (c_rehash's hash names),
// which crypto/x509 skips too.
func uniqueDirEntries(dir string) ([]fs.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	kept := entries[:0]
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink != 0 {
			if target, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil && !strings.Contains(target, "/") {
				continue
			}
		}
		kept = append(kept, e)
	}
	return kept, nil
}

// verify verifies the chain a server sent (leaf first) for dnsName as
// crypto/tls's client does with no RootCAs (x509.Certificate.Verify with the
// system roots, the other certificates as intermediates, server auth), and
// returns x509's error. Only the roots whose subject is the issuer of a sent
// certificate can end a chain, so only those are parsed and offered, the
// bundle's first; the directories are read when they may change the result.
func (s *rootStore) verify(certs []*x509.Certificate, dnsName string) error {
	leaf := certs[0]
	opts := x509.VerifyOptions{
		DNSName:       dnsName,
		Intermediates: x509.NewCertPool(),
		Roots:         x509.NewCertPool(), // never nil: nil would load x509's own system pool
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}

	bundle := s.loadBundle()
	offered := addCandidates(opts.Roots, nil, bundle, certs)
	var err error
	if len(offered) > 0 {
		if _, err = leaf.Verify(opts); err == nil || rootsCannotHelp(err, leaf) {
			return err
		}
	}
	dirs := s.loadDirs()
	if bundle.n+dirs.n == 0 {
		// As x509: no roots at all and a read error is that error, whatever
		// the chain.
		if rerr := cmp.Or(bundle.err, dirs.err); rerr != nil {
			return x509.SystemRootsError{Err: rerr}
		}
	}
	if len(addCandidates(opts.Roots, offered, dirs, certs)) == len(offered) && len(offered) > 0 {
		return err // the directories add nothing: same pool, same answer
	}
	_, err = leaf.Verify(opts)
	return err
}

// rootsCannotHelp reports whether err is one x509 returns before it looks
// for a chain (the leaf's own validity period, the host name), so that no
// other set of roots would change it.
func rootsCannotHelp(err error, leaf *x509.Certificate) bool {
	var host x509.HostnameError
	if errors.As(err, &host) {
		return true
	}
	var invalid x509.CertificateInvalidError
	return errors.As(err, &invalid) && invalid.Cert == leaf && invalid.Reason == x509.Expired
}

// addCandidates adds to pool each root of x that may have issued one of
// certs and is not in offered (by content), parsing it if that was not done
// yet, and returns offered plus the added roots' DER.
func addCandidates(pool *x509.CertPool, offered [][]byte, x *rootIndex, certs []*x509.Certificate) [][]byte {
	for i, c := range certs {
		if seenIssuer(certs[:i], c.RawIssuer) {
			continue
		}
		for _, r := range x.bySubject[maphash.Bytes(subjectSeed, c.RawIssuer)] {
			if !bytes.Equal(r.subject, c.RawIssuer) || containsDER(offered, r.der) {
				continue
			}
			if cert := r.parsed(); cert != nil {
				pool.AddCert(cert)
				offered = append(offered, r.der)
			}
		}
	}
	return offered
}

func seenIssuer(certs []*x509.Certificate, issuer []byte) bool {
	for _, c := range certs {
		if bytes.Equal(c.RawIssuer, issuer) {
			return true
		}
	}
	return false
}

func containsDER(ders [][]byte, der []byte) bool {
	for _, d := range ders {
		if bytes.Equal(d, der) {
			return true
		}
	}
	return false
}

// subjectSeed seeds the hashes that key rootIndex.bySubject.
var subjectSeed = maphash.MakeSeed()

// rootIndex is the certificates of some PEM files, by subject, unparsed.
type rootIndex struct {
	bySubject map[uint64][]*lazyRoot // maphash of the DER subject
	n         int                    // certificates indexed
	err       error                  // the first read error other than "does not exist"
}

// addPEM indexes the certificates of a PEM file. Like
// x509.CertPool.AppendCertsFromPEM it takes the CERTIFICATE blocks without
// headers; a block that does not parse is dropped when first needed (here,
// when its subject cannot be found), as AppendCertsFromPEM drops it.
func (x *rootIndex) addPEM(data []byte) {
	if x.bySubject == nil {
		x.bySubject = make(map[uint64][]*lazyRoot, bytes.Count(data, []byte("-----BEGIN CERTIFICATE")))
	}
	for len(data) > 0 {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return
		}
		if block.Type != "CERTIFICATE" || len(block.Headers) != 0 {
			continue
		}
		subject, ok := rawSubject(block.Bytes)
		if !ok {
			continue
		}
		h := maphash.Bytes(subjectSeed, subject)
		x.bySubject[h] = append(x.bySubject[h], &lazyRoot{der: block.Bytes, subject: subject})
		x.n++
	}
}

// lazyRoot is one root certificate, parsed on first use.
type lazyRoot struct {
	der     []byte
	subject []byte // within der
	once    sync.Once
	cert    *x509.Certificate // nil if der does not parse
}

func (r *lazyRoot) parsed() *x509.Certificate {
	r.once.Do(func() { r.cert, _ = x509.ParseCertificate(r.der) })
	return r.cert
}

// rawSubject returns the DER of a certificate's subject Name (what
// x509.Certificate.RawSubject holds), walking only the fields before it:
//
//	Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }
//	TBSCertificate ::= SEQUENCE { version [0] EXPLICIT OPTIONAL,
//		serialNumber, signature, issuer, validity, subject, ... }
func rawSubject(der []byte) ([]byte, bool) {
	var cert, tbs asn1.RawValue
	if _, err := asn1.Unmarshal(der, &cert); err != nil || !isSequence(cert) {
		return nil, false
	}
	if _, err := asn1.Unmarshal(cert.Bytes, &tbs); err != nil || !isSequence(tbs) {
		return nil, false
	}
	rest := tbs.Bytes
	var v asn1.RawValue
	// Skip the optional version, then serialNumber, signature, issuer and
	// validity.
	for fields := 0; fields < 4; {
		var err error
		if rest, err = asn1.Unmarshal(rest, &v); err != nil {
			return nil, false
		}
		if fields == 0 && v.Class == asn1.ClassContextSpecific && v.Tag == 0 {
			continue // version
		}
		fields++
	}
	if _, err := asn1.Unmarshal(rest, &v); err != nil || !isSequence(v) {
		return nil, false
	}
	return v.FullBytes, true
}

func isSequence(v asn1.RawValue) bool {
	return v.Class == asn1.ClassUniversal && v.Tag == asn1.TagSequence && v.IsCompound
}
