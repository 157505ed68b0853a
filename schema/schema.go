// Package schema is the schema model behind the plugin `z` API, in pure Go:
// types (object with ordered fields, string, number, boolean, null, enum,
// array, tuple, record, union and discriminated union, literal, any, and
// zod 3's date, bigint, map, set, lazy, intersection, promise, function,
// custom), zod 3 or zod 4 results where they differ (Zod3),
// modifiers (optional, nullable, default/prefault, catch, coerce, pipe,
// describe), checks (min/max/length, url, email and zod 4's other string
// formats, JavaScript regular expressions with a match timeout, int, gt/lt,
// multipleOf...), setup metadata (secret, label, section, helpText,
// placeholder, radio), validation with zod-like issues and paths, coercion
// of strings typed by a user, and JSON Schema export in zod 4's output and
// input forms. It does no I/O and knows nothing of JavaScript: refinements
// and transforms are Effects, Go functions a binding supplies, which only
// ValidateWith runs.
//
// A *Schema is immutable: every modifier returns a modified copy and leaves
// the receiver unchanged, so one value may be shared and used from any
// number of goroutines at once (an Effect runs on the goroutine that
// validates).
package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
)

// Kind names the type a Schema accepts.
type Kind string

// The kinds of schema.
const (
	KindObject  Kind = "object"
	KindString  Kind = "string"
	KindNumber  Kind = "number"
	KindBoolean Kind = "boolean"
	KindEnum    Kind = "enum"
	KindArray   Kind = "array"
	KindLiteral Kind = "literal"
	KindAny     Kind = "any" // accepts every value, as z.any() and z.unknown()
	KindNull    Kind = "null"
	KindUnion   Kind = "union"  // one of several schemas (discriminated or not)
	KindRecord  Kind = "record" // an object of any keys whose values share one schema
	KindTuple   Kind = "tuple"  // an array with a schema per position
)

// UnknownKeys says what validation does with object keys the schema does not
// declare.
type UnknownKeys int

// The unknown-key policies, as zod's .strip() (the default), .strict() and
// .passthrough().
const (
	Strip UnknownKeys = iota
	Strict
	Passthrough
)

// undefinedValue is the type of Undefined.
type undefinedValue struct{}

func (undefinedValue) String() string { return "undefined" }

// Undefined stands for JavaScript's undefined where Go has no other way to
// say "absent", e.g. the top-level value given to Validate. Inside maps an
// absent key means the same. Validate never returns it inside its output;
// it returns it as the whole output only for an absent optional value.
var Undefined any = undefinedValue{}

// Property is one named field given to Object.
type Property struct {
	Key    string
	Schema *Schema
}

// checkOp is the kind of a check.
type checkOp int

const (
	opMin        checkOp = iota // >= n (number) or length >= n (string, array)
	opMax                       // <= n or length <= n
	opGt                        // > n (number)
	opLt                        // < n (number)
	opLength                    // length == n
	opInt                       // integer (number)
	opFinite                    // neither Infinity nor -Infinity (number)
	opURL                       // string is a URL
	opEmail                     // string is an e-mail address
	opRegex                     // string matches re
	opFormat                    // string matches a named format (uuid, datetime...): name, re
	opStartsWith                // string starts with str
	opEndsWith                  // string ends with str
	opIncludes                  // string contains str
	opMultipleOf                // number is a multiple of n
	opTrim                      // string: trims white space (changes the value)
	opLower                     // string: to lower case (changes the value)
	opUpper                     // string: to upper case (changes the value)
	opIP                        // string is an IP address (zod 3's .ip()): version in str
)

// check is one refinement on a string, number or array.
type check struct {
	op      checkOp
	n       float64
	re      *Pattern
	big     *big.Int          // a bigint schema's bound or step (nil on other kinds)
	str     string            // opStartsWith, opEndsWith, opIncludes; format name for opFormat
	isURL   func(string) bool // opURL: the URL parser; nil means the built-in approximation
	lax     bool              // opFormat datetime: accepts more than JSON Schema's date-time
	message string            // custom message; "" means the zod default
}

// Schema describes the values a config field, tool input or other value
// may take. Build one with String, Number, Boolean, Enum, Array, Literal,
// Object or Any, then refine it with the modifier methods. The zero value is
// not usable.
type Schema struct {
	kind Kind

	fields   []Property // KindObject, in declaration order
	unknown  UnknownKeys
	catchall *Schema   // KindObject: undeclared keys' schema (with Passthrough)
	readonly bool      // the output is frozen (zod's .readonly())
	elem     *Schema   // KindArray; KindRecord's values; KindTuple's rest (nil: none)
	key      *Schema   // KindRecord's keys
	items    []*Schema // KindTuple's positions
	variants []*Schema // KindUnion
	discrim  string    // KindUnion: the discriminator key ("" for a plain union)
	options  []string  // KindEnum
	literals []any     // KindLiteral: strings, float64s, bools or nil
	coerce   bool      // convert the input to the kind first, as z.coerce
	pipe     *Schema   // validates the output again (.pipe)
	lazy     *lazyRef  // KindLazy's target
	wrapped  *Schema   // the schema Optional or Nullable made this one from (nil after any other modifier)
	pre      Effect    // runs on the input first (z.preprocess)
	zod3     bool      // validate as zod 3 where zod 3 and 4 differ (see Zod3)
	origin   string    // where the schema was made (file:line:col), for errors

	effects    []effect // refine, superRefine, transform: run by ValidateWith{Effects}
	hasCatch   bool
	catchValue any
	catchFn    func(input any, issues []Issue) any

	checks      []check
	typeMessage string // custom message for a wrong type ("" = zod default)

	optional    bool
	optOuter    bool // optional outside a default: the output may lack the value
	nonoptional bool // .required(): absent is an issue even with a default
	nullable    bool
	depth       int // levels of schemas below this one (see MaxDepth)
	hasDefault  bool
	prefault    bool // the default is validated (zod 4's .prefault())
	// optAt, nullAt, defAt: how many effects there were when Optional,
	// Nullable, Default were applied; the later ones run on the absent
	// value, null, the default.
	optAt, nullAt, defAt int
	def                  any

	description string
	label       string
	section     string
	helpText    string
	placeholder string
	radio       bool
	secret      bool

	// metaID and metaExtra are zod 4's .meta({ id, ...keywords }): the id
	// names the schema's $defs entry in a JSON Schema export; the
	// keywords are copied into its JSON Schema.
	metaID    string
	metaExtra []Keyword
}

// Keyword is a JSON Schema keyword with its JSON value, given by the plugin
// (zod 4's .meta({ examples: [...] })).
type Keyword struct {
	Key   string
	Value json.RawMessage
}

// Meta returns a copy with zod 4's .meta() data besides title and
// description: id names the schema's entry under $defs when it is exported
// as JSON Schema ("" keeps the one it has); extra keywords are set on its
// JSON Schema as given, replacing those of the same name (as zod's
// toJSONSchema does), after any given before.
func (s *Schema) Meta(id string, extra []Keyword) *Schema {
	c := s.clone()
	if id != "" {
		c.metaID = id
	}
	if len(extra) > 0 {
		c.metaExtra = append(slices.Clip(c.metaExtra), extra...)
	}
	return c
}

// String returns a schema accepting strings.
func String() *Schema { return &Schema{kind: KindString} }

// Number returns a schema accepting numbers (float64 and Go integer types).
func Number() *Schema { return &Schema{kind: KindNumber} }

// Boolean returns a schema accepting true and false.
func Boolean() *Schema { return &Schema{kind: KindBoolean} }

// Any returns a schema accepting every value unchanged.
func Any() *Schema { return &Schema{kind: KindAny} }

// Enum returns a schema accepting exactly one of the given strings. It
// panics when options is empty, as a schema that accepts nothing is a
// programming error.
func Enum(options ...string) *Schema {
	if len(options) == 0 {
		panic("schema.Enum: no options")
	}
	return &Schema{kind: KindEnum, options: slices.Clone(options)}
}

// Array returns a schema accepting arrays whose every element matches elem.
func Array(elem *Schema) *Schema {
	if elem == nil {
		panic("schema.Array: nil element schema")
	}
	return (&Schema{kind: KindArray, elem: elem}).measured()
}

// Literal returns a schema accepting exactly v, or any of more values
// (zod 4's z.literal([...])). Each must be a string, a bool, nil or a number
// (stored as float64). It panics on any other type.
func Literal(v any, more ...any) (s *Schema) {
	s = &Schema{kind: KindLiteral}
	for _, v := range append([]any{v}, more...) {
		switch x := v.(type) {
		case string, bool, nil:
			s.literals = append(s.literals, x)
			continue
		}
		f, ok := toFloat(v)
		if !ok {
			panic(fmt.Sprintf("schema.Literal: unsupported literal type %T", v))
		}
		s.literals = append(s.literals, f)
	}
	return s
}

// Object returns a schema accepting objects with the given fields, in this
// order. Keys it does not declare are stripped from the output. It panics on
// a duplicate key or a nil field schema.
func Object(props ...Property) *Schema {
	seen := make(map[string]bool, len(props))
	for _, p := range props {
		if p.Schema == nil {
			panic(fmt.Sprintf("schema.Object: field %q has no schema", p.Key))
		}
		if seen[p.Key] {
			panic(fmt.Sprintf("schema.Object: duplicate field %q", p.Key))
		}
		seen[p.Key] = true
	}
	return (&Schema{kind: KindObject, fields: slices.Clone(props)}).measured()
}

// clone returns a copy that may be modified without touching s.
func (s *Schema) clone() *Schema {
	c := *s
	c.checks = slices.Clip(c.checks) // appends copy instead of sharing
	c.fields = slices.Clip(c.fields)
	c.effects = slices.Clip(c.effects)
	c.wrapped = nil
	return &c
}

// Kind returns the type the schema accepts.
func (s *Schema) Kind() Kind { return s.kind }

// Optional returns a copy that also accepts an absent value (undefined).
// On a schema with a default, the default still fills an absent value,
// but the output may lack it (zod's .default(v).optional()).
//
// Refinements and transforms added after Optional (and Nullable, Default)
// also run on the absent value (null, the default), as zod's wrappers do;
// those added before do not.
func (s *Schema) Optional() *Schema {
	c := s.clone()
	c.optional, c.nonoptional = true, false
	c.optOuter = s.hasDefault || s.hasCatch
	c.optAt = len(c.effects)
	c.wrapped = s
	return c
}

// Nullable returns a copy that also accepts null (nil).
func (s *Schema) Nullable() *Schema {
	c := s.clone()
	c.nullable = true
	c.nullAt = len(c.effects)
	c.wrapped = s
	return c
}

// Default returns a copy whose absent value is a deep copy of v, returned
// as it is, without validation (zod 4's .default(); Prefault validates it).
// v should be JSON-like (maps, slices, strings, numbers, bools, nil).
func (s *Schema) Default(v any) *Schema {
	c := s.clone()
	c.hasDefault, c.prefault = true, false
	c.def = deepCopy(v)
	c.defAt = len(c.effects)
	return c
}

// Prefault is Default whose value is validated as if it had been given
// (zod 4's .prefault(), zod 3's .default()).
func (s *Schema) Prefault(v any) *Schema {
	c := s.Default(v)
	c.prefault = true
	return c
}

// Describe returns a copy with the given description.
func (s *Schema) Describe(text string) *Schema { c := s.clone(); c.description = text; return c }

// Secret returns a copy marked secret: the host keeps its value only in the
// secret store, masks it in prompts, and never writes it to a file or log.
func (s *Schema) Secret() *Schema { c := s.clone(); c.secret = true; return c }

// Label returns a copy with the human title shown when asking for the value.
func (s *Schema) Label(text string) *Schema { c := s.clone(); c.label = text; return c }

// Section returns a copy grouped under the given section when asking.
func (s *Schema) Section(name string) *Schema { c := s.clone(); c.section = name; return c }

// HelpText returns a copy with a longer help text shown beside the question
// (the SDK's tooltip).
func (s *Schema) HelpText(text string) *Schema { c := s.clone(); c.helpText = text; return c }

// Placeholder returns a copy with the placeholder shown in an empty input.
func (s *Schema) Placeholder(text string) *Schema {
	c := s.clone()
	c.placeholder = text
	return c
}

// Radio returns a copy whose choices (an enum's options) are shown as radio
// buttons rather than a drop-down list. It is only a rendering hint.
func (s *Schema) Radio() *Schema { c := s.clone(); c.radio = true; return c }

// Strict returns a copy of an object schema that reports undeclared keys.
func (s *Schema) Strict() *Schema { c := s.clone(); c.unknown, c.catchall = Strict, nil; return c }

// Passthrough returns a copy of an object schema that keeps undeclared keys.
func (s *Schema) Passthrough() *Schema {
	c := s.clone()
	c.unknown, c.catchall = Passthrough, nil
	return c
}

// Catchall returns a copy of an object schema that keeps undeclared keys
// whose values match rest (zod's .catchall()).
func (s *Schema) Catchall(rest *Schema) *Schema {
	if rest == nil {
		panic("schema.Catchall: nil schema")
	}
	c := s.clone()
	c.unknown, c.catchall = Passthrough, rest
	return c.measured()
}

// Readonly returns a copy whose output a binding freezes (zod's
// .readonly(): Object.freeze on the parsed object or array, not deep).
func (s *Schema) Readonly() *Schema { c := s.clone(); c.readonly = true; return c }

// IsReadonly reports whether Readonly was set.
func (s *Schema) IsReadonly() bool { return s.readonly }

// CatchallSchema returns the schema of an object's undeclared keys (nil
// when Catchall was not used).
func (s *Schema) CatchallSchema() *Schema { return s.catchall }

// Strip returns a copy of an object schema that drops undeclared keys (the
// default).
func (s *Schema) Strip() *Schema { c := s.clone(); c.unknown, c.catchall = Strip, nil; return c }

func (s *Schema) withCheck(ch check) *Schema {
	c := s.clone()
	c.checks = append(c.checks, ch)
	return c
}

// Min returns a copy requiring at least n: the value for numbers, the length
// (in UTF-16 units, as JavaScript counts) for strings, the element count for
// arrays.
func (s *Schema) Min(n float64) *Schema { return s.withCheck(check{op: opMin, n: n}) }

// Max returns a copy requiring at most n (value, length or element count).
func (s *Schema) Max(n float64) *Schema { return s.withCheck(check{op: opMax, n: n}) }

// Length returns a copy requiring a string length or element count of exactly n.
func (s *Schema) Length(n float64) *Schema { return s.withCheck(check{op: opLength, n: n}) }

// Gt returns a copy of a number schema requiring a value greater than n.
func (s *Schema) Gt(n float64) *Schema { return s.withCheck(check{op: opGt, n: n}) }

// Lt returns a copy of a number schema requiring a value less than n.
func (s *Schema) Lt(n float64) *Schema { return s.withCheck(check{op: opLt, n: n}) }

// Int returns a copy of a number schema requiring an integer.
func (s *Schema) Int() *Schema { return s.withCheck(check{op: opInt}) }

// Finite returns a copy of a number schema refusing Infinity and -Infinity.
func (s *Schema) Finite() *Schema { return s.withCheck(check{op: opFinite}) }

// URL returns a copy of a string schema requiring an absolute URL. Without
// a WHATWG parser at hand it approximates one with net/url; URLWith takes
// the real one.
func (s *Schema) URL() *Schema { return s.withCheck(check{op: opURL}) }

// URLWith is URL where valid says whether the (trimmed) text parses as a
// URL, as zod's `new URL(text)` does. valid must be safe for concurrent use.
func (s *Schema) URLWith(valid func(string) bool) *Schema {
	return s.withCheck(check{op: opURL, isURL: valid})
}

// Email returns a copy of a string schema requiring an e-mail address.
func (s *Schema) Email() *Schema { return s.withCheck(check{op: opEmail}) }

// Regex returns a copy of a string schema requiring a match of re (as
// JavaScript's re.test(value)). A match that runs past MatchTimeout is an
// issue saying so.
func (s *Schema) Regex(re *Pattern) *Schema {
	if re == nil {
		panic("schema.Regex: nil pattern")
	}
	return s.withCheck(check{op: opRegex, re: re})
}

// Message returns a copy whose most recently added check reports msg instead
// of the default message; with no check yet, msg replaces the wrong-type
// message (not "Required").
func (s *Schema) Message(msg string) *Schema {
	c := s.clone()
	if n := len(c.checks); n > 0 {
		c.checks = slices.Clone(c.checks)
		c.checks[n-1].message = msg
	} else {
		c.typeMessage = msg
	}
	return c
}

// Extend returns a copy of an object schema with props added; a prop whose
// key exists replaces that field in place.
func (s *Schema) Extend(props ...Property) *Schema {
	c := s.clone()
	c.fields = slices.Clone(s.fields)
	for _, p := range props {
		if p.Schema == nil {
			panic(fmt.Sprintf("schema.Extend: field %q has no schema", p.Key))
		}
		if i := s.fieldIndex(p.Key); i >= 0 {
			c.fields[i] = p
		} else {
			c.fields = append(c.fields, p)
		}
	}
	return c.measured()
}

// Pick returns a copy of an object schema with only the named fields (in the
// schema's order); unknown names are ignored.
func (s *Schema) Pick(keys ...string) *Schema {
	c := s.clone()
	c.fields = nil
	for _, p := range s.fields {
		if slices.Contains(keys, p.Key) {
			c.fields = append(c.fields, p)
		}
	}
	return c.measured()
}

// Omit returns a copy of an object schema without the named fields.
func (s *Schema) Omit(keys ...string) *Schema {
	c := s.clone()
	c.fields = nil
	for _, p := range s.fields {
		if !slices.Contains(keys, p.Key) {
			c.fields = append(c.fields, p)
		}
	}
	return c.measured()
}

// Partial returns a copy of an object schema whose fields are optional:
// the named ones, or all of them when keys is empty.
func (s *Schema) Partial(keys ...string) *Schema {
	c := s.clone()
	c.fields = make([]Property, len(s.fields))
	for i, p := range s.fields {
		if len(keys) == 0 || slices.Contains(keys, p.Key) {
			p.Schema = p.Schema.Optional()
		}
		c.fields[i] = p
	}
	return c
}

// Required returns a copy of an object schema whose fields are no longer
// optional: the named ones, or all of them when keys is empty.
func (s *Schema) Required(keys ...string) *Schema {
	c := s.clone()
	c.fields = make([]Property, len(s.fields))
	for i, p := range s.fields {
		if len(keys) == 0 || slices.Contains(keys, p.Key) {
			fc := p.Schema.clone()
			fc.optional, fc.optOuter, fc.nonoptional = false, false, true
			p.Schema = fc
		}
		c.fields[i] = p
	}
	return c
}

// Unwrap returns a copy that is neither optional nor nullable.
func (s *Schema) Unwrap() *Schema { c := s.clone(); c.optional, c.nullable = false, false; return c }

func (s *Schema) fieldIndex(key string) int {
	for i, p := range s.fields {
		if p.Key == key {
			return i
		}
	}
	return -1
}

// Field returns the schema of an object's field.
func (s *Schema) Field(key string) (*Schema, bool) {
	if i := s.fieldIndex(key); i >= 0 {
		return s.fields[i].Schema, true
	}
	return nil, false
}

// Properties returns an object schema's fields in declaration order (nil for
// other kinds). The slice is a copy.
func (s *Schema) Properties() []Property { return slices.Clone(s.fields) }

// UnknownKeys returns an object schema's policy for undeclared keys.
func (s *Schema) UnknownKeys() UnknownKeys { return s.unknown }

// Elem returns an array schema's element schema (nil for other kinds).
func (s *Schema) Elem() *Schema { return s.elem }

// Options returns an enum schema's options (nil for other kinds), a copy.
func (s *Schema) Options() []string { return slices.Clone(s.options) }

// LiteralValue returns a literal schema's (first) value.
func (s *Schema) LiteralValue() any {
	if len(s.literals) == 0 {
		return nil
	}
	return s.literals[0]
}

// LiteralValues returns a literal schema's values, a copy.
func (s *Schema) LiteralValues() []any { return slices.Clone(s.literals) }

// IsOptional reports whether the schema accepts an absent value.
func (s *Schema) IsOptional() bool { return s.optional }

// IsNullable reports whether the schema accepts null.
func (s *Schema) IsNullable() bool { return s.nullable }

// IsSecret reports whether the value is a secret.
func (s *Schema) IsSecret() bool { return s.secret }

// DefaultValue returns a deep copy of the default and whether there is one.
func (s *Schema) DefaultValue() (any, bool) { return deepCopy(s.def), s.hasDefault }

// Description returns the text given to Describe.
func (s *Schema) Description() string { return s.description }

// LabelText returns the text given to Label ("" when none).
func (s *Schema) LabelText() string { return s.label }

// SectionName returns the name given to Section ("" when none).
func (s *Schema) SectionName() string { return s.section }

// HelpTextValue returns the text given to HelpText ("" when none).
func (s *Schema) HelpTextValue() string { return s.helpText }

// PlaceholderText returns the text given to Placeholder ("" when none).
func (s *Schema) PlaceholderText() string { return s.placeholder }

// IsRadio reports whether Radio was set.
func (s *Schema) IsRadio() bool { return s.radio }

// Field describes one field of an object schema for the setup wizard, the
// CLI and the config file.
type Field struct {
	Key         string
	Kind        Kind
	Label       string // the Label text, else Key
	Section     string
	Description string
	HelpText    string // longer help shown beside the question ("" when none)
	Placeholder string // shown in an empty input ("" when none)
	Radio       bool   // show Options as radio buttons rather than a list
	Secret      bool
	Required    bool // neither optional nor defaulted: the user must supply it
	Optional    bool
	HasDefault  bool
	Default     any      // a deep copy; nil when HasDefault is false
	Options     []string // enum options
	Schema      *Schema  // the field's own schema, for Validate and CoerceString
}

// Fields returns an object schema's fields in declaration order; nil for
// other kinds.
func (s *Schema) Fields() []Field {
	if s.kind != KindObject {
		return nil
	}
	out := make([]Field, len(s.fields))
	for i, p := range s.fields {
		fs := p.Schema
		label := fs.label
		if label == "" {
			label = p.Key
		}
		def, has := fs.DefaultValue()
		desc := fs.description
		if desc == fs.label {
			desc = "" // the SDK's .label() sets the description too: saying it twice tells nothing
		}
		out[i] = Field{
			Key:         p.Key,
			Kind:        fs.kind,
			Label:       label,
			Section:     fs.section,
			Description: desc,
			HelpText:    fs.helpText,
			Placeholder: fs.placeholder,
			Radio:       fs.radio,
			Secret:      fs.secret,
			Required:    !fs.optional && !has,
			Optional:    fs.optional,
			HasDefault:  has,
			Default:     def,
			Options:     fs.Options(),
			Schema:      fs,
		}
	}
	return out
}

// deepCopy copies maps and slices of JSON-like values; other values are
// returned as they are.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

var _ fmt.Stringer = undefinedValue{}
