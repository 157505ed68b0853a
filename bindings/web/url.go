package web

import (
	"errors"
	"strconv"
	"strings"
)

// errInvalidURL is the one failure of the URL parser; the JS side turns it
// into TypeError "Invalid URL".
var errInvalidURL = errors.New("invalid URL")

// urlRecord is a URL as the WHATWG URL standard models it. Strings hold
// already percent-encoded, serialized components.
type urlRecord struct {
	scheme   string
	username string
	password string
	host     string // serialized host: domain, IPv4, "[IPv6]", opaque or ""
	hasHost  bool   // false: the host is null
	port     int    // -1: null
	path     []string
	opaque   bool   // the path is an opaque path (path[0] holds it)
	query    string // meaningful when hasQuery
	hasQuery bool
	fragment string // meaningful when hasFragment
	hasFrag  bool
}

// parser states of the basic URL parser.
type urlState int

const (
	stNone urlState = iota
	stSchemeStart
	stScheme
	stNoScheme
	stSpecialRelativeOrAuthority
	stPathOrAuthority
	stRelative
	stRelativeSlash
	stSpecialAuthoritySlashes
	stSpecialAuthorityIgnoreSlashes
	stAuthority
	stHost
	stHostname
	stPort
	stFile
	stFileSlash
	stFileHost
	stPathStart
	stPath
	stOpaquePath
	stQuery
	stFragment
)

var specialPorts = map[string]int{
	"ftp": 21, "file": -1, "http": 80, "https": 443, "ws": 80, "wss": 443,
}

func isSpecialScheme(s string) bool { _, ok := specialPorts[s]; return ok }

func defaultPort(scheme string) int {
	if p, ok := specialPorts[scheme]; ok {
		return p
	}
	return -1
}

func (u *urlRecord) special() bool { return isSpecialScheme(u.scheme) }

func (u *urlRecord) hasCredentials() bool { return u.username != "" || u.password != "" }

// cannotHaveCredentialsOrPort: a null or empty host, or the file scheme.
func (u *urlRecord) cannotHaveCredentialsOrPort() bool {
	return !u.hasHost || u.host == "" || u.scheme == "file"
}

func (u *urlRecord) clone() *urlRecord {
	c := *u
	c.path = append([]string(nil), u.path...)
	return &c
}

// shortenPath removes the last path segment, keeping a lone normalized
// Windows drive letter of a file URL.
func (u *urlRecord) shortenPath() {
	if u.scheme == "file" && len(u.path) == 1 && isNormalizedDriveLetter(u.path[0]) {
		return
	}
	if len(u.path) > 0 {
		u.path = u.path[:len(u.path)-1]
	}
}

// stripTrailingSpacesFromOpaquePath is the standard's step run when a
// query or fragment is removed from a URL with an opaque path.
func (u *urlRecord) stripTrailingSpacesFromOpaquePath() {
	if !u.opaque || u.hasFrag || u.hasQuery {
		return
	}
	u.path[0] = strings.TrimRight(u.path[0], " ")
}

func isASCIIAlpha(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isASCIIDigit(c rune) bool { return c >= '0' && c <= '9' }
func isASCIIAlnum(c rune) bool { return isASCIIAlpha(c) || isASCIIDigit(c) }

func lowerASCII(c rune) rune {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func isDriveLetter(s string) bool {
	return len(s) == 2 && isASCIIAlpha(rune(s[0])) && (s[1] == ':' || s[1] == '|')
}

func isNormalizedDriveLetter(s string) bool { return isDriveLetter(s) && s[1] == ':' }

// startsWithDriveLetter reports whether the code points rs start with a
// Windows drive letter followed by the end or one of / \ ? #.
func startsWithDriveLetter(rs []rune) bool {
	if len(rs) < 2 || !isASCIIAlpha(rs[0]) || (rs[1] != ':' && rs[1] != '|') {
		return false
	}
	if len(rs) == 2 {
		return true
	}
	switch rs[2] {
	case '/', '\\', '?', '#':
		return true
	}
	return false
}

func isSingleDot(s string) bool { return s == "." || strings.EqualFold(s, "%2e") }

func isDoubleDot(s string) bool {
	switch strings.ToLower(s) {
	case "..", ".%2e", "%2e.", "%2e%2e":
		return true
	}
	return false
}

// parseURL parses input against an optional base, as `new URL(input, base)`.
func parseURL(input string, base *urlRecord) (*urlRecord, error) {
	u := &urlRecord{port: -1}
	input = strings.TrimFunc(input, func(r rune) bool { return r <= 0x20 })
	if err := basicParse(input, base, u, stNone); err != nil {
		return nil, err
	}
	return u, nil
}

// IsURL reports whether s parses as an absolute URL, as `new URL(s)`
// succeeds. Safe for concurrent use.
func IsURL(s string) bool {
	_, err := parseURL(s, nil)
	return err == nil
}

// basicParse is the standard's basic URL parser. With a state override it
// modifies u in place, as the URL setters need; callers pass a clone and
// keep it only on success.
func basicParse(input string, base, u *urlRecord, override urlState) error {
	if strings.ContainsAny(input, "\t\n\r") {
		input = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, input)
	}
	rs := []rune(input)
	state := override
	if state == stNone {
		state = stSchemeStart
	}
	var buf strings.Builder
	var bufRunes []rune // the host and authority states need code points
	atSignSeen, insideBrackets, passwordTokenSeen := false, false, false
	const eof = rune(-1)

	for p := 0; ; p++ {
		c := eof
		if p < len(rs) {
			c = rs[p]
		}
		next := eof // the first code point after c
		if p+1 < len(rs) {
			next = rs[p+1]
		}

		switch state {
		case stSchemeStart:
			switch {
			case isASCIIAlpha(c):
				buf.WriteRune(lowerASCII(c))
				state = stScheme
			case override == stNone:
				state = stNoScheme
				p--
			default:
				return errInvalidURL
			}

		case stScheme:
			switch {
			case isASCIIAlnum(c) || c == '+' || c == '-' || c == '.':
				buf.WriteRune(lowerASCII(c))
			case c == ':':
				s := buf.String()
				if override != stNone {
					if u.special() != isSpecialScheme(s) {
						return nil
					}
					if (u.hasCredentials() || u.port >= 0) && s == "file" {
						return nil
					}
					if u.scheme == "file" && u.hasHost && u.host == "" {
						return nil
					}
				}
				u.scheme = s
				if override != stNone {
					if u.port == defaultPort(u.scheme) {
						u.port = -1
					}
					return nil
				}
				buf.Reset()
				switch {
				case u.scheme == "file":
					state = stFile
				case u.special() && base != nil && base.scheme == u.scheme:
					state = stSpecialRelativeOrAuthority
				case u.special():
					state = stSpecialAuthoritySlashes
				case next == '/':
					state = stPathOrAuthority
					p++
				default:
					u.opaque = true
					u.path = []string{""}
					state = stOpaquePath
				}
			case override == stNone:
				buf.Reset()
				state = stNoScheme
				p = -1
			default:
				return errInvalidURL
			}

		case stNoScheme:
			switch {
			case base == nil || base.opaque && c != '#':
				return errInvalidURL
			case base.opaque && c == '#':
				u.scheme = base.scheme
				u.path = append([]string(nil), base.path...)
				u.opaque = true
				u.query, u.hasQuery = base.query, base.hasQuery
				u.fragment, u.hasFrag = "", true
				state = stFragment
			case base.scheme != "file":
				state = stRelative
				p--
			default:
				state = stFile
				p--
			}

		case stSpecialRelativeOrAuthority:
			if c == '/' && next == '/' {
				state = stSpecialAuthorityIgnoreSlashes
				p++
			} else {
				state = stRelative
				p--
			}

		case stPathOrAuthority:
			if c == '/' {
				state = stAuthority
			} else {
				state = stPath
				p--
			}

		case stRelative:
			u.scheme = base.scheme
			switch {
			case c == '/':
				state = stRelativeSlash
			case u.special() && c == '\\':
				state = stRelativeSlash
			default:
				u.username, u.password = base.username, base.password
				u.host, u.hasHost, u.port = base.host, base.hasHost, base.port
				u.path = append([]string(nil), base.path...)
				u.query, u.hasQuery = base.query, base.hasQuery
				switch c {
				case '?':
					u.query, u.hasQuery = "", true
					state = stQuery
				case '#':
					u.fragment, u.hasFrag = "", true
					state = stFragment
				case eof:
				default:
					u.query, u.hasQuery = "", false
					u.shortenPath()
					state = stPath
					p--
				}
			}

		case stRelativeSlash:
			switch {
			case u.special() && (c == '/' || c == '\\'):
				state = stSpecialAuthorityIgnoreSlashes
			case c == '/':
				state = stAuthority
			default:
				u.username, u.password = base.username, base.password
				u.host, u.hasHost, u.port = base.host, base.hasHost, base.port
				state = stPath
				p--
			}

		case stSpecialAuthoritySlashes:
			if c == '/' && next == '/' {
				p++
			} else {
				p--
			}
			state = stSpecialAuthorityIgnoreSlashes

		case stSpecialAuthorityIgnoreSlashes:
			if c != '/' && c != '\\' {
				state = stAuthority
				p--
			}

		case stAuthority:
			switch {
			case c == '@':
				if atSignSeen {
					bufRunes = append([]rune("%40"), bufRunes...)
				}
				atSignSeen = true
				for _, cp := range bufRunes {
					if cp == ':' && !passwordTokenSeen {
						passwordTokenSeen = true
						continue
					}
					if passwordTokenSeen {
						u.password = appendPercentEncoded(u.password, cp, userinfoSet)
					} else {
						u.username = appendPercentEncoded(u.username, cp, userinfoSet)
					}
				}
				bufRunes = bufRunes[:0]
			case c == eof || c == '/' || c == '?' || c == '#' || u.special() && c == '\\':
				if atSignSeen && len(bufRunes) == 0 {
					return errInvalidURL
				}
				p -= len(bufRunes) + 1
				bufRunes = bufRunes[:0]
				state = stHost
			default:
				bufRunes = append(bufRunes, c)
			}

		case stHost, stHostname:
			switch {
			case override != stNone && u.scheme == "file":
				p--
				state = stFileHost
			case c == ':' && !insideBrackets:
				if len(bufRunes) == 0 {
					return errInvalidURL
				}
				if override == stHostname {
					return errInvalidURL
				}
				h, err := parseHost(string(bufRunes), !u.special())
				if err != nil {
					return err
				}
				u.host, u.hasHost = h, true
				bufRunes = bufRunes[:0]
				state = stPort
			case c == eof || c == '/' || c == '?' || c == '#' || u.special() && c == '\\':
				p--
				if u.special() && len(bufRunes) == 0 {
					return errInvalidURL
				}
				if override != stNone && len(bufRunes) == 0 && (u.hasCredentials() || u.port >= 0) {
					return errInvalidURL
				}
				h, err := parseHost(string(bufRunes), !u.special())
				if err != nil {
					return err
				}
				u.host, u.hasHost = h, true
				bufRunes = bufRunes[:0]
				state = stPathStart
				if override != stNone {
					return nil
				}
			default:
				if c == '[' {
					insideBrackets = true
				}
				if c == ']' {
					insideBrackets = false
				}
				bufRunes = append(bufRunes, c)
			}

		case stPort:
			switch {
			case isASCIIDigit(c):
				buf.WriteRune(c)
			case c == eof || c == '/' || c == '?' || c == '#' || u.special() && c == '\\' || override != stNone:
				if buf.Len() > 0 {
					digits := strings.TrimLeft(buf.String(), "0")
					if len(digits) > 5 {
						return errInvalidURL
					}
					port := 0
					if digits != "" {
						port, _ = strconv.Atoi(digits)
					}
					if port > 65535 {
						return errInvalidURL
					}
					if port == defaultPort(u.scheme) {
						u.port = -1
					} else {
						u.port = port
					}
					buf.Reset()
				}
				if override != stNone {
					return nil
				}
				state = stPathStart
				p--
			default:
				return errInvalidURL
			}

		case stFile:
			u.scheme = "file"
			u.host, u.hasHost = "", true
			switch {
			case c == '/' || c == '\\':
				state = stFileSlash
			case base != nil && base.scheme == "file":
				u.host, u.hasHost = base.host, base.hasHost
				u.path = append([]string(nil), base.path...)
				u.query, u.hasQuery = base.query, base.hasQuery
				switch c {
				case '?':
					u.query, u.hasQuery = "", true
					state = stQuery
				case '#':
					u.fragment, u.hasFrag = "", true
					state = stFragment
				case eof:
				default:
					u.query, u.hasQuery = "", false
					if !startsWithDriveLetter(rs[p:]) {
						u.shortenPath()
					} else {
						u.path = nil
					}
					state = stPath
					p--
				}
			default:
				state = stPath
				p--
			}

		case stFileSlash:
			if c == '/' || c == '\\' {
				state = stFileHost
			} else {
				if base != nil && base.scheme == "file" {
					u.host, u.hasHost = base.host, base.hasHost
					if !startsWithDriveLetter(rs[p:]) && len(base.path) > 0 && isNormalizedDriveLetter(base.path[0]) {
						u.path = append(u.path, base.path[0])
					}
				}
				state = stPath
				p--
			}

		case stFileHost:
			if c == eof || c == '/' || c == '\\' || c == '?' || c == '#' {
				p--
				switch {
				case override == stNone && isDriveLetter(string(bufRunes)):
					// The buffer becomes the first path segment.
					buf.Reset()
					buf.WriteString(string(bufRunes))
					bufRunes = bufRunes[:0]
					state = stPath
				case len(bufRunes) == 0:
					u.host, u.hasHost = "", true
					if override != stNone {
						return nil
					}
					state = stPathStart
				default:
					h, err := parseHost(string(bufRunes), !u.special())
					if err != nil {
						return err
					}
					if h == "localhost" {
						h = ""
					}
					u.host, u.hasHost = h, true
					if override != stNone {
						return nil
					}
					bufRunes = bufRunes[:0]
					state = stPathStart
				}
			} else {
				bufRunes = append(bufRunes, c)
			}

		case stPathStart:
			switch {
			case u.special():
				state = stPath
				if c != '/' && c != '\\' {
					p--
				}
			case override == stNone && c == '?':
				u.query, u.hasQuery = "", true
				state = stQuery
			case override == stNone && c == '#':
				u.fragment, u.hasFrag = "", true
				state = stFragment
			case c != eof:
				state = stPath
				if c != '/' {
					p--
				}
			case override != stNone && !u.hasHost:
				u.path = append(u.path, "")
			}

		case stPath:
			if c == eof || c == '/' || u.special() && c == '\\' || override == stNone && (c == '?' || c == '#') {
				seg := buf.String()
				slash := c == '/' || u.special() && c == '\\'
				switch {
				case isDoubleDot(seg):
					u.shortenPath()
					if !slash {
						u.path = append(u.path, "")
					}
				case isSingleDot(seg):
					if !slash {
						u.path = append(u.path, "")
					}
				default:
					if u.scheme == "file" && len(u.path) == 0 && isDriveLetter(seg) {
						seg = seg[:1] + ":"
					}
					u.path = append(u.path, seg)
				}
				buf.Reset()
				if c == '?' {
					u.query, u.hasQuery = "", true
					state = stQuery
				}
				if c == '#' {
					u.fragment, u.hasFrag = "", true
					state = stFragment
				}
			} else {
				writePercentEncoded(&buf, c, pathSet)
			}

		case stOpaquePath:
			switch c {
			case '?':
				u.query, u.hasQuery = "", true
				state = stQuery
			case '#':
				u.fragment, u.hasFrag = "", true
				state = stFragment
			case eof:
			default:
				u.path[0] = appendPercentEncoded(u.path[0], c, c0ControlSet)
			}

		case stQuery:
			if c == eof || override == stNone && c == '#' {
				set := querySet
				if u.special() {
					set = specialQuerySet
				}
				u.query = percentEncodeString(u.query, buf.String(), set)
				buf.Reset()
				if c == '#' {
					u.fragment, u.hasFrag = "", true
					state = stFragment
				}
			} else {
				buf.WriteRune(c)
			}

		case stFragment:
			if c != eof {
				u.fragment = appendPercentEncoded(u.fragment, c, fragmentSet)
			}
		}

		// The standard's loop: stop when a run ends with the pointer at the
		// end; a state that stepped back (or started over) runs again.
		if p >= len(rs) {
			break
		}
	}
	return nil
}

// serialize is the URL serializer.
func (u *urlRecord) serialize(excludeFragment bool) string {
	var b strings.Builder
	b.WriteString(u.scheme)
	b.WriteByte(':')
	if u.hasHost {
		b.WriteString("//")
		if u.hasCredentials() {
			b.WriteString(u.username)
			if u.password != "" {
				b.WriteByte(':')
				b.WriteString(u.password)
			}
			b.WriteByte('@')
		}
		b.WriteString(u.host)
		if u.port >= 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(u.port))
		}
	}
	if !u.hasHost && !u.opaque && len(u.path) > 1 && u.path[0] == "" {
		b.WriteString("/.")
	}
	b.WriteString(u.pathname())
	if u.hasQuery {
		b.WriteByte('?')
		b.WriteString(u.query)
	}
	if !excludeFragment && u.hasFrag {
		b.WriteByte('#')
		b.WriteString(u.fragment)
	}
	return b.String()
}

func (u *urlRecord) pathname() string {
	if u.opaque {
		return u.path[0]
	}
	n := 0
	for _, s := range u.path {
		n += len(s) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range u.path {
		b.WriteByte('/')
		b.WriteString(s)
	}
	return b.String()
}

// origin is the ASCII serialization of the URL's origin ("null" when opaque).
func (u *urlRecord) origin() string {
	switch u.scheme {
	case "blob":
		if inner, err := parseURL(u.pathname(), nil); err == nil && (inner.scheme == "http" || inner.scheme == "https") {
			return inner.origin()
		}
		return "null"
	case "ftp", "http", "https", "ws", "wss":
		s := u.scheme + "://" + u.host
		if u.port >= 0 {
			s += ":" + strconv.Itoa(u.port)
		}
		return s
	}
	return "null"
}

// The URL API's getters and setters, as the URL class exposes them.

func (u *urlRecord) get(name string) string {
	switch name {
	case "href":
		return u.serialize(false)
	case "origin":
		return u.origin()
	case "protocol":
		return u.scheme + ":"
	case "username":
		return u.username
	case "password":
		return u.password
	case "host":
		if !u.hasHost {
			return ""
		}
		if u.port < 0 {
			return u.host
		}
		return u.host + ":" + strconv.Itoa(u.port)
	case "hostname":
		return u.host
	case "port":
		if u.port < 0 {
			return ""
		}
		return strconv.Itoa(u.port)
	case "pathname":
		return u.pathname()
	case "search":
		if !u.hasQuery || u.query == "" {
			return ""
		}
		return "?" + u.query
	case "hash":
		if !u.hasFrag || u.fragment == "" {
			return ""
		}
		return "#" + u.fragment
	case "query":
		return u.query
	}
	return ""
}

// set runs the setter name with value and reports whether the query
// changed (the URL's searchParams must then be refreshed). The href setter
// is not handled here: it replaces the record, failing with errInvalidURL.
func (u *urlRecord) set(name, value string) (queryChanged bool) {
	try := func(input string, st urlState) {
		c := u.clone()
		if basicParse(input, nil, c, st) == nil {
			*u = *c
		}
	}
	switch name {
	case "protocol":
		try(value+":", stSchemeStart)
	case "username":
		if !u.cannotHaveCredentialsOrPort() {
			u.username = percentEncodeString("", value, userinfoSet)
		}
	case "password":
		if !u.cannotHaveCredentialsOrPort() {
			u.password = percentEncodeString("", value, userinfoSet)
		}
	case "host":
		if !u.opaque {
			try(value, stHost)
		}
	case "hostname":
		if !u.opaque {
			try(value, stHostname)
		}
	case "port":
		if u.cannotHaveCredentialsOrPort() {
			return false
		}
		if value == "" {
			u.port = -1
		} else {
			try(value, stPort)
		}
	case "pathname":
		if u.opaque {
			return false
		}
		c := u.clone()
		c.path = nil
		if basicParse(value, nil, c, stPathStart) == nil {
			*u = *c
		}
	case "search":
		if value == "" {
			u.query, u.hasQuery = "", false
			u.stripTrailingSpacesFromOpaquePath()
			return true
		}
		value = strings.TrimPrefix(value, "?")
		c := u.clone()
		c.query, c.hasQuery = "", true
		if basicParse(value, nil, c, stQuery) == nil {
			*u = *c
		}
		return true
	case "hash":
		if value == "" {
			u.fragment, u.hasFrag = "", false
			u.stripTrailingSpacesFromOpaquePath()
			return false
		}
		value = strings.TrimPrefix(value, "#")
		c := u.clone()
		c.fragment, c.hasFrag = "", true
		if basicParse(value, nil, c, stFragment) == nil {
			*u = *c
		}
	}
	return false
}

// setQuery sets the query from URLSearchParams' serialization ("" -> null).
func (u *urlRecord) setQuery(q string) {
	if q == "" {
		u.query, u.hasQuery = "", false
		u.stripTrailingSpacesFromOpaquePath()
		return
	}
	u.query, u.hasQuery = q, true
}
