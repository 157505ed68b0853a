package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
)

// ClientOptions configures NewClient. The zero value is a production client:
// system roots, proxies from the environment, default timeouts.
type ClientOptions struct {
	// ConnectTo rules, curl's --connect-to: the first rule matching a
	// request's host:port decides where its connection goes. A request that
	// matches a rule is sent directly to the rule's target and never through
	// a proxy (curl instead tunnels through the proxy to the target; see
	// NewClient).
	ConnectTo []ConnectTo

	// RootCAs replaces the system roots for server certificates (tests).
	// Nil means crypto/x509's system pool, which on Linux and the other unix
	// systems honours SSL_CERT_FILE and SSL_CERT_DIR.
	RootCAs *x509.CertPool

	// Proxy picks the proxy for a request; nil means
	// http.ProxyFromEnvironment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY).
	Proxy func(*http.Request) (*url.URL, error)

	// UserAgent is sent when a request sets none; default DefaultUserAgent().
	UserAgent string

	// Timeouts; zero means the default shown.
	DialTimeout           time.Duration // 10s: TCP connect
	TLSHandshakeTimeout   time.Duration // 10s
	ResponseHeaderTimeout time.Duration // 60s: request written -> status line
}

// Default limits of NewClient.
const (
	DefaultDialTimeout           = 10 * time.Second
	DefaultTLSHandshakeTimeout   = 10 * time.Second
	DefaultResponseHeaderTimeout = 60 * time.Second
	// MaxRedirects is the fetch standard's redirect limit.
	MaxRedirects = 20
)

// DefaultUserAgent returns "host/<version>", the version being the main
// module's build version, or "dev" for a development build.
func DefaultUserAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "host/" + v
}

// NewClient returns the HTTP client the host uses for everything it does on
// a plugin's behalf (fetch, OAuth). Create one per process and share it: the
// client and its connection pools are safe for concurrent use. It has no side
// effects until used.
//
// Behaviour:
//   - ConnectTo: a connection for a URL's host:port (port defaulting to the
//     scheme's) that matches a rule dials the rule's target; the URL host
//     stays the Host header, the TLS server name and the name the
//     certificate is verified against. Such requests bypass any proxy (a
//     deliberate difference from curl, which tunnels through the proxy with
//     CONNECT to the target): connect-to is for aiming a name at a specific,
//     usually local or test, server that a proxy would not reach.
//   - Other requests use Proxy (default: the environment's HTTP_PROXY,
//     HTTPS_PROXY, NO_PROXY).
//   - Redirects: at most MaxRedirects; the Authorization header is dropped
//     whenever a redirect changes origin (scheme, host or port), as the fetch
//     standard requires. Go alone would keep it for same-host port or
//     scheme changes and for subdomains; it already drops Cookie and
//     WWW-Authenticate when the host is neither the same nor a subdomain.
//   - HTTP/2 is negotiated over TLS when the server offers it.
//   - User-Agent: opts.UserAgent (default DefaultUserAgent()) unless the
//     request sets one.
//   - Servers, and HTTPS proxies, are verified by crypto/tls against
//     opts.RootCAs or crypto/x509's system pool (see PrewarmSystemRoots).
func NewClient(opts ClientOptions) *http.Client {
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = DefaultDialTimeout
	}
	if opts.TLSHandshakeTimeout <= 0 {
		opts.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	}
	if opts.ResponseHeaderTimeout <= 0 {
		opts.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	}
	if opts.Proxy == nil {
		opts.Proxy = http.ProxyFromEnvironment
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent()
	}
	dialer := &net.Dialer{Timeout: opts.DialTimeout, KeepAlive: 30 * time.Second}
	newTransport := func() *http.Transport {
		return &http.Transport{
			DialContext:           dialer.DialContext,
			TLSClientConfig:       &tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   opts.TLSHandshakeTimeout,
			ResponseHeaderTimeout: opts.ResponseHeaderTimeout,
			ExpectContinueTimeout: 1 * time.Second,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   32,
			IdleConnTimeout:       90 * time.Second,
		}
	}
	rt := &roundTripper{userAgent: opts.UserAgent, rules: append([]ConnectTo(nil), opts.ConnectTo...)}
	rt.proxied = newTransport()
	rt.proxied.Proxy = opts.Proxy
	if len(rt.rules) > 0 {
		t := newTransport()
		t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err == nil {
				if r, ok := lookupConnectTo(rt.rules, host, port); ok {
					addr = r.target(host, port)
				}
			}
			return dialer.DialContext(ctx, network, addr)
		}
		rt.direct = t
	}
	return &http.Client{Transport: rt, CheckRedirect: checkRedirect}
}

// roundTripper adds the default User-Agent and routes requests that match a
// connect-to rule to the direct transport.
type roundTripper struct {
	userAgent string
	rules     []ConnectTo
	proxied   *http.Transport // environment proxies, plain dialing
	direct    *http.Transport // no proxy, dials connect-to targets; nil without rules
}

func (t *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	orig := req
	if _, ok := req.Header["User-Agent"]; !ok {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", t.userAgent)
	}
	next := t.proxied
	if t.direct != nil && req.URL != nil {
		if _, ok := lookupConnectTo(t.rules, req.URL.Hostname(), urlPort(req.URL)); ok {
			next = t.direct
		}
	}
	resp, err := next.RoundTrip(req)
	if resp != nil {
		resp.Request = orig // the caller's request, not our clone
	}
	return resp, err
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach every
// transport.
func (t *roundTripper) CloseIdleConnections() {
	t.proxied.CloseIdleConnections()
	if t.direct != nil {
		t.direct.CloseIdleConnections()
	}
}

func urlPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "wss":
		return "443"
	default:
		return "80"
	}
}

// origin is scheme://host:port with the default port made explicit.
func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + urlPort(u)
}

var errTooManyRedirects = errors.New("redirect count exceeded (at most 20 redirects)")

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return errTooManyRedirects
	}
	// Once dropped, Authorization stays dropped: Go re-copies headers from
	// the first request on every hop, so check the whole chain.
	first := origin(via[0].URL)
	crossed := origin(req.URL) != first
	for _, r := range via[1:] {
		crossed = crossed || origin(r.URL) != first
	}
	if crossed {
		req.Header.Del("Authorization")
	}
	return nil
}

var _ http.RoundTripper = (*roundTripper)(nil)

// PrewarmSystemRoots loads crypto/x509's system pool (the pool crypto/tls
// verifies against when RootCAs is nil), so that the first HTTPS handshake
// does not wait for it. Safe to call from any goroutine, any number of times.
func PrewarmSystemRoots() { _, _ = x509.SystemCertPool() }
