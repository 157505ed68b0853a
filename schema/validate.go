package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
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
	CodeNotMultipleOf   = "not_multiple_of"
	CodeInvalidUnion    = "invalid_union"
	CodeInvalidDiscrim  = "invalid_union_discriminator"
	CodeInvalidKey      = "invalid_key"
	CodeCustom          = "custom"
	CodeInvalidDate     = "invalid_date"
	// CodeInvalidIntersection is zod 3's invalid_intersection_types.
	CodeInvalidIntersection = "invalid_intersection_types"
)

// Opaque is a value validation cannot look into by itself, e.g. a
// JavaScript value that a transform returned. Plain returns its JSON-like
// form for a schema that must check it (after .pipe()); z.any() keeps the
// Opaque value itself.
type Opaque interface{ Plain() any }

// Options change what ValidateWith does.
type Options struct {
	// Effects runs refinements, transforms and catch functions (the
	// schema's Effects) on the calling goroutine. Without it they are
	// skipped: Validate checks only what the schema says in data.
	Effects bool
}

// Validate checks value against the schema and returns the parsed output
// and the problems found (nil when valid). value is JSON-like as decoded by
// encoding/json or exported by goja: map[string]any, []any, string, float64
// or a Go integer, bool, nil (null) or Undefined (absent). The output is a
// new value: defaults filled in, undeclared object keys stripped (unless the
// object is passthrough), absent optional fields left out; value is not
// modified. With issues, the output holds what could be parsed and should
// not be used.
//
// Validate runs no Effect (see HasEffects): use ValidateWith for that.
func (s *Schema) Validate(value any) (any, []Issue) { return s.ValidateWith(value, Options{}) }

// ValidateWith is Validate with options.
func (s *Schema) ValidateWith(value any, o Options) (any, []Issue) {
	v := validator{effects: o.Effects, matched: new(time.Duration)}
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
	path    []any
	issues  []Issue
	effects bool
	matched *time.Duration // time spent matching patterns, shared by sub-validators
}

// MatchBudget bounds the time one Validate spends matching patterns in
// all (each match is also bounded by MatchTimeout): a large input of many
// strings cannot make one parse run for minutes.
var MatchBudget = time.Second

// errBudget is a match skipped because MatchBudget was spent.
var errBudget = errors.New("pattern budget spent")

// match runs re on s within what is left of MatchBudget.
func (v *validator) match(re *Pattern, s string) (bool, error) {
	if v.matched == nil {
		v.matched = new(time.Duration)
	}
	if *v.matched >= MatchBudget {
		return false, errBudget
	}
	start := time.Now()
	ok, err := re.match(s)
	*v.matched += time.Since(start)
	return ok, err
}

// add records an issue at v.path; kv are zod's further fields of the
// issue as name, value pairs (expected, minimum...).
func (v *validator) add(code, msg string, kv ...any) {
	is := Issue{Path: append([]any(nil), v.path...), Code: code, Message: msg}
	if m, ok := strings.CutPrefix(msg, customMark); ok {
		is.Message, is.Custom = m, true
	}
	if len(kv) > 0 {
		is.Params = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			is.Params[kv[i].(string)] = kv[i+1]
		}
	}
	v.issues = append(v.issues, is)
}

// walk validates value at v.path and returns its output.
func (v *validator) walk(s *Schema, value any) any {
	start := len(v.issues)
	out, from := v.walkKind(s, value)
	if len(v.issues) == start {
		out = v.runEffects(s, out, from, start)
	}
	if len(v.issues) > start {
		switch {
		case s.hasCatch:
			v.issues = v.issues[:start]
			return deepCopy(s.catchValue)
		case s.catchFn != nil && v.effects:
			issues := slices.Clone(v.issues[start:])
			v.issues = v.issues[:start]
			return s.catchFn(value, issues)
		}
	}
	return out
}

// runEffects runs the refinements and transforms from index from on (of a
// value that passed its checks), then the pipe; it stops at the first
// effect reporting a problem.
func (v *validator) runEffects(s *Schema, out any, from, start int) any {
	if v.effects && from < len(s.effects) {
		for _, e := range s.effects[from:] {
			out = e.fn(out, v.report)
			if len(v.issues) > start {
				return out
			}
		}
	}
	if s.pipe != nil && from == 0 {
		out = v.walk(s.pipe, out)
	}
	return out
}

// report records an issue an Effect found, its path relative to v.path.
func (v *validator) report(is Issue) {
	is.Path = append(slices.Clone(v.path), is.Path...)
	if is.Code == "" {
		is.Code = CodeCustom
	}
	if is.Message == "" {
		is.Message = "Invalid input"
	}
	v.issues = append(v.issues, is)
}

// keepsOpaque are the kinds that validate an Opaque value as it is.
var keepsOpaque = map[Kind]bool{KindAny: true, KindCustom: true, KindPromise: true, KindFunction: true, KindIntersection: true, KindLazy: true}

// noEffects is walkKind's "run no effect".
const noEffects = 1 << 30

// walkKind checks value against s's kind and checks. from is the first
// effect to run on the output: 0 for a checked value, later ones for an
// absent value, null or a default (see Optional), noEffects after an issue
// about absence.
func (v *validator) walkKind(s *Schema, value any) (out any, from int) {
	if v.effects && s.pre != nil {
		value = s.pre(value, v.report)
	}
	if o, ok := value.(Opaque); ok && !keepsOpaque[s.kind] {
		if c, ok := o.(Convertible); ok {
			value = c.As(s)
		} else {
			value = o.Plain()
		}
	}
	if s.coerce && (value != Undefined || !s.optional && !s.hasDefault && !s.nonoptional) {
		value = coerceValue(s.kind, value) // String(undefined) is "undefined", as zod does
	}
	if value == Undefined {
		switch {
		case s.nonoptional:
			v.add(CodeInvalidType, "Required", "expected", s.typeName(), "received", "undefined")
			return Undefined, noEffects
		case s.zod3 && s.optOuter:
			return Undefined, s.optAt // zod 3: ZodOptional around ZodDefault
		case s.hasDefault && !s.prefault:
			return deepCopy(s.def), s.defAt
		case s.hasDefault:
			value = deepCopy(s.def)
		case s.optional:
			return Undefined, s.optAt
		case s.kind == KindAny:
			return Undefined, 0
		case s.kind == KindLazy:
			return v.lazyWalk(s, value), 0 // the target says whether absent is allowed
		default:
			v.add(CodeInvalidType, "Required", "expected", s.typeName(), "received", "undefined")
			return Undefined, noEffects
		}
	}
	if value == nil {
		switch {
		case s.nullable:
			return nil, s.nullAt
		case s.kind == KindAny || s.kind == KindNull:
			return nil, 0
		}
	}
	switch s.kind {
	case KindString:
		str, ok := value.(string)
		if !ok {
			v.typeIssue(s, "string", value)
			return value, 0
		}
		return v.stringChecks(s, str), 0
	case KindNumber:
		f, ok := toFloat(value)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) && !s.zod3 {
			v.typeIssue(s, "number", value)
			return value, 0
		}
		v.numberChecks(s, f)
		return value, 0
	case KindBoolean:
		if _, ok := value.(bool); !ok {
			v.typeIssue(s, "boolean", value)
		}
		return value, 0
	case KindNull:
		v.typeIssue(s, "null", value)
		return value, 0
	case KindEnum:
		str, ok := value.(string)
		if !ok {
			v.typeIssue(s, joinOptions(s.options), value)
			return value, 0
		}
		if slices.Contains(s.options, str) {
			return str, 0
		}
		shown := "'" + str + "'"
		if s.secret {
			shown = "(hidden)"
		}
		v.add(CodeInvalidEnum, msgOr(s.typeMessage,
			"Invalid enum value. Expected "+joinOptions(s.options)+", received "+shown), "options", slices.Clone(s.options))
		return value, 0
	case KindLiteral:
		for _, lit := range s.literals {
			if literalEqual(lit, value) {
				return value, 0
			}
		}
		v.add(CodeInvalidLiteral, msgOr(s.typeMessage, "Invalid literal value, expected "+literalList(s.literals)), "expected", s.literals[0])
		return value, 0
	case KindArray:
		arr, ok := value.([]any)
		if !ok {
			v.typeIssue(s, "array", value)
			return value, 0
		}
		v.lengthChecks(s, "Array", "element(s)", float64(len(arr)))
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = v.elem(s.elem, i, e)
		}
		return out, 0
	case KindTuple:
		return v.tuple(s, value), 0
	case KindObject:
		return v.object(s, value), 0
	case KindRecord:
		return v.record(s, value), 0
	case KindUnion:
		return v.union(s, value), 0
	case KindDate:
		return v.date(s, value), 0
	case KindBigInt:
		return v.bigint(s, value), 0
	case KindMap:
		return v.mapValue(s, value), 0
	case KindSet:
		return v.setValue(s, value), 0
	case KindPromise, KindFunction:
		return v.opaqueKind(s, value), 0
	case KindIntersection:
		return v.intersection(s, value), 0
	case KindLazy:
		return v.lazyWalk(s, value), 0
	}
	return value, 0 // KindAny, KindCustom
}

// elem validates array element i.
func (v *validator) elem(s *Schema, i int, e any) any {
	v.path = append(v.path, i)
	r := v.walk(s, e)
	v.path = v.path[:len(v.path)-1]
	if r == Undefined {
		r = nil // an array has no holes in JSON
	}
	return r
}

// field validates the value under key and stores a present output in out.
func (v *validator) field(s *Schema, key string, in any, out map[string]any) {
	v.path = append(v.path, key)
	r := v.walk(s, in)
	v.path = v.path[:len(v.path)-1]
	if r != Undefined {
		out[key] = r
	}
}

func (v *validator) object(s *Schema, value any) any {
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
			if fs := p.Schema; fs.coerce && !fs.optional && !fs.hasDefault {
				// zod 4 coerces an undefined value, but a missing key is missing.
				v.path = append(v.path, p.Key)
				v.add(CodeInvalidType, "Required", "expected", fs.typeName(), "received", "undefined")
				v.path = v.path[:len(v.path)-1]
				continue
			}
		}
		v.field(p.Schema, p.Key, in, out)
	}
	if s.unknown != Strip {
		var extra []string
		for k, e := range m {
			if s.fieldIndex(k) < 0 {
				extra = append(extra, k)
				if s.unknown == Passthrough && s.catchall == nil && e != Undefined {
					out[k] = deepCopy(e)
				}
			}
		}
		switch {
		case s.unknown == Strict && len(extra) > 0:
			v.unrecognized(extra)
		case s.catchall != nil:
			slices.Sort(extra)
			for _, k := range extra {
				v.field(s.catchall, k, m[k], out)
			}
		}
	}
	return out
}

func (v *validator) unrecognized(keys []string) {
	slices.Sort(keys)
	v.add(CodeUnrecognizedKey, "Unrecognized key(s) in object: '"+strings.Join(keys, "', '")+"'", "keys", keys)
}

func (v *validator) record(s *Schema, value any) any {
	m, ok := value.(map[string]any)
	if !ok {
		v.typeIssue(s, "object", value)
		return value
	}
	out := make(map[string]any, len(m))
	if keys := s.key.discriminatorValues(); keys != nil && !s.zod3 {
		// An enum or literal key: every key listed must be there.
		listed := make(map[string]bool, len(keys))
		for _, k := range keys {
			ks := fmt.Sprint(k)
			listed[ks] = true
			in, present := m[ks]
			if !present {
				in = Undefined
			}
			v.field(s.elem, ks, in, out)
		}
		var extra []string
		for k := range m {
			if !listed[k] {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			v.unrecognized(extra)
		}
		return out
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		kv := validator{path: append(slices.Clone(v.path), k), matched: v.matched}
		kout := kv.walk(s.key, k)
		if len(kv.issues) > 0 && s.zod3 {
			v.issues = append(v.issues, kv.issues...) // zod 3 reports the key's own issues
			continue
		}
		if len(kv.issues) > 0 {
			v.path = append(v.path, k)
			v.add(CodeInvalidKey, "Invalid key in record")
			v.path = v.path[:len(v.path)-1]
			continue
		}
		ks, _ := kout.(string)
		if ks == "" {
			ks = k
		}
		v.field(s.elem, ks, m[k], out)
	}
	return out
}

func (v *validator) tuple(s *Schema, value any) any {
	arr, ok := value.([]any)
	if !ok {
		v.typeIssue(s, "array", value)
		return value
	}
	need := len(s.items)
	for need > 0 && !s.zod3 && (s.items[need-1].optional || s.items[need-1].hasDefault) {
		need--
	}
	switch {
	case len(arr) < need:
		v.add(CodeTooSmall, msgOr(s.typeMessage, "Array must contain at least "+strconv.Itoa(need)+" element(s)"),
			"minimum", float64(need), "inclusive", true, "exact", false, "type", "array")
		return value
	case s.elem == nil && len(arr) > len(s.items):
		v.add(CodeTooBig, msgOr(s.typeMessage, "Array must contain at most "+strconv.Itoa(len(s.items))+" element(s)"),
			"maximum", float64(len(s.items)), "inclusive", true, "exact", false, "type", "array")
		return value
	}
	v.lengthChecks(s, "Array", "element(s)", float64(len(arr)))
	out := make([]any, 0, len(arr))
	for i, it := range s.items {
		var e any = Undefined
		if i < len(arr) {
			e = arr[i]
		}
		r := v.elem(it, i, e)
		if i < len(arr) || r != nil {
			out = append(out, r)
		}
	}
	for i := len(s.items); i < len(arr); i++ {
		out = append(out, v.elem(s.elem, i, arr[i]))
	}
	return out
}

func (v *validator) union(s *Schema, value any) any {
	if s.discrim != "" {
		m, ok := value.(map[string]any)
		if !ok {
			v.typeIssue(s, "object", value)
			return value
		}
		d, present := m[s.discrim]
		if !present {
			d = Undefined
		}
		var all []any
		for _, variant := range s.variants {
			f, _ := variant.Field(s.discrim)
			for _, lit := range f.discriminatorValues() {
				if literalEqual(lit, d) {
					return v.walk(variant, value)
				}
				all = append(all, lit)
			}
		}
		v.path = append(v.path, s.discrim)
		v.add(CodeInvalidDiscrim, msgOr(s.typeMessage, "Invalid discriminator value. Expected "+quotedList(all)), "options", all)
		v.path = v.path[:len(v.path)-1]
		return value
	}
	var typed [][]Issue // the issues of variants that accepted the type
	var dirty []Issue   // zod 3: the first variant with only check failures
	for _, variant := range s.variants {
		sub := validator{path: slices.Clone(v.path), effects: v.effects, matched: v.matched}
		out := sub.walk(variant, value)
		if len(sub.issues) == 0 {
			return out
		}
		if dirty == nil && !slices.ContainsFunc(sub.issues, aborts) {
			dirty = sub.issues
		}
		if !typeMismatch(sub.issues, len(v.path)) {
			typed = append(typed, sub.issues)
		}
	}
	if s.zod3 {
		// zod 3 reports the first variant whose value had the right shape
		// and failed only checks; else the union itself.
		if dirty != nil {
			v.issues = append(v.issues, dirty...)
		} else {
			v.add(CodeInvalidUnion, msgOr(s.typeMessage, "Invalid input"))
		}
		return value
	}
	if len(typed) == 1 {
		v.issues = append(v.issues, typed[0]...)
	} else {
		v.add(CodeInvalidUnion, msgOr(s.typeMessage, "Invalid input"))
	}
	return value
}

// aborts reports whether zod 3 stops at an issue (a value of the wrong
// type or form) rather than going on with a failed check.
func aborts(is Issue) bool {
	switch is.Code {
	case CodeInvalidType, CodeInvalidLiteral, CodeInvalidEnum, CodeInvalidUnion, CodeInvalidDiscrim, CodeInvalidDate, CodeInvalidIntersection:
		return true
	}
	return false
}

// typeMismatch reports whether issues say the value itself (at depth) has
// the wrong type or literal value, rather than a problem inside it.
func typeMismatch(issues []Issue, depth int) bool {
	for _, is := range issues {
		if len(is.Path) == depth {
			switch is.Code {
			case CodeInvalidType, CodeInvalidLiteral, CodeInvalidEnum, CodeInvalidUnion, CodeInvalidDiscrim:
				return true
			}
		}
	}
	return false
}

func (v *validator) typeIssue(s *Schema, expected string, value any) {
	got := ReceivedType(value)
	if f, ok := value.(float64); ok && math.IsInf(f, 0) {
		got = num(f) // zod 4 refuses non-finite numbers as their own type
	}
	v.add(CodeInvalidType, msgOr(s.typeMessage, "Expected "+expected+", received "+got), "expected", expected, "received", got)
}

// stringChecks runs the string checks in order and returns the output:
// trim and case changes apply to the checks after them.
func (v *validator) stringChecks(s *Schema, str string) string {
	var n float64 = -1 // computed lazily: most strings have no length check
	length := func() float64 {
		if n < 0 {
			n = float64(jsLength(str))
			if s.zod3 {
				n = float64(len(utf16.Encode([]rune(str)))) // zod 3 counts UTF-16 units
			}
		}
		return n
	}
	for _, c := range s.checks {
		switch c.op {
		case opMin, opMax, opLength:
			v.lengthCheck(c, "String", "character(s)", length())
		case opTrim:
			str, n = trimJS(str), -1
		case opLower:
			str = strings.ToLower(str)
		case opUpper:
			str = strings.ToUpper(str)
		case opURL:
			valid := c.isURL
			if valid == nil {
				valid = isURL
			}
			if s.zod3 {
				if !valid(str) { // zod 3: new URL(text), untrimmed
					v.add(CodeInvalidString, msgOr(c.message, "Invalid url"), "validation", "url")
				}
			} else if t := trimJS(str); valid(t) {
				str, n = t, -1 // zod's output is the trimmed text
			} else {
				v.add(CodeInvalidString, msgOr(c.message, "Invalid url"), "validation", "url")
			}
		case opEmail, opFormat, opRegex:
			re, name := c.re, c.str
			if c.op == opEmail {
				re, name = emailPattern(), "email"
			}
			if s.zod3 {
				if p := zod3Pattern(name); p != nil && c.op != opRegex {
					re = p
				}
			}
			ok, err := v.match(re, str)
			switch {
			case err == errBudget:
				v.add(CodeInvalidString, "Not checked against "+re.String()+": pattern checks of this input took longer than "+
					MatchBudget.String()+" in all")
			case err != nil:
				v.add(CodeInvalidString, "The pattern "+re.String()+" took longer than "+MatchTimeout.String()+
					" on this value (catastrophic backtracking); simplify the pattern or check the value in code")
			case !ok && c.op == opRegex:
				v.add(CodeInvalidString, msgOr(c.message, "Invalid"), "validation", "regex")
			case !ok:
				v.add(CodeInvalidString, msgOr(c.message, formatMessage(name)), "validation", name)
			}
		case opIP:
			ok := false
			for _, ver := range []string{"v4", "v6"} {
				if c.str == "" || c.str == ver {
					m, _ := v.match(zod3Pattern("ip"+ver), str)
					ok = ok || m
				}
			}
			if !ok {
				v.add(CodeInvalidString, msgOr(c.message, "Invalid ip"), "validation", "ip")
			}
		case opStartsWith:
			if !strings.HasPrefix(str, c.str) {
				v.add(CodeInvalidString, msgOr(c.message, `Invalid input: must start with "`+c.str+`"`), "validation", map[string]any{"startsWith": c.str})
			}
		case opEndsWith:
			if !strings.HasSuffix(str, c.str) {
				v.add(CodeInvalidString, msgOr(c.message, `Invalid input: must end with "`+c.str+`"`), "validation", map[string]any{"endsWith": c.str})
			}
		case opIncludes:
			if !strings.Contains(str, c.str) {
				v.add(CodeInvalidString, msgOr(c.message, `Invalid input: must include "`+c.str+`"`), "validation", map[string]any{"includes": c.str})
			}
		}
	}
	return str
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
			v.add(CodeTooSmall, msgOr(c.message, what+" must contain at least "+num(c.n)+" "+unit), sizeParams("minimum", c.n, false, what)...)
		}
	case opMax:
		if n > c.n {
			v.add(CodeTooBig, msgOr(c.message, what+" must contain at most "+num(c.n)+" "+unit), sizeParams("maximum", c.n, false, what)...)
		}
	case opLength:
		if n < c.n {
			v.add(CodeTooSmall, msgOr(c.message, what+" must contain exactly "+num(c.n)+" "+unit), sizeParams("minimum", c.n, true, what)...)
		} else if n > c.n {
			v.add(CodeTooBig, msgOr(c.message, what+" must contain exactly "+num(c.n)+" "+unit), sizeParams("maximum", c.n, true, what)...)
		}
	}
}

func (v *validator) numberChecks(s *Schema, f float64) {
	for _, c := range s.checks {
		switch c.op {
		case opMin:
			if f < c.n {
				v.add(CodeTooSmall, msgOr(c.message, "Number must be greater than or equal to "+num(c.n)), numParams("minimum", c.n, true)...)
			}
		case opGt:
			if f <= c.n {
				v.add(CodeTooSmall, msgOr(c.message, "Number must be greater than "+num(c.n)), numParams("minimum", c.n, false)...)
			}
		case opMax:
			if f > c.n {
				v.add(CodeTooBig, msgOr(c.message, "Number must be less than or equal to "+num(c.n)), numParams("maximum", c.n, true)...)
			}
		case opLt:
			if f >= c.n {
				v.add(CodeTooBig, msgOr(c.message, "Number must be less than "+num(c.n)), numParams("maximum", c.n, false)...)
			}
		case opFinite:
			if math.IsInf(f, 0) {
				v.add(CodeNotFinite, msgOr(c.message, "Number must be finite"))
			}
		case opInt:
			switch {
			case f != math.Trunc(f):
				v.add(CodeInvalidType, msgOr(c.message, "Expected integer, received float"), "expected", "integer", "received", "float")
			case s.zod3: // zod 3: Number.isInteger, no safe range
			case f > maxSafeInt:
				v.add(CodeTooBig, msgOr(c.message, "Number must be less than or equal to "+num(maxSafeInt)), numParams("maximum", maxSafeInt, true)...)
			case f < -maxSafeInt:
				v.add(CodeTooSmall, msgOr(c.message, "Number must be greater than or equal to "+num(-maxSafeInt)), numParams("minimum", -maxSafeInt, true)...)
			}
		case opMultipleOf:
			if floatSafeRemainder(f, c.n) != 0 {
				v.add(CodeNotMultipleOf, msgOr(c.message, "Number must be a multiple of "+num(c.n)), "multipleOf", c.n)
			}
		}
	}
}

// typeName is the expected type an invalid_type issue names.
func (s *Schema) typeName() string {
	switch s.kind {
	case KindEnum:
		return joinOptions(s.options)
	case KindLiteral:
		return literalList(s.literals)
	case KindRecord:
		return "object"
	case KindTuple:
		return "array"
	}
	return string(s.kind)
}

// sizeParams are the fields of a length issue: minimum or maximum,
// inclusive, exact, type ("string" or "array").
func sizeParams(bound string, n float64, exact bool, what string) []any {
	return []any{bound, n, "inclusive", true, "exact", exact, "type", strings.ToLower(what)}
}

// numParams are the fields of a number bound issue.
func numParams(bound string, n float64, inclusive bool) []any {
	return []any{bound, n, "inclusive", inclusive, "exact", false, "type", "number"}
}

// maxSafeInt is Number.MAX_SAFE_INTEGER: zod 4's .int() accepts only safe
// integers.
const maxSafeInt = 1<<53 - 1

// floatSafeRemainder is val % step computed on decimal digits, as zod
// does, so that 0.3 is a multiple of 0.1.
func floatSafeRemainder(val, step float64) float64 {
	if step == 0 {
		return math.NaN()
	}
	decimals := func(f float64) int {
		t := strconv.FormatFloat(f, 'f', -1, 64)
		if i := strings.IndexByte(t, '.'); i >= 0 {
			return len(t) - i - 1
		}
		return 0
	}
	d := max(decimals(val), decimals(step))
	if d > 15 {
		return math.Mod(val, step)
	}
	scale := math.Pow(10, float64(d))
	vi, si := math.Round(val*scale), math.Round(step*scale)
	return math.Mod(vi, si) / scale
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
	case time.Time, InvalidDate:
		return "date"
	case MapValue:
		return "map"
	case SetValue:
		return "set"
	case Typed:
		return x.JSType()
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

// jsLength is a string's length as zod 4 counts it for min/max/length:
// in code points (an emoji is one character), not UTF-16 units.
func jsLength(s string) int { return utf8.RuneCountInString(s) }

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

// customMark prefixes a message msgOr took from the schema's author; add
// strips it and sets Issue.Custom.
const customMark = "\x00custom:"

func msgOr(custom, def string) string {
	if custom != "" {
		return customMark + custom
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
