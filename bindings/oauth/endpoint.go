package oauth

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrCleartext marks an endpoint URL that would send the authorization
// code, the PKCE verifier or the tokens across the network unencrypted.
var ErrCleartext = errors.New("cleartext OAuth endpoint")

// CheckEndpoint reports why raw cannot be the auth block's field ("tokenUrl",
// "authorizationUrl" or "deviceAuthorizationUrl"), or nil. It must be an
// absolute https:// URL, or http:// to a loopback host (127.0.0.0/8, [::1],
// localhost) for a provider on this machine: over http:// to any other
// host the authorization code, the PKCE verifier and the tokens would
// travel in clear. A refused http:// URL matches ErrCleartext.
func CheckEndpoint(field, raw string) error {
	u, err := url.Parse(raw)
	scheme := ""
	if err == nil {
		scheme = strings.ToLower(u.Scheme)
	}
	if err != nil || (scheme != "https" && scheme != "http") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("auth.%s must be an http(s) URL, got %q", field, raw)
	}
	if scheme == "http" && !loopback(u.Hostname()) {
		return cleartextError(fmt.Sprintf("auth.%s %q is http:// to another machine: the authorization code, the PKCE verifier and the tokens would travel unencrypted; use https:// (plain http:// is allowed only to this machine: 127.0.0.1, [::1] or localhost)", field, raw))
	}
	return nil
}

type cleartextError string

func (e cleartextError) Error() string        { return string(e) }
func (e cleartextError) Is(target error) bool { return target == ErrCleartext }

// loopback reports whether host names this machine: a loopback IP literal
// or "localhost" (RFC 6761 keeps it on the loopback interface).
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
