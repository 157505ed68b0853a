package jsrt

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CleanControls returns s with every terminal control character but newline and
// tab written out as a visible escape: C0 and DEL as \xNN, C1 (U+0080 to
// U+009F) as \u00NN. A plugin's text then cannot drive the terminal it is
// shown on: no OSC 52 (clipboard), OSC 8 (links), or ESC[2K with a
// carriage return that erases a line's "[plugin]" prefix to forge one of
// host's own lines. Bytes that are not UTF-8 are left as they are (a
// terminal does not take them for C1 in a UTF-8 stream: the decoder shows
// them as U+FFFD). Safe for concurrent use.
func CleanControls(s string) string {
	i := controlIndex(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i >= 0 {
		b.WriteString(s[:i])
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < 0x80 {
			fmt.Fprintf(&b, `\x%02x`, r)
		} else {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		s = s[i+n:]
		i = controlIndex(s)
	}
	b.WriteString(s)
	return b.String()
}

// controlIndex is the index of the first control character
// CleanControls replaces in s, or -1.
func controlIndex(s string) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 && c != '\n' && c != '\t', c == 0x7f:
			return i
		case c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
			return i
		}
	}
	return -1
}
