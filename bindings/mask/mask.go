// Package mask hides known secret values in text: the Masker that cmd/host,
// the plugin runtime, the store and OAuth put between a plugin and
// everything it can make visible (output, logs, errors, tool results), and
// Writer, its streaming form.
package mask

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// MinLen is the length in bytes under which Masker.Add ignores a value:
// masking every "abc" or "42" in output would hide more than it protects.
// Such short secrets are not masked anywhere.
const MinLen = 4

// Masked is what Masker.Mask puts in place of a secret.
const Masked = "***"

// Masker replaces known secret values in text with "***". It matches each
// value as is and in the forms it takes when a plugin encodes it:
//
//   - base64 (standard and URL alphabets, padded or not; of the UTF-8
//     bytes, and of the Latin-1 bytes as JS btoa encodes), also inside a
//     longer base64 string such as the credentials of an
//     `Authorization: Basic base64(user:secret)` header; the whole base64
//     token containing the secret is masked;
//   - URL-encoded (Go's QueryEscape and PathEscape, JS encodeURIComponent
//     and encodeURI; hex digits upper- or lower-case, and mixed within one
//     value unless a stray "%" right before it joins its first characters
//     into an escape), also of the value's JSON form;
//   - JSON-escaped as Go's encoding/json and JS JSON.stringify write it,
//     also twice (JSON inside a JSON string), with all non-ASCII as \uXXXX
//     escapes (either hex case) and with "/" as "\/", as other encoders do;
//   - hex of the UTF-8 bytes, lower- or upper-case;
//   - as an Authorization header value (Bearer, token or Basic), which the
//     forms above cover.
//
// A value with leading or trailing white space is also matched trimmed; a
// multi-line value (a PEM key) is also matched line by line, so output
// split into lines hides it too. Text is also matched without the
// characters a terminal does not show (zero-width spaces and joiners, bidi
// marks, variation selectors, the soft hyphen: Unicode's default-ignorable
// code points), so a secret with them between its letters is masked, and
// with the line breaks of base64 wrapped at any width joined
// (within the text of one Mask call; a Writer masks the lines of one write
// together). Values shorter than MinLen bytes are ignored. A match inside a
// longer word is masked too (over-masking is the safe side); an encoding
// not listed (base64 of a URL-encoded form, hex with separators) is not
// recognised, and deliberate disguises (reversed, character codes, rot13,
// encryption) are out of scope.
//
// All methods are safe for concurrent use; a nil *Masker masks nothing.
// Add precomputes every form, so Mask costs one pass over the text plus a
// check per candidate position, independent of the number of secrets.
type Masker struct {
	mu       sync.Mutex // serialises Add
	seen     map[string]bool
	values   int
	patterns []pattern
	known    map[pattern]bool
	cur      atomic.Pointer[matcher]
}

// New returns an empty Masker.
func New() *Masker { return &Masker{} }

// Add makes value known: Mask hides it from then on. Values shorter than
// MinLen bytes are ignored. Adding a value twice is cheap. Suitable as
// secrets.Scoped.OnValue.
func (m *Masker) Add(value string) {
	if m == nil || len(value) < MinLen {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen[value] {
		return
	}
	if m.seen == nil {
		m.seen, m.known = make(map[string]bool), make(map[pattern]bool)
	}
	n := len(m.patterns)
	for _, v := range expandValue(value) {
		if len(v) < MinLen || m.seen[v] {
			continue
		}
		m.seen[v] = true
		m.values++
		for _, p := range patternsOf(v) {
			if !m.known[p] {
				m.known[p] = true
				m.patterns = append(m.patterns, p)
			}
		}
	}
	m.seen[value] = true
	if len(m.patterns) > n {
		m.cur.Store(buildMatcher(m.patterns))
	}
}

// Len reports how many values Mask matches (including the trimmed and
// per-line forms Add derives).
func (m *Masker) Len() int {
	if m == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.values
}

// Mask returns s with every known secret, in every form listed on Masker,
// replaced by Masked ("***"). It repeats until nothing matches, so the
// result never contains a known form, even where a replacement joins its
// neighbours into one.
func (m *Masker) Mask(s string) string {
	mt := m.matcher()
	if mt == nil {
		return s
	}
	for {
		iv := mt.search(s, false)
		if len(iv) == 0 {
			return s
		}
		s = replace(s, iv)
	}
}

// Contains reports whether s holds a known secret in any form Mask
// recognises. The store uses it to refuse values that would put a secret
// on disk.
func (m *Masker) Contains(s string) bool {
	mt := m.matcher()
	return mt != nil && len(mt.search(s, true)) > 0
}

func (m *Masker) matcher() *matcher {
	if m == nil {
		return nil
	}
	return m.cur.Load()
}

// expandValue is value plus its trimmed form, its form without invisible
// characters (see view) and, for a multi-line value, each line.
func expandValue(value string) []string {
	out := []string{value}
	if t := strings.TrimSpace(value); t != value {
		out = append(out, t)
	}
	if v, _, ok := view(value); ok { // Mask also looks at text without them
		out = append(out, v)
	}
	if strings.ContainsAny(value, "\r\n") {
		for line := range strings.FieldsFuncSeq(value, func(r rune) bool { return r == '\n' || r == '\r' }) {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

// pattern is one form of a secret to look for. A base64 pattern is the
// part of the encoding that depends on the secret alone; a match masks the
// whole base64 token around it.
type pattern struct {
	s   string
	b64 bool
}

const (
	hashBits = 16
	keyLen   = 4 // every pattern is at least MinLen bytes
)

// matcher is an immutable multi-pattern searcher: a bitset over a hash of
// each pattern's first 4 bytes rejects almost every text position with
// one lookup; candidates are verified against the patterns with that
// prefix.
type matcher struct {
	bits   [1 << hashBits / 64]uint64
	byKey  map[uint32][]pattern
	maxLen int // longest pattern
}

// patternsOf returns the patterns of one value.
func patternsOf(v string) []pattern {
	var ps []pattern
	for _, f := range textForms(v) {
		// As written, with lower-case escapes, and upper-cased for
		// findAnyCase's second pass (Add drops the repeats).
		ps = append(ps, pattern{s: f}, pattern{s: lowerHex(f)}, pattern{s: upperPct(f)})
	}
	for _, f := range base64Forms(v) {
		ps = append(ps, pattern{s: f, b64: true})
	}
	return ps
}

func buildMatcher(patterns []pattern) *matcher {
	mt := &matcher{byKey: make(map[uint32][]pattern, len(patterns))}
	for _, p := range patterns {
		mt.maxLen = max(mt.maxLen, len(p.s))
		k := key4(p.s, 0)
		h := hash4(k)
		mt.bits[h/64] |= 1 << (h % 64)
		mt.byKey[k] = append(mt.byKey[k], p)
	}
	return mt
}

func key4(s string, i int) uint32 {
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}

func hash4(k uint32) uint32 { return (k * 0x9E3779B1) >> (32 - hashBits) }

// find returns the sorted, merged byte intervals of s to mask; with first
// it stops at the first match.
func (mt *matcher) find(s string, first bool) [][2]int {
	var iv [][2]int
	if len(s) < keyLen {
		return nil
	}
	tokEnd := -1 // end of the last base64 token matched
	k := uint32(s[0])<<8 | uint32(s[1])<<16 | uint32(s[2])<<24
	for i := keyLen - 1; i < len(s); i++ {
		k = k>>8 | uint32(s[i])<<24 // s[i-3 : i+1], little-endian
		h := hash4(k)
		if mt.bits[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		start := i - (keyLen - 1)
		for _, p := range mt.byKey[k] {
			if !strings.HasPrefix(s[start:], p.s) {
				continue
			}
			a, b := start, start+len(p.s)
			if p.b64 {
				if a < tokEnd {
					continue // inside the base64 token just masked whole
				}
				a, b = base64Token(s, a, b)
				tokEnd = b
			}
			iv = appendInterval(iv, a, b)
			if first {
				return iv
			}
		}
	}
	return iv
}

// findAnyCase is find on s and, when s has percent escapes with
// lower-case hex, also on upperPct(s) (the same length, so its intervals
// apply to s): the patterns include the upper-cased forms, so a secret's
// percent escapes match in any case, even mixed within one value, while a
// "%" that only happens to precede a secret does not hide it.
func (mt *matcher) findAnyCase(s string, first bool) [][2]int {
	iv := mt.find(s, first)
	if first && len(iv) > 0 {
		return iv
	}
	u := upperPct(s)
	if u == s {
		return iv
	}
	return merge(iv, mt.find(u, first))
}

// search is findAnyCase on s and on its view (s without invisible
// characters and with wrapped base64 joined), the view's intervals mapped
// back to s. A match in the view masks the invisible characters and line
// breaks inside it too.
func (mt *matcher) search(s string, first bool) [][2]int {
	iv := mt.findAnyCase(s, first)
	if first && len(iv) > 0 {
		return iv
	}
	v, at, ok := view(s)
	if !ok {
		return iv
	}
	more := mt.findAnyCase(v, first)
	for i, x := range more {
		more[i] = [2]int{at[x[0]], at[x[1]-1] + 1}
	}
	return merge(iv, more)
}

// merge returns the sorted union of two lists of intervals.
func merge(iv, more [][2]int) [][2]int {
	if len(more) == 0 {
		return iv
	}
	all := append(append([][2]int(nil), iv...), more...)
	slices.SortFunc(all, func(a, b [2]int) int { return a[0] - b[0] })
	var merged [][2]int
	for _, x := range all {
		merged = appendInterval(merged, x[0], x[1])
	}
	return merged
}

// minWrap is the shortest run of base64 whose line break view joins when
// the line has other text before it: encoders wrap at 76 (MIME) or 64
// (PEM) columns. A line of base64 alone is joined at any width.
const minWrap = 40

// view returns s without the characters a terminal does not show
// (Unicode's default-ignorable code points: zero-width spaces and joiners,
// bidi marks, variation selectors, the soft hyphen, a BOM...) and without
// the line breaks ("\n" or "\r\n") inside wrapped base64, with at[i] the
// offset in s of the view's byte i. ok is false, and nothing is allocated,
// when s has neither.
//
// A line break is inside wrapped base64 when the line before it ends in a
// run of at least minWrap base64 characters, or is all base64 and not
// shorter than a line of all base64 before it, and the line after it is all
// base64 up to its end or to "=" padding, and is either as long as the
// run before (a full line) or shorter and the last line of an encoding
// whose length, with its padding, is a multiple of 4.
func view(s string) (v string, at []int, ok bool) {
	if !needsView(s) {
		return s, nil, false // the common case, without the loop below
	}
	var buf []byte
	drop := func(i int) { // s[:i] is kept so far; start the view
		if buf == nil {
			buf = append(make([]byte, 0, len(s)), s[:i]...)
			at = make([]int, i, len(s))
			for j := range at {
				at[j] = j
			}
		}
	}
	run := 0 // base64 characters since the last kept non-base64 byte, in the view
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		skip := false
		switch {
		case c == '\n' || c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			if c == '\r' {
				size = 2
			}
			skip = joinsBase64(s, i, i+size, run)
		case c >= utf8.RuneSelf:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			skip = invisible(r)
		}
		if skip {
			drop(i)
		} else {
			if isB64(c) {
				run++
			} else {
				run = 0
			}
			if buf != nil {
				buf = append(buf, s[i:i+size]...)
				for j := i; j < i+size; j++ {
					at = append(at, j)
				}
			}
		}
		i += size
	}
	if buf == nil {
		return s, nil, false
	}
	return string(buf), at, true
}

// needsView reports whether view would change s: whether s has a
// character invisible reports or a line break that ends a run of at least
// minWrap base64 characters. It skips 8 bytes at a time while they hold
// neither a non-ASCII byte nor a "\n".
func needsView(s string) bool {
	const ones, highs, newlines = 0x0101010101010101, 0x8080808080808080, 0x0A0A0A0A0A0A0A0A
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			w := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
			nl := w ^ newlines
			if w&highs == 0 && (nl-ones)&^nl&highs == 0 {
				i += 8
				continue
			}
		}
		switch c := s[i]; {
		case c == '\n':
			end := i
			if end > 0 && s[end-1] == '\r' {
				end--
			}
			n := 0
			for n < minWrap && end-n > 0 && isB64(s[end-n-1]) {
				n++
			}
			if n == minWrap || n > 0 && (end-n == 0 || s[end-n-1] == '\n') && i+1 < len(s) && isB64(s[i+1]) {
				return true // a long run, or a line of base64 before more
			}
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if invisible(r) {
				return true
			}
			i += size
			continue
		}
		i++
	}
	return false
}

// joinsBase64 reports whether the line break s[i:j] is inside wrapped
// base64 (see view); run is the length of the base64 run before it.
func joinsBase64(s string, i, j, run int) bool {
	line := b64Before(s, i) // the run's part on the line before the break
	if line == 0 || line > run {
		return false
	}
	if line < minWrap {
		// A narrow wrap: the line before is all base64, and not the
		// shorter last line of a block (which the next line would go on).
		if i-line > 0 && s[i-line-1] != '\n' {
			return false
		}
		if i-line > 0 {
			end := i - line - 1
			if end > 0 && s[end-1] == '\r' {
				end--
			}
			if prev := b64Before(s, end); prev > line && (end-prev == 0 || s[end-prev-1] == '\n') {
				return false
			}
		}
	}
	next := 0
	for j+next < len(s) && isB64(s[j+next]) {
		next++
	}
	end := j + next
	pad := 0
	for end+pad < len(s) && s[end+pad] == '=' {
		pad++
	}
	if end+pad < len(s) && s[end+pad] != '\n' && s[end+pad] != '\r' {
		return false // the next line goes on with other text
	}
	return next == line || 0 < next && next < line && (run+next+pad)%4 == 0
}

// b64Before is the length of the run of base64 characters ending at s[i].
func b64Before(s string, i int) int {
	n := 0
	for i-n > 0 && isB64(s[i-n-1]) {
		n++
	}
	return n
}

// invisible reports whether r is a default-ignorable code point (Unicode's
// DerivedCoreProperties definition): a character a terminal shows as
// nothing, which a plugin could put between a secret's letters.
func invisible(r rune) bool {
	switch {
	case unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r), unicode.Is(unicode.Variation_Selector, r):
		return true
	case !unicode.Is(unicode.Cf, r), unicode.Is(unicode.Prepended_Concatenation_Mark, r), unicode.Is(unicode.White_Space, r):
		return false
	}
	return !(0xFFF9 <= r && r <= 0xFFFB) && !(0x13430 <= r && r <= 0x1343F)
}

// appendInterval adds [a,b) to iv, merging with the intervals it overlaps
// or touches. Intervals arrive with non-decreasing a except after a base64
// token grew to the left, which merging handles.
func appendInterval(iv [][2]int, a, b int) [][2]int {
	for len(iv) > 0 {
		last := iv[len(iv)-1]
		if a > last[1] {
			break
		}
		iv = iv[:len(iv)-1]
		a, b = min(a, last[0]), max(b, last[1])
	}
	return append(iv, [2]int{a, b})
}

func replace(s string, iv [][2]int) string {
	var sb strings.Builder
	sb.Grow(len(s))
	prev := 0
	for _, x := range iv {
		sb.WriteString(s[prev:x[0]])
		sb.WriteString(Masked)
		prev = x[1]
	}
	sb.WriteString(s[prev:])
	return sb.String()
}

// isB64 reports whether c belongs to either base64 alphabet.
func isB64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '+' || c == '/' || c == '-' || c == '_'
}

// base64Token widens [a,b) to the run of base64 characters around it,
// with its trailing padding.
func base64Token(s string, a, b int) (int, int) {
	for a > 0 && isB64(s[a-1]) {
		a--
	}
	for b < len(s) && isB64(s[b]) {
		b++
	}
	for b < len(s) && s[b] == '=' {
		b++
	}
	return a, b
}

// textForms returns v and its JSON- and URL-encoded forms, without
// duplicates.
func textForms(v string) []string {
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(v)
	js := jsJSON(v)
	for _, f := range []string{goJSON(v, true), goJSON(v, false), js,
		asciiJSON(v, false), asciiJSON(v, true),
		jsJSON(js), goJSON(goJSON(v, true), true)} { // JSON inside JSON
		add(f)
		add(strings.ReplaceAll(f, "/", `\/`)) // PHP and others escape "/"
	}
	for _, base := range []string{v, js} {
		for _, f := range []string{url.QueryEscape(base), url.PathEscape(base),
			uriEscape(base, uriComponentKeep), uriEscape(base, uriKeep)} {
			add(f)
		}
	}
	// hex of the UTF-8 bytes, as a plugin prints bytes (either case)
	h := hex.EncodeToString([]byte(v))
	add(h)
	add(strings.ToUpper(h))
	return out
}

// goJSON is v as encoding/json writes it inside a string, without quotes.
func goJSON(v string, html bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(v) // a string always encodes
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return string(b[1 : len(b)-1])
}

// jsJSON is v as JS JSON.stringify writes it, without quotes: only '"',
// '\\' and control characters are escaped.
func jsJSON(v string) string {
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch c {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		default:
			if c < 0x20 {
				fmt.Fprintf(&sb, `\u%04x`, c)
			} else {
				sb.WriteByte(c)
			}
		}
	}
	return sb.String()
}

// asciiJSON is jsJSON with every non-ASCII rune as \uXXXX (UTF-16
// surrogate pairs above U+FFFF), as Python's json and many Java encoders
// write it.
func asciiJSON(v string, upper bool) string {
	format := `\u%04x`
	if upper {
		format = `\u%04X`
	}
	var sb strings.Builder
	for _, r := range jsJSON(v) {
		switch {
		case r < utf8.RuneSelf:
			sb.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&sb, format+format, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&sb, format, r)
		}
	}
	return sb.String()
}

// Characters JS encodeURIComponent and encodeURI leave as they are,
// besides A-Z a-z 0-9.
const (
	uriComponentKeep = "-_.!~*'()"
	uriKeep          = uriComponentKeep + ";,/?:@&=+$#"
)

// uriEscape percent-encodes (upper-case hex) every byte of v but ASCII
// letters, digits and the bytes in keep, as JS encodeURIComponent
// (keep = uriComponentKeep) and encodeURI (uriKeep) do.
func uriEscape(v, keep string) string {
	const hex = "0123456789ABCDEF"
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			sb.WriteByte(c)
			continue
		}
		sb.WriteByte('%')
		sb.WriteByte(hex[c>>4])
		sb.WriteByte(hex[c&15])
	}
	return sb.String()
}

// lowerHex lower-cases the hex digits of the percent escapes in s.
func lowerHex(s string) string { return casePct(s, 'A', 'F', 'a'-'A') }

// upperPct upper-cases them. Both keep the length of s.
func upperPct(s string) string { return casePct(s, 'a', 'f', 256-('a'-'A')) }

// casePct adds delta (mod 256) to the hex digits in [lo, hi] of s's
// percent escapes.
func casePct(s string, lo, hi, delta byte) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	var b []byte
	for ; i+2 < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		for j := i + 1; j <= i+2; j++ {
			if c := s[j]; lo <= c && c <= hi {
				if b == nil {
					b = []byte(s)
				}
				b[j] = c + delta
			}
		}
		i += 2
	}
	if b == nil {
		return s
	}
	return string(b)
}

// base64Forms returns the stable middle of v's base64 encoding for each of
// the three byte alignments v can have inside a longer encoded string, in
// both alphabets: the characters all of whose 6 bits come from v. Besides
// v's UTF-8 bytes it encodes its Latin-1 bytes when v has non-ASCII runes
// all below U+0100: that is what JS btoa encodes.
func base64Forms(v string) []string {
	var out []string
	srcs := []string{v}
	if l, ok := latin1(v); ok && l != v {
		srcs = append(srcs, l)
	}
	for _, v := range srcs {
		n := len(v)
		buf := make([]byte, 2+n)
		for k := 0; k < 3; k++ {
			clear(buf)
			copy(buf[k:], v)
			src := buf[:k+n]
			start, end := (8*k+5)/6, 8*(k+n)/6
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				mid := enc.EncodeToString(src)[start:end]
				if len(mid) >= MinLen && !slices.Contains(out, mid) {
					out = append(out, mid)
				}
			}
		}
	}
	return out
}

// latin1 returns v with each rune as one byte, if every rune of valid
// UTF-8 v is below U+0100.
func latin1(v string) (string, bool) {
	if !utf8.ValidString(v) {
		return "", false
	}
	b := make([]byte, 0, len(v))
	for _, r := range v {
		if r > 0xFF {
			return "", false
		}
		b = append(b, byte(r))
	}
	return string(b), true
}

// maxPending is how many bytes a Writer holds back waiting for the end
// of a line before it writes part of the line.
const maxPending = 64 << 10

// Writer is an io.Writer that masks what it passes on to its
// underlying writer, a line at a time: it holds back an incomplete last
// line (up to 64 KiB) until its newline arrives or Flush is called, so a
// secret written in pieces is still masked. Safe for concurrent use; each
// Write's complete lines are written with one call to the underlying
// writer.
type Writer struct {
	m   *Masker
	w   io.Writer
	mu  sync.Mutex
	buf []byte
}

// Writer returns a Writer that masks with m and writes to w. Call
// Flush when done to write a final line without a newline.
func (m *Masker) Writer(w io.Writer) *Writer { return &Writer{m: m, w: w} }

// Write buffers p and writes the masked complete lines. It returns
// len(p) unless the underlying writer fails.
func (mw *Writer) Write(p []byte) (int, error) {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	mw.buf = append(mw.buf, p...)
	cut := bytes.LastIndexByte(mw.buf, '\n') + 1
	if cut == 0 && len(mw.buf) > maxPending {
		cut = mw.safeCut()
	}
	if cut == 0 {
		return len(p), nil
	}
	out := mw.m.Mask(string(mw.buf[:cut]))
	mw.buf = append(mw.buf[:0], mw.buf[cut:]...)
	if _, err := io.WriteString(mw.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// safeCut returns where to split an over-long line: far enough from the
// end that a secret still arriving cannot start before it, and outside
// every match found so far.
func (mw *Writer) safeCut() int {
	s := string(mw.buf)
	mt := mw.m.matcher()
	if mt == nil {
		return len(s)
	}
	cut := len(s) - max(maxPending/2, mt.maxLen)
	if cut > 0 {
		for _, x := range mt.find(s, false) {
			if x[0] < cut && cut < x[1] {
				cut = x[0]
			}
		}
	}
	return max(cut, 0)
}

// Flush writes the held-back incomplete line, masked.
func (mw *Writer) Flush() error {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	if len(mw.buf) == 0 {
		return nil
	}
	out := mw.m.Mask(string(mw.buf))
	mw.buf = mw.buf[:0]
	_, err := io.WriteString(mw.w, out)
	return err
}

var _ io.Writer = (*Writer)(nil)
