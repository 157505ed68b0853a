package fetch

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// ConnectTo is one curl-style "--connect-to" rule: a request whose URL
// names Host:Port is sent over a connection to ToHost:ToPort instead. The
// URL's host is still used for the Host header, TLS SNI and certificate
// verification, exactly as with curl.
//
// Empty Host or Port match any host or port; empty ToHost or ToPort keep the
// request's own host or port. Hosts are stored without IPv6 brackets and
// compared case-insensitively. A ConnectTo is a plain value, safe to copy and
// share between goroutines.
type ConnectTo struct {
	Host, Port     string
	ToHost, ToPort string
}

// connectToForm is the syntax every ParseConnectTo error repeats.
const connectToForm = "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT (for example api.myservice.com:443:127.0.0.1:8443; IPv6 in brackets, [::1]; an empty part means any host/port, or the original one on the right)"

// ParseConnectTo parses curl's --connect-to syntax
// HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT, e.g.
// "api.myservice.com:443:127.0.0.1:8443" or "::[::1]:9000". IPv6 addresses
// must be written in brackets. Errors name the input and the expected form.
// It has no side effects.
func ParseConnectTo(s string) (ConnectTo, error) {
	fail := func(why string) (ConnectTo, error) {
		return ConnectTo{}, fmt.Errorf("invalid connect-to %q: %s; want %s", s, why, connectToForm)
	}
	var parts []string
	rest := s
	for i := 0; i < 4; i++ {
		var part string
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return fail("missing ']' after IPv6 address")
			}
			part, rest = rest[:end+1], rest[end+1:]
		} else if j := strings.IndexByte(rest, ':'); j >= 0 {
			part, rest = rest[:j], rest[j:]
		} else {
			part, rest = rest, ""
		}
		parts = append(parts, part)
		if i < 3 {
			if !strings.HasPrefix(rest, ":") {
				return fail(fmt.Sprintf("found %d part(s), need 4 separated by ':'", len(parts)))
			}
			rest = rest[1:]
		}
	}
	if rest != "" {
		return fail(fmt.Sprintf("too many ':', %q is left after the fourth part (write IPv6 addresses in brackets)", rest))
	}
	var c ConnectTo
	var err error
	if c.Host, err = parseRuleHost(parts[0]); err != nil {
		return fail("HOST " + err.Error())
	}
	if c.Port, err = parseRulePort(parts[1]); err != nil {
		return fail("PORT " + err.Error())
	}
	if c.ToHost, err = parseRuleHost(parts[2]); err != nil {
		return fail("CONNECT-TO-HOST " + err.Error())
	}
	if c.ToPort, err = parseRulePort(parts[3]); err != nil {
		return fail("CONNECT-TO-PORT " + err.Error())
	}
	return c, nil
}

// String returns the rule in the form ParseConnectTo reads.
func (c ConnectTo) String() string {
	return bracket(c.Host) + ":" + c.Port + ":" + bracket(c.ToHost) + ":" + c.ToPort
}

func bracket(h string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

func parseRuleHost(h string) (string, error) {
	if h == "" {
		return "", nil
	}
	if strings.HasPrefix(h, "[") {
		inner := h[1 : len(h)-1]
		addr, err := netip.ParseAddr(inner)
		if err != nil || !addr.Is6() {
			return "", fmt.Errorf("%q is not an IPv6 address", h)
		}
		return inner, nil
	}
	for _, r := range h {
		ok := r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' ||
			r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f
		if !ok {
			return "", fmt.Errorf("%q is not a host name or address", h)
		}
	}
	return h, nil
}

func parseRulePort(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 || strings.HasPrefix(p, "+") {
		return "", fmt.Errorf("%q is not a port number (1-65535)", p)
	}
	return strconv.Itoa(n), nil
}

// matches reports whether the rule applies to a connection for host:port
// (host without brackets).
func (c ConnectTo) matches(host, port string) bool {
	return (c.Host == "" || strings.EqualFold(c.Host, host)) && (c.Port == "" || c.Port == port)
}

// target is where a matching connection for host:port goes.
func (c ConnectTo) target(host, port string) string {
	if c.ToHost != "" {
		host = c.ToHost
	}
	if c.ToPort != "" {
		port = c.ToPort
	}
	return net.JoinHostPort(host, port)
}

// lookupConnectTo returns the first rule matching host:port, as curl does.
func lookupConnectTo(rules []ConnectTo, host, port string) (ConnectTo, bool) {
	host = strings.TrimSuffix(host, ".")
	for _, r := range rules {
		if r.matches(host, port) {
			return r, true
		}
	}
	return ConnectTo{}, false
}

var _ fmt.Stringer = ConnectTo{}
