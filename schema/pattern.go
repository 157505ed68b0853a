package schema

import (
	"errors"
	"fmt"
	"time"

	"github.com/dlclark/regexp2/v2"
)

// MatchTimeout bounds one match of a Pattern. A pattern that backtracks
// catastrophically on a value fails that value with an issue saying so
// instead of running on.
var MatchTimeout = 100 * time.Millisecond

// Pattern is a compiled JavaScript regular expression: ECMAScript syntax and
// semantics (lookaround, backreferences, named groups) on
// github.com/dlclark/regexp2, with MatchTimeout on every match. A Pattern is
// safe for concurrent use.
type Pattern struct {
	re     *regexp2.Regexp
	source string
	flags  string
	sticky bool
}

// CompilePattern compiles a JavaScript pattern (RegExp.prototype.source)
// with its flags: i, m, s and u/v change matching; y anchors the match at
// the start (as test() with lastIndex 0 does); g and d have no effect on a
// single test. The error says what is wrong with the pattern.
func CompilePattern(source, flags string) (*Pattern, error) {
	opts := regexp2.ECMAScript
	p := &Pattern{source: source, flags: flags}
	for _, f := range flags {
		switch f {
		case 'i':
			opts |= regexp2.IgnoreCase
		case 'm':
			opts |= regexp2.Multiline
		case 's':
			opts |= regexp2.Singleline
		case 'u', 'v':
			opts |= regexp2.Unicode
		case 'y':
			p.sticky = true
		case 'g', 'd':
		default:
			return nil, fmt.Errorf("unknown flag %q", f)
		}
	}
	re, err := regexp2.Compile(source, opts)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = MatchTimeout
	p.re = re
	return p, nil
}

// MustPattern is CompilePattern for patterns known to be valid; it panics
// otherwise.
func MustPattern(source, flags string) *Pattern {
	p, err := CompilePattern(source, flags)
	if err != nil {
		panic("schema.MustPattern(" + source + "): " + err.Error())
	}
	return p
}

// Source returns the pattern as written, without slashes or flags.
func (p *Pattern) Source() string { return p.source }

// String returns the pattern as a JavaScript literal, /source/flags.
func (p *Pattern) String() string { return "/" + p.source + "/" + p.flags }

// errTimeout is a match that ran past MatchTimeout.
var errTimeout = errors.New("match timed out")

// match reports whether s matches; the error is errTimeout (or the
// engine's stack limit) when the match could not finish.
func (p *Pattern) match(s string) (bool, error) {
	if !p.sticky {
		ok, err := p.re.MatchString(s)
		if err != nil {
			return false, errTimeout
		}
		return ok, nil
	}
	// The leftmost match starts at 0 whenever any match there exists.
	m, err := p.re.FindStringMatch(s)
	if err != nil {
		return false, errTimeout
	}
	return m != nil && m.RuneIndex == 0, nil
}
