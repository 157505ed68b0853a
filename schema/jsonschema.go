package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
)

// JSONSchemaDraft is the $schema URI JSONSchema declares.
const JSONSchemaDraft = "https://json-schema.org/draft/2020-12/schema"

// JSONSchema exports the schema as a JSON Schema (draft 2020-12) document
// describing its output, as zod 4's z.toJSONSchema(schema) does: object
// properties in declaration order; a defaulted field is required (the
// output always has it); undeclared keys are refused unless the object is
// passthrough. InputJSONSchema describes what may be given instead.
//
// Besides zod's keywords it annotates setup metadata: "title" holds the
// label, "x-section" the section, "x-help-text" the help text,
// "x-placeholder" the placeholder, "x-radio" a radio hint, and a secret gets
// "x-secret": true and "writeOnly": true. A secret's default is never
// exported. Refinements are not represented. The error is a transform,
// whose output JSON Schema cannot describe (as zod throws), or a default
// value that is not JSON.
//
// A schema given an id with .meta({ id }) is written once under "$defs"
// by that name and referenced with "$ref" wherever it occurs, as zod
// does; so is a recursive one (z.lazy), as "__schemaN".
func (s *Schema) JSONSchema() (json.RawMessage, error) {
	return s.ExportJSONSchema(ExportOptions{})
}

// InputJSONSchema is JSONSchema for the input (zod's io: "input"), the form
// for a tool's inputSchema: defaulted fields are optional, a plain object
// does not refuse undeclared keys (it strips them), and a transform is
// described by the schema before it.
func (s *Schema) InputJSONSchema() (json.RawMessage, error) {
	return s.ExportJSONSchema(ExportOptions{Input: true})
}

// ExportOptions choose the form of a JSON Schema export.
type ExportOptions struct {
	// Input describes what may be given (InputJSONSchema) instead of the
	// output (JSONSchema).
	Input bool
	// Share writes an object schema that occurs more than once (the same
	// z.object() used for two fields, or two alike) once under "$defs" as
	// "__schemaN" and references it with "$ref" at each place, as zod's
	// toJSONSchema with reused: "ref" does for every repeated schema. A
	// tool's inputSchema is exported so; plain scalars stay inline.
	Share bool
}

// ExportJSONSchema is JSONSchema or InputJSONSchema as o chooses.
func (s *Schema) ExportJSONSchema(o ExportOptions) (json.RawMessage, error) {
	e := exporter{input: o.Input, root: s}
	doc := e.schema(s)
	if e.err != nil {
		return nil, e.err
	}
	doc = e.extractDefs(doc, o.Share)
	doc = append(ordered{{"$schema", JSONSchemaDraft}}, doc...)
	if len(e.defs) > 0 {
		doc = append(doc, kv{"$defs", e.defs})
	}
	return json.Marshal(doc)
}

// ordered is a JSON object that keeps its keys in order.
type ordered []kv

type kv struct {
	k string
	v any
}

func (o ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type exporter struct {
	input bool
	err   error
	root  *Schema
	stack []*Schema       // the schemas being exported: one met again is recursive (z.lazy)
	refs  map[*Schema]int // recursive schemas other than the root: their index in defs
	defs  ordered         // $defs: __schema0, __schema1...
}

// unrepresentable are the kinds zod 4's toJSONSchema refuses, with its
// message.
var unrepresentable = map[Kind]string{
	KindDate: "Date cannot be represented in JSON Schema", KindBigInt: "BigInt cannot be represented in JSON Schema",
	KindMap: "Map cannot be represented in JSON Schema", KindSet: "Set cannot be represented in JSON Schema",
	KindCustom: "Custom types cannot be represented in JSON Schema", KindFunction: "Function types cannot be represented in JSON Schema",
}

// errTransform is zod's refusal to describe a transform's output.
var errTransform = errors.New("transforms cannot be represented in JSON Schema (export the input form instead)")

// schema exports s, or a $ref when s is being exported already (a
// recursive schema: "#" for the root, else a $defs entry).
func (e *exporter) schema(s *Schema) ordered {
	if w := s.wrapped; w != nil && e.recurs(w) {
		// X.optional() or X.nullable() inside X: zod refers to X and says
		// null beside it.
		ref := e.schema(w)
		if s.nullable && !w.nullable {
			return ordered{{"anyOf", []any{ref, ordered{{"type", "null"}}}}}
		}
		return ref
	}
	if slices.Contains(e.stack, s) {
		if s == e.root || s == e.root.Target() {
			return ordered{{"$ref", "#"}}
		}
		if e.refs == nil {
			e.refs = map[*Schema]int{}
		}
		i, ok := e.refs[s]
		if !ok {
			i = len(e.refs)
			e.refs[s] = i
		}
		return ordered{{"$ref", "#/$defs/__schema" + strconv.Itoa(i)}}
	}
	if e.err != nil {
		return ordered{}
	}
	if i, ok := e.refs[s]; ok && e.hasDef("__schema"+strconv.Itoa(i)) {
		return ordered{{"$ref", "#/$defs/__schema" + strconv.Itoa(i)}} // written already
	}
	e.stack = append(e.stack, s)
	o := e.body(s)
	e.stack = e.stack[:len(e.stack)-1]
	if i, ok := e.refs[s]; ok {
		e.defs = append(e.defs, kv{"__schema" + strconv.Itoa(i), o})
		return ordered{{"$ref", "#/$defs/__schema" + strconv.Itoa(i)}}
	}
	return o
}

// recurs reports whether s, or the schema it wraps (see Schema.wrapped), is
// being exported already.
func (e *exporter) recurs(s *Schema) bool {
	for ; s != nil; s = s.wrapped {
		if slices.Contains(e.stack, s) {
			return true
		}
	}
	return false
}

func (e *exporter) body(s *Schema) ordered {
	if msg, ok := unrepresentable[s.kind]; ok {
		if s.origin != "" {
			msg += " (" + s.origin + ")"
		}
		e.err = errors.New(msg)
		return ordered{}
	}
	if s.pipe != nil && !e.input {
		return e.schema(s.pipe)
	}
	if s.Transforms() && !e.input {
		e.err = errTransform
		return ordered{}
	}
	var o ordered
	add := func(k string, v any) { o = append(o, kv{k, v}) }
	switch s.kind {
	case KindString:
		add("type", "string")
		e.stringKeywords(s, add)
	case KindNumber:
		o = e.numberKeywords(s)
	case KindBoolean:
		add("type", "boolean")
	case KindNull:
		add("type", "null")
	case KindEnum:
		add("type", "string")
		add("enum", s.options)
	case KindLiteral:
		o = literalKeywords(s.literals)
	case KindArray:
		add("type", "array")
		add("items", e.schema(s.elem))
		min, max := lengthBounds(s)
		if min >= 0 {
			add("minItems", min)
		}
		if max >= 0 {
			add("maxItems", max)
		}
	case KindTuple:
		add("type", "array")
		items := make([]any, len(s.items))
		need := 0
		for i, it := range s.items {
			items[i] = e.schema(it)
			if !e.optionalIn(it) {
				need = i + 1
			}
		}
		add("prefixItems", items)
		if s.elem == nil {
			add("items", false)
		} else {
			add("items", e.schema(s.elem))
		}
		if need > 0 {
			add("minItems", need)
		}
		if s.elem == nil {
			add("maxItems", len(s.items))
		}
	case KindObject:
		add("type", "object")
		props := make(ordered, len(s.fields))
		required := []string{}
		for i, p := range s.fields {
			props[i] = kv{p.Key, e.schema(p.Schema)}
			if !e.optionalIn(p.Schema) {
				required = append(required, p.Key)
			}
		}
		add("properties", props)
		if len(required) > 0 {
			add("required", required)
		}
		switch {
		case s.catchall != nil:
			add("additionalProperties", e.schema(s.catchall))
		case s.unknown == Passthrough:
			add("additionalProperties", ordered{})
		case s.unknown == Strict || !e.input:
			add("additionalProperties", false)
		}
	case KindRecord:
		add("type", "object")
		add("propertyNames", e.schema(s.key))
		add("additionalProperties", e.schema(s.elem))
		if keys := s.key.discriminatorValues(); keys != nil && !(e.input && e.optionalIn(s.elem)) {
			names := make([]string, len(keys))
			for i, k := range keys {
				names[i], _ = k.(string)
				if f, ok := k.(float64); ok {
					names[i] = num(f)
				}
			}
			add("required", names)
		}
	case KindLazy:
		t := s.Target()
		if t == nil {
			e.err = errors.New("z.lazy(): the function returned no schema")
			return ordered{}
		}
		o = slices.Clone(e.schema(t))
	case KindPromise:
		o = slices.Clone(e.schema(s.elem))
	case KindIntersection:
		var all []any
		for _, v := range s.variants {
			m := e.schema(v)
			if len(m) == 1 && m[0].k == "allOf" {
				all = append(all, m[0].v.([]any)...)
			} else {
				all = append(all, m)
			}
		}
		if f := foldObjects(all); f != nil {
			o = f
		} else {
			add("allOf", all)
		}
	case KindUnion:
		vs := make([]any, len(s.variants))
		for i, v := range s.variants {
			vs[i] = e.schema(v)
		}
		if s.discrim != "" {
			add("oneOf", vs)
		} else {
			add("anyOf", vs)
		}
	}
	// .meta(): its keywords and its id (a mark extractDefs turns into a
	// $defs entry) belong to the schema inside a nullable's anyOf, as
	// zod's s.meta({ id }).nullable() has them.
	for _, m := range s.metaExtra {
		o = o.set(m.Key, m.Value)
	}
	if s.metaID != "" {
		o = append(o, kv{idMark, s.metaID})
	}
	if s.readonly {
		o = append(ordered{{"readOnly", true}}, o...)
	}
	if s.nullable && s.kind != KindAny && s.kind != KindNull {
		o = ordered{{"anyOf", []any{o, ordered{{"type", "null"}}}}}
	}
	if s.label != "" {
		o = append(o, kv{"title", s.label})
	}
	if s.description != "" {
		o = append(o, kv{"description", s.description})
	}
	switch {
	case s.secret:
	case s.hasDefault && s.prefault:
		if e.input {
			o = append(o, kv{"default", s.def})
		}
	case s.hasDefault:
		if !e.input || !s.transformsBefore(s.defAt) {
			o = append(o, kv{"default", s.def})
		}
	case s.hasCatch:
		o = append(o, kv{"default", s.catchValue})
	}
	if s.section != "" {
		o = append(o, kv{"x-section", s.section})
	}
	if s.helpText != "" {
		o = append(o, kv{"x-help-text", s.helpText})
	}
	if s.placeholder != "" {
		o = append(o, kv{"x-placeholder", s.placeholder})
	}
	if s.radio {
		o = append(o, kv{"x-radio", true})
	}
	if s.secret {
		o = append(o, kv{"writeOnly", true}, kv{"x-secret", true})
	}
	return compactTypeUnion(o)
}

// compactTypeUnion rewrites anyOf: [{type: a}, {type: b}] to type: [a, b]
// when every branch is a bare type, as zod does.
func compactTypeUnion(o ordered) ordered {
	at := -1
	for i, e := range o {
		switch e.k {
		case "type":
			return o
		case "anyOf":
			at = i
		}
	}
	if at < 0 {
		return o
	}
	var types []string
	for _, b := range o[at].v.([]any) {
		bo, ok := b.(ordered)
		if !ok || len(bo) != 1 || bo[0].k != "type" {
			return o
		}
		switch t := bo[0].v.(type) {
		case string:
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		case []string:
			for _, m := range t {
				if !slices.Contains(types, m) {
					types = append(types, m)
				}
			}
		default:
			return o
		}
	}
	out := slices.Clone(o)
	if len(types) == 1 {
		out[at] = kv{"type", types[0]}
	} else {
		out[at] = kv{"type", types}
	}
	return out
}

// optionalIn reports whether a field may be missing in the described
// form: optional, or (for the input) defaulted or caught.
func (e *exporter) optionalIn(s *Schema) bool {
	s = s.presence()
	switch {
	case s.nonoptional:
		return false
	case e.input:
		return s.optional || s.hasDefault || s.hasCatch
	}
	return s.optional && !s.hasDefault && !s.hasCatch || s.optOuter
}

// lengthBounds folds min/max/length checks: the tightest bounds (-1: none).
func lengthBounds(s *Schema) (min, max float64) {
	min, max = -1, -1
	for _, c := range s.checks {
		switch c.op {
		case opMin, opLength:
			if c.n > min {
				min = c.n
			}
		}
		switch c.op {
		case opMax, opLength:
			if max < 0 || c.n < max {
				max = c.n
			}
		}
	}
	return min, max
}

// jsonFormats maps zod's format names to JSON Schema's where they differ;
// "" means none is exported.
var jsonFormats = map[string]string{"guid": "uuid", "uuidv4": "uuid", "uuidv6": "uuid", "uuidv7": "uuid",
	"url": "uri", "datetime": "date-time", "time": ""}

func (e *exporter) stringKeywords(s *Schema, add func(string, any)) {
	min, max := lengthBounds(s)
	if min >= 0 {
		add("minLength", min)
	}
	if max >= 0 {
		add("maxLength", max)
	}
	var format, encoding string
	lax := false
	var patterns []string
	addPattern := func(p string) {
		for _, q := range patterns {
			if q == p {
				return
			}
		}
		patterns = append(patterns, p)
	}
	for _, c := range s.checks {
		switch c.op {
		case opURL:
			format = "url"
		case opEmail:
			format = "email"
			addPattern(formatPatterns["email"])
		case opFormat:
			format = c.str
			lax = lax || c.lax
			addPattern(c.re.Source())
			if c.str == "base64" || c.str == "base64url" {
				encoding = c.str
			}
		case opRegex:
			addPattern(c.re.Source())
		case opStartsWith:
			format = "starts_with"
			addPattern("^" + escapeRegex(c.str) + ".*")
		case opEndsWith:
			format = "ends_with"
			addPattern(".*" + escapeRegex(c.str) + "$")
		case opIncludes:
			format = "includes"
			addPattern(escapeRegex(c.str))
		}
	}
	if format != "" && !lax {
		if f, ok := jsonFormats[format]; ok {
			format = f
		}
		if format != "" {
			add("format", format)
		}
	}
	if encoding != "" {
		add("contentEncoding", encoding)
	}
	switch len(patterns) {
	case 0:
	case 1:
		add("pattern", patterns[0])
	default:
		all := make([]any, len(patterns))
		for i, p := range patterns {
			all[i] = ordered{{"pattern", p}}
		}
		add("allOf", all)
	}
}

// escapeRegex escapes what zod's escapeRegex does.
func escapeRegex(s string) string {
	return regexp.MustCompile(`[.*+?^${}()|[\]\\]`).ReplaceAllString(s, `\$0`)
}

func (e *exporter) numberKeywords(s *Schema) ordered {
	var o ordered
	isInt := false
	min, max := math.Inf(-1), math.Inf(1)
	exMin, exMax := math.Inf(-1), math.Inf(1)
	var divisors []float64
	for _, c := range s.checks {
		switch c.op {
		case opInt:
			isInt = true
			min, max = math.Max(min, -maxSafeInt), math.Min(max, maxSafeInt)
		case opMin:
			min = math.Max(min, c.n)
		case opMax:
			max = math.Min(max, c.n)
		case opGt:
			exMin = math.Max(exMin, c.n)
		case opLt:
			exMax = math.Min(exMax, c.n)
		case opMultipleOf:
			if c.n != 0 && !math.IsInf(c.n, 0) && !math.IsNaN(c.n) {
				divisors = append(divisors, math.Abs(c.n))
			}
		}
	}
	if isInt {
		o = append(o, kv{"type", "integer"})
	} else {
		o = append(o, kv{"type", "number"})
	}
	switch {
	case !math.IsInf(exMin, -1) && exMin >= min:
		o = append(o, kv{"exclusiveMinimum", exMin})
	case !math.IsInf(min, -1):
		o = append(o, kv{"minimum", min})
	}
	switch {
	case !math.IsInf(exMax, 1) && exMax <= max:
		o = append(o, kv{"exclusiveMaximum", exMax})
	case !math.IsInf(max, 1):
		o = append(o, kv{"maximum", max})
	}
	if len(divisors) > 0 {
		o = append(o, kv{"multipleOf", divisors[0]})
		if len(divisors) > 1 {
			var rest []any
			for _, d := range divisors[1:] {
				rest = append(rest, ordered{{"multipleOf", d}})
			}
			o = append(o, kv{"allOf", rest})
		}
	}
	return o
}

func literalKeywords(vals []any) ordered {
	typeOf := func(v any) string {
		switch v.(type) {
		case nil:
			return "null"
		case string:
			return "string"
		case bool:
			return "boolean"
		}
		return "number"
	}
	if len(vals) == 1 {
		return ordered{{"type", typeOf(vals[0])}, {"const", vals[0]}}
	}
	var o ordered
	t := typeOf(vals[0])
	for _, v := range vals[1:] {
		if typeOf(v) != t {
			t = ""
		}
	}
	if t != "" {
		o = append(o, kv{"type", t})
	}
	return append(o, kv{"enum", vals})
}

var _ json.Marshaler = ordered(nil)

// get returns key's value in o.
func (o ordered) get(key string) (any, bool) {
	for _, e := range o {
		if e.k == key {
			return e.v, true
		}
	}
	return nil, false
}

// foldable are the keywords foldObjects combines.
var foldable = map[string]bool{"type": true, "properties": true, "required": true, "additionalProperties": true}

// foldObjects combines the object members of an intersection into the one
// object they describe together, as zod 4's toJSONSchema does; nil when a
// member is not an object or has another keyword.
func foldObjects(members []any) ordered {
	var objs []ordered
	for _, m := range members {
		o, ok := m.(ordered)
		if !ok {
			return nil
		}
		if t, _ := o.get("type"); t != "object" {
			return nil
		}
		for _, e := range o {
			if !foldable[e.k] {
				return nil
			}
		}
		objs = append(objs, o)
	}
	constraint := func(o ordered) any {
		if ap, ok := o.get("additionalProperties"); ok {
			if m, ok := ap.(ordered); ok && len(m) > 0 {
				return m
			}
		}
		return nil
	}
	same := func(list []any, x any) bool {
		xj := jsonText(x)
		for _, y := range list {
			if jsonText(y) == xj {
				return true
			}
		}
		return false
	}
	var props ordered
	var required []string
	for _, o := range objs {
		p, _ := o.get("properties")
		for _, kvp := range p.(ordered) {
			if _, done := props.get(kvp.k); done {
				continue
			}
			var parts []any
			for _, other := range objs {
				op, _ := other.get("properties")
				part, ok := op.(ordered).get(kvp.k)
				if !ok {
					part = constraint(other)
				}
				if part != nil && !same(parts, part) {
					parts = append(parts, part)
				}
			}
			var merged any = parts[0]
			if len(parts) > 1 {
				if f := foldObjects(parts); f != nil {
					merged = f
				} else {
					merged = ordered{{"allOf", parts}}
				}
			}
			props = append(props, kv{kvp.k, merged})
		}
		if r, ok := o.get("required"); ok {
			for _, k := range r.([]string) {
				if !slices.Contains(required, k) {
					required = append(required, k)
				}
			}
		}
	}
	out := ordered{{"type", "object"}, {"properties", props}}
	if len(required) > 0 {
		out = append(out, kv{"required", required})
	}
	closed := true
	var constraints []any
	for _, o := range objs {
		if ap, _ := o.get("additionalProperties"); ap != false {
			closed = false
		}
		if c := constraint(o); c != nil && !same(constraints, c) {
			constraints = append(constraints, c)
		}
	}
	switch {
	case closed:
		out = append(out, kv{"additionalProperties", false})
	case len(constraints) == 1:
		out = append(out, kv{"additionalProperties", constraints[0]})
	case len(constraints) > 1:
		out = append(out, kv{"additionalProperties", ordered{{"allOf", constraints}}})
	}
	return out
}
