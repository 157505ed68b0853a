package schema

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// CoerceError says why text could not be turned into a field's type. It
// never holds the text itself, which may be a secret.
type CoerceError struct {
	Kind Kind
	Msg  string // e.g. "expected a number"
}

func (e *CoerceError) Error() string { return e.Msg }

var decimal = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
})

// CoerceString turns text from `--set KEY=VALUE`, an environment variable or
// a prompt into a value of the schema's type, ready for Validate:
//   - string: the text unchanged;
//   - number: a decimal number (surrounding spaces ignored) as float64;
//   - boolean: true/false, yes/no, y/n, on/off, 1/0 in any case;
//   - enum: one of the options, exactly;
//   - literal: the literal's text;
//   - array: a JSON array, or comma-separated items each coerced to the
//     element type ("" is the empty array);
//   - object: a JSON object;
//   - any: JSON when the text parses as JSON, else the text.
//
// A nullable non-string schema also takes "null". Only the type is checked
// here; checks such as min or url are Validate's job. Errors are
// *CoerceError and never contain the text.
func (s *Schema) CoerceString(text string) (any, error) {
	t := strings.TrimSpace(text)
	if s.nullable && s.kind != KindString && t == "null" {
		return nil, nil
	}
	switch s.kind {
	case KindString:
		return text, nil
	case KindNumber:
		if !decimal().MatchString(t) {
			return nil, &CoerceError{KindNumber, "expected a number"}
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil { // out of range
			return nil, &CoerceError{KindNumber, "expected a number in range"}
		}
		return f, nil
	case KindBoolean:
		switch strings.ToLower(t) {
		case "true", "yes", "y", "on", "1":
			return true, nil
		case "false", "no", "n", "off", "0":
			return false, nil
		}
		return nil, &CoerceError{KindBoolean, "expected true or false (or yes/no, on/off, 1/0)"}
	case KindEnum:
		for _, o := range s.options {
			if o == text || o == t {
				return o, nil
			}
		}
		return nil, &CoerceError{KindEnum, "expected one of " + joinOptions(s.options)}
	case KindLiteral:
		for _, lit := range s.literals {
			if lit == nil {
				if t == "null" {
					return nil, nil
				}
			} else if str, ok := lit.(string); ok {
				if text == str || t == str {
					return str, nil
				}
			} else if t == jsonText(lit) {
				return lit, nil
			}
		}
		return nil, &CoerceError{KindLiteral, "expected " + literalList(s.literals)}
	case KindNull:
		if t == "null" {
			return nil, nil
		}
		return nil, &CoerceError{KindNull, "expected null"}
	case KindArray:
		if strings.HasPrefix(t, "[") {
			var a []any
			if err := json.Unmarshal([]byte(t), &a); err != nil {
				return nil, &CoerceError{KindArray, "expected a JSON array: " + jsonProblem(err)}
			}
			return a, nil
		}
		if t == "" {
			return []any{}, nil
		}
		parts := strings.Split(text, ",")
		out := make([]any, len(parts))
		for i, p := range parts {
			e := p
			if s.elem.kind == KindString {
				e = strings.TrimSpace(p)
			}
			v, err := s.elem.CoerceString(e)
			if err != nil {
				var ce *CoerceError
				if errors.As(err, &ce) {
					return nil, &CoerceError{KindArray, "item " + strconv.Itoa(i+1) + ": " + ce.Msg}
				}
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case KindUnion:
		for _, v := range s.variants {
			if x, err := v.CoerceString(text); err == nil {
				if _, issues := v.Validate(x); issues == nil {
					return x, nil
				}
			}
		}
		return nil, &CoerceError{KindUnion, "matches none of the allowed forms"}
	case KindTuple:
		var a []any
		if err := json.Unmarshal([]byte(t), &a); err != nil || a == nil {
			return nil, &CoerceError{KindTuple, "expected a JSON array"}
		}
		return a, nil
	case KindObject, KindRecord:
		var m map[string]any
		if err := json.Unmarshal([]byte(t), &m); err != nil || m == nil {
			return nil, &CoerceError{s.kind, "expected a JSON object"}
		}
		return m, nil
	case KindAny, KindIntersection:
		var v any
		if json.Unmarshal([]byte(t), &v) == nil {
			return v, nil
		}
		return text, nil
	case KindDate:
		d, err := ParseDate(t)
		if err != nil {
			return nil, &CoerceError{KindDate, "expected a date like 2024-05-01 or 2024-05-01T10:00:00Z"}
		}
		return d, nil
	case KindLazy:
		if target := s.Target(); target != nil {
			return target.CoerceString(text)
		}
	}
	return nil, &CoerceError{s.kind, "cannot read this type from text"}
}

// CoerceString is f.Schema.CoerceString(text).
func CoerceString(f Field, text string) (any, error) { return f.Schema.CoerceString(text) }

// jsonProblem describes a JSON syntax error by position only, without
// quoting the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "invalid JSON at byte " + strconv.FormatInt(se.Offset, 10)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "not an array"
	}
	return "invalid JSON"
}

var _ error = (*CoerceError)(nil)
