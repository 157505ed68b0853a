package url

import (
	"strings"
	"unicode/utf8"

	"host/bindings/encoding"
)

// encodeSet is a percent-encode set of the URL standard: the ASCII bytes
// it holds are encoded; every byte above 0x7E always is.
type encodeSet [128]bool

func newEncodeSet(base *encodeSet, extra string) *encodeSet {
	var s encodeSet
	if base != nil {
		s = *base
	} else {
		for c := 0; c < 0x20; c++ {
			s[c] = true
		}
		s[0x7F] = true
	}
	for i := 0; i < len(extra); i++ {
		s[extra[i]] = true
	}
	return &s
}

// The standard's percent-encode sets, each a superset of the one before it
// (special-query adds ' to query; path adds to query).
var (
	c0ControlSet    = newEncodeSet(nil, "")
	fragmentSet     = newEncodeSet(c0ControlSet, " \"<>`")
	querySet        = newEncodeSet(c0ControlSet, " \"#<>")
	specialQuerySet = newEncodeSet(querySet, "'")
	pathSet         = newEncodeSet(querySet, "?`{}")
	userinfoSet     = newEncodeSet(pathSet, "/:;=@[\\]^|")
	componentSet    = newEncodeSet(userinfoSet, "$%&+,")
	formSet         = newEncodeSet(componentSet, "!'()~")
)

const upperHex = "0123456789ABCDEF"

func (s *encodeSet) has(b byte) bool { return b >= 0x80 || s[b] }

// writePercentEncoded appends the code point c, UTF-8 percent-encoded with
// set, to b.
func writePercentEncoded(b *strings.Builder, c rune, set *encodeSet) {
	if c < 0x80 && !set[c] {
		b.WriteByte(byte(c))
		return
	}
	var tmp [utf8.UTFMax]byte
	n := utf8.EncodeRune(tmp[:], c)
	for _, x := range tmp[:n] {
		b.WriteByte('%')
		b.WriteByte(upperHex[x>>4])
		b.WriteByte(upperHex[x&15])
	}
}

func appendPercentEncoded(dst string, c rune, set *encodeSet) string {
	if c < 0x80 && !set[c] {
		return dst + string(byte(c))
	}
	var b strings.Builder
	b.WriteString(dst)
	writePercentEncoded(&b, c, set)
	return b.String()
}

// percentEncodeString appends s, UTF-8 percent-encoded with set, to dst.
func percentEncodeString(dst, s string, set *encodeSet) string {
	i := 0
	for i < len(s) && !set.has(s[i]) {
		i++
	}
	if i == len(s) {
		return dst + s
	}
	var b strings.Builder
	b.Grow(len(dst) + len(s) + 16)
	b.WriteString(dst)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		x := s[i]
		if set.has(x) {
			b.WriteByte('%')
			b.WriteByte(upperHex[x>>4])
			b.WriteByte(upperHex[x&15])
		} else {
			b.WriteByte(x)
		}
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// percentDecode decodes %XX sequences into bytes, leaving malformed ones
// as they are, as the standard's percent-decode does.
func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 2
				continue
			}
		}
		out = append(out, s[i])
	}
	return out
}

// formDecode is application/x-www-form-urlencoded value decoding: '+' is a
// space, %XX a byte, and the bytes are UTF-8 decoded with replacement.
func formDecode(s string) string {
	if !strings.ContainsAny(s, "+%") {
		if utf8.ValidString(s) {
			return s
		}
		return encoding.DecodeUTF8([]byte(s))
	}
	b := percentDecode(strings.ReplaceAll(s, "+", " "))
	if utf8.Valid(b) {
		return string(b)
	}
	return encoding.DecodeUTF8(b)
}

// ParseForm is the URL standard's application/x-www-form-urlencoded
// parser (URLSearchParams, and fetch's formData() for such bodies): pairs
// in order, "+" a space, bad percent escapes kept, bytes that are not UTF-8
// replaced by U+FFFD.
func ParseForm(s string) [][2]string {
	var out [][2]string
	for len(s) > 0 {
		var seq string
		if i := strings.IndexByte(s, '&'); i >= 0 {
			seq, s = s[:i], s[i+1:]
		} else {
			seq, s = s, ""
		}
		if seq == "" {
			continue
		}
		name, value, _ := strings.Cut(seq, "=")
		out = append(out, [2]string{formDecode(name), formDecode(value)})
	}
	return out
}

// formEncode is the application/x-www-form-urlencoded byte serializer
// applied to one name or value: space becomes '+'.
func formEncode(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		x := s[i]
		switch {
		case x == ' ':
			b.WriteByte('+')
		case formSet.has(x):
			b.WriteByte('%')
			b.WriteByte(upperHex[x>>4])
			b.WriteByte(upperHex[x&15])
		default:
			b.WriteByte(x)
		}
	}
}
