package url

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"host/bindings/encoding"
)

// parseHost is the URL standard's host parser. It returns the serialized
// host: a lower-case ASCII domain, a dotted IPv4 address, "[IPv6]" in its
// compressed form, or (isOpaque) a percent-encoded opaque host.
func parseHost(input string, isOpaque bool) (string, error) {
	if strings.HasPrefix(input, "[") {
		if !strings.HasSuffix(input, "]") || len(input) < 2 {
			return "", errInvalidURL
		}
		addr, ok := parseIPv6(input[1 : len(input)-1])
		if !ok {
			return "", errInvalidURL
		}
		return "[" + serializeIPv6(addr) + "]", nil
	}
	if isOpaque {
		for _, c := range input {
			if isForbiddenHostCodePoint(c) {
				return "", errInvalidURL
			}
		}
		return percentEncodeString("", input, c0ControlSet), nil
	}
	domain := string(percentDecode(input))
	if !utf8.ValidString(domain) {
		domain = encoding.DecodeUTF8([]byte(domain))
	}
	ascii, ok := domainToASCII(domain)
	if !ok {
		return "", errInvalidURL
	}
	if endsInNumber(ascii) {
		v, ok := parseIPv4(ascii)
		if !ok {
			return "", errInvalidURL
		}
		return serializeIPv4(v), nil
	}
	return ascii, nil
}

func isForbiddenHostCodePoint(c rune) bool {
	switch c {
	case 0, '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	}
	return false
}

func isForbiddenDomainCodePoint(c rune) bool {
	return isForbiddenHostCodePoint(c) || c <= 0x1F || c == '%' || c == 0x7F
}

// uts46 is UTS #46 processing with the options the URL standard's
// domain to ASCII asks for: CheckHyphens false, CheckBidi true,
// CheckJoiners true, UseSTD3ASCIIRules false, Transitional_Processing
// false, VerifyDnsLength false (beStrict false).
var uts46 = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.CheckJoiners(true),
	idna.CheckHyphens(false),
	idna.StrictDomainName(false),
	idna.Transitional(false),
	idna.VerifyDNSLength(false),
)

// domainToASCII is the URL standard's domain to ASCII: UTS #46 ToASCII
// (golang.org/x/net/idna), then no forbidden domain code point may remain.
// An ASCII domain with no "xn--" label is only lower-cased, as the standard
// allows.
func domainToASCII(domain string) (string, bool) {
	if isASCII(domain) && !hasPunycodeLabel(domain) {
		domain = strings.ToLower(domain)
	} else {
		out, err := uts46.ToASCII(domain)
		if err != nil {
			return "", false
		}
		domain = out
	}
	if domain == "" {
		return "", false
	}
	for _, c := range domain {
		if isForbiddenDomainCodePoint(c) {
			return "", false
		}
	}
	return domain, true
}

// hasPunycodeLabel reports whether an ASCII domain has a label starting
// with "xn--" (any case), which UTS #46 must decode and check.
func hasPunycodeLabel(domain string) bool {
	for _, l := range strings.Split(domain, ".") {
		if len(l) >= 4 && strings.EqualFold(l[:4], "xn--") {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// endsInNumber is the standard's "ends in a number" check that routes a
// host to the IPv4 parser.
func endsInNumber(s string) bool {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" {
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4Number parses one part of an IPv4 address: decimal, 0x hex or
// 0-prefixed octal. Values that overflow are capped above 2^32 (they fail
// later).
func parseIPv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	radix := uint64(10)
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, radix = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, radix = s[1:], 8
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d, ok := unhex(s[i])
		if !ok || uint64(d) >= radix {
			return 0, false
		}
		if v < 1<<40 {
			v = v*radix + uint64(d)
		}
	}
	return v, true
}

// parseIPv4 is the standard's IPv4 parser (1 to 4 parts, the last one may
// fill the remaining bytes).
func parseIPv4(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if parts[len(parts)-1] == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return 0, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := parseIPv4Number(p)
		if !ok {
			return 0, false
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return 0, false
		}
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return 0, false
	}
	v := last
	for i, n := range nums[:len(nums)-1] {
		v += n << (8 * (3 - i))
	}
	return uint32(v), true
}

func serializeIPv4(v uint32) string {
	var b []byte
	for i := 3; i >= 0; i-- {
		b = strconv.AppendUint(b, uint64(v>>(8*i)&0xFF), 10)
		if i > 0 {
			b = append(b, '.')
		}
	}
	return string(b)
}

// parseIPv6 is the standard's IPv6 parser (input without brackets).
func parseIPv6(s string) ([8]uint16, bool) {
	var addr [8]uint16
	piece, compress, p := 0, -1, 0
	at := func(i int) int {
		if i < len(s) {
			return int(s[i])
		}
		return -1
	}
	if at(p) == ':' {
		if at(p+1) != ':' {
			return addr, false
		}
		p += 2
		piece++
		compress = piece
	}
	for at(p) != -1 {
		if piece == 8 {
			return addr, false
		}
		if at(p) == ':' {
			if compress != -1 {
				return addr, false
			}
			p++
			piece++
			compress = piece
			continue
		}
		value, length := 0, 0
		for length < 4 && at(p) != -1 {
			d, ok := unhex(s[p])
			if !ok {
				break
			}
			value = value*16 + int(d)
			p++
			length++
		}
		if at(p) == '.' {
			if length == 0 {
				return addr, false
			}
			p -= length
			if piece > 6 {
				return addr, false
			}
			seen := 0
			for at(p) != -1 {
				v4 := -1
				if seen > 0 {
					if at(p) == '.' && seen < 4 {
						p++
					} else {
						return addr, false
					}
				}
				if c := at(p); c < '0' || c > '9' {
					return addr, false
				}
				for c := at(p); c >= '0' && c <= '9'; c = at(p) {
					n := c - '0'
					switch v4 {
					case -1:
						v4 = n
					case 0:
						return addr, false
					default:
						v4 = v4*10 + n
					}
					if v4 > 255 {
						return addr, false
					}
					p++
				}
				addr[piece] = addr[piece]*0x100 + uint16(v4)
				seen++
				if seen == 2 || seen == 4 {
					piece++
				}
			}
			if seen != 4 {
				return addr, false
			}
			break
		} else if at(p) == ':' {
			p++
			if at(p) == -1 {
				return addr, false
			}
		} else if at(p) != -1 {
			return addr, false
		}
		addr[piece] = uint16(value)
		piece++
	}
	if compress != -1 {
		swaps := piece - compress
		piece = 7
		for piece != 0 && swaps > 0 {
			addr[piece], addr[compress+swaps-1] = addr[compress+swaps-1], addr[piece]
			piece--
			swaps--
		}
	} else if piece != 8 {
		return addr, false
	}
	return addr, true
}

// serializeIPv6 writes lower-case hex pieces, compressing the first longest
// run of two or more zero pieces to "::".
func serializeIPv6(a [8]uint16) string {
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if a[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && a[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	var b []byte
	ignore0 := false
	for i := 0; i < 8; i++ {
		if ignore0 && a[i] == 0 {
			continue
		}
		ignore0 = false
		if i == best {
			if i == 0 {
				b = append(b, "::"...)
			} else {
				b = append(b, ':')
			}
			ignore0 = true
			continue
		}
		b = strconv.AppendUint(b, uint64(a[i]), 16)
		if i != 7 {
			b = append(b, ':')
		}
	}
	return string(b)
}
