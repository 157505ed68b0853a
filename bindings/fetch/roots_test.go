package fetch

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The production client (RootCAs nil) trusts crypto/x509's system pool,
// which a process loads once: each case runs in a child process of its own
// with SSL_CERT_FILE / SSL_CERT_DIR set (see inChild).

const rootsChildEnv = "HOST_FETCH_ROOTS_CHILD"

// inChild runs the calling test again in a fresh test process with env
// added and reports its failure; in that child it returns true and the test
// goes on. Parent-side setup (files, servers) passes data through env.
func inChild(t *testing.T, env ...string) bool {
	t.Helper()
	if os.Getenv(rootsChildEnv) == t.Name() {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), append([]string{rootsChildEnv + "=" + t.Name()}, env...)...)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	return false
}

func writeFile(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
}

// getOK sends GET url with c and checks the answer is "ok".
func getOK(t *testing.T, c *http.Client, u string) error {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "ok" {
		return fmt.Errorf("GET %s: %d %q", u, resp.StatusCode, b)
	}
	return nil
}

func TestSystemRootsFromSSLCertFile(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("crypto/x509 verifies with the platform here")
	}
	var env []string
	if os.Getenv(rootsChildEnv) == "" {
		trusted, other := newTestCert(t), newTestCert(t)
		srv := newTLSServer(t, trusted, okHandler())
		dir := t.TempDir()
		env = []string{
			"SSL_CERT_FILE=" + writeFile(t, filepath.Join(dir, "bundle.pem"), append(other.pem, trusted.pem...)),
			"SSL_CERT_DIR=" + t.TempDir(),
			"TEST_PORT=" + srv.port(),
		}
	}
	if !inChild(t, env...) {
		return
	}
	c := NewClient(ClientOptions{ConnectTo: []ConnectTo{{Host: "api.myservice.com", ToHost: "127.0.0.1", ToPort: os.Getenv("TEST_PORT")}}})
	if err := getOK(t, c, "https://api.myservice.com/"); err != nil {
		t.Fatalf("a server whose CA is in SSL_CERT_FILE: %v", err)
	}
	// The certificate names api.myservice.com and 127.0.0.1 only.
	if err := getOK(t, c, "https://127.0.0.1:"+os.Getenv("TEST_PORT")+"/"); err != nil {
		t.Fatalf("by IP address: %v", err)
	}
}

func TestSystemRootsFromSSLCertDir(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("crypto/x509 verifies with the platform here")
	}
	var env []string
	if os.Getenv(rootsChildEnv) == "" {
		trusted, untrusted := newTestCert(t), newTestCert(t)
		good := newTLSServer(t, trusted, okHandler())
		bad := newTLSServer(t, untrusted, okHandler())
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "trusted.pem"), trusted.pem)
		env = []string{
			"SSL_CERT_FILE=" + filepath.Join(dir, "missing.pem"),
			"SSL_CERT_DIR=" + t.TempDir() + ":" + dir,
			"TEST_PORT=" + good.port(), "TEST_BAD_PORT=" + bad.port(),
		}
	}
	if !inChild(t, env...) {
		return
	}
	c := NewClient(ClientOptions{ConnectTo: []ConnectTo{
		{Host: "api.myservice.com", ToHost: "127.0.0.1", ToPort: os.Getenv("TEST_PORT")},
		{Host: "wrong.myservice.com", ToHost: "127.0.0.1", ToPort: os.Getenv("TEST_PORT")},
	}})
	if err := getOK(t, c, "https://api.myservice.com/"); err != nil {
		t.Fatalf("a server whose CA is in SSL_CERT_DIR: %v", err)
	}
	var hostErr x509.HostnameError
	if err := getOK(t, c, "https://wrong.myservice.com/"); !errors.As(err, &hostErr) {
		t.Fatalf("a certificate for another name: got %v, want a hostname error", err)
	}
	var unknown x509.UnknownAuthorityError
	if err := getOK(t, c, "https://127.0.0.1:"+os.Getenv("TEST_BAD_PORT")+"/"); !errors.As(err, &unknown) {
		t.Fatalf("an untrusted CA: got %v, want an unknown-authority error", err)
	}
}

// TestHTTPSProxyByIPAddress: an HTTPS proxy addressed as https://127.0.0.1
// (whose certificate names that address), trusted through SSL_CERT_FILE,
// carries both a plain-HTTP request and an HTTPS tunnel (CONNECT).
func TestHTTPSProxyByIPAddress(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("crypto/x509 verifies with the platform here")
	}
	var env []string
	if os.Getenv(rootsChildEnv) == "" {
		cert := newTestCert(t)
		origin := newTLSServer(t, cert, okHandler())
		plain := newLoopbackServer(t, okHandler())
		proxy := httptest.NewUnstartedServer(forwardProxy(t, map[string]string{
			"api.myservice.com:443": origin.Listener.Addr().String(),
			"api.myservice.com:80":  plain,
		}))
		proxy.TLS = &tls.Config{Certificates: []tls.Certificate{cert.tls}}
		proxy.StartTLS()
		t.Cleanup(proxy.Close)
		env = []string{
			"SSL_CERT_FILE=" + writeFile(t, filepath.Join(t.TempDir(), "bundle.pem"), cert.pem),
			"SSL_CERT_DIR=" + t.TempDir(),
			"TEST_PROXY=" + proxy.URL,
		}
	}
	if !inChild(t, env...) {
		return
	}
	proxyURL, _ := url.Parse(os.Getenv("TEST_PROXY"))
	c := NewClient(ClientOptions{Proxy: http.ProxyURL(proxyURL)})
	for _, u := range []string{"http://api.myservice.com/", "https://api.myservice.com/"} {
		if err := getOK(t, c, u); err != nil {
			t.Errorf("through the proxy %s: %v", proxyURL, err)
		}
	}
}

// newLoopbackServer serves h over plain HTTP on 127.0.0.1 and returns its
// address.
func newLoopbackServer(t *testing.T, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

// forwardProxy is an HTTP proxy (absolute-URI requests and CONNECT) that
// reaches only the host:port names in routes, at the given addresses.
func forwardProxy(t *testing.T, routes map[string]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hostport := r.Host
		if !strings.Contains(hostport, ":") {
			hostport += ":80"
		}
		addr, ok := routes[hostport]
		if !ok {
			http.Error(w, "no route to "+hostport, http.StatusBadGateway)
			return
		}
		if r.Method == http.MethodConnect {
			up, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			w.WriteHeader(http.StatusOK)
			conn, brw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				up.Close()
				return
			}
			go func() { io.Copy(up, brw); up.Close() }()
			io.Copy(conn, up)
			conn.Close()
			return
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, "http://"+addr+r.URL.RequestURI(), r.Body)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	})
}

// BenchmarkFirstRequestRoots measures what the first HTTPS request of a
// process spends on the system roots: in a fresh process each iteration,
// the first verification of a chain against crypto/x509's system pool (the
// machine's bundle plus a test root, /etc/ssl/certs), as crypto/tls does it,
// reported as first-ns/op and first-B/op. It skips without the bundle.
func BenchmarkFirstRequestRoots(b *testing.B) {
	const real = "/etc/ssl/certs/ca-certificates.crt"
	data, err := os.ReadFile(real)
	if err != nil {
		b.Skip("no system bundle at " + real)
	}
	cert := newTestCert(b)
	bundle := writeFile(b, filepath.Join(b.TempDir(), "ca-certificates.crt"), append(data, cert.pem...))
	var ns, bytes float64
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFirstRootsChild$", "-test.v")
		cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+bundle, "SSL_CERT_DIR=/etc/ssl/certs",
			"HOST_FETCH_FIRST_ROOTS="+string(cert.pem))
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
}

// TestFirstRootsChild is BenchmarkFirstRequestRoots's fresh process: it
// verifies the certificate once against the system pool and prints the
// time and bytes allocated.
func TestFirstRootsChild(t *testing.T) {
	p := os.Getenv("HOST_FETCH_FIRST_ROOTS")
	if p == "" {
		t.Skip("runs as a child of BenchmarkFirstRequestRoots")
	}
	block, _ := pem.Decode([]byte(p))
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err = cert.Verify(x509.VerifyOptions{DNSName: "api.myservice.com"})
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("FIRST %d %d", d.Nanoseconds(), after.TotalAlloc-before.TotalAlloc)
}
