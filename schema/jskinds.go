package schema

import (
	"fmt"
	"math/big"
	"slices"
	"sync"
	"time"
)

// The kinds whose values are not JSON: a binding hands them in as the Go
// values below (or as Opaque values it checks itself).
const (
	KindDate         Kind = "date"         // a time.Time (InvalidDate for an invalid Date)
	KindBigInt       Kind = "bigint"       // a *big.Int
	KindMap          Kind = "map"          // a MapValue
	KindSet          Kind = "set"          // a SetValue
	KindLazy         Kind = "lazy"         // another schema, made on first use (recursive schemas)
	KindIntersection Kind = "intersection" // the value matches both of two schemas; outputs merged
	KindPromise      Kind = "promise"      // an Opaque whose JSType is "promise"
	KindFunction     Kind = "function"     // an Opaque whose JSType is "function"
	KindCustom       Kind = "custom"       // any value; a binding's refinement decides (z.custom, z.instanceof)
)

// InvalidDate stands for a JavaScript Date whose time is NaN.
type InvalidDate struct{}

// MapEntry is one key and value of a MapValue.
type MapEntry struct{ Key, Value any }

// MapValue is a JavaScript Map's entries in insertion order.
type MapValue []MapEntry

// SetValue is a JavaScript Set's values in insertion order.
type SetValue []any

// Typed is an Opaque value that can name its JavaScript type ("promise",
// "function", "map", ...), for the kinds validation cannot look into.
type Typed interface {
	Opaque
	JSType() string
}

// Convertible is an Opaque value (a binding's JavaScript value) that
// converts itself to the Go form a given schema validates: validation asks
// it where an intersection, a preprocess or a lazy schema left it whole.
type Convertible interface {
	Opaque
	As(s *Schema) any
}

// Date returns a schema accepting valid dates (time.Time).
func Date() *Schema { return &Schema{kind: KindDate} }

// BigInt returns a schema accepting big integers (*big.Int).
func BigInt() *Schema { return &Schema{kind: KindBigInt} }

// Map returns a schema accepting a MapValue whose keys match key and values
// match value.
func Map(key, value *Schema) *Schema {
	if key == nil || value == nil {
		panic("schema.Map: nil schema")
	}
	return (&Schema{kind: KindMap, key: key, elem: value}).measured()
}

// Set returns a schema accepting a SetValue whose values match elem.
func Set(elem *Schema) *Schema {
	if elem == nil {
		panic("schema.Set: nil schema")
	}
	return (&Schema{kind: KindSet, elem: elem}).measured()
}

// Intersection returns a schema accepting values that match both a and b;
// the output merges both outputs (objects key by key, arrays item by item,
// equal values), as zod's z.intersection().
func Intersection(a, b *Schema) *Schema {
	if a == nil || b == nil {
		panic("schema.Intersection: nil schema")
	}
	return (&Schema{kind: KindIntersection, variants: []*Schema{a, b}}).measured()
}

// Promise returns a schema accepting a promise (a Typed value); the
// binding checks the awaited value against elem, which JSON Schema exports.
func Promise(elem *Schema) *Schema {
	if elem == nil {
		panic("schema.Promise: nil schema")
	}
	return (&Schema{kind: KindPromise, elem: elem}).measured()
}

// Function returns a schema accepting a function (a Typed value). args (a
// tuple, or nil) and returns (or nil) are what the binding checks when the
// parsed function is called.
func Function(args, returns *Schema) *Schema {
	s := &Schema{kind: KindFunction, elem: returns}
	if args != nil {
		s.items = []*Schema{args}
	}
	return s.measured()
}

// Custom returns a schema accepting any value, for a binding to refine
// (zod's z.custom() and z.instanceof()); JSON Schema cannot describe it.
func Custom() *Schema { return &Schema{kind: KindCustom} }

// lazyRef is a Lazy schema's target, made once and shared by its copies.
type lazyRef struct {
	get func() *Schema
}

// Lazy returns a schema that validates as the schema get returns, called
// once on first use: a schema may then refer to itself (zod's z.lazy()).
// get runs on the goroutine that first validates or exports the schema.
func Lazy(get func() *Schema) *Schema {
	if get == nil {
		panic("schema.Lazy: nil function")
	}
	return &Schema{kind: KindLazy, lazy: &lazyRef{get: sync.OnceValue(get)}}
}

// Target returns what a lazy schema stands for, following lazy schemas
// that return lazy schemas; nil when get returned nil or the chain does not
// end. For other kinds it returns s.
func (s *Schema) Target() *Schema {
	for range 64 {
		if s == nil || s.kind != KindLazy {
			return s
		}
		s = s.lazy.get()
	}
	return nil
}

// presence returns the schema that decides whether s's value may be
// absent: a lazy schema without an absence modifier of its own (optional,
// default, catch, required) stands for its target there, as zod 4's
// z.lazy and getter fields (`get f() { return X.optional() }`) take their
// optionality from what they return. It calls the lazy function.
func (s *Schema) presence() *Schema {
	if s.kind == KindLazy && !s.optional && !s.hasDefault && !s.hasCatch && !s.nonoptional {
		if t := s.Target(); t != nil {
			return t
		}
	}
	return s
}

// FunctionArgs returns a function schema's arguments tuple (nil: any).
func (s *Schema) FunctionArgs() *Schema {
	if len(s.items) == 1 && s.kind == KindFunction {
		return s.items[0]
	}
	return nil
}

// Preprocess returns a copy that runs fn on the input before anything
// else (zod's z.preprocess(fn, schema)); like any Effect it runs only from
// ValidateWith with Effects set.
func (s *Schema) Preprocess(fn Effect) *Schema {
	if fn == nil {
		panic("schema.Preprocess: nil function")
	}
	c := s.clone()
	c.pre = fn
	return c
}

// IsPreprocessed reports whether Preprocess was set.
func (s *Schema) IsPreprocessed() bool { return s.pre != nil }

// Zod3 returns a copy that, where zod 3 and zod 4 differ, validates as zod 3
// does: Infinity is a number and .int() has no safe-integer bound, string
// lengths count UTF-16 units, the formats use zod 3's patterns and .url()
// does not trim, a record keyed by an enum need not have every key, a
// tuple's optional items still count towards its length, a union reports
// the first variant that failed only checks, a map's and a set's issues
// are at their index, and a ZodOptional around a default leaves an absent
// value absent. Children keep
// their own setting: a schema behaves as the z that made it.
func (s *Schema) Zod3() *Schema { c := s.clone(); c.zod3 = true; return c }

// IsZod3 reports whether Zod3 was set.
func (s *Schema) IsZod3() bool { return s.zod3 }

// DeepPartial returns a copy whose object fields are optional at every
// depth: inside objects, arrays, tuples, optional and nullable values (zod
// 3's .deepPartial()).
func (s *Schema) DeepPartial() *Schema {
	c := s.clone()
	switch s.kind {
	case KindObject:
		c.fields = make([]Property, len(s.fields))
		for i, p := range s.fields {
			c.fields[i] = Property{Key: p.Key, Schema: p.Schema.DeepPartial().Optional()}
		}
	case KindArray:
		c.elem = s.elem.DeepPartial()
	case KindTuple:
		c.items = make([]*Schema, len(s.items))
		for i, it := range s.items {
			c.items[i] = it.DeepPartial()
		}
	default:
		return s
	}
	return c.measured()
}

// Wrapper is one layer of zod 3's view of a schema: zod wraps a type in
// ZodOptional, ZodDefault... where host keeps flags on one schema.
type Wrapper struct {
	TypeName string  // zod 3's _def.typeName: ZodOptional, ZodString...
	Inner    *Schema // the schema inside the wrapper (nil for a base type)
}

// Peel returns the outermost layer of s as zod 3 would have built it,
// outermost first: refinements and transforms (ZodEffects), .catch()
// (ZodCatch), .optional() (ZodOptional), .default() (ZodDefault),
// .nullable() (ZodNullable), .readonly() (ZodReadonly), .pipe()
// (ZodPipeline), then the base type (Inner nil). The order of modifiers
// applied in another order is approximated.
func (s *Schema) Peel() Wrapper {
	c := s.clone()
	switch {
	case slices.ContainsFunc(s.effects, func(e effect) bool { return e.kind != effectOwn }) || s.pre != nil:
		c.effects, c.pre = slices.DeleteFunc(slices.Clone(s.effects), func(e effect) bool { return e.kind != effectOwn }), nil
		c.optAt, c.nullAt, c.defAt = 0, 0, 0
		return Wrapper{"ZodEffects", c}
	case s.hasCatch || s.catchFn != nil:
		c.hasCatch, c.catchValue, c.catchFn = false, nil, nil
		return Wrapper{"ZodCatch", c}
	case s.optional && (s.optOuter || !s.hasDefault):
		c.optional, c.optOuter = false, false
		return Wrapper{"ZodOptional", c}
	case s.hasDefault:
		c.hasDefault, c.prefault, c.def = false, false, nil
		return Wrapper{"ZodDefault", c}
	case s.nullable && s.kind != KindNull:
		c.nullable = false
		return Wrapper{"ZodNullable", c}
	case s.readonly:
		c.readonly = false
		return Wrapper{"ZodReadonly", c}
	case s.pipe != nil:
		c.pipe = nil
		return Wrapper{"ZodPipeline", c}
	}
	return Wrapper{TypeName: zod3Names[s.kind]}
}

// PipeTarget returns the schema given to .pipe() (nil: none).
func (s *Schema) PipeTarget() *Schema { return s.pipe }

// zod3Names are zod 3's type names of the base kinds.
var zod3Names = map[Kind]string{
	KindObject: "ZodObject", KindString: "ZodString", KindNumber: "ZodNumber", KindBoolean: "ZodBoolean",
	KindEnum: "ZodEnum", KindArray: "ZodArray", KindLiteral: "ZodLiteral", KindAny: "ZodAny", KindNull: "ZodNull",
	KindUnion: "ZodUnion", KindRecord: "ZodRecord", KindTuple: "ZodTuple", KindDate: "ZodDate", KindBigInt: "ZodBigInt",
	KindMap: "ZodMap", KindSet: "ZodSet", KindLazy: "ZodLazy", KindIntersection: "ZodIntersection",
	KindPromise: "ZodPromise", KindFunction: "ZodFunction", KindCustom: "ZodAny",
}

// BigMin returns a copy of a bigint schema requiring at least n (gt: more
// than n).
func (s *Schema) BigMin(n *big.Int, gt bool) *Schema {
	op := opMin
	if gt {
		op = opGt
	}
	return s.withCheck(check{op: op, big: new(big.Int).Set(n)})
}

// BigMax returns a copy of a bigint schema requiring at most n (lt: less
// than n).
func (s *Schema) BigMax(n *big.Int, lt bool) *Schema {
	op := opMax
	if lt {
		op = opLt
	}
	return s.withCheck(check{op: op, big: new(big.Int).Set(n)})
}

// BigMultipleOf returns a copy of a bigint schema requiring a multiple of n.
func (s *Schema) BigMultipleOf(n *big.Int) *Schema {
	return s.withCheck(check{op: opMultipleOf, big: new(big.Int).Set(n)})
}

// DateMin returns a copy of a date schema requiring t or later.
func (s *Schema) DateMin(t time.Time) *Schema {
	return s.withCheck(check{op: opMin, n: float64(t.UnixMilli())})
}

// DateMax returns a copy of a date schema requiring t or earlier.
func (s *Schema) DateMax(t time.Time) *Schema {
	return s.withCheck(check{op: opMax, n: float64(t.UnixMilli())})
}

// SetSize returns a copy of a set schema with a size bound: min, max or
// exact (zod's .min(), .max(), .size()).
func (s *Schema) SetSize(op string, n float64) *Schema {
	switch op {
	case "min":
		return s.Min(n)
	case "max":
		return s.Max(n)
	}
	return s.Length(n)
}

// date validates a KindDate value.
func (v *validator) date(s *Schema, value any) any {
	switch t := value.(type) {
	case InvalidDate:
		v.add(CodeInvalidDate, msgOr(s.typeMessage, "Invalid date"))
		return value
	case time.Time:
		ms := float64(t.UnixMilli())
		for _, c := range s.checks {
			switch {
			case c.op == opMin && ms < c.n:
				v.add(CodeTooSmall, msgOr(c.message, "Date must be greater than or equal to "+jsDate(c.n)),
					"minimum", c.n, "inclusive", true, "exact", false, "type", "date")
			case c.op == opMax && ms > c.n:
				v.add(CodeTooBig, msgOr(c.message, "Date must be smaller than or equal to "+jsDate(c.n)),
					"maximum", c.n, "inclusive", true, "exact", false, "type", "date")
			}
		}
		return t
	}
	v.typeIssue(s, "date", value)
	return value
}

// jsDate prints a time in milliseconds as an ISO text (zod prints the
// Date's local toString(), which depends on the machine's zone).
func jsDate(ms float64) string {
	return time.UnixMilli(int64(ms)).UTC().Format("2006-01-02T15:04:05.000Z")
}

// bigint validates a KindBigInt value.
func (v *validator) bigint(s *Schema, value any) any {
	n, ok := value.(*big.Int)
	if !ok {
		v.typeIssue(s, "bigint", value)
		return value
	}
	for _, c := range s.checks {
		if c.big == nil {
			continue
		}
		cmp := n.Cmp(c.big)
		switch c.op {
		case opMin, opGt:
			if cmp < 0 || cmp == 0 && c.op == opGt {
				// zod 3's English error map has no bigint case for too_small.
				v.add(CodeTooSmall, msgOr(c.message, "Invalid input"), "minimum", new(big.Int).Set(c.big), "inclusive", c.op == opMin, "exact", false, "type", "bigint")
			}
		case opMax, opLt:
			if cmp > 0 || cmp == 0 && c.op == opLt {
				word := "less than or equal to "
				if c.op == opLt {
					word = "less than "
				}
				v.add(CodeTooBig, msgOr(c.message, "BigInt must be "+word+c.big.String()), "maximum", new(big.Int).Set(c.big), "inclusive", c.op == opMax, "exact", false, "type", "bigint")
			}
		case opMultipleOf:
			if c.big.Sign() != 0 && new(big.Int).Rem(n, c.big).Sign() != 0 {
				v.add(CodeNotMultipleOf, msgOr(c.message, "Number must be a multiple of "+c.big.String()), "multipleOf", new(big.Int).Set(c.big))
			}
		}
	}
	return n
}

// mapValue validates a KindMap value: each key and value at the key's path
// (zod 4), or at [i, "key"] and [i, "value"] (zod 3).
func (v *validator) mapValue(s *Schema, value any) any {
	m, ok := value.(MapValue)
	if !ok {
		v.typeIssue(s, "map", value)
		return value
	}
	v.sizeChecks(s, float64(len(m)), "map")
	out := make(MapValue, len(m))
	for i, e := range m {
		if !s.zod3 { // zod 4: the key is the path (also of a key's issues)
			v.path = append(v.path, pathKey(e.Key))
			k := v.walk(s.key, e.Key)
			val := v.walk(s.elem, e.Value)
			v.path = v.path[:len(v.path)-1]
			out[i] = MapEntry{k, val}
			continue
		}
		v.path = append(v.path, i, "key")
		k := v.walk(s.key, e.Key)
		v.path[len(v.path)-1] = "value"
		val := v.walk(s.elem, e.Value)
		v.path = v.path[:len(v.path)-2]
		out[i] = MapEntry{k, val}
	}
	return out
}

// sizeChecks runs a set's or map's size checks (zod 3's English map has
// no message for them: "Invalid input").
func (v *validator) sizeChecks(s *Schema, n float64, what string) {
	for _, c := range s.checks {
		switch {
		case (c.op == opMin || c.op == opLength) && n < c.n:
			v.add(CodeTooSmall, msgOr(c.message, "Invalid input"), "minimum", c.n, "inclusive", true, "exact", c.op == opLength, "type", what)
		case (c.op == opMax || c.op == opLength) && n > c.n:
			v.add(CodeTooBig, msgOr(c.message, "Invalid input"), "maximum", c.n, "inclusive", true, "exact", c.op == opLength, "type", what)
		}
	}
}

// pathKey is a map key as a path element: a string or an index, else its
// text.
func pathKey(k any) any {
	switch x := k.(type) {
	case string:
		return x
	case float64:
		if x == float64(int(x)) {
			return int(x)
		}
	case int64:
		return int(x)
	}
	return fmt.Sprint(k)
}

// setValue validates a KindSet value: each value at path [i] (zod 3) or
// at the set's own path (zod 4).
func (v *validator) setValue(s *Schema, value any) any {
	set, ok := value.(SetValue)
	if !ok {
		v.typeIssue(s, "set", value)
		return value
	}
	v.sizeChecks(s, float64(len(set)), "set")
	out := make(SetValue, len(set))
	for i, e := range set {
		if s.zod3 {
			out[i] = v.elem(s.elem, i, e)
		} else {
			out[i] = v.walk(s.elem, e) // zod 4: a set's issues have the set's path
		}
	}
	return out
}

// opaqueKind validates a promise or function: an Opaque whose JSType
// names it.
func (v *validator) opaqueKind(s *Schema, value any) any {
	if t, ok := value.(Typed); ok && t.JSType() == string(s.kind) {
		return value
	}
	v.typeIssue(s, string(s.kind), value)
	return value
}

// intersection validates value against both schemas and merges the
// outputs.
func (v *validator) intersection(s *Schema, value any) any {
	start := len(v.issues)
	a := v.walk(s.variants[0], value)
	b := v.walk(s.variants[1], value)
	if len(v.issues) > start {
		return value
	}
	out, ok := mergeValues(a, b)
	if !ok {
		v.add(CodeInvalidIntersection, msgOr(s.typeMessage, "Intersection results could not be merged"))
		return value
	}
	return out
}

// mergeValues merges two outputs of the same input as zod's intersection
// does: equal values, objects key by key, arrays of equal length item by
// item, equal dates.
func mergeValues(a, b any) (any, bool) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return nil, false
		}
		out := make(map[string]any, len(x)+len(y))
		for k, e := range x {
			out[k] = e
		}
		for k, e := range y {
			if old, both := x[k]; both {
				m, ok := mergeValues(old, e)
				if !ok {
					return nil, false
				}
				out[k] = m
			} else {
				out[k] = e
			}
		}
		return out, true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return nil, false
		}
		out := make([]any, len(x))
		for i := range x {
			m, ok := mergeValues(x[i], y[i])
			if !ok {
				return nil, false
			}
			out[i] = m
		}
		return out, true
	case time.Time:
		y, ok := b.(time.Time)
		return a, ok && x.Equal(y)
	case *big.Int:
		y, ok := b.(*big.Int)
		return a, ok && x.Cmp(y) == 0
	}
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return a, ok && fa == fb
	}
	if oa, ok := a.(Opaque); ok {
		if ob, ok := b.(Opaque); ok && fmt.Sprint(oa) == fmt.Sprint(ob) {
			return a, true
		}
	}
	switch a.(type) {
	case string, bool, nil, undefinedValue:
		return a, a == b
	}
	return a, false
}

// lazyWalk validates value against a lazy schema's target.
func (v *validator) lazyWalk(s *Schema, value any) any {
	t := s.Target()
	if t == nil {
		v.add(CodeCustom, "z.lazy(): the function returned no schema (or a chain of z.lazy() that does not end)")
		return value
	}
	return v.walk(t, value)
}

// zod3Patterns are zod 3.23's patterns where they differ from zod 4's
// (zod's src/types.ts, run with JavaScript semantics), and the formats only
// zod 3 has (ip, emoji, duration).
var zod3Patterns = map[string][2]string{ // name -> source, flags
	"email":    {`^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-\.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$`, "i"},
	"uuid":     {`^[0-9a-fA-F]{8}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{12}$`, "i"},
	"cuid":     {`^c[^\s-]{8,}$`, "i"},
	"ulid":     {`^[0-9A-HJKMNP-TV-Z]{26}$`, ""},
	"nanoid":   {`^[a-z0-9_-]{21}$`, "i"},
	"base64":   {`^([0-9a-zA-Z+/]{4})*(([0-9a-zA-Z+/]{2}==)|([0-9a-zA-Z+/]{3}=))?$`, ""},
	"ipv4":     {`^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$`, ""},
	"ipv6":     {`^(([a-f0-9]{1,4}:){7}|::([a-f0-9]{1,4}:){0,6}|([a-f0-9]{1,4}:){1}:([a-f0-9]{1,4}:){0,5}|([a-f0-9]{1,4}:){2}:([a-f0-9]{1,4}:){0,4}|([a-f0-9]{1,4}:){3}:([a-f0-9]{1,4}:){0,3}|([a-f0-9]{1,4}:){4}:([a-f0-9]{1,4}:){0,2}|([a-f0-9]{1,4}:){5}:([a-f0-9]{1,4}:){0,1})([a-f0-9]{1,4}|(((25[0-5])|(2[0-4][0-9])|(1[0-9]{2})|([0-9]{1,2}))\.){3}((25[0-5])|(2[0-4][0-9])|(1[0-9]{2})|([0-9]{1,2})))$`, ""},
	"emoji":    {`^(\p{Extended_Pictographic}|\p{Emoji_Component})+$`, "u"},
	"duration": {`^[-+]?P(?!$)(?:(?:[-+]?\d+Y)|(?:[-+]?\d+[.,]\d+Y$))?(?:(?:[-+]?\d+M)|(?:[-+]?\d+[.,]\d+M$))?(?:(?:[-+]?\d+W)|(?:[-+]?\d+[.,]\d+W$))?(?:(?:[-+]?\d+D)|(?:[-+]?\d+[.,]\d+D$))?(?:T(?=[\d+-])(?:(?:[-+]?\d+H)|(?:[-+]?\d+[.,]\d+H$))?(?:(?:[-+]?\d+M)|(?:[-+]?\d+[.,]\d+M$))?(?:[-+]?\d+(?:[.,]\d+)?S)?)??$`, ""},
}

var zod3Compiled sync.Map // name -> *Pattern

// zod3Pattern returns zod 3's pattern for a format, nil when zod 3 uses
// zod 4's.
func zod3Pattern(name string) *Pattern {
	if p, ok := zod3Compiled.Load(name); ok {
		return p.(*Pattern)
	}
	src, ok := zod3Patterns[name]
	if !ok {
		return nil
	}
	p := MustPattern(src[0], src[1])
	zod3Compiled.Store(name, p)
	return p
}

// IP returns a copy of a string schema requiring an IP address (zod 3's
// .ip(): version "v4", "v6" or "" for either).
func (s *Schema) IP(version string) *Schema {
	return s.withCheck(check{op: opIP, str: version})
}

// Zod3Format returns a copy of a string schema requiring one of zod 3's
// own formats: "emoji" or "duration".
func (s *Schema) Zod3Format(name string) *Schema {
	return s.withCheck(check{op: opFormat, str: name, re: zod3Pattern(name)})
}

// ParseDate reads a date as a user types it or a config file holds it:
// RFC 3339 (2024-05-01T10:00:00Z, with or without fractions or a zone
// offset), or a calendar date 2024-05-01 (midnight UTC, as JavaScript
// reads one).
func ParseDate(text string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, text); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: type one like 2024-05-01 or 2024-05-01T10:00:00Z", text)
}

// FormatDate writes t as ISO text (JavaScript's toISOString).
func FormatDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// Text writes a config value as a prompt shows it: a date as ISO text
// (FormatDate), anything else as fmt.Sprint does.
func Text(v any) string {
	if t, ok := v.(time.Time); ok {
		return FormatDate(t)
	}
	return fmt.Sprint(v)
}

// FromJSON converts a value read from JSON (a saved config) to what s
// validates: the ISO text of a date field becomes a time.Time, in objects,
// arrays, records and optional or nullable values too. Other values are
// returned as they are.
func (s *Schema) FromJSON(v any) any {
	if s == nil {
		return v
	}
	switch s.kind {
	case KindLazy:
		return s.Target().FromJSON(v)
	case KindDate:
		if str, ok := v.(string); ok {
			if t, err := ParseDate(str); err == nil {
				return t
			}
		}
	case KindObject:
		if m, ok := v.(map[string]any); ok {
			out := make(map[string]any, len(m))
			for k, e := range m {
				if f, ok := s.Field(k); ok {
					e = f.FromJSON(e)
				}
				out[k] = e
			}
			return out
		}
	case KindRecord:
		if m, ok := v.(map[string]any); ok {
			out := make(map[string]any, len(m))
			for k, e := range m {
				out[k] = s.elem.FromJSON(e)
			}
			return out
		}
	case KindArray:
		if a, ok := v.([]any); ok {
			out := make([]any, len(a))
			for i, e := range a {
				out[i] = s.elem.FromJSON(e)
			}
			return out
		}
	}
	return v
}

// CheckInfo is one check as zod 3's _def.checks lists it: kind ("min",
// "max", "length", "int", "email", "regex", "uuid"...), the value it
// compares with (a number, a *big.Int, a *Pattern's source, text), and
// the author's message ("" for zod's).
type CheckInfo struct {
	Kind      string
	Value     any
	Inclusive bool
	Message   string
}

// Checks returns the schema's checks in order, as zod 3 names them.
func (s *Schema) Checks() []CheckInfo {
	out := make([]CheckInfo, 0, len(s.checks))
	for _, c := range s.checks {
		ci := CheckInfo{Message: c.message, Inclusive: true}
		var v any = c.n
		if c.big != nil {
			v = c.big
		}
		switch c.op {
		case opMin, opGt:
			ci.Kind, ci.Value, ci.Inclusive = "min", v, c.op == opMin
		case opMax, opLt:
			ci.Kind, ci.Value, ci.Inclusive = "max", v, c.op == opMax
		case opLength:
			ci.Kind, ci.Value = "length", v
		case opInt:
			ci.Kind = "int"
		case opFinite:
			ci.Kind = "finite"
		case opMultipleOf:
			ci.Kind, ci.Value = "multipleOf", v
		case opURL:
			ci.Kind = "url"
		case opEmail:
			ci.Kind = "email"
		case opRegex:
			ci.Kind, ci.Value = "regex", c.re.Source()
		case opFormat:
			ci.Kind = c.str
		case opIP:
			ci.Kind, ci.Value = "ip", c.str
		case opStartsWith, opEndsWith, opIncludes:
			ci.Kind, ci.Value = map[checkOp]string{opStartsWith: "startsWith", opEndsWith: "endsWith", opIncludes: "includes"}[c.op], c.str
		case opTrim:
			ci.Kind = "trim"
		case opLower:
			ci.Kind = "toLowerCase"
		case opUpper:
			ci.Kind = "toUpperCase"
		}
		out = append(out, ci)
	}
	return out
}

// At returns a copy that records where it was made (file.ts:line:col), for
// the errors that name it.
func (s *Schema) At(pos string) *Schema { c := s.clone(); c.origin = pos; return c }

// Origin returns the position given to At ("" when none).
func (s *Schema) Origin() string { return s.origin }

// FormProblem is a field a setup form cannot show nor a config file hold.
type FormProblem struct {
	Path   []any  // the field's path in the config
	Kind   Kind   // its kind: function, promise, map, set, custom, bigint
	Origin string // where its schema was made ("" when unknown)
}

// notInForms are the kinds a config field may not have: a form cannot
// show them and JSON cannot hold them.
var notInForms = map[Kind]bool{KindFunction: true, KindPromise: true, KindMap: true, KindSet: true, KindCustom: true, KindBigInt: true}

// FormProblems returns the values of a config schema that a setup form
// cannot show: functions, promises, maps, sets, custom checks and bigints,
// at any depth (objects, arrays, tuples, records, unions, intersections,
// lazy schemas).
func (s *Schema) FormProblems() []FormProblem {
	var out []FormProblem
	seen := map[*Schema]bool{}
	var walk func(s *Schema, path []any)
	walk = func(s *Schema, path []any) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if notInForms[s.kind] {
			out = append(out, FormProblem{Path: slices.Clone(path), Kind: s.kind, Origin: s.origin})
			return
		}
		if s.kind == KindLazy {
			walk(s.Target(), path)
			return
		}
		for _, p := range s.fields {
			walk(p.Schema, append(path, p.Key))
		}
		for _, c := range append(append([]*Schema{s.elem, s.catchall, s.pipe}, s.items...), s.variants...) {
			walk(c, path)
		}
	}
	walk(s, nil)
	return out
}

// Holds reports whether a value of kind k may occur in s's output, at any
// depth (e.g. a Date in a config that JSON cannot carry).
func (s *Schema) Holds(k Kind) bool {
	seen := map[*Schema]bool{}
	var walk func(s *Schema) bool
	walk = func(s *Schema) bool {
		if s == nil || seen[s] {
			return false
		}
		seen[s] = true
		if s.kind == k {
			return true
		}
		if s.kind == KindLazy {
			return walk(s.Target())
		}
		return slices.ContainsFunc(s.children(), walk)
	}
	return walk(s)
}
