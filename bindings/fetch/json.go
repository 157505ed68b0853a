package fetch

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// maxJSONDepth bounds nesting in a JSON body; deeper documents are
// rejected rather than risking the loop goroutine's stack.
const maxJSONDepth = 10000

// json(handle) -> the body parsed as JSON, what JSON.parse(await text())
// returns, built directly from the bytes (goja's JSON.parse goes through
// encoding/json's token stream and costs several times more). Throws a
// SyntaxError for invalid JSON, naming the position but never echoing the
// body.
func (b *binding) json(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	data := handle(vm, call.Argument(0)).data
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	p := jsonParser{vm: vm, data: data}
	p.space()
	v := p.value(0)
	p.space()
	if p.err == "" && p.pos < len(p.data) {
		p.fail()
	}
	if p.err != "" {
		e, err := vm.New(vm.Get("SyntaxError"), vm.ToValue(p.err))
		if err != nil {
			panic(vm.NewGoError(fmt.Errorf("%s", p.err)))
		}
		panic(e)
	}
	return v
}

// jsonParser is a recursive-descent JSON parser (RFC 8259, as JSON.parse
// reads it) building goja values. Objects get own data properties, as
// JSON.parse's CreateDataProperty does (so "__proto__" is an ordinary key);
// a later duplicate key replaces the value in the first one's position.
// Strings with lone surrogate escapes get U+FFFD, as goja's JSON.parse does.
type jsonParser struct {
	vm   *goja.Runtime
	data []byte
	pos  int
	err  string
	buf  []byte // scratch for strings with escapes
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// fail records a syntax error at the current position (first error wins).
func (p *jsonParser) fail() {
	if p.err != "" {
		return
	}
	if p.pos >= len(p.data) {
		p.err = "Unexpected end of JSON input"
		return
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	p.err = fmt.Sprintf("Unexpected token %s at position %d: the body is not valid JSON", strconv.QuoteRune(r), p.pos)
}

func (p *jsonParser) value(depth int) goja.Value {
	if p.pos >= len(p.data) {
		p.fail()
		return nil
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil
		}
		return p.vm.ToValue(s)
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return p.literal("true", p.vm.ToValue(true))
	case c == 'f':
		return p.literal("false", p.vm.ToValue(false))
	case c == 'n':
		return p.literal("null", goja.Null())
	}
	p.fail()
	return nil
}

func (p *jsonParser) literal(word string, v goja.Value) goja.Value {
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.data) || p.data[p.pos] != word[i] {
			p.fail()
			return nil
		}
		p.pos++
	}
	return v
}

func (p *jsonParser) object(depth int) goja.Value {
	if depth > maxJSONDepth {
		p.err = fmt.Sprintf("JSON nested more than %d levels deep", maxJSONDepth)
		return nil
	}
	p.pos++ // {
	obj := p.vm.NewObject()
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return obj
	}
	for {
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			p.fail()
			return nil
		}
		key, ok := p.str()
		if !ok {
			return nil
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			p.fail()
			return nil
		}
		p.pos++
		p.space()
		v := p.value(depth)
		if p.err != "" {
			return nil
		}
		if err := obj.DefineDataProperty(key, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			p.err = err.Error()
			return nil
		}
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			p.space()
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return obj
		}
		p.fail()
		return nil
	}
}

func (p *jsonParser) array(depth int) goja.Value {
	if depth > maxJSONDepth {
		p.err = fmt.Sprintf("JSON nested more than %d levels deep", maxJSONDepth)
		return nil
	}
	p.pos++ // [
	var items []any
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return p.vm.NewArray()
	}
	for {
		v := p.value(depth)
		if p.err != "" {
			return nil
		}
		items = append(items, v)
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			p.space()
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			return p.vm.NewArray(items...)
		}
		p.fail()
		return nil
	}
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? as a float64
// (too large: ±Infinity, as JSON.parse gives).
func (p *jsonParser) number() goja.Value {
	start := p.pos
	digits := func() bool {
		n := p.pos
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
		}
		return p.pos > n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if !digits() {
		p.fail()
		return nil
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if !digits() {
			p.fail()
			return nil
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if !digits() {
			p.fail()
			return nil
		}
	}
	text := p.data[start:p.pos]
	// Small integers, the common case, without ParseFloat.
	if len(text) <= 15 {
		n, neg, ok := int64(0), false, true
		for i, c := range text {
			switch {
			case c == '-' && i == 0:
				neg = true
			case c >= '0' && c <= '9':
				n = n*10 + int64(c-'0')
			default:
				ok = false
			}
		}
		if ok && !(neg && n == 0) {
			if neg {
				n = -n
			}
			return p.vm.ToValue(n)
		}
	}
	f, _ := strconv.ParseFloat(string(text), 64) // ErrRange gives ±Inf
	return p.vm.ToValue(f)
}

// str reads a string literal at p.pos (the opening quote).
func (p *jsonParser) str() (string, bool) {
	p.pos++ // "
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			p.fail()
			return "", false
		}
		p.pos++
	}
	p.buf = append(p.buf[:0], p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(p.buf), true
		case c < 0x20:
			p.fail()
			return "", false
		case c != '\\':
			p.buf = append(p.buf, c)
			p.pos++
			continue
		}
		p.pos++ // backslash
		if p.pos >= len(p.data) {
			break
		}
		switch e := p.data[p.pos]; e {
		case '"', '\\', '/':
			p.buf = append(p.buf, e)
		case 'b':
			p.buf = append(p.buf, '\b')
		case 'f':
			p.buf = append(p.buf, '\f')
		case 'n':
			p.buf = append(p.buf, '\n')
		case 'r':
			p.buf = append(p.buf, '\r')
		case 't':
			p.buf = append(p.buf, '\t')
		case 'u':
			r, ok := p.hex4(p.pos + 1)
			if !ok {
				p.pos++
				p.fail()
				return "", false
			}
			p.pos += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := p.hex4(p.pos + 3); ok && p.data[p.pos+1] == '\\' && p.data[p.pos+2] == 'u' {
					if c := utf16.DecodeRune(r, r2); c != utf8.RuneError {
						r = c
						p.pos += 6
					}
				}
				if utf16.IsSurrogate(r) {
					r = utf8.RuneError
				}
			}
			p.buf = utf8.AppendRune(p.buf, r)
		default:
			p.fail()
			return "", false
		}
		p.pos++
	}
	p.fail()
	return "", false
}

// hex4 reads four hex digits at i.
func (p *jsonParser) hex4(i int) (rune, bool) {
	if i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
