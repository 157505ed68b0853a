package schema

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
)

// The string formats zod 4 checks with a pattern, by the name its
// z.string().<name>() / z.<name>() method and JSON Schema "format" use.
// The patterns are zod's (packages/zod/src/v4/core/regexes.ts), run with
// JavaScript semantics.
var formatPatterns = map[string]string{
	"email":     `^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$`,
	"uuid":      `^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$`,
	"guid":      `^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`,
	"cuid":      `^[cC][0-9a-z]{6,}$`,
	"cuid2":     `^[0-9a-z]+$`,
	"ulid":      `^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$`,
	"nanoid":    `^[a-zA-Z0-9_-]{21}$`,
	"ipv4":      `^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$`,
	"ipv6":      `^` + ipv6Source + `$`,
	"cidrv4":    `^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\/([0-9]|[1-2][0-9]|3[0-2])$`,
	"cidrv6":    `^` + ipv6Source + `\/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$`,
	"base64":    `^$|^(?:[0-9a-zA-Z+/]{4})*(?:(?:[0-9a-zA-Z+/]{2}==)|(?:[0-9a-zA-Z+/]{3}=))?$`,
	"base64url": `^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$`,
	"e164":      `^\+[1-9]\d{6,14}$`,
	"lowercase": `^[^A-Z]*$`,
	"uppercase": `^[^a-z]*$`,
	"date":      `^` + dateSource + `$`,
	"duration":  `^P(?:(\d+W)|(?!.*W)(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+([.,]\d+)?S)?)?)$`,
	"emoji":     `^(?=[\s\S]*[\p{Extended_Pictographic}\p{Regional_Indicator}\u20E3])[\p{Extended_Pictographic}\p{Emoji_Component}]+$`,
	"uuidv4":    uuidVersion("4"),
	"uuidv6":    uuidVersion("6"),
	"uuidv7":    uuidVersion("7"),
}

func uuidVersion(v string) string {
	return `^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-` + v + `[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12})$`
}

const ipv6Source = `(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:))`

const dateSource = `(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))`

var compiledFormats sync.Map // name -> *Pattern

func formatPattern(name string) *Pattern {
	if p, ok := compiledFormats.Load(name); ok {
		return p.(*Pattern)
	}
	flags := ""
	if name == "emoji" {
		flags = "u"
	}
	p := MustPattern(formatPatterns[name], flags)
	compiledFormats.Store(name, p)
	return p
}

func emailPattern() *Pattern { return formatPattern("email") }

// HasFormat reports whether Format knows name.
func HasFormat(name string) bool { _, ok := formatPatterns[name]; return ok }

// Format returns a copy of a string schema requiring one of zod's named
// formats (uuid, guid, cuid, cuid2, ulid, nanoid, ipv4, ipv6, cidrv4,
// cidrv6, base64, base64url, e164, lowercase, uppercase, date, email). It
// panics on another name: check with HasFormat.
func (s *Schema) Format(name string) *Schema {
	if !HasFormat(name) {
		panic("schema.Format: unknown format " + name)
	}
	return s.withCheck(check{op: opFormat, str: name, re: formatPattern(name)})
}

// TimeOptions are zod's options of z.iso.time() and z.iso.datetime():
// Precision (when HasPrecision) is the digits of fractional seconds, 0 for
// whole seconds, -1 for minutes only; for datetimes Offset accepts
// +02:00 besides Z and Local no zone at all.
type TimeOptions struct {
	Precision    int
	HasPrecision bool
	Offset       bool
	Local        bool
}

// timeSource is zod 4's time pattern; seconds requires them (a datetime
// with a zone, as RFC 3339 says).
func timeSource(o TimeOptions, seconds bool) string {
	const hhmm = `(?:[01]\d|2[0-3]):[0-5]\d`
	switch {
	case o.HasPrecision && o.Precision == -1:
		return hhmm
	case o.HasPrecision && o.Precision == 0:
		return hhmm + `:[0-5]\d`
	case o.HasPrecision:
		return hhmm + `:[0-5]\d\.\d{` + strconv.Itoa(o.Precision) + `}`
	case seconds:
		return hhmm + `:[0-5]\d(?:\.\d+)?`
	}
	return hhmm + `(?::[0-5]\d(?:\.\d+)?)?`
}

// Datetime returns a copy of a string schema requiring an ISO 8601 date and
// time, as zod's .datetime() / z.iso.datetime().
func (s *Schema) Datetime(o TimeOptions) *Schema {
	zones := "Z"
	if o.Offset {
		zones += `|([+-](?:[01]\d|2[0-3]):[0-5]\d)`
	}
	t := timeSource(o, true) + `(?:` + zones + `)`
	if o.Local {
		t += `|` + timeSource(o, false)
	}
	src := `^` + dateSource + `T(?:` + t + `)$`
	return s.withCheck(check{op: opFormat, str: "datetime", re: MustPattern(src, ""), lax: o.Local || o.HasPrecision && o.Precision == -1})
}

// Time returns a copy of a string schema requiring an ISO 8601 time
// (HH:MM[:SS[.s]]), as zod's .time() / z.iso.time().
func (s *Schema) Time(o TimeOptions) *Schema {
	return s.withCheck(check{op: opFormat, str: "time", re: MustPattern(`^`+timeSource(o, false)+`$`, "")})
}

// StartsWith, EndsWith and Includes return a copy of a string schema
// requiring the text at the start, at the end or anywhere.
func (s *Schema) StartsWith(text string) *Schema {
	return s.withCheck(check{op: opStartsWith, str: text})
}

// EndsWith: see StartsWith.
func (s *Schema) EndsWith(text string) *Schema { return s.withCheck(check{op: opEndsWith, str: text}) }

// Includes: see StartsWith.
func (s *Schema) Includes(text string) *Schema { return s.withCheck(check{op: opIncludes, str: text}) }

// Trim, ToLowerCase and ToUpperCase return a copy of a string schema whose
// value is changed, for the checks after it and the output.
func (s *Schema) Trim() *Schema { return s.withCheck(check{op: opTrim}) }

// ToLowerCase: see Trim.
func (s *Schema) ToLowerCase() *Schema { return s.withCheck(check{op: opLower}) }

// ToUpperCase: see Trim.
func (s *Schema) ToUpperCase() *Schema { return s.withCheck(check{op: opUpper}) }

// MultipleOf returns a copy of a number schema requiring a multiple of n.
func (s *Schema) MultipleOf(n float64) *Schema { return s.withCheck(check{op: opMultipleOf, n: n}) }

// formatMessage is zod 3's message for a failed format.
func formatMessage(name string) string {
	switch name {
	case "lowercase", "uppercase":
		return "Invalid input: must be " + name
	}
	return "Invalid " + name
}

// trimJS trims what String.prototype.trim does (Unicode white space and
// line terminators, BOM included).
func trimJS(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
			return true
		}
		return r >= 0x2000 && r <= 0x200A
	})
}

// coerceValue converts a JSON-like value as String(), Number() and
// Boolean() do, for z.coerce (the JavaScript side converts with the
// engine's own rules before the value gets here).
func coerceValue(k Kind, v any) any {
	switch k {
	case KindString:
		switch x := v.(type) {
		case string:
			return x
		case undefinedValue:
			return "undefined"
		case nil:
			return "null"
		case bool:
			return strconv.FormatBool(x)
		}
		if f, ok := toFloat(v); ok {
			if math.IsNaN(f) {
				return "NaN"
			}
			return num(f)
		}
	case KindNumber:
		switch x := v.(type) {
		case string:
			t := trimJS(x)
			if t == "" {
				return 0.0
			}
			if f, err := strconv.ParseFloat(t, 64); err == nil && !strings.ContainsAny(t, "_xXpP") {
				return f
			}
			switch t {
			case "Infinity", "+Infinity":
				return math.Inf(1)
			case "-Infinity":
				return math.Inf(-1)
			}
			return math.NaN()
		case bool:
			if x {
				return 1.0
			}
			return 0.0
		case nil:
			return 0.0
		case undefinedValue:
			return math.NaN()
		}
	case KindBoolean:
		switch x := v.(type) {
		case bool:
			return x
		case string:
			return x != ""
		case nil, undefinedValue:
			return false
		case map[string]any, []any:
			return true
		}
		if f, ok := toFloat(v); ok {
			return f != 0 && !math.IsNaN(f)
		}
	}
	return v
}

// literalList renders literal values as zod 3 does: "x", or "a" | 2.
func literalList(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = jsonText(v)
	}
	return strings.Join(parts, " | ")
}

// quotedList renders discriminator values: 'a' | 'b' | 2.
func quotedList(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			parts[i] = "'" + s + "'"
		} else {
			parts[i] = fmt.Sprint(jsonText(v))
		}
	}
	return strings.Join(parts, " | ")
}
