package zod

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dop251/goja"

	"host/jsrt"
)

// regex implements .regex(re, message?): re is a RegExp (or a pattern
// string), translated to Go's RE2 syntax once, here.
func (b *binding) regex(c goja.FunctionCall) goja.Value {
	h := b.this(c, "regex")
	v := c.Argument(0)
	var src, flags string
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "RegExp" {
		src, flags = o.Get("source").String(), o.Get("flags").String()
	} else if s, ok := v.Export().(string); ok {
		src = s
	} else {
		jsrt.Throw(b.vm, jsrt.TypeErrorf(".regex(re): re must be a RegExp, got %s", jsrt.TypeName(v)))
	}
	re, err := compileJSRegex(src, flags)
	if err != nil {
		jsrt.Throw(b.vm, jsrt.TypeErrorf(".regex(/%s/%s): %v", src, flags, err))
	}
	return b.rewrap(withMessage(h.s.RegexSource(re, src), c.Argument(1)), h)
}

// compileJSRegex translates a JavaScript pattern and its flags to Go's RE2
// syntax and compiles it. What RE2 cannot do (lookaround, backreferences)
// is an error saying so.
func compileJSRegex(src, flags string) (*regexp.Regexp, error) {
	goSrc, err := translateRegex(src, flags)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(goSrc)
	if err != nil {
		return nil, fmt.Errorf("not supported by Go's RE2 regexp engine: %v", unwrapSyntax(err))
	}
	return re, nil
}

func unwrapSyntax(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}

func unsupported(what string) error {
	return fmt.Errorf("%s not supported: patterns run on Go's RE2 engine, which has no lookaround or backreferences; rewrite the pattern without them or check the value in code", what)
}

// translateRegex rewrites JS-only syntax to RE2: flags i/m/s become (?ims),
// \uXXXX and \u{X} become \x{X}, \cX and \0 become \x{..}, [^] and [] become
// explicit ranges. g, y, u, d and v are accepted and have no effect on a
// single match test.
func translateRegex(src, flags string) (string, error) {
	var b strings.Builder
	var mode string
	for _, f := range flags {
		switch f {
		case 'i', 'm', 's':
			mode += string(f)
		case 'g', 'y', 'u', 'd', 'v':
		default:
			return "", fmt.Errorf("unknown flag %q", f)
		}
	}
	if mode != "" {
		b.WriteString("(?" + mode + ")")
	}
	inClass := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\\' {
			if i+1 >= len(src) {
				return "", fmt.Errorf("pattern ends with a lone backslash")
			}
			d := src[i+1]
			switch {
			case d >= '1' && d <= '9' && !inClass:
				return "", unsupported(`backreferences (\` + string(d) + `) are`)
			case d == 'k' && i+2 < len(src) && src[i+2] == '<':
				return "", unsupported(`named backreferences (\k<name>) are`)
			case d == 'u' && i+2 < len(src) && src[i+2] == '{':
				end := strings.IndexByte(src[i+3:], '}')
				if end < 0 || !isHex(src[i+3:i+3+end]) {
					return "", fmt.Errorf(`malformed \u{...} escape`)
				}
				b.WriteString(`\x{` + src[i+3:i+3+end] + `}`)
				i += 3 + end
				continue
			case d == 'u' && i+6 <= len(src) && isHex(src[i+2:i+6]):
				b.WriteString(`\x{` + src[i+2:i+6] + `}`)
				i += 5
				continue
			case d == 'u':
				b.WriteByte('u') // JS without the u flag: an identity escape
				i++
				continue
			case d == 'c' && i+2 < len(src) && isLetter(src[i+2]):
				fmt.Fprintf(&b, `\x{%x}`, src[i+2]%32)
				i += 2
				continue
			case d == '0' && (i+2 >= len(src) || src[i+2] < '0' || src[i+2] > '9'):
				b.WriteString(`\x00`)
				i++
				continue
			case d == '/':
				b.WriteByte('/')
				i++
				continue
			}
			b.WriteByte(c)
			b.WriteByte(d)
			i++
			continue
		}
		if inClass {
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
			continue
		}
		switch {
		case strings.HasPrefix(src[i:], "[^]"):
			b.WriteString(`[\x{0}-\x{10FFFF}]`)
			i += 2
		case strings.HasPrefix(src[i:], "[]"):
			b.WriteString(`[^\x{0}-\x{10FFFF}]`)
			i++
		case c == '[':
			inClass = true
			b.WriteByte(c)
		case strings.HasPrefix(src[i:], "(?=") || strings.HasPrefix(src[i:], "(?!"):
			return "", unsupported("lookahead (" + src[i:i+3] + "...) is")
		case strings.HasPrefix(src[i:], "(?<=") || strings.HasPrefix(src[i:], "(?<!"):
			return "", unsupported("lookbehind (" + src[i:i+4] + "...) is")
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
