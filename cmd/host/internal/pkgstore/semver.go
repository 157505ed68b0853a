package pkgstore

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// npm's versions and ranges (https://docs.npmjs.com/cli/v10/using-npm/semver,
// node-semver's grammar): written here rather than taken from a library
// because the one host used (Masterminds/semver) compiles ~200 KB of
// regexps in its package init, which every start of host paid (`host
// version` and `host run` included; issue 23 §1), for the few calls of
// `host plugins install/update`. Parsing is by hand; nothing is built at
// init.

// version is a semantic version: major.minor.patch[-pre][+build].
type version struct {
	major, minor, patch uint64
	pre                 []string // dot-separated pre-release identifiers
	original            string
}

// parseVersion parses a full version X.Y.Z[-pre][+build], strictly (no
// "v" prefix, no leading zeros), as registries publish them.
func parseVersion(s string) (*version, error) {
	v, n, err := parsePartial(s)
	if err != nil {
		return nil, err
	}
	if n < 3 {
		return nil, fmt.Errorf("%q is not a version X.Y.Z", s)
	}
	return v, nil
}

// parseLooseVersion is parseVersion allowing a leading "v" or "=" and a
// missing minor or patch ("v1.2" is 1.2.0).
func parseLooseVersion(s string) (*version, error) {
	v, _, err := parsePartial(strings.TrimLeft(strings.TrimSpace(s), "v="))
	if err != nil {
		return nil, err
	}
	v.original = s
	return v, nil
}

// parsePartial parses X[.Y[.Z[-pre][+build]]] and says how many of the
// three numbers it had. A wildcard (x, X, *) is none of them and ends the
// numbers: "1.x" has 1.
func parsePartial(s string) (*version, int, error) {
	v := &version{original: s}
	rest := s
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		if !validIdents(rest[i+1:], false) {
			return nil, 0, fmt.Errorf("%q has a bad build suffix", s)
		}
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		if !validIdents(rest[i+1:], true) {
			return nil, 0, fmt.Errorf("%q has a bad pre-release suffix", s)
		}
		v.pre = strings.Split(rest[i+1:], ".")
		rest = rest[:i]
	}
	parts := strings.Split(rest, ".")
	if len(parts) > 3 {
		return nil, 0, fmt.Errorf("%q is not a version", s)
	}
	nums := []*uint64{&v.major, &v.minor, &v.patch}
	n := 0
	for i, p := range parts {
		if p == "x" || p == "X" || p == "*" {
			if v.pre != nil || i != len(parts)-1 && !allWild(parts[i+1:]) {
				return nil, 0, fmt.Errorf("%q is not a version", s)
			}
			break
		}
		u, err := numericIdent(p)
		if err != nil {
			return nil, 0, fmt.Errorf("%q is not a version: %w", s, err)
		}
		*nums[i] = u
		n++
	}
	if v.pre != nil && n < 3 {
		return nil, 0, fmt.Errorf("%q has a pre-release but not all of X.Y.Z", s)
	}
	return v, n, nil
}

func allWild(parts []string) bool {
	for _, p := range parts {
		if p != "x" && p != "X" && p != "*" {
			return false
		}
	}
	return true
}

// numericIdent parses a version number: digits, no leading zero.
func numericIdent(p string) (uint64, error) {
	if p == "" || len(p) > 1 && p[0] == '0' {
		return 0, fmt.Errorf("bad number %q", p)
	}
	u, err := strconv.ParseUint(p, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad number %q", p)
	}
	return u, nil
}

// validIdents reports whether s is dot-separated identifiers of
// [0-9A-Za-z-], none empty (for a pre-release, numeric ones without a
// leading zero).
func validIdents(s string, pre bool) bool {
	for id := range strings.SplitSeq(s, ".") {
		if id == "" {
			return false
		}
		digits := true
		for _, c := range id {
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
				digits = false
			default:
				return false
			}
		}
		if pre && digits && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}

// compare is -1, 0 or 1 as v is lower than, equal to or higher than w
// (semver precedence: a pre-release is lower than its release; build is
// ignored).
func (v *version) compare(w *version) int {
	for _, d := range [][2]uint64{{v.major, w.major}, {v.minor, w.minor}, {v.patch, w.patch}} {
		if d[0] != d[1] {
			if d[0] < d[1] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(v.pre) == 0 && len(w.pre) == 0:
		return 0
	case len(v.pre) == 0:
		return 1
	case len(w.pre) == 0:
		return -1
	}
	for i := 0; i < len(v.pre) && i < len(w.pre); i++ {
		if c := compareIdent(v.pre[i], w.pre[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(v.pre) < len(w.pre):
		return -1
	case len(v.pre) > len(w.pre):
		return 1
	}
	return 0
}

// compareIdent compares pre-release identifiers: numeric ones by value and
// below alphanumeric ones, which compare as ASCII.
func compareIdent(a, b string) int {
	an, aerr := strconv.ParseUint(a, 10, 64)
	bn, berr := strconv.ParseUint(b, 10, 64)
	switch {
	case aerr == nil && berr == nil:
		switch {
		case an < bn:
			return -1
		case an > bn:
			return 1
		}
		return 0
	case aerr == nil:
		return -1
	case berr == nil:
		return 1
	}
	return strings.Compare(a, b)
}

func (v *version) sameTuple(w *version) bool {
	return v.major == w.major && v.minor == w.minor && v.patch == w.patch
}

// comparator is one primitive comparison: op is one of < <= > >= =.
type comparator struct {
	op string
	v  *version
}

func (c comparator) test(v *version) bool {
	d := v.compare(c.v)
	switch c.op {
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	case ">":
		return d > 0
	case ">=":
		return d >= 0
	}
	return d == 0
}

// versionRange is an npm range: any of its sets, each all of its
// comparators.
type versionRange [][]comparator

// check reports whether v is in the range. A pre-release is in a set only
// when one of the set's comparators names a pre-release of the same
// X.Y.Z (npm's rule: ^1.2.3-beta.1 takes 1.2.3-beta.2, not 1.2.4-beta.1).
func (r versionRange) check(v *version) bool {
	for _, set := range r {
		ok := true
		for _, c := range set {
			if !c.test(v) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if len(v.pre) == 0 {
			return true
		}
		for _, c := range set {
			if len(c.v.pre) > 0 && c.v.sameTuple(v) {
				return true
			}
		}
	}
	return false
}

// newRange parses an npm range: sets separated by "||", each comparators
// separated by spaces ("^1.2", "~1.2.3", "1.x", ">=1 <2", "1.2.3 - 2",
// "*", "" is any version).
func newRange(s string) (versionRange, error) {
	var r versionRange
	for alt := range strings.SplitSeq(s, "||") {
		set, err := parseSet(strings.TrimSpace(alt))
		if err != nil {
			return nil, err
		}
		r = append(r, set)
	}
	return r, nil
}

func parseSet(s string) ([]comparator, error) {
	if lo, hi, ok := strings.Cut(s, " - "); ok {
		return hyphenRange(strings.TrimSpace(lo), strings.TrimSpace(hi))
	}
	var set []comparator
	fields := strings.Fields(s)
	for i := 0; i < len(fields); i++ {
		tok := fields[i]
		// ">= 1.2": an operator written apart from its version.
		if strings.Trim(tok, "<>=~^") == "" && i+1 < len(fields) {
			i++
			tok += fields[i]
		}
		cs, err := parseComparator(tok)
		if err != nil {
			return nil, err
		}
		set = append(set, cs...)
	}
	if len(set) == 0 { // "" or only wildcards
		set = []comparator{{">=", &version{}}}
	}
	return set, nil
}

// zeroPre is the lowest pre-release, for exclusive upper bounds: <2.0.0-0
// excludes 2.0.0's pre-releases as well.
var zeroPre = []string{"0"}

// bound is the version X.Y.Z of the first n numbers of p, the rest
// incremented at position n-1 when bump (n=0: none): the upper bound of a
// partial version.
func bound(p *version, n int, bump bool) *version {
	v := &version{major: p.major, minor: p.minor, patch: p.patch}
	if n < 3 {
		v.patch = 0
		v.pre = nil
	} else {
		v.pre = p.pre
	}
	if n < 2 {
		v.minor = 0
	}
	if n < 1 {
		v.major = 0
	}
	if bump {
		switch n {
		case 1:
			v.major++
		case 2:
			v.minor++
		case 3:
			v.patch++
		}
	}
	return v
}

func below(v *version) comparator {
	return comparator{"<", &version{major: v.major, minor: v.minor, patch: v.patch, pre: zeroPre}}
}

func parseComparator(tok string) ([]comparator, error) {
	op := ""
	for _, o := range []string{"<=", ">=", "~>", "<", ">", "=", "~", "^"} {
		if strings.HasPrefix(tok, o) {
			op = o
			break
		}
	}
	rest := strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(tok, op)), "v")
	p, n, err := parsePartial(rest)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", tok, err)
	}
	lo := bound(p, n, false)
	switch op {
	case "", "=":
		if n == 3 {
			return []comparator{{"=", lo}}, nil
		}
		if n == 0 {
			return nil, nil
		}
		return []comparator{{">=", lo}, below(bound(p, n, true))}, nil
	case "~", "~>":
		// ~1.2.3 and ~1.2: the same minor; ~1: the same major.
		k := min(n, 2)
		if n == 0 {
			return nil, nil
		}
		return []comparator{{">=", lo}, below(bound(p, k, true))}, nil
	case "^":
		if n == 0 {
			return nil, nil
		}
		// The first non-zero number of those given is fixed (^0.0 is
		// <0.1.0; ^0.0.3 is <0.0.4).
		k := 1
		switch {
		case p.major != 0 || n == 1:
		case p.minor != 0 || n == 2:
			k = 2
		default:
			k = 3
		}
		return []comparator{{">=", lo}, below(bound(p, k, true))}, nil
	case ">":
		if n == 0 {
			return []comparator{{"<", &version{pre: zeroPre}}}, nil // nothing
		}
		if n == 3 {
			return []comparator{{">", lo}}, nil
		}
		return []comparator{{">=", bound(p, n, true)}}, nil
	case ">=":
		if n == 0 {
			return nil, nil
		}
		return []comparator{{">=", lo}}, nil
	case "<":
		if n == 0 {
			return []comparator{{"<", &version{pre: zeroPre}}}, nil // nothing
		}
		if n == 3 {
			return []comparator{{"<", lo}}, nil
		}
		return []comparator{below(lo)}, nil
	case "<=":
		if n == 0 {
			return nil, nil
		}
		if n == 3 {
			return []comparator{{"<=", lo}}, nil
		}
		return []comparator{below(bound(p, n, true))}, nil
	}
	return nil, errors.New("unreachable")
}

// hyphenRange is "lo - hi": inclusive; a partial hi takes all of its
// versions ("1 - 2.3" is <2.4.0).
func hyphenRange(lo, hi string) ([]comparator, error) {
	var set []comparator
	l, ln, err := parsePartial(strings.TrimPrefix(lo, "v"))
	if err != nil {
		return nil, fmt.Errorf("%q: %w", lo, err)
	}
	if ln > 0 {
		set = append(set, comparator{">=", bound(l, ln, false)})
	}
	h, hn, err := parsePartial(strings.TrimPrefix(hi, "v"))
	if err != nil {
		return nil, fmt.Errorf("%q: %w", hi, err)
	}
	switch {
	case hn == 3:
		set = append(set, comparator{"<=", bound(h, 3, false)})
	case hn > 0:
		set = append(set, below(bound(h, hn, true)))
	}
	if len(set) == 0 {
		set = []comparator{{">=", &version{}}}
	}
	return set, nil
}
