package encoding

import (
	"encoding/base64"
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// errDecode is a fatal TextDecoder's failure on malformed input.
//
//lint:ignore ST1005 the message browsers give, which plugin code sees as is
var errDecode = errors.New("The encoded data was not valid.")

// DecodeUTF8 decodes b as the Encoding standard's UTF-8 decoder
// does: each maximal invalid subpart becomes one U+FFFD.
func DecodeUTF8(b []byte) string {
	s, _ := decodeUTF8(b, false, false)
	return s
}

// decodeUTF8 runs the Encoding standard's UTF-8 decoder over b. When fatal,
// the first error fails the decode. When stream, an incomplete sequence at
// the end is not an error: its length comes back as tail and its bytes are
// not decoded.
func decodeUTF8(b []byte, fatal, stream bool) (out string, tail int) {
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	var cp rune
	needed, seen := 0, 0
	lower, upper := byte(0x80), byte(0xBF)
	start := 0 // index of the first byte of the sequence in progress
	for i := 0; i < len(b); i++ {
		x := b[i]
		if needed == 0 {
			start = i
			switch {
			case x < 0x80:
				sb.WriteByte(x)
			case x >= 0xC2 && x <= 0xDF:
				needed, cp = 1, rune(x&0x1F)
			case x >= 0xE0 && x <= 0xEF:
				if x == 0xE0 {
					lower = 0xA0
				}
				if x == 0xED {
					upper = 0x9F
				}
				needed, cp = 2, rune(x&0xF)
			case x >= 0xF0 && x <= 0xF4:
				if x == 0xF0 {
					lower = 0x90
				}
				if x == 0xF4 {
					upper = 0x8F
				}
				needed, cp = 3, rune(x&0x7)
			default:
				if fatal {
					return "", -1
				}
				sb.WriteRune(utf8.RuneError)
			}
			continue
		}
		if x < lower || x > upper {
			cp, needed, seen, lower, upper = 0, 0, 0, 0x80, 0xBF
			if fatal {
				return "", -1
			}
			sb.WriteRune(utf8.RuneError)
			i-- // process this byte again
			continue
		}
		lower, upper = 0x80, 0xBF
		cp = cp<<6 | rune(x&0x3F)
		seen++
		if seen == needed {
			sb.WriteRune(cp)
			cp, needed, seen = 0, 0, 0
		}
	}
	if needed != 0 {
		if stream {
			return sb.String(), len(b) - start
		}
		if fatal {
			return "", -1
		}
		sb.WriteRune(utf8.RuneError)
	}
	return sb.String(), 0
}

// Encodings TextDecoder supports, by canonical name, and their labels.
var decoderLabels = map[string]string{}

func init() {
	for name, labels := range map[string][]string{
		"utf-8":        {"unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"},
		"utf-16le":     {"csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"},
		"utf-16be":     {"unicodefffe", "utf-16be"},
		"windows-1252": {"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"},
	} {
		for _, l := range labels {
			decoderLabels[l] = name
		}
	}
}

const supportedEncodings = "utf-8, utf-16le, utf-16be, windows-1252"

// decoder is one TextDecoder's state. Use from one goroutine at a time.
type decoder struct {
	encoding  string
	fatal     bool
	ignoreBOM bool
	bomSeen   bool   // the start of the stream has been decoded
	pending   []byte // an incomplete sequence left by a streaming decode
}

// newDecoder resolves an encoding label as TextDecoder's constructor does;
// ok is false for a label the host does not support.
func newDecoder(label string, fatal, ignoreBOM bool) (*decoder, bool) {
	name, ok := decoderLabels[strings.ToLower(strings.Trim(label, "\t\n\f\r "))]
	if !ok {
		return nil, false
	}
	return &decoder{encoding: name, fatal: fatal, ignoreBOM: ignoreBOM}, true
}

// decode decodes the next chunk. Without stream, the stream ends here and
// the decoder is ready for a new one.
func (d *decoder) decode(b []byte, stream bool) (string, error) {
	if len(d.pending) > 0 {
		b = append(d.pending, b...)
		d.pending = nil
	}
	var s string
	tail := 0
	switch d.encoding {
	case "utf-8":
		if utf8.Valid(b) {
			s = string(b)
		} else {
			s, tail = decodeUTF8(b, d.fatal, stream)
			if tail < 0 {
				d.reset()
				return "", errDecode
			}
		}
	case "utf-16le", "utf-16be":
		var ok bool
		s, tail, ok = decodeUTF16(b, d.encoding == "utf-16be", d.fatal, stream)
		if !ok {
			d.reset()
			return "", errDecode
		}
	case "windows-1252":
		s = decodeWindows1252(b)
	}
	if tail > 0 {
		d.pending = append([]byte(nil), b[len(b)-tail:]...)
	}
	if !d.ignoreBOM && !d.bomSeen && s != "" {
		s = strings.TrimPrefix(s, "\uFEFF")
		d.bomSeen = true
	}
	if !stream {
		d.reset()
	}
	return s, nil
}

func (d *decoder) reset() {
	d.pending = nil
	d.bomSeen = false
}

// decodeUTF16 decodes UTF-16 code units; lone surrogates become U+FFFD
// (or fail when fatal). When streaming, an odd byte or a trailing high
// surrogate is left as tail.
func decodeUTF16(b []byte, bigEndian, fatal, stream bool) (string, int, bool) {
	n := len(b) / 2
	units := make([]uint16, n)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	tail := len(b) % 2
	if stream && n > 0 && units[n-1] >= 0xD800 && units[n-1] <= 0xDBFF {
		units = units[:n-1]
		tail += 2
	}
	var sb strings.Builder
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case u < 0xD800 || u > 0xDFFF:
			sb.WriteRune(rune(u))
		case u <= 0xDBFF && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF:
			sb.WriteRune(utf16.DecodeRune(rune(u), rune(units[i+1])))
			i++
		default:
			if fatal {
				return "", 0, false
			}
			sb.WriteRune(utf8.RuneError)
		}
	}
	if !stream && tail > 0 {
		if fatal {
			return "", 0, false
		}
		sb.WriteRune(utf8.RuneError)
		tail = 0
	}
	return sb.String(), tail, true
}

// windows1252 maps bytes 0x80..0x9F; other bytes are their own code point.
var windows1252 = [32]rune{
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
}

func decodeWindows1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, x := range b {
		switch {
		case x < 0x80:
			sb.WriteByte(x)
		case x < 0xA0:
			sb.WriteRune(windows1252[x-0x80])
		default:
			sb.WriteRune(rune(x))
		}
	}
	return sb.String()
}

// encodeInto writes as many whole UTF-8 sequences of s as fit into dst and
// reports the UTF-16 code units read and the bytes written, as
// TextEncoder.encodeInto does.
func encodeInto(s string, dst []byte) (read, written int) {
	for _, r := range s {
		n := utf8.RuneLen(r)
		if written+n > len(dst) {
			break
		}
		utf8.EncodeRune(dst[written:], r)
		written += n
		read++
		if r >= 0x10000 {
			read++
		}
	}
	return read, written
}

// btoa encodes a string of code points up to U+00FF (one byte each) as
// base64; ok is false when s holds a larger code point.
func btoa(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] < 0x80 {
			b = append(b, s[i])
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r > 0xFF || r == utf8.RuneError && size == 1 {
			return "", false
		}
		b = append(b, byte(r))
		i += size - 1
	}
	return base64.StdEncoding.EncodeToString(b), true
}

// atob is the forgiving-base64 decode; the bytes come back as a string of
// code points U+0000..U+00FF. ok is false for malformed input.
func atob(s string) (string, bool) {
	if strings.ContainsAny(s, "\t\n\f\r ") {
		s = strings.Map(func(r rune) rune {
			switch r {
			case '\t', '\n', '\f', '\r', ' ':
				return -1
			}
			return r
		}, s)
	}
	if len(s)%4 == 0 {
		if strings.HasSuffix(s, "==") {
			s = s[:len(s)-2]
		} else if strings.HasSuffix(s, "=") {
			s = s[:len(s)-1]
		}
	}
	if len(s)%4 == 1 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return "", false
		}
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return "", false
	}
	ascii := true
	for _, x := range b {
		if x >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b), true
	}
	rs := make([]rune, len(b))
	for i, x := range b {
		rs[i] = rune(x)
	}
	return string(rs), true
}
