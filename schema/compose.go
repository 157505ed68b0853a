package schema

import (
	"fmt"
	"slices"
)

// Null returns a schema accepting only null.
func Null() *Schema { return &Schema{kind: KindNull} }

// Union returns a schema accepting a value that matches any of variants, in
// order: the first that accepts it gives the output (zod's z.union). It
// panics when there are no variants.
func Union(variants ...*Schema) *Schema {
	if len(variants) == 0 {
		panic("schema.Union: no variants")
	}
	return (&Schema{kind: KindUnion, variants: slices.Clone(variants)}).measured()
}

// DiscriminatedUnion returns a union of object schemas told apart by the
// value of one key, which every variant declares as a literal or an enum
// (zod's z.discriminatedUnion). The error says which variant does not.
func DiscriminatedUnion(key string, variants ...*Schema) (*Schema, error) {
	if len(variants) == 0 {
		return nil, fmt.Errorf("no variants")
	}
	seen := map[any]int{}
	for i, v := range variants {
		if v.kind != KindObject {
			return nil, fmt.Errorf("variant %d is a %s, not an object", i+1, v.kind)
		}
		f, ok := v.Field(key)
		if !ok {
			return nil, fmt.Errorf("variant %d has no field %q", i+1, key)
		}
		vals := f.discriminatorValues()
		if vals == nil {
			return nil, fmt.Errorf("variant %d: field %q must be a z.literal() or z.enum(), not a %s", i+1, key, f.kind)
		}
		for _, val := range vals {
			if j, dup := seen[val]; dup {
				return nil, fmt.Errorf("variants %d and %d both accept %s = %s", j+1, i+1, key, jsonText(val))
			}
			seen[val] = i
		}
	}
	return (&Schema{kind: KindUnion, variants: slices.Clone(variants), discrim: key}).measured(), nil
}

// discriminatorValues lists the values a literal or enum accepts (nil for
// other kinds).
func (s *Schema) discriminatorValues() []any {
	switch s.kind {
	case KindLiteral:
		return s.literals
	case KindEnum:
		out := make([]any, len(s.options))
		for i, o := range s.options {
			out[i] = o
		}
		return out
	}
	return nil
}

// Record returns a schema accepting objects whose every key matches key (a
// string, enum or literal schema) and every value matches value. With an
// enum or literal key, every listed key must be present (zod 4's exhaustive
// records).
func Record(key, value *Schema) *Schema {
	if key == nil || value == nil {
		panic("schema.Record: nil schema")
	}
	return (&Schema{kind: KindRecord, key: key, elem: value}).measured()
}

// Tuple returns a schema accepting arrays whose element i matches items[i];
// rest, when not nil, takes any further elements, else there may be none.
// Trailing optional items may be missing.
func Tuple(items []*Schema, rest *Schema) *Schema {
	return (&Schema{kind: KindTuple, items: slices.Clone(items), elem: rest}).measured()
}

// Variants returns a union's schemas (nil for other kinds), a copy.
func (s *Schema) Variants() []*Schema { return slices.Clone(s.variants) }

// Discriminator returns a discriminated union's key ("" otherwise).
func (s *Schema) Discriminator() string { return s.discrim }

// KeySchema returns a record's key schema (nil for other kinds).
func (s *Schema) KeySchema() *Schema { return s.key }

// Items returns a tuple's position schemas (nil for other kinds), a copy.
func (s *Schema) Items() []*Schema { return slices.Clone(s.items) }

// Coerce returns a copy that converts its input to the kind before checking
// it, as zod's z.coerce.string(), .number() and .boolean() do with
// String(v), Number(v) and Boolean(v).
func (s *Schema) Coerce() *Schema { c := s.clone(); c.coerce = true; return c }

// IsCoerced reports whether Coerce was set.
func (s *Schema) IsCoerced() bool { return s.coerce }

// Catch returns a copy whose output is a deep copy of v whenever the value
// would fail (zod's .catch(value)): the issues are dropped.
func (s *Schema) Catch(v any) *Schema {
	c := s.clone()
	c.hasCatch, c.catchValue = true, deepCopy(v)
	return c
}

// Pipe returns a copy whose output is validated again by next (zod's
// .pipe()); next's output is the result.
func (s *Schema) Pipe(next *Schema) *Schema {
	if next == nil {
		panic("schema.Pipe: nil schema")
	}
	c := s.clone()
	if c.pipe != nil {
		c.pipe = c.pipe.Pipe(next)
	} else {
		c.pipe = next
	}
	return c.measured()
}

// MaxDepth is how deeply schemas may nest. Validation and export recurse
// once per level, so a deeper schema (which only a loop in code builds)
// would exhaust the stack.
const MaxDepth = 256

// Depth returns how deeply the schema nests (1 for a leaf).
func (s *Schema) Depth() int { return s.depth + 1 }

// measured sets s.depth from its children and returns s.
func (s *Schema) measured() *Schema {
	d := 0
	for _, c := range s.children() {
		d = max(d, c.depth+1)
	}
	s.depth = d
	return s
}

// children are the schemas s holds directly.
func (s *Schema) children() []*Schema {
	var out []*Schema
	for _, p := range s.fields {
		out = append(out, p.Schema)
	}
	for _, c := range append(append([]*Schema{s.elem, s.key, s.pipe, s.catchall}, s.items...), s.variants...) {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

// Effect is code of the schema's author that runs during validation: a
// refinement or a transform (e.g. a plugin's .refine(),
// written in JavaScript). It gets the value parsed so far and returns the
// value that continues (the same one for a refinement); problems go to
// report, with paths relative to the value. An Effect runs on the goroutine
// that called ValidateWith, which is why Validate never runs one.
type Effect func(value any, report func(Issue)) any

// effectKind tells the effects apart where validation treats them
// differently.
type effectKind int

const (
	effectRefine    effectKind = iota // keeps the type: the schema stays what it was
	effectTransform                   // changes the output: no JSON Schema for the output
	effectOwn                         // part of the kind (see KindEffect)
)

type effect struct {
	kind effectKind
	fn   Effect
}

// Refine returns a copy that runs fn after the value passed every other
// check of this schema (zod's .refine() and .superRefine()).
func (s *Schema) Refine(fn Effect) *Schema { return s.withEffect(effectRefine, fn) }

// Transform returns a copy whose output is what fn returns, run after the
// value passed every check and refinement before it (zod's .transform()).
func (s *Schema) Transform(fn Effect) *Schema { return s.withEffect(effectTransform, fn) }

// KindEffect returns a copy that runs fn as part of what its kind means,
// e.g. a binding that checks a promise's awaited value or wraps a
// function: it runs like a refinement, whose result replaces the value,
// but zod 3's view (Peel) does not show it as a refinement.
func (s *Schema) KindEffect(fn Effect) *Schema { return s.withEffect(effectOwn, fn) }

// CatchFunc is Catch with a function computing the replacement from the
// original input and the issues (zod's .catch(ctx => ...)). Like an Effect
// it runs only from ValidateWith with Effects set.
func (s *Schema) CatchFunc(fn func(input any, issues []Issue) any) *Schema {
	c := s.clone()
	c.catchFn = fn
	return c
}

func (s *Schema) withEffect(k effectKind, fn Effect) *Schema {
	if fn == nil {
		panic("schema: nil effect")
	}
	c := s.clone()
	c.effects = append(c.effects, effect{k, fn})
	return c
}

// Piped reports whether the schema has a .pipe().
func (s *Schema) Piped() bool { return s.pipe != nil }

// Transforms reports whether the schema's own output is changed by a
// transform (its JSON Schema describes the input only).
func (s *Schema) Transforms() bool {
	for _, e := range s.effects {
		if e.kind == effectTransform {
			return true
		}
	}
	return false
}

// transformsBefore reports whether one of the first n effects is a
// transform.
func (s *Schema) transformsBefore(n int) bool {
	for _, e := range s.effects[:min(n, len(s.effects))] {
		if e.kind == effectTransform {
			return true
		}
	}
	return false
}

// HasEffects reports whether validating s anywhere runs an Effect or a
// catch function, i.e. whether Validate skips part of it.
func (s *Schema) HasEffects() bool {
	if s == nil {
		return false
	}
	if len(s.effects) > 0 || s.catchFn != nil || s.pre != nil || s.kind == KindLazy {
		return true // a lazy schema may refer to itself: assume it has
	}
	for _, c := range s.children() {
		if c.HasEffects() {
			return true
		}
	}
	return false
}

// ExtractOptions returns a copy of an enum with only the named options (in
// the enum's order); the error names an option the enum does not have.
func (s *Schema) ExtractOptions(keep ...string) (*Schema, error) {
	for _, k := range keep {
		if !slices.Contains(s.options, k) {
			return nil, fmt.Errorf("%q is not an option of the enum", k)
		}
	}
	var out []string
	for _, o := range s.options {
		if slices.Contains(keep, o) {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no options left")
	}
	c := s.clone()
	c.options = out
	return c, nil
}

// ExcludeOptions returns a copy of an enum without the named options.
func (s *Schema) ExcludeOptions(drop ...string) (*Schema, error) {
	var keep []string
	for _, o := range s.options {
		if !slices.Contains(drop, o) {
			keep = append(keep, o)
		}
	}
	for _, d := range drop {
		if !slices.Contains(s.options, d) {
			return nil, fmt.Errorf("%q is not an option of the enum", d)
		}
	}
	return s.ExtractOptions(keep...)
}
