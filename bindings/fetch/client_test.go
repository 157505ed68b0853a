package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConnectTo(t *testing.T) {
	good := []struct {
		in   string
		want ConnectTo
	}{
		{"api.myservice.com:443:127.0.0.1:8443", ConnectTo{"api.myservice.com", "443", "127.0.0.1", "8443"}},
		{"::127.0.0.1:", ConnectTo{"", "", "127.0.0.1", ""}},
		{":443::8443", ConnectTo{"", "443", "", "8443"}},
		{":::", ConnectTo{}},
		{"example.com::localhost:", ConnectTo{"example.com", "", "localhost", ""}},
		{"[::1]:443:[2001:db8::7]:8443", ConnectTo{"::1", "443", "2001:db8::7", "8443"}},
		{"[fe80::1%eth0]:80:[::1]:", ConnectTo{"fe80::1%eth0", "80", "::1", ""}},
		{"API.MyService.com:0443:my_host-1:65535", ConnectTo{"API.MyService.com", "443", "my_host-1", "65535"}},
		{"bücher.example:443:xn--bcher-kva.example:443", ConnectTo{"bücher.example", "443", "xn--bcher-kva.example", "443"}},
	}
	for _, tc := range good {
		got, err := ParseConnectTo(tc.in)
		if err != nil {
			t.Errorf("ParseConnectTo(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseConnectTo(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		again, err := ParseConnectTo(got.String())
		if err != nil || again != got {
			t.Errorf("round trip of %q via %q = %+v, %v", tc.in, got.String(), again, err)
		}
	}

	bad := []struct{ in, why string }{
		{"", "found 1 part(s)"},
		{"api.myservice.com", "found 1 part(s)"},
		{"api.myservice.com:443:127.0.0.1", "found 3 part(s)"},
		{"a:443:b:1:2", `too many ':', ":2" is left`},
		{"::1:443:127.0.0.1:80", "write IPv6 addresses in brackets"},
		{"a:99999:b:1", `PORT "99999" is not a port number`},
		{"a:https:b:1", `PORT "https" is not a port number`},
		{"a:443:b:0", `CONNECT-TO-PORT "0" is not a port number`},
		{"a:443:b:-1", `CONNECT-TO-PORT "-1" is not a port number`},
		{"[::1:443:b:1", "missing ']'"},
		{"[not-an-ip]:443:b:1", `HOST "[not-an-ip]" is not an IPv6 address`},
		{"[127.0.0.1]:443:b:1", `HOST "[127.0.0.1]" is not an IPv6 address`},
		{"a:443:[zz]:1", `CONNECT-TO-HOST "[zz]" is not an IPv6 address`},
		{"a b:443:c:1", `HOST "a b" is not a host name`},
		{"a:443:c/d:1", `CONNECT-TO-HOST "c/d" is not a host name`},
		{"[::1]x:443:a:1", "found 1 part(s)"},
	}
	for _, tc := range bad {
		_, err := ParseConnectTo(tc.in)
		if err == nil {
			t.Errorf("ParseConnectTo(%q) succeeded, want error containing %q", tc.in, tc.why)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.why) || !strings.Contains(msg, "want HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT") || !strings.Contains(msg, fmt.Sprintf("%q", tc.in)) {
			t.Errorf("ParseConnectTo(%q) error = %q, want it to quote the input, contain %q and show the expected form", tc.in, msg, tc.why)
		}
	}
}

// whoami answers with what the server saw of the request.
func whoami(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "host=%s proto=%s ua=%s auth=%t path=%s", r.Host, r.Proto, r.UserAgent(), r.Header.Get("Authorization") != "", r.URL.Path)
}

func get(t *testing.T, c *http.Client, u string, header map[string]string) (string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), "GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %s", resp.StatusCode, b), err
}

func TestConnectToKeepsHostAndSNI(t *testing.T) {
	cert := newTestCert(t)
	srv := newTLSServer(t, cert, http.HandlerFunc(whoami))

	for _, rule := range []string{
		"api.myservice.com:443:127.0.0.1:" + srv.port(),
		"::127.0.0.1:" + srv.port(),
		"API.MYSERVICE.COM:443:127.0.0.1:" + srv.port(),
	} {
		t.Run(rule, func(t *testing.T) {
			ct, err := ParseConnectTo(rule)
			if err != nil {
				t.Fatal(err)
			}
			c := NewClient(ClientOptions{ConnectTo: []ConnectTo{ct}, RootCAs: cert.pool()})
			defer c.CloseIdleConnections()
			got, err := get(t, c, "https://api.myservice.com/me", nil)
			if err != nil {
				t.Fatal(err)
			}
			want := "200 host=api.myservice.com proto=HTTP/2.0 ua=" + DefaultUserAgent() + " auth=false path=/me"
			if got != want {
				t.Errorf("got %q, want %q", got, want)
			}
			snis := srv.seenSNIs()
			if len(snis) == 0 || snis[len(snis)-1] != "api.myservice.com" {
				t.Errorf("server saw SNI %q, want api.myservice.com", snis)
			}
		})
	}
}

func TestConnectToFirstMatchWinsAndOthersUntouched(t *testing.T) {
	cert := newTestCert(t)
	srv := newTLSServer(t, cert, http.HandlerFunc(whoami))
	rules := []ConnectTo{
		{Host: "api.myservice.com", Port: "443", ToHost: "127.0.0.1", ToPort: srv.port()},
		{Host: "api.myservice.com", ToHost: "127.0.0.1", ToPort: closedPortNumber(t)},
		{Host: "other.example", Port: srv.port(), ToHost: "127.0.0.1", ToPort: "1"},
	}
	c := NewClient(ClientOptions{ConnectTo: rules, RootCAs: cert.pool()})
	defer c.CloseIdleConnections()

	if got, err := get(t, c, "https://api.myservice.com/a", nil); err != nil || !strings.HasPrefix(got, "200 host=api.myservice.com ") {
		t.Errorf("first rule: %q, %v", got, err)
	}
	// Port 8443 skips the first rule and matches the second (a closed port).
	if _, err := get(t, c, "https://api.myservice.com:8443/a", nil); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("second rule: want connection refused, got %v", err)
	}
	// No rule for 127.0.0.1: dialled as is.
	if got, err := get(t, c, "https://127.0.0.1:"+srv.port()+"/b", nil); err != nil || !strings.HasPrefix(got, "200 host=127.0.0.1:"+srv.port()) {
		t.Errorf("no rule: %q, %v", got, err)
	}
}

func closedPortNumber(t *testing.T) string {
	a := closedPort(t)
	return a[strings.LastIndexByte(a, ':')+1:]
}

func TestProxyIsUsedExceptForConnectTo(t *testing.T) {
	cert := newTestCert(t)
	target := newTLSServer(t, cert, http.HandlerFunc(whoami))
	plain := httptest.NewServer(http.HandlerFunc(whoami))
	defer plain.Close()
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "via proxy for %s", r.URL)
	}))
	defer proxy.Close()
	proxyURL, _ := url.Parse(proxy.URL)

	c := NewClient(ClientOptions{
		ConnectTo: []ConnectTo{{Host: "api.myservice.com", ToHost: "127.0.0.1", ToPort: target.port()}},
		RootCAs:   cert.pool(),
		Proxy:     http.ProxyURL(proxyURL),
	})
	defer c.CloseIdleConnections()

	if got, err := get(t, c, "https://api.myservice.com/me", nil); err != nil || !strings.HasPrefix(got, "200 host=api.myservice.com") {
		t.Errorf("connect-to request: %q, %v; want it direct, not via the proxy", got, err)
	}
	if got, err := get(t, c, plain.URL+"/x", nil); err != nil || got != "200 via proxy for "+plain.URL+"/x" {
		t.Errorf("other request: %q, %v; want it via the proxy", got, err)
	}
}

func TestUserAgent(t *testing.T) {
	if ua := DefaultUserAgent(); !strings.HasPrefix(ua, "host/") || len(ua) == len("host/") {
		t.Errorf("DefaultUserAgent() = %q, want host/<version>", ua)
	}
	srv := httptest.NewServer(http.HandlerFunc(whoami))
	defer srv.Close()
	for _, tc := range []struct {
		opts   ClientOptions
		header map[string]string
		want   string
	}{
		{ClientOptions{}, nil, "ua=" + DefaultUserAgent() + " "},
		{ClientOptions{UserAgent: "host/1.2.3"}, nil, "ua=host/1.2.3 "},
		{ClientOptions{}, map[string]string{"User-Agent": "my-plugin/0.1"}, "ua=my-plugin/0.1 "},
	} {
		c := NewClient(tc.opts)
		got, err := get(t, c, srv.URL, tc.header)
		if err != nil || !strings.Contains(got, tc.want) {
			t.Errorf("opts %+v header %v: got %q, %v; want %q", tc.opts, tc.header, got, err, tc.want)
		}
	}
}

func TestRedirectDropsAuthorizationAcrossOrigins(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(whoami)) // another port: another origin
	defer other.Close()
	var self *httptest.Server
	self = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, "/end", http.StatusFound)
		case "/cross":
			http.Redirect(w, r, other.URL+"/end", http.StatusFound)
		case "/cross-and-back":
			http.Redirect(w, r, other.URL+"/back?to="+url.QueryEscape(self.URL+"/end"), http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		default:
			whoami(w, r)
		}
	}))
	defer self.Close()
	otherBack := http.NewServeMux()
	otherBack.HandleFunc("/back", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	otherBack.HandleFunc("/", whoami)
	other.Config.Handler = otherBack

	c := NewClient(ClientOptions{})
	auth := map[string]string{"Authorization": "Bearer fake-token-123"}
	for path, want := range map[string]string{
		"/same":           "auth=true path=/end",
		"/cross":          "auth=false path=/end",
		"/cross-and-back": "auth=false path=/end",
	} {
		got, err := get(t, c, self.URL+path, auth)
		if err != nil || !strings.Contains(got, want) {
			t.Errorf("%s: got %q, %v; want %q", path, got, err, want)
		}
	}
	if _, err := get(t, c, self.URL+"/loop", nil); err == nil || !strings.Contains(err.Error(), "at most 20 redirects") {
		t.Errorf("redirect loop: got %v, want the redirect limit", err)
	}
}

// TestSSLCertFile checks, in a child process (the system pool is loaded once
// per process), that the production client trusts what SSL_CERT_FILE names.
func TestSSLCertFile(t *testing.T) {
	cert := newTestCert(t)
	srv := newTLSServer(t, cert, http.HandlerFunc(whoami))
	dir := t.TempDir()
	good := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(good, cert.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.pem")
	if err := os.WriteFile(other, newTestCert(t).pem, 0o600); err != nil {
		t.Fatal(err)
	}
	emptyDir := t.TempDir()
	for _, tc := range []struct{ file, want string }{
		{good, "CHILD OK 200 host=api.myservice.com"},
		{other, "certificate signed by unknown authority"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSSLCertFileChild$", "-test.v")
		cmd.Env = append(os.Environ(),
			"SSL_CERT_FILE="+tc.file,
			"SSL_CERT_DIR="+emptyDir,
			"HOST_FETCH_TEST_CHILD_PORT="+srv.port(),
		)
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("SSL_CERT_FILE=%s: child output:\n%s\nwant it to contain %q", filepath.Base(tc.file), out, tc.want)
		}
	}
}

func TestSSLCertFileChild(t *testing.T) {
	port := os.Getenv("HOST_FETCH_TEST_CHILD_PORT")
	if port == "" {
		t.Skip("runs as a child of TestSSLCertFile")
	}
	c := NewClient(ClientOptions{ConnectTo: []ConnectTo{{Host: "api.myservice.com", ToHost: "127.0.0.1", ToPort: port}}})
	got, err := get(t, c, "https://api.myservice.com/me", nil)
	if err != nil {
		t.Fatalf("CHILD ERROR %v", err)
	}
	t.Logf("CHILD OK %s", got)
}
