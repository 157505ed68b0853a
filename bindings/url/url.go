package url

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
	ps := &urlParser{rs: []rune(input), base: base, u: u, override: override, state: override}
	if ps.state == stNone {
		ps.state = stSchemeStart
	}
	for ; ; ps.p++ {
		ps.c, ps.next = ps.at(ps.p), ps.at(ps.p+1)
		if err := urlStates[ps.state](ps); err != nil {
			if err == errStop {
				return nil
			}
			return err
		}
		// The standard's loop: stop when a run ends with the pointer at the
		// end; a state that stepped back (or started over) runs again.
		if ps.p >= len(ps.rs) {
			return nil
		}
	}
}

// eof is the code point the standard's pointer reads past the end.
const eof = rune(-1)

// errStop ends basicParse successfully before the input ends (a state
// override that is done).
var errStop = errors.New("stop")

// urlParser is the basic URL parser's state: the input as code points, the
// pointer p with the code point c it points at and the next one, the
// buffer (a string, or code points where the host and authority states
// need them) and the standard's flags.
type urlParser struct {
	rs       []rune
	p        int
	c, next  rune
	base, u  *urlRecord
	override urlState
	state    urlState

	buf                                           strings.Builder
	bufRunes                                      []rune
	atSignSeen, insideBrackets, passwordTokenSeen bool
}

func (ps *urlParser) at(i int) rune {
	if i < len(ps.rs) {
		return ps.rs[i]
	}
	return eof
}

// urlStates holds the state functions by state. Each runs the standard's
// steps for code point c: it may move the pointer and change the state;
// errStop ends the parse successfully, another error is a failure.
var urlStates = [...]func(*urlParser) error{
	stSchemeStart:                   (*urlParser).schemeStart,
	stScheme:                        (*urlParser).scheme,
	stNoScheme:                      (*urlParser).noScheme,
	stSpecialRelativeOrAuthority:    (*urlParser).specialRelativeOrAuthority,
	stPathOrAuthority:               (*urlParser).pathOrAuthority,
	stRelative:                      (*urlParser).relative,
	stRelativeSlash:                 (*urlParser).relativeSlash,
	stSpecialAuthoritySlashes:       (*urlParser).specialAuthoritySlashes,
	stSpecialAuthorityIgnoreSlashes: (*urlParser).specialAuthorityIgnoreSlashes,
	stAuthority:                     (*urlParser).authority,
	stHost:                          (*urlParser).host,
	stHostname:                      (*urlParser).host,
	stPort:                          (*urlParser).port,
	stFile:                          (*urlParser).file,
	stFileSlash:                     (*urlParser).fileSlash,
	stFileHost:                      (*urlParser).fileHost,
	stPathStart:                     (*urlParser).pathStart,
	stPath:                          (*urlParser).path,
	stOpaquePath:                    (*urlParser).opaquePath,
	stQuery:                         (*urlParser).query,
	stFragment:                      (*urlParser).fragment,
}

// schemeStart is the scheme start state.
func (ps *urlParser) schemeStart() error {
	c := ps.c
	switch {
	case isASCIIAlpha(c):
		ps.buf.WriteRune(lowerASCII(c))
		ps.state = stScheme
	case ps.override == stNone:
		ps.state = stNoScheme
		ps.p--
	default:
		return errInvalidURL
	}
	return nil
}

// scheme is the scheme state.
func (ps *urlParser) scheme() error {
	u, c, next := ps.u, ps.c, ps.next
	switch {
	case isASCIIAlnum(c) || c == '+' || c == '-' || c == '.':
		ps.buf.WriteRune(lowerASCII(c))
	case c == ':':
		s := ps.buf.String()
		if ps.override != stNone {
			if u.special() != isSpecialScheme(s) {
				return errStop
			}
			if (u.hasCredentials() || u.port >= 0) && s == "file" {
				return errStop
			}
			if u.scheme == "file" && u.hasHost && u.host == "" {
				return errStop
			}
		}
		u.scheme = s
		if ps.override != stNone {
			if u.port == defaultPort(u.scheme) {
				u.port = -1
			}
			return errStop
		}
		ps.buf.Reset()
		switch {
		case u.scheme == "file":
			ps.state = stFile
		case u.special() && ps.base != nil && ps.base.scheme == u.scheme:
			ps.state = stSpecialRelativeOrAuthority
		case u.special():
			ps.state = stSpecialAuthoritySlashes
		case next == '/':
			ps.state = stPathOrAuthority
			ps.p++
		default:
			u.opaque = true
			u.path = []string{""}
			ps.state = stOpaquePath
		}
	case ps.override == stNone:
		ps.buf.Reset()
		ps.state = stNoScheme
		ps.p = -1
	default:
		return errInvalidURL
	}
	return nil
}

// noScheme is the no scheme state.
func (ps *urlParser) noScheme() error {
	u, c := ps.u, ps.c
	switch {
	case ps.base == nil || ps.base.opaque && c != '#':
		return errInvalidURL
	case ps.base.opaque && c == '#':
		u.scheme = ps.base.scheme
		u.path = append([]string(nil), ps.base.path...)
		u.opaque = true
		u.query, u.hasQuery = ps.base.query, ps.base.hasQuery
		u.fragment, u.hasFrag = "", true
		ps.state = stFragment
	case ps.base.scheme != "file":
		ps.state = stRelative
		ps.p--
	default:
		ps.state = stFile
		ps.p--
	}
	return nil
}

// specialRelativeOrAuthority is the special relative or authority state.
func (ps *urlParser) specialRelativeOrAuthority() error {
	c, next := ps.c, ps.next
	if c == '/' && next == '/' {
		ps.state = stSpecialAuthorityIgnoreSlashes
		ps.p++
	} else {
		ps.state = stRelative
		ps.p--
	}
	return nil
}

// pathOrAuthority is the path or authority state.
func (ps *urlParser) pathOrAuthority() error {
	c := ps.c
	if c == '/' {
		ps.state = stAuthority
	} else {
		ps.state = stPath
		ps.p--
	}
	return nil
}

// relative is the relative state.
func (ps *urlParser) relative() error {
	u, c := ps.u, ps.c
	u.scheme = ps.base.scheme
	switch {
	case c == '/':
		ps.state = stRelativeSlash
	case u.special() && c == '\\':
		ps.state = stRelativeSlash
	default:
		u.username, u.password = ps.base.username, ps.base.password
		u.host, u.hasHost, u.port = ps.base.host, ps.base.hasHost, ps.base.port
		u.path = append([]string(nil), ps.base.path...)
		u.query, u.hasQuery = ps.base.query, ps.base.hasQuery
		switch c {
		case '?':
			u.query, u.hasQuery = "", true
			ps.state = stQuery
		case '#':
			u.fragment, u.hasFrag = "", true
			ps.state = stFragment
		case eof:
		default:
			u.query, u.hasQuery = "", false
			u.shortenPath()
			ps.state = stPath
			ps.p--
		}
	}
	return nil
}

// relativeSlash is the relative slash state.
func (ps *urlParser) relativeSlash() error {
	u, c := ps.u, ps.c
	switch {
	case u.special() && (c == '/' || c == '\\'):
		ps.state = stSpecialAuthorityIgnoreSlashes
	case c == '/':
		ps.state = stAuthority
	default:
		u.username, u.password = ps.base.username, ps.base.password
		u.host, u.hasHost, u.port = ps.base.host, ps.base.hasHost, ps.base.port
		ps.state = stPath
		ps.p--
	}
	return nil
}

// specialAuthoritySlashes is the special authority slashes state.
func (ps *urlParser) specialAuthoritySlashes() error {
	c, next := ps.c, ps.next
	if c == '/' && next == '/' {
		ps.p++
	} else {
		ps.p--
	}
	ps.state = stSpecialAuthorityIgnoreSlashes
	return nil
}

// specialAuthorityIgnoreSlashes is the special authority ignore slashes state.
func (ps *urlParser) specialAuthorityIgnoreSlashes() error {
	c := ps.c
	if c != '/' && c != '\\' {
		ps.state = stAuthority
		ps.p--
	}
	return nil
}

// authority is the authority state.
func (ps *urlParser) authority() error {
	u, c := ps.u, ps.c
	switch {
	case c == '@':
		if ps.atSignSeen {
			ps.bufRunes = append([]rune("%40"), ps.bufRunes...)
		}
		ps.atSignSeen = true
		for _, cp := range ps.bufRunes {
			if cp == ':' && !ps.passwordTokenSeen {
				ps.passwordTokenSeen = true
				continue
			}
			if ps.passwordTokenSeen {
				u.password = appendPercentEncoded(u.password, cp, userinfoSet)
			} else {
				u.username = appendPercentEncoded(u.username, cp, userinfoSet)
			}
		}
		ps.bufRunes = ps.bufRunes[:0]
	case c == eof || c == '/' || c == '?' || c == '#' || u.special() && c == '\\':
		if ps.atSignSeen && len(ps.bufRunes) == 0 {
			return errInvalidURL
		}
		ps.p -= len(ps.bufRunes) + 1
		ps.bufRunes = ps.bufRunes[:0]
		ps.state = stHost
	default:
		ps.bufRunes = append(ps.bufRunes, c)
	}
	return nil
}

// host is the host state and hostname state.
func (ps *urlParser) host() error {
	u, c := ps.u, ps.c
	switch {
	case ps.override != stNone && u.scheme == "file":
		ps.p--
		ps.state = stFileHost
	case c == ':' && !ps.insideBrackets:
		if len(ps.bufRunes) == 0 {
			return errInvalidURL
		}
		if ps.override == stHostname {
			return errInvalidURL
		}
		h, err := parseHost(string(ps.bufRunes), !u.special())
		if err != nil {
			return err
		}
		u.host, u.hasHost = h, true
		ps.bufRunes = ps.bufRunes[:0]
		ps.state = stPort
	case c == eof || c == '/' || c == '?' || c == '#' || u.special() && c == '\\':
		ps.p--
		if u.special() && len(ps.bufRunes) == 0 {
			return errInvalidURL
		}
		if ps.override != stNone && len(ps.bufRunes) == 0 && (u.hasCredentials() || u.port >= 0) {
			return errInvalidURL
		}
		h, err := parseHost(string(ps.bufRunes), !u.special())
		if err != nil {
			return err
		}
		u.host, u.hasHost = h, true
		ps.bufRunes = ps.bufRunes[:0]
		ps.state = stPathStart
		if ps.override != stNone {
			return errStop
		}
	default:
		if c == '[' {
			ps.insideBrackets = true
		}
		if c == ']' {
			ps.insideBrackets = false
		}
		ps.bufRunes = append(ps.bufRunes, c)
	}
	return nil
}

// port is the port state.
func (ps *urlParser) port() error {
	u, c := ps.u, ps.c
	switch {
	case isASCIIDigit(c):
		ps.buf.WriteRune(c)
	case c == eof || c == '/' || c == '?' || c == '#' || u.special() && c == '\\' || ps.override != stNone:
		if ps.buf.Len() > 0 {
			digits := strings.TrimLeft(ps.buf.String(), "0")
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
			ps.buf.Reset()
		}
		if ps.override != stNone {
			return errStop
		}
		ps.state = stPathStart
		ps.p--
	default:
		return errInvalidURL
	}
	return nil
}

// file is the file state.
func (ps *urlParser) file() error {
	u, c := ps.u, ps.c
	u.scheme = "file"
	u.host, u.hasHost = "", true
	switch {
	case c == '/' || c == '\\':
		ps.state = stFileSlash
	case ps.base != nil && ps.base.scheme == "file":
		u.host, u.hasHost = ps.base.host, ps.base.hasHost
		u.path = append([]string(nil), ps.base.path...)
		u.query, u.hasQuery = ps.base.query, ps.base.hasQuery
		switch c {
		case '?':
			u.query, u.hasQuery = "", true
			ps.state = stQuery
		case '#':
			u.fragment, u.hasFrag = "", true
			ps.state = stFragment
		case eof:
		default:
			u.query, u.hasQuery = "", false
			if !startsWithDriveLetter(ps.rs[ps.p:]) {
				u.shortenPath()
			} else {
				u.path = nil
			}
			ps.state = stPath
			ps.p--
		}
	default:
		ps.state = stPath
		ps.p--
	}
	return nil
}

// fileSlash is the file slash state.
func (ps *urlParser) fileSlash() error {
	u, c := ps.u, ps.c
	if c == '/' || c == '\\' {
		ps.state = stFileHost
	} else {
		if ps.base != nil && ps.base.scheme == "file" {
			u.host, u.hasHost = ps.base.host, ps.base.hasHost
			if !startsWithDriveLetter(ps.rs[ps.p:]) && len(ps.base.path) > 0 && isNormalizedDriveLetter(ps.base.path[0]) {
				u.path = append(u.path, ps.base.path[0])
			}
		}
		ps.state = stPath
		ps.p--
	}
	return nil
}

// fileHost is the file host state.
func (ps *urlParser) fileHost() error {
	u, c := ps.u, ps.c
	if c == eof || c == '/' || c == '\\' || c == '?' || c == '#' {
		ps.p--
		switch {
		case ps.override == stNone && isDriveLetter(string(ps.bufRunes)):
			// The buffer becomes the first path segment.
			ps.buf.Reset()
			ps.buf.WriteString(string(ps.bufRunes))
			ps.bufRunes = ps.bufRunes[:0]
			ps.state = stPath
		case len(ps.bufRunes) == 0:
			u.host, u.hasHost = "", true
			if ps.override != stNone {
				return errStop
			}
			ps.state = stPathStart
		default:
			h, err := parseHost(string(ps.bufRunes), !u.special())
			if err != nil {
				return err
			}
			if h == "localhost" {
				h = ""
			}
			u.host, u.hasHost = h, true
			if ps.override != stNone {
				return errStop
			}
			ps.bufRunes = ps.bufRunes[:0]
			ps.state = stPathStart
		}
	} else {
		ps.bufRunes = append(ps.bufRunes, c)
	}
	return nil
}

// pathStart is the path start state.
func (ps *urlParser) pathStart() error {
	u, c := ps.u, ps.c
	switch {
	case u.special():
		ps.state = stPath
		if c != '/' && c != '\\' {
			ps.p--
		}
	case ps.override == stNone && c == '?':
		u.query, u.hasQuery = "", true
		ps.state = stQuery
	case ps.override == stNone && c == '#':
		u.fragment, u.hasFrag = "", true
		ps.state = stFragment
	case c != eof:
		ps.state = stPath
		if c != '/' {
			ps.p--
		}
	case ps.override != stNone && !u.hasHost:
		u.path = append(u.path, "")
	}
	return nil
}

// path is the path state.
func (ps *urlParser) path() error {
	u, c := ps.u, ps.c
	if c == eof || c == '/' || u.special() && c == '\\' || ps.override == stNone && (c == '?' || c == '#') {
		seg := ps.buf.String()
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
		ps.buf.Reset()
		if c == '?' {
			u.query, u.hasQuery = "", true
			ps.state = stQuery
		}
		if c == '#' {
			u.fragment, u.hasFrag = "", true
			ps.state = stFragment
		}
	} else {
		writePercentEncoded(&ps.buf, c, pathSet)
	}
	return nil
}

// opaquePath is the opaque path state.
func (ps *urlParser) opaquePath() error {
	u, c := ps.u, ps.c
	switch c {
	case '?':
		u.query, u.hasQuery = "", true
		ps.state = stQuery
	case '#':
		u.fragment, u.hasFrag = "", true
		ps.state = stFragment
	case eof:
	default:
		u.path[0] = appendPercentEncoded(u.path[0], c, c0ControlSet)
	}
	return nil
}

// query is the query state.
func (ps *urlParser) query() error {
	u, c := ps.u, ps.c
	if c == eof || ps.override == stNone && c == '#' {
		set := querySet
		if u.special() {
			set = specialQuerySet
		}
		u.query = percentEncodeString(u.query, ps.buf.String(), set)
		ps.buf.Reset()
		if c == '#' {
			u.fragment, u.hasFrag = "", true
			ps.state = stFragment
		}
	} else {
		ps.buf.WriteRune(c)
	}
	return nil
}

// fragment is the fragment state.
func (ps *urlParser) fragment() error {
	u, c := ps.u, ps.c
	if c != eof {
		u.fragment = appendPercentEncoded(u.fragment, c, fragmentSet)
	}
	return nil
}

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
