package fetch

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// testCA is a CA certificate (root or intermediate) and its key.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func randSerial(t testing.TB) *big.Int {
	n, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func createCert(t testing.TB, tmpl *x509.Certificate, parent *testCA) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// newCA makes a root CA (parent nil) or an intermediate called name; mod,
// if not nil, edits the template.
func newCA(t testing.TB, name string, parent *testCA, mod func(*x509.Certificate)) *testCA {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:          randSerial(t),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"host tests"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	if mod != nil {
		mod(tmpl)
	}
	cert, key := createCert(t, tmpl, parent)
	return &testCA{cert: cert, key: key}
}

// leafChain is a server certificate for api.myservice.com and 127.0.0.1
// issued by chain[0] (chain[1] issuing chain[0], and so on), presented with
// the intermediates in chain that are not roots.
func leafChain(t testing.TB, mod func(*x509.Certificate), chain ...*testCA) testCert {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: randSerial(t),
		Subject:      pkix.Name{CommonName: "api.myservice.com"},
		DNSNames:     []string{"api.myservice.com"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if mod != nil {
		mod(tmpl)
	}
	leaf, key := createCert(t, tmpl, chain[0])
	c := testCert{tls: tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: key, Leaf: leaf}, x509: leaf}
	for _, ca := range chain {
		if string(ca.cert.RawIssuer) != string(ca.cert.RawSubject) {
			c.tls.Certificate = append(c.tls.Certificate, ca.cert.Raw)
		}
	}
	return c
}

// leafOnly is c without the intermediates, as a misconfigured server sends it.
func leafOnly(c testCert) testCert {
	c.tls.Certificate = c.tls.Certificate[:1]
	return c
}

func pemOf(certs ...*x509.Certificate) []byte {
	var b []byte
	for _, c := range certs {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return b
}

func writePEM(t testing.TB, path string, certs ...*x509.Certificate) string {
	t.Helper()
	if err := os.WriteFile(path, pemOf(certs...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// useSystemRoots points SSL_CERT_FILE and SSL_CERT_DIR at file and dir for
// this test and drops the process's system roots before and after it.
func useSystemRoots(t testing.TB, file, dir string) {
	t.Setenv(certFileEnv, file)
	t.Setenv(certDirEnv, dir)
	roots.Store(nil)
	t.Cleanup(func() { roots.Store(nil) })
}

// systemClient is a production client (system roots) aiming
// api.myservice.com, wrong.myservice.com and 127.0.0.2 at srv.
func systemClient(t *testing.T, srv *tlsServer) *http.Client {
	c := newSystemClient(srv.port())
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func newSystemClient(port string) *http.Client {
	return NewClient(ClientOptions{ConnectTo: []ConnectTo{
		{Host: "api.myservice.com", ToHost: "127.0.0.1", ToPort: port},
		{Host: "wrong.myservice.com", ToHost: "127.0.0.1", ToPort: port},
		{Host: "127.0.0.2", ToHost: "127.0.0.1", ToPort: port},
	}})
}

func TestSystemRootsLazy(t *testing.T) {
	if !lazySystemRoots {
		t.Skip("crypto/x509 verifies with the platform here")
	}
	root := newCA(t, "Test Root", nil, nil)
	inter := newCA(t, "Test Intermediate", root, nil)
	other := newCA(t, "Other Root", nil, nil)
	sameName := newCA(t, "Test Root", nil, nil) // the root's subject, another key
	expired := func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)
	}

	type want struct {
		ok       bool
		errIs    func(error) bool
		errText  string
		dirsRead bool // the verification needed the directories
	}
	unknownAuthority := func(err error) bool { var e x509.UnknownAuthorityError; return errors.As(err, &e) }
	hostname := func(err error) bool { var e x509.HostnameError; return errors.As(err, &e) }
	invalid := func(err error) bool { var e x509.CertificateInvalidError; return errors.As(err, &e) }

	for _, tc := range []struct {
		name  string
		cert  testCert
		url   string
		files func(t *testing.T, dir string) (file, certDir string)
		want  want
	}{
		{"root in bundle", leafChain(t, nil, root), "https://api.myservice.com/me",
			bundleOnly(other.cert, root.cert), want{ok: true}},
		{"intermediate sent by server", leafChain(t, nil, inter, root), "https://api.myservice.com/me",
			bundleOnly(root.cert), want{ok: true}},
		{"server is its own root", newTestCert(t), "https://api.myservice.com/me",
			nil, want{ok: true}}, // the bundle is the server's certificate
		{"wrong host name", leafChain(t, nil, root), "https://wrong.myservice.com/me",
			bundleOnly(root.cert), want{errIs: hostname, errText: "tls: failed to verify certificate: x509: certificate is valid for api.myservice.com, not wrong.myservice.com"}},
		{"untrusted CA", leafChain(t, nil, other), "https://api.myservice.com/me",
			bundleOnly(root.cert), want{errIs: unknownAuthority, errText: "tls: failed to verify certificate: x509: certificate signed by unknown authority", dirsRead: true}},
		{"intermediate not sent", leafOnly(leafChain(t, nil, inter, root)), "https://api.myservice.com/me",
			bundleOnly(root.cert), want{errIs: unknownAuthority, dirsRead: true}},
		{"expired leaf", leafChain(t, expired, root), "https://api.myservice.com/me",
			bundleOnly(root.cert), want{errIs: invalid, errText: "certificate has expired or is not yet valid"}},
		{"root only in SSL_CERT_DIR", leafChain(t, nil, root), "https://api.myservice.com/me",
			func(t *testing.T, dir string) (string, string) {
				certDir := filepath.Join(dir, "certs")
				os.Mkdir(certDir, 0o700)
				writePEM(t, filepath.Join(certDir, "root.pem"), root.cert)
				return writePEM(t, filepath.Join(dir, "bundle.pem"), other.cert), "/nonexistent:" + certDir
			}, want{ok: true, dirsRead: true}},
		{"bundle root has the subject, dir root the key", leafChain(t, nil, root), "https://api.myservice.com/me",
			func(t *testing.T, dir string) (string, string) {
				certDir := filepath.Join(dir, "certs")
				os.Mkdir(certDir, 0o700)
				writePEM(t, filepath.Join(certDir, "root.pem"), root.cert)
				return writePEM(t, filepath.Join(dir, "bundle.pem"), sameName.cert), certDir
			}, want{ok: true, dirsRead: true}},
		{"SSL_CERT_FILE unreadable, SSL_CERT_DIR has the root", leafChain(t, nil, root), "https://api.myservice.com/me",
			func(t *testing.T, dir string) (string, string) {
				writePEM(t, filepath.Join(dir, "root.pem"), root.cert)
				return dir, dir // reading a directory as a file fails
			}, want{ok: true, dirsRead: true}},
		{"SSL_CERT_FILE missing, dir symlinks", leafChain(t, nil, inter, root), "https://api.myservice.com/me",
			func(t *testing.T, dir string) (string, string) {
				writePEM(t, filepath.Join(dir, "Test_Root.pem"), root.cert)
				if err := os.Symlink("Test_Root.pem", filepath.Join(dir, "1a2b3c4d.0")); err != nil {
					t.Skip(err)
				}
				return filepath.Join(dir, "missing.pem"), dir
			}, want{ok: true, dirsRead: true}},
		{"IP address", leafChain(t, nil, root), "https://127.0.0.1:PORT/me",
			bundleOnly(root.cert), want{ok: true}},
		{"IP address not in the certificate", leafChain(t, nil, root), "https://127.0.0.2/me",
			bundleOnly(root.cert), want{errIs: hostname, errText: "x509: certificate is valid for 127.0.0.1, not 127.0.0.2"}},
		{"no roots at all", leafChain(t, nil, root), "https://api.myservice.com/me",
			func(t *testing.T, dir string) (string, string) {
				return filepath.Join(dir, "missing.pem"), filepath.Join(dir, "missing")
			}, want{errIs: unknownAuthority, dirsRead: true}},
		{"no roots and a read error", leafChain(t, nil, root), "https://api.myservice.com/me",
			func(t *testing.T, dir string) (string, string) {
				return dir, filepath.Join(dir, "missing")
			}, want{errIs: func(err error) bool { var e x509.SystemRootsError; return errors.As(err, &e) },
				errText: "x509: failed to load system roots and no roots provided; read ", dirsRead: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := tc.files
			if files == nil {
				files = bundleOnly(tc.cert.x509)
			}
			file, certDir := files(t, dir)
			useSystemRoots(t, file, certDir)
			srv := newTLSServer(t, tc.cert, http.HandlerFunc(whoami))
			got, err := get(t, systemClient(t, srv), strings.Replace(tc.url, "PORT", srv.port(), 1), nil)
			switch {
			case tc.want.ok && err != nil:
				t.Fatalf("got error %v, want 200", err)
			case !tc.want.ok && err == nil:
				t.Fatalf("got %q, want an error", got)
			case !tc.want.ok && !tc.want.errIs(err):
				t.Fatalf("error %v (%T) is not the expected kind", err, errors.Unwrap(err))
			case !tc.want.ok && !strings.Contains(err.Error(), tc.want.errText):
				t.Fatalf("error %q does not contain %q", err, tc.want.errText)
			}
			if read := currentRoots().dirsRead; read != tc.want.dirsRead {
				t.Errorf("certificate directories read: %t, want %t", read, tc.want.dirsRead)
			}
		})
	}
}

// bundleOnly writes certs as the bundle file, with an empty certificate
// directory.
func bundleOnly(certs ...*x509.Certificate) func(t *testing.T, dir string) (string, string) {
	return func(t *testing.T, dir string) (string, string) {
		return writePEM(t, filepath.Join(dir, "bundle.pem"), certs...), t.TempDir()
	}
}

// TestUniqueDirEntries: links to a name in the same directory are left out
// (c_rehash's hash names), links elsewhere are kept.
func TestUniqueDirEntries(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	for _, name := range []string{"a.pem", "b.pem"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o600)
	}
	os.WriteFile(filepath.Join(elsewhere, "c.pem"), nil, 0o600)
	for link, target := range map[string]string{
		"1111.0": "a.pem",                           // same directory: skipped
		"2222.0": filepath.Join(elsewhere, "c.pem"), // elsewhere: kept
		"3333.0": "./b.pem",                         // has a slash: kept, as in crypto/x509
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skip(err)
		}
	}
	entries, err := uniqueDirEntries(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), "2222.0 3333.0 a.pem b.pem"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestSystemRootsResumedSessionVerified: a resumed TLS 1.3 session is
// verified again, so a root that is no longer trusted fails it.
func TestSystemRootsResumedSessionVerified(t *testing.T) {
	if !lazySystemRoots {
		t.Skip("crypto/x509 verifies with the platform here")
	}
	root := newCA(t, "Test Root", nil, nil)
	other := newCA(t, "Other Root", nil, nil)
	dir := t.TempDir()
	useSystemRoots(t, writePEM(t, filepath.Join(dir, "bundle.pem"), root.cert), t.TempDir())
	srv := newTLSServer(t, leafChain(t, nil, root), http.HandlerFunc(whoami))

	cfg := systemRootsConfig("")
	cfg.ServerName = "api.myservice.com"
	cfg.ClientSessionCache = tls.NewLRUClientSessionCache(4)
	cfg.MinVersion = tls.VersionTLS13
	var (
		mu      sync.Mutex
		resumed []bool
	)
	verify := cfg.VerifyConnection
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		mu.Lock()
		resumed = append(resumed, cs.DidResume)
		mu.Unlock()
		return verify(cs)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg, DisableKeepAlives: true}}
	u := "https://" + srv.Listener.Addr().String() + "/"
	for i := range 2 {
		if _, err := get(t, c, u, nil); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	// Trust another root: the cached session must not outlive the trust.
	useSystemRoots(t, writePEM(t, filepath.Join(dir, "other.pem"), other.cert), t.TempDir())
	_, err := get(t, c, u, nil)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("resumed with an untrusted root: got %v, want unknown authority", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(resumed) != 3 || resumed[0] || !resumed[1] || !resumed[2] {
		t.Errorf("VerifyConnection saw DidResume %v, want [false true true]", resumed)
	}
}

// TestSystemRootsConcurrentFirstRequests: many first handshakes at once
// load the roots once and all succeed (run with -race).
func TestSystemRootsConcurrentFirstRequests(t *testing.T) {
	if !lazySystemRoots {
		t.Skip("crypto/x509 verifies with the platform here")
	}
	root := newCA(t, "Test Root", nil, nil)
	inter := newCA(t, "Test Intermediate", root, nil)
	dir := t.TempDir()
	certDir := t.TempDir()
	writePEM(t, filepath.Join(certDir, "x.pem"), newCA(t, "Dir Root", nil, nil).cert)
	useSystemRoots(t, writePEM(t, filepath.Join(dir, "bundle.pem"), root.cert), certDir)
	srv := newTLSServer(t, leafChain(t, nil, inter, root), http.HandlerFunc(whoami))
	untrusted := newTLSServer(t, leafChain(t, nil, newCA(t, "Other Root", nil, nil)), http.HandlerFunc(whoami))

	for round := range 3 {
		roots.Store(nil)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := range 32 {
			wg.Go(func() {
				if i%8 == 0 {
					PrewarmSystemRoots()
				}
				// A client each: nothing is shared but the roots.
				client, wantOK := newSystemClient(srv.port()), true
				if i%4 == 3 {
					client, wantOK = newSystemClient(untrusted.port()), false
				}
				defer client.CloseIdleConnections()
				req, _ := http.NewRequestWithContext(context.Background(), "GET", "https://api.myservice.com/me", nil)
				resp, err := client.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				if (err == nil) != wantOK {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("round %d: unexpected result: %v", round, err)
		}
	}
}

// goSystemPool builds the pool crypto/x509's loadSystemRoots builds from
// the same files (the first readable file, then every file of each
// directory; duplicates are harmless in a pool), for comparison.
func goSystemPool(t testing.TB, files, dirs []string) *x509.CertPool {
	pool := x509.NewCertPool()
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			pool.AppendCertsFromPEM(data)
			break
		}
	}
	for _, d := range dirs {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join(d, e.Name())); err == nil {
				pool.AppendCertsFromPEM(data)
			}
		}
	}
	return pool
}

// TestSystemRootsParity: for a table of chains, the lazy verifier accepts
// and rejects, with the same error, what x509.Verify does with crypto/x509's
// pool of the same files.
func TestSystemRootsParity(t *testing.T) {
	root := newCA(t, "Test Root", nil, nil)
	dirRoot := newCA(t, "Dir Root", nil, nil)
	sameName := newCA(t, "Test Root", nil, nil) // the root's subject, another key
	untrusted := newCA(t, "Untrusted Root", nil, nil)
	inter := newCA(t, "Test Intermediate", root, nil)
	expiredInter := newCA(t, "Expired Intermediate", root, func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)
	})
	clientOnly := newCA(t, "Client Intermediate", root, func(c *x509.Certificate) {
		c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	})
	constrained := newCA(t, "Constrained Intermediate", root, func(c *x509.Certificate) {
		c.ExcludedDNSDomains = []string{"myservice.com"}
	})
	// "Dir Root" cross-signed by root: chains end at either.
	cross := &testCA{key: dirRoot.key}
	cross.cert, _ = func() (*x509.Certificate, *ecdsa.PrivateKey) {
		tmpl := *dirRoot.cert
		tmpl.SerialNumber = randSerial(t)
		der, err := x509.CreateCertificate(rand.Reader, &tmpl, root.cert, dirRoot.cert.PublicKey, root.key)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c, nil
	}()
	selfSigned := newTestCert(t)
	expired := func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)
	}

	dir := t.TempDir()
	certDir := filepath.Join(dir, "certs")
	os.Mkdir(certDir, 0o700)
	bundle := writePEM(t, filepath.Join(dir, "bundle.pem"), sameName.cert, root.cert, selfSigned.x509)
	writePEM(t, filepath.Join(certDir, "Dir_Root.pem"), dirRoot.cert)
	writePEM(t, filepath.Join(certDir, "copy.pem"), root.cert)
	os.WriteFile(filepath.Join(certDir, "README"), []byte("not PEM"), 0o600)
	os.Symlink("Dir_Root.pem", filepath.Join(certDir, "abcdef01.0"))
	onlyDir := t.TempDir()
	writePEM(t, filepath.Join(onlyDir, "root.pem"), root.cert)

	for _, env := range []struct{ name, file, dir string }{
		{"bundle and dir", bundle, certDir},
		{"dir only", filepath.Join(dir, "missing"), onlyDir + ":" + certDir},
		{"bundle only", bundle, ""},
	} {
		dirs := strings.Split(env.dir, ":")
		if env.dir == "" {
			dirs = nil
		}
		goPool := goSystemPool(t, []string{env.file}, dirs)
		for _, tc := range []struct {
			name string
			cert testCert
			host string
		}{
			{"root", leafChain(t, nil, root), "api.myservice.com"},
			{"intermediate", leafChain(t, nil, inter, root), "api.myservice.com"},
			{"intermediate missing", leafOnly(leafChain(t, nil, inter, root)), "api.myservice.com"},
			{"dir root", leafChain(t, nil, dirRoot), "api.myservice.com"},
			{"cross-signed", leafChain(t, nil, cross, root), "api.myservice.com"},
			{"same subject, bundle key", leafChain(t, nil, sameName), "api.myservice.com"},
			{"untrusted", leafChain(t, nil, untrusted), "api.myservice.com"},
			{"expired leaf", leafChain(t, expired, root), "api.myservice.com"},
			{"expired intermediate", leafChain(t, nil, expiredInter, root), "api.myservice.com"},
			{"client-auth intermediate", leafChain(t, nil, clientOnly, root), "api.myservice.com"},
			{"name constraints", leafChain(t, nil, constrained, root), "api.myservice.com"},
			{"wrong host", leafChain(t, nil, root), "other.example"},
			{"IP", leafChain(t, nil, root), "127.0.0.1"},
			{"wrong IP", leafChain(t, nil, root), "[::1]"},
			{"self-signed in bundle", selfSigned, "api.myservice.com"},
		} {
			t.Run(env.name+"/"+tc.name, func(t *testing.T) {
				useSystemRoots(t, env.file, env.dir)
				certs := make([]*x509.Certificate, len(tc.cert.tls.Certificate))
				for i, der := range tc.cert.tls.Certificate {
					certs[i], _ = x509.ParseCertificate(der)
				}
				opts := x509.VerifyOptions{DNSName: tc.host, Roots: goPool, Intermediates: x509.NewCertPool()}
				for _, c := range certs[1:] {
					opts.Intermediates.AddCert(c)
				}
				_, want := certs[0].Verify(opts)
				got := currentRoots().verify(certs, tc.host)
				if (got == nil) != (want == nil) || (got != nil && got.Error() != want.Error()) {
					t.Errorf("lazy roots: %v\nx509 pool:  %v", got, want)
				}
			})
		}
	}
}

// TestCertListsMatchCryptoX509: the file and directory lists are
// crypto/x509's for this OS (read from GOROOT's source when present).
func TestCertListsMatchCryptoX509(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("checked on Linux")
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skip(err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "src", "crypto", "x509", "root_linux.go"))
	if err != nil {
		t.Skip(err)
	}
	list := func(name string) string {
		m := regexp.MustCompile(`(?s)var ` + name + ` = \[\]string\{(.*?)\n\}`).FindSubmatch(src)
		if m == nil {
			t.Fatalf("no %s in root_linux.go", name)
		}
		var items []string
		for _, q := range regexp.MustCompile(`"[^"]*"`).FindAll(m[1], -1) {
			items = append(items, strings.Trim(string(q), `"`))
		}
		return strings.Join(items, " ")
	}
	if got, want := strings.Join(certFiles, " "), list("certFiles"); got != want {
		t.Errorf("certFiles:\n got %s\nwant %s", got, want)
	}
	if got, want := strings.Join(certDirectories, " "), list("certDirectories"); got != want {
		t.Errorf("certDirectories:\n got %s\nwant %s", got, want)
	}
}

// firstRootsFixture is the machine's real system roots plus a test root
// (appended to a copy of the bundle) and a chain it issued: the roots a
// first request meets on this machine. It skips without
// /etc/ssl/certs/ca-certificates.crt.
func firstRootsFixture(tb testing.TB) (bundle string, certs []*x509.Certificate) {
	const real = "/etc/ssl/certs/ca-certificates.crt"
	data, err := os.ReadFile(real)
	if err != nil || !lazySystemRoots {
		tb.Skip("no system bundle at " + real)
	}
	root := newCA(tb, "Bench Root", nil, nil)
	inter := newCA(tb, "Bench Intermediate", root, nil)
	leaf := leafChain(tb, nil, inter, root)
	bundle = filepath.Join(tb.TempDir(), "ca-certificates.crt")
	if err := os.WriteFile(bundle, append(data, pemOf(root.cert)...), 0o600); err != nil {
		tb.Fatal(err)
	}
	return bundle, []*x509.Certificate{leaf.x509, inter.cert}
}

// BenchmarkFirstRequestRoots compares what the first HTTPS request of a
// process spends on the system roots (/etc/ssl/certs and the bundle, plus
// a test root): "lazy" is this package's verifier, "x509" is what
// crypto/x509's loadSystemRoots reads and parses (the same files, every
// certificate parsed by AppendCertsFromPEM) then Verify; both from a cold
// cache each iteration. The "process" variants measure the first
// verification in a fresh process each iteration (x509: a real
// x509.SystemCertPool via Verify with nil Roots, as crypto/tls does),
// reported as first-ns/op and first-B/op.
func BenchmarkFirstRequestRoots(b *testing.B) {
	bundle, certs := firstRootsFixture(b)
	const dir = "/etc/ssl/certs"
	b.Run("lazy", func(b *testing.B) {
		useSystemRoots(b, bundle, dir)
		b.ReportAllocs()
		for b.Loop() {
			roots.Store(nil)
			if err := currentRoots().verify(certs, "api.myservice.com"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("x509", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pool := goSystemPool(b, []string{bundle}, []string{dir, "/etc/pki/tls/certs"})
			inter := x509.NewCertPool()
			inter.AddCert(certs[1])
			if _, err := certs[0].Verify(x509.VerifyOptions{DNSName: "api.myservice.com", Roots: pool, Intermediates: inter}); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, mode := range []string{"lazy", "x509"} {
		b.Run("process-"+mode, func(b *testing.B) {
			var ns, bytes float64
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(os.Args[0], "-test.run=^TestFirstRootsChild$", "-test.v")
				cmd.Env = append(os.Environ(), certFileEnv+"="+bundle, certDirEnv+"="+dir, "HOST_FETCH_FIRST_ROOTS="+mode,
					"HOST_FETCH_FIRST_ROOTS_CHAIN="+string(pemOf(certs...)))
				out, err := cmd.CombinedOutput()
				var n, by float64
				if _, serr := fmt.Sscanf(string(out[max(0, strings.Index(string(out), "FIRST ")):]), "FIRST %g %g", &n, &by); err != nil || serr != nil {
					b.Fatalf("child: %v %v\n%s", err, serr, out)
				}
				ns += n
				bytes += by
			}
			b.ReportMetric(ns/float64(b.N), "first-ns/op")
			b.ReportMetric(bytes/float64(b.N), "first-B/op")
		})
	}
}

// TestFirstRootsChild is BenchmarkFirstRequestRoots's fresh process: it
// verifies the chain once and prints the time and bytes allocated.
func TestFirstRootsChild(t *testing.T) {
	mode := os.Getenv("HOST_FETCH_FIRST_ROOTS")
	if mode == "" {
		t.Skip("runs as a child of BenchmarkFirstRequestRoots")
	}
	var certs []*x509.Certificate
	for rest := []byte(os.Getenv("HOST_FETCH_FIRST_ROOTS_CHAIN")); ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var err error
	if mode == "lazy" {
		err = currentRoots().verify(certs, "api.myservice.com")
	} else {
		inter := x509.NewCertPool()
		inter.AddCert(certs[1])
		_, err = certs[0].Verify(x509.VerifyOptions{DNSName: "api.myservice.com", Intermediates: inter})
	}
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("FIRST %d %d", d.Nanoseconds(), after.TotalAlloc-before.TotalAlloc)
}
