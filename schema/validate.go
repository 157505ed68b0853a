package schema

import (
	"encoding/json"
	"math"
	"math/big"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
)

// Issue codes, as zod names them.
const (
	CodeInvalidType     = "invalid_type"
	CodeInvalidLiteral  = "invalid_literal"
	CodeInvalidEnum     = "invalid_enum_value"
	CodeInvalidString   = "invalid_string"
	CodeTooSmall        = "too_small"
	CodeTooBig          = "too_big"
	CodeUnrecognizedKey = "unrecognized_keys"
	CodeNotFinite       = "not_finite"
)

// Validate checks value against the schema and returns the parsed output
// and the problems found (nil when valid). value is JSON-like as decoded by
// encoding/json or exported by goja: map[string]any, []any, string, float64
// or a Go integer, bool, nil (null) or Undefined (absent). The output is a
// new value: defaults filled in, undeclared object keys stripped (unless the
// object is passthrough), absent optional fields left out; value is not
// modified. With issues, the output holds what could be parsed and should
// not be used.
func (s *Schema) Validate(value any) (any, []Issue) {
	var v validator
	out := v.walk(s, value)
	return out, v.issues
}

// Parse is Validate returning the issues as a *ValidationError.
func (s *Schema) Parse(value any) (any, error) {
	out, issues := s.Validate(value)
	if len(issues) > 0 {
		return nil, &ValidationError{Issues: issues}
	}
	return out, nil
}

type validator struct {
	path   []any
	issues []Issue
}

func (v *validator) add(code, msg string) {
	v.issues = append(v.issues, Issue{Path: append([]any(nil), v.path...), Code: code, Message: msg})
}

func (v *validator) walk(s *Schema, value any) any {
	if value == Undefined {
		switch {
		case s.hasDefault:
			value = deepCopy(s.def)
		case s.optional || s.kind == KindAny:
			return Undefined
		default:
			v.add(CodeInvalidType, "Required")
			return Undefined
		}
	}
	if value == nil && (s.nullable || s.kind == KindAny) {
		return nil
	}
	switch s.kind {
	case KindString:
		str, ok := value.(string)
		if !ok {
			v.typeIssue(s, "string", value)
			return value
		}
		v.stringChecks(s, str)
		return str
	case KindNumber:
		f, ok := toFloat(value)
		if !ok || math.IsNaN(f) {
			v.typeIssue(s, "number", value)
			return value
		}
		v.numberChecks(s, f)
		return value
	case KindBoolean:
		if _, ok := value.(bool); !ok {
			v.typeIssue(s, "boolean", value)
		}
		return value
	case KindEnum:
		str, ok := value.(string)
		if !ok {
			v.typeIssue(s, joinOptions(s.options), value)
			return value
		}
		for _, o := range s.options {
			if o == str {
				return str
			}
		}
		shown := "'" + str + "'"
		if s.secret {
			shown = "(hidden)"
		}
		v.add(CodeInvalidEnum, msgOr(s.typeMessage,
			"Invalid enum value. Expected "+joinOptions(s.options)+", received "+shown))
		return value
	case KindLiteral:
		if !literalEqual(s.literal, value) {
			v.add(CodeInvalidLiteral, msgOr(s.typeMessage, "Invalid literal value, expected "+jsonText(s.literal)))
		}
		return value
	case KindArray:
		arr, ok := value.([]any)
		if !ok {
			v.typeIssue(s, "array", value)
			return value
		}
		v.lengthChecks(s, "Array", "element(s)", float64(len(arr)))
		out := make([]any, len(arr))
		for i, e := range arr {
			v.path = append(v.path, i)
			r := v.walk(s.elem, e)
			v.path = v.path[:len(v.path)-1]
			if r == Undefined {
				r = nil // an array has no holes in JSON
			}
			out[i] = r
		}
		return out
	case KindObject:
		m, ok := value.(map[string]any)
		if !ok {
			v.typeIssue(s, "object", value)
			return value
		}
		out := make(map[string]any, len(s.fields))
		for _, p := range s.fields {
			in, present := m[p.Key]
			if !present {
				in = Undefined
			}
			v.path = append(v.path, p.Key)
			r := v.walk(p.Schema, in)
			v.path = v.path[:len(v.path)-1]
			if r != Undefined {
				out[p.Key] = r
			}
		}
		if s.unknown != Strip {
			var extra []string
			for k, e := range m {
				if s.fieldIndex(k) < 0 {
					extra = append(extra, k)
					if s.unknown == Passthrough && e != Undefined {
						out[k] = deepCopy(e)
					}
				}
			}
			if s.unknown == Strict && len(extra) > 0 {
				slices.Sort(extra)
				v.add(CodeUnrecognizedKey, "Unrecognized key(s) in object: '"+strings.Join(extra, "', '")+"'")
			}
		}
		return out
	case KindAny:
		return value
	}
	return value
}

func (v *validator) typeIssue(s *Schema, expected string, value any) {
	got := ReceivedType(value)
	v.add(CodeInvalidType, msgOr(s.typeMessage, "Expected "+expected+", received "+got))
}

func (v *validator) stringChecks(s *Schema, str string) {
	var n float64 = -1 // computed lazily: most strings have no length check
	length := func() float64 {
		if n < 0 {
			n = float64(jsLength(str))
		}
		return n
	}
	for _, c := range s.checks {
		switch c.op {
		case opMin, opMax, opLength:
			v.lengthCheck(c, "String", "character(s)", length())
		case opURL:
			if !isURL(str) {
				v.add(CodeInvalidString, msgOr(c.message, "Invalid url"))
			}
		case opEmail:
			if !isEmail(str) {
				v.add(CodeInvalidString, msgOr(c.message, "Invalid email"))
			}
		case opRegex:
			ok, err := c.re.match(str)
			if err != nil {
				v.add(CodeInvalidString, "The pattern "+c.re.String()+" took longer than "+MatchTimeout.String()+
					" on this value (catastrophic backtracking); simplify the pattern or check the value in code")
			} else if !ok {
				v.add(CodeInvalidString, msgOr(c.message, "Invalid"))
			}
		}
	}
}

func (v *validator) lengthChecks(s *Schema, what, unit string, n float64) {
	for _, c := range s.checks {
		switch c.op {
		case opMin, opMax, opLength:
			v.lengthCheck(c, what, unit, n)
		}
	}
}

func (v *validator) lengthCheck(c check, what, unit string, n float64) {
	switch c.op {
	case opMin:
		if n < c.n {
			v.add(CodeTooSmall, msgOr(c.message, what+" must contain at least "+num(c.n)+" "+unit))
		}
	case opMax:
		if n > c.n {
			v.add(CodeTooBig, msgOr(c.message, what+" must contain at most "+num(c.n)+" "+unit))
		}
	case opLength:
		if n < c.n {
			v.add(CodeTooSmall, msgOr(c.message, what+" must contain exactly "+num(c.n)+" "+unit))
		} else if n > c.n {
			v.add(CodeTooBig, msgOr(c.message, what+" must contain exactly "+num(c.n)+" "+unit))
		}
	}
}

func (v *validator) numberChecks(s *Schema, f float64) {
	for _, c := range s.checks {
		switch c.op {
		case opMin:
			if f < c.n {
				v.add(CodeTooSmall, msgOr(c.message, "Number must be greater than or equal to "+num(c.n)))
			}
		case opGt:
			if f <= c.n {
				v.add(CodeTooSmall, msgOr(c.message, "Number must be greater than "+num(c.n)))
			}
		case opMax:
			if f > c.n {
				v.add(CodeTooBig, msgOr(c.message, "Number must be less than or equal to "+num(c.n)))
			}
		case opLt:
			if f >= c.n {
				v.add(CodeTooBig, msgOr(c.message, "Number must be less than "+num(c.n)))
			}
		case opFinite:
			if math.IsInf(f, 0) {
				v.add(CodeNotFinite, msgOr(c.message, "Number must be finite"))
			}
		case opInt:
			if math.IsInf(f, 0) || f != math.Trunc(f) {
				v.add(CodeInvalidType, msgOr(c.message, "Expected integer, received float"))
			}
		}
	}
}

// ReceivedType names the JavaScript-ish type of a JSON-like Go value as zod
// does in "Expected string, received number": undefined, null, string,
// number, nan, boolean, array, object, function, date, bigint, unknown.
func ReceivedType(value any) string {
	switch x := value.(type) {
	case undefinedValue:
		return "undefined"
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case *big.Int:
		return "bigint"
	case time.Time:
		return "date"
	case float64:
		if math.IsNaN(x) {
			return "nan"
		}
		return "number"
	}
	if _, ok := toFloat(value); ok {
		return "number"
	}
	switch reflect.ValueOf(value).Kind() {
	case reflect.Func:
		return "function"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct, reflect.Pointer:
		return "object"
	}
	return "unknown"
}

// toFloat converts Go numeric types to float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint8:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func literalEqual(lit, v any) bool {
	switch l := lit.(type) {
	case nil:
		return v == nil
	case string:
		s, ok := v.(string)
		return ok && s == l
	case bool:
		b, ok := v.(bool)
		return ok && b == l
	case float64:
		f, ok := toFloat(v)
		return ok && f == l
	}
	return false
}

// jsLength is a string's length in UTF-16 code units, as JavaScript's
// String.prototype.length.
func jsLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r) // range yields U+FFFD, one unit, for bad bytes
	}
	return n
}

// num formats a number as JavaScript prints it for integers and ordinary
// fractions.
func num(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func msgOr(custom, def string) string {
	if custom != "" {
		return custom
	}
	return def
}

func joinOptions(opts []string) string {
	var b strings.Builder
	for i, o := range opts {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString("'" + o + "'")
	}
	return b.String()
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ws", "wss", "ftp":
		return u.Host != ""
	}
	return u.Opaque != "" || u.Host != "" || u.Path != ""
}

var emailDomain = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^([a-z0-9][a-z0-9\-]*\.)+[a-z]{2,}$`) })

// isEmail follows zod v3's e-mail rule: a local part of letters, digits and
// _'+-. that neither starts with a dot nor holds "..", nor ends in ' or .,
// then @ and a dotted domain with a top-level part of two letters or more.
func isEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if local[0] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '+' || c == '-' || c == '.' || c == '\''
		if !ok {
			return false
		}
	}
	if last := local[len(local)-1]; last == '.' || last == '\'' {
		return false
	}
	return emailDomain().MatchString(domain)
}
