package intl

import (
	"strings"
)

// This file is ICU's DateTimePatternGenerator (dtptngen.cpp), which V8
// asks for the pattern of a DateTimeFormat's options: the locale's
// availableFormats skeleton nearest the one asked for, its fields widened
// to the widths asked, missing fields appended by the locale's
// appendItems, a date and a time joined by the locale's dateTimeFormats.
// The names and weights are ICU's so the choices are its.

// Pattern fields, in ICU's UDATPG_*_FIELD order.
const (
	fEra = iota
	fYear
	fQuarter
	fMonth
	fWeekOfYear
	fWeekOfMonth
	fWeekday
	fDayOfYear
	fDayOfWeekInMonth
	fDay
	fDayPeriod
	fHour
	fMinute
	fSecond
	fFraction
	fZone
	nFields
)

const (
	dtNumeric = 0x100
	dtNarrow  = -0x101
	dtShorter = -0x102
	dtShort   = -0x103
	dtLong    = -0x104
	dtDelta   = 0x10

	extraField   = 0x10000
	missingField = 0x1000
)

type dtType struct {
	ch     byte
	field  int8
	typ    int16
	minLen int8
}

// dtTypes is ICU's table of pattern letters: a letter's rows run from
// its shortest form up.
var dtTypes = [...]dtType{
	{'G', fEra, dtShort, 1}, {'G', fEra, dtLong, 4}, {'G', fEra, dtNarrow, 5},
	{'y', fYear, dtNumeric, 1}, {'Y', fYear, dtNumeric + dtDelta, 1}, {'u', fYear, dtNumeric + 2*dtDelta, 1}, {'r', fYear, dtNumeric + 3*dtDelta, 1},
	{'U', fYear, dtShort, 1}, {'U', fYear, dtLong, 4}, {'U', fYear, dtNarrow, 5},
	{'Q', fQuarter, dtNumeric, 1}, {'Q', fQuarter, dtShort, 3}, {'Q', fQuarter, dtLong, 4}, {'Q', fQuarter, dtNarrow, 5},
	{'q', fQuarter, dtNumeric + dtDelta, 1}, {'q', fQuarter, dtShort - dtDelta, 3}, {'q', fQuarter, dtLong - dtDelta, 4}, {'q', fQuarter, dtNarrow - dtDelta, 5},
	{'M', fMonth, dtNumeric, 1}, {'M', fMonth, dtShort, 3}, {'M', fMonth, dtLong, 4}, {'M', fMonth, dtNarrow, 5},
	{'L', fMonth, dtNumeric + dtDelta, 1}, {'L', fMonth, dtShort - dtDelta, 3}, {'L', fMonth, dtLong - dtDelta, 4}, {'L', fMonth, dtNarrow - dtDelta, 5},
	{'l', fMonth, dtNumeric + dtDelta, 1},
	{'w', fWeekOfYear, dtNumeric, 1},
	{'W', fWeekOfMonth, dtNumeric, 1},
	{'E', fWeekday, dtShort, 1}, {'E', fWeekday, dtLong, 4}, {'E', fWeekday, dtNarrow, 5}, {'E', fWeekday, dtShorter, 6},
	{'c', fWeekday, dtNumeric + 2*dtDelta, 1}, {'c', fWeekday, dtShort - 2*dtDelta, 3}, {'c', fWeekday, dtLong - 2*dtDelta, 4}, {'c', fWeekday, dtNarrow - 2*dtDelta, 5}, {'c', fWeekday, dtShorter - 2*dtDelta, 6},
	{'e', fWeekday, dtNumeric + dtDelta, 1}, {'e', fWeekday, dtShort - dtDelta, 3}, {'e', fWeekday, dtLong - dtDelta, 4}, {'e', fWeekday, dtNarrow - dtDelta, 5}, {'e', fWeekday, dtShorter - dtDelta, 6},
	{'d', fDay, dtNumeric, 1}, {'g', fDay, dtNumeric + dtDelta, 1},
	{'D', fDayOfYear, dtNumeric, 1},
	{'F', fDayOfWeekInMonth, dtNumeric, 1},
	{'a', fDayPeriod, dtShort, 1}, {'a', fDayPeriod, dtLong, 4}, {'a', fDayPeriod, dtNarrow, 5},
	{'b', fDayPeriod, dtShort - dtDelta, 1}, {'b', fDayPeriod, dtLong - dtDelta, 4}, {'b', fDayPeriod, dtNarrow - dtDelta, 5},
	{'B', fDayPeriod, dtShort - 3*dtDelta, 1}, {'B', fDayPeriod, dtLong - 3*dtDelta, 4}, {'B', fDayPeriod, dtNarrow - 3*dtDelta, 5},
	{'H', fHour, dtNumeric + 10*dtDelta, 1}, {'k', fHour, dtNumeric + 11*dtDelta, 1}, {'h', fHour, dtNumeric, 1}, {'K', fHour, dtNumeric + dtDelta, 1},
	{'J', fHour, dtNumeric + 5*dtDelta, 1}, {'j', fHour, dtNumeric + 6*dtDelta, 1}, {'C', fHour, dtNumeric + 7*dtDelta, 1},
	{'m', fMinute, dtNumeric, 1},
	{'s', fSecond, dtNumeric, 1}, {'A', fSecond, dtNumeric + dtDelta, 1},
	{'S', fFraction, dtNumeric, 1},
	{'v', fZone, dtShort - 2*dtDelta, 1}, {'v', fZone, dtLong - 2*dtDelta, 4},
	{'z', fZone, dtShort, 1}, {'z', fZone, dtLong, 4},
	{'Z', fZone, dtNarrow - dtDelta, 1}, {'Z', fZone, dtLong - dtDelta, 4}, {'Z', fZone, dtShort - dtDelta, 5},
	{'O', fZone, dtShort - dtDelta, 1}, {'O', fZone, dtLong - dtDelta, 4},
	{'V', fZone, dtShort - dtDelta, 1}, {'V', fZone, dtLong - dtDelta, 2}, {'V', fZone, dtLong - 1 - dtDelta, 3}, {'V', fZone, dtLong - 2 - dtDelta, 4},
	{'X', fZone, dtNarrow - dtDelta, 1}, {'X', fZone, dtShort - dtDelta, 2}, {'X', fZone, dtLong - dtDelta, 4},
	{'x', fZone, dtNarrow - dtDelta, 1}, {'x', fZone, dtShort - dtDelta, 2}, {'x', fZone, dtLong - dtDelta, 4},
}

// canonicalIndex is the dtTypes row of a field like "MMM", or -1.
func canonicalIndex(s string) int {
	ch := s[0]
	best := -1
	for i := 0; i < len(dtTypes); i++ {
		if dtTypes[i].ch != ch {
			continue
		}
		best = i
		if i+1 == len(dtTypes) || dtTypes[i+1].ch != ch {
			return i
		}
		if int(dtTypes[i+1].minLen) <= len(s) {
			continue
		}
		return i
	}
	return best
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// patternTokens splits a pattern as ICU's FormatParser: runs of one
// letter, quoted literals ('...' with ” inside), and single other bytes
// (a multi-byte character comes out as its bytes, which are kept in
// order).
func patternTokens(p string) []string {
	var out []string
	for i := 0; i < len(p); {
		c := p[i]
		j := i + 1
		switch {
		case isLetter(c):
			for j < len(p) && p[j] == c {
				j++
			}
		case c == '\'':
			for j < len(p) {
				if p[j] == '\'' {
					if j+1 < len(p) && p[j+1] == '\'' {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
		}
		out = append(out, p[i:j])
		i = j
	}
	return out
}

// skeleton is ICU's PtnSkeleton: per field, the type, the letters asked
// for (original) and the letters of its base.
type skeleton struct {
	typ  [nFields]int
	orig [nFields]string
	base [nFields]string
}

func (s *skeleton) baseString() string { return strings.Join(s.base[:], "") }

func (s *skeleton) firstChar() byte {
	for _, b := range s.base {
		if b != "" {
			return b[0]
		}
	}
	return 0
}

// parseSkeleton is DateTimeMatcher::set.
func parseSkeleton(p string) skeleton {
	var s skeleton
	for _, tok := range patternTokens(p) {
		if !isLetter(tok[0]) {
			continue
		}
		i := canonicalIndex(tok)
		if i < 0 {
			continue
		}
		row := dtTypes[i]
		f := row.field
		s.orig[f] = tok
		s.base[f] = strings.Repeat(string(row.ch), int(row.minLen))
		t := int(row.typ)
		if t > 0 {
			t += len(tok)
		}
		s.typ[f] = t
	}
	if s.orig[fMinute] != "" && s.orig[fFraction] != "" && s.orig[fSecond] == "" {
		s.orig[fSecond], s.base[fSecond], s.typ[fSecond] = "s", "s", dtNumeric+1
	}
	if h := s.orig[fHour]; h != "" {
		if h[0] == 'h' || h[0] == 'K' {
			if s.orig[fDayPeriod] == "" {
				s.orig[fDayPeriod], s.base[fDayPeriod], s.typ[fDayPeriod] = "a", "a", dtShort
			}
		} else {
			s.orig[fDayPeriod], s.base[fDayPeriod], s.typ[fDayPeriod] = "", "", 0
		}
	}
	return s
}

// ptnEntry is one pattern of a locale's generator.
type ptnEntry struct {
	base      string
	skel      skeleton
	pattern   string
	specified bool // from availableFormats, with its skeleton
}

// generator is a locale's DateTimePatternGenerator: its patterns in ICU's
// iteration order (by the first letter of the base, A-Z then a-z, then in
// the order they were added).
type generator struct {
	loc     *cldrLocale
	buckets [52][]ptnEntry
}

func bucket(c byte) int {
	if c >= 'a' {
		return 26 + int(c-'a')
	}
	return int(c - 'A')
}

func (g *generator) fromBase(base string) *ptnEntry {
	if base == "" {
		return nil
	}
	for i := range g.buckets[bucket(base[0])] {
		if e := &g.buckets[bucket(base[0])][i]; e.base == base {
			return e
		}
	}
	return nil
}

func (g *generator) fromSkeleton(s *skeleton) *ptnEntry {
	c := s.firstChar()
	if c == 0 {
		return nil
	}
	for i := range g.buckets[bucket(c)] {
		if e := &g.buckets[bucket(c)][i]; e.skel.orig == s.orig {
			return e
		}
	}
	return nil
}

// add is addPatternWithOptionalSkeleton.
func (g *generator) add(pattern, skel string, override bool) {
	var s skeleton
	if skel == "" {
		s = parseSkeleton(pattern)
	} else {
		s = parseSkeleton(skel)
	}
	base := s.baseString()
	if base == "" {
		return
	}
	if dup := g.fromBase(base); dup != nil && (!dup.specified || skel != "" && !override) && !override {
		return
	}
	if dup := g.fromSkeleton(&s); dup != nil && (!override || skel != "" && dup.specified) {
		return
	}
	b := &g.buckets[bucket(base[0])]
	for i := range *b {
		if e := &(*b)[i]; e.base == base && e.skel.typ == s.typ {
			e.pattern, e.specified = pattern, skel != "" // ICU keeps the entry's skeleton
			return
		}
	}
	*b = append(*b, ptnEntry{base: base, skel: s, pattern: pattern, specified: skel != ""})
}

func newGenerator(loc *cldrLocale) *generator {
	g := &generator{loc: loc}
	for _, c := range "GyQMwWEDFdaHmsSv" {
		g.add(string(c), "", false)
	}
	for _, p := range loc.timeFormats {
		g.add(p, "", false)
	}
	for _, p := range loc.dateFormats {
		g.add(p, "", false)
	}
	for rest := loc.skeletons; rest != ""; {
		rec, tail, _ := strings.Cut(rest, "\x1e")
		rest = tail
		k, p, _ := strings.Cut(rec, "\x1f")
		g.add(p, k, true)
	}
	return g
}

type distanceInfo struct{ missing, extra int }

func distance(req *skeleton, trial *skeleton, include int, info *distanceInfo) int {
	result := 0
	*info = distanceInfo{}
	for i := 0; i < nFields; i++ {
		my := 0
		if include&(1<<i) != 0 {
			my = req.typ[i]
		}
		other := trial.typ[i]
		if my == other {
			continue
		}
		switch {
		case my == 0:
			result += extraField
			info.extra |= 1 << i
		case other == 0:
			result += missingField
			info.missing |= 1 << i
		default:
			d := my - other
			if d < 0 {
				d = -d
			}
			result += d
		}
	}
	return result
}

// bestRaw is getBestRaw: the nearest pattern to req over the fields of
// include.
func (g *generator) bestRaw(req *skeleton, include int, info *distanceInfo) *ptnEntry {
	bestDistance, bestMissing := 0x7fffffff, -1
	var best *ptnEntry
	var tmp distanceInfo
	for b := range g.buckets {
		for i := range g.buckets[b] {
			e := &g.buckets[b][i]
			d := distance(req, &e.skel, include, &tmp)
			if d < bestDistance || d == bestDistance && bestMissing < tmp.missing {
				bestDistance, bestMissing = d, tmp.missing
				best = e
				*info = tmp
				if d == 0 {
					return best
				}
			}
		}
	}
	return best
}

const fixFractionalSeconds = 1

// adjust is adjustFieldTypes with UDATPG_MATCH_HOUR_FIELD_LENGTH (V8's
// option): the pattern's fields in the widths req asks for.
func (g *generator) adjust(pattern string, e *ptnEntry, req *skeleton, flags int) string {
	var b strings.Builder
	for _, tok := range patternTokens(pattern) {
		if !isLetter(tok[0]) {
			b.WriteString(tok)
			continue
		}
		idx := canonicalIndex(tok)
		if idx < 0 {
			b.WriteString(tok)
			continue
		}
		row := dtTypes[idx]
		f := int(row.field)
		switch {
		case flags&fixFractionalSeconds != 0 && f == fSecond:
			b.WriteString(tok + g.loc.decimal + req.orig[fFraction])
			continue
		case req.typ[f] == 0:
			b.WriteString(tok)
			continue
		}
		reqChar, reqLen := req.orig[f][0], len(req.orig[f])
		if reqChar == 'E' && reqLen < 3 {
			reqLen = 3
		}
		adjLen := reqLen
		if f == fMinute || f == fSecond {
			adjLen = len(tok)
		} else if e != nil && e.specified && reqChar != 'c' && reqChar != 'e' {
			skelLen := len(e.skel.orig[f])
			patNumeric := row.typ > 0
			reqNumeric := req.typ[f] > 0
			if skelLen == reqLen || patNumeric != reqNumeric {
				adjLen = len(tok)
			}
		}
		c := reqChar
		if f == fHour || f == fMonth || f == fWeekday || f == fYear && reqChar != 'Y' {
			c = tok[0]
		}
		if c == 'E' && adjLen < 3 {
			c = 'e'
		}
		if f == fHour {
			def := g.loc.hourChar
			switch {
			case reqChar == def:
				c = def
			case reqChar == 'h' && def == 'K':
				c = 'K'
			case reqChar == 'H' && def == 'k':
				c = 'k'
			case reqChar == 'k' && def == 'H':
				c = 'H'
			case reqChar == 'K' && def == 'h':
				c = 'h'
			}
		}
		b.WriteString(strings.Repeat(string(c), adjLen))
	}
	return b.String()
}

func topBit(mask int) int {
	if mask == 0 {
		return 0
	}
	i := 0
	for mask != 0 {
		mask >>= 1
		i++
	}
	if i-1 > fZone {
		return fZone
	}
	return i - 1
}

// simpleFormat fills {0} {1} {2} of a CLDR glue pattern.
func simpleFormat(p string, args ...string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '{' && i+2 < len(p) && p[i+2] == '}' && p[i+1] >= '0' && int(p[i+1]-'0') < len(args) {
			b.WriteString(args[p[i+1]-'0'])
			i += 2
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

const (
	secondAndFraction = 1<<fSecond | 1<<fFraction
	fractionMask      = 1 << fFraction
)

func (g *generator) bestAppending(req *skeleton, missing, flags int) string {
	if missing == 0 {
		return ""
	}
	var info distanceInfo
	e := g.bestRaw(req, missing, &info)
	result := g.adjust(e.pattern, e, req, flags)
	last := 0
	for info.missing != 0 {
		if last == info.missing {
			break
		}
		if info.missing&secondAndFraction == fractionMask && missing&secondAndFraction == secondAndFraction {
			result = g.adjust(result, e, req, flags|fixFractionalSeconds)
			info.missing &^= fractionMask
			continue
		}
		start := info.missing
		e = g.bestRaw(req, info.missing, &info)
		tmp := g.adjust(e.pattern, e, req, flags)
		top := topBit(start &^ info.missing)
		if item := g.loc.appendItems[top]; item != "" {
			result = simpleFormat(item, result, tmp, "'"+g.loc.fieldNames[top]+"'")
		} else {
			result = simpleFormat("{0} \u251c{2}: {1}\u2524", result, tmp, "'"+g.loc.fieldNames[top]+"'")
		}
		last = info.missing
	}
	return result
}

// bestPattern is getBestPattern(skeleton, UDATPG_MATCH_HOUR_FIELD_LENGTH).
func (g *generator) bestPattern(skel string) string {
	// 'j' is the locale's hour (with its day period when a 12-hour one).
	if i := strings.IndexByte(skel, 'j'); i >= 0 {
		n := strings.Count(skel, "j")
		h := strings.Repeat(string(g.loc.hourChar), 1+(n-1)&1)
		if g.loc.hourChar == 'h' || g.loc.hourChar == 'K' {
			h = "a" + h
		}
		skel = strings.ReplaceAll(skel, strings.Repeat("j", n), h)
	}
	req := parseSkeleton(skel)
	var info distanceInfo
	e := g.bestRaw(&req, -1, &info)
	if info.missing == 0 && info.extra == 0 {
		return g.adjust(e.pattern, e, &req, 0)
	}
	needed := 0
	for i, t := range req.typ {
		if t != 0 {
			needed |= 1 << i
		}
	}
	dateMask := 1<<fDayPeriod - 1
	timeMask := 1<<nFields - 1 - dateMask
	date := g.bestAppending(&req, needed&dateMask, 0)
	tm := g.bestAppending(&req, needed&timeMask, 0)
	if date == "" {
		return tm
	}
	if tm == "" {
		return date
	}
	style := 3
	switch len(req.base[fMonth]) {
	case 4:
		style = 1
		if req.base[fWeekday] != "" {
			style = 0
		}
	case 3:
		style = 2
	}
	return simpleFormat(g.loc.dateTimeFormats[style], tm, date)
}
