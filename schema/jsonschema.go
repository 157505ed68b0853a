package schema

import (
	"bytes"
	"encoding/json"
	"math"
)

// JSONSchemaDraft is the $schema URI JSONSchema declares.
const JSONSchemaDraft = "https://json-schema.org/draft/2020-12/schema"

// JSONSchema exports the schema as a JSON Schema (draft 2020-12) document,
// object properties in declaration order. Besides the standard keywords
// (type, properties, required, items, enum, const, minLength, maxLength,
// pattern, format, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
// minItems, maxItems, description, default, title) it annotates setup
// metadata: "title" holds the label, "x-section" the section, "x-help-text"
// the help text, "x-placeholder" the placeholder, "x-radio" a radio hint, and a secret
// gets "x-secret": true and "writeOnly": true. A secret's default is never
// exported. The error is from encoding a default value that is not JSON.
func (s *Schema) JSONSchema() (json.RawMessage, error) {
	doc := s.jsonSchema()
	doc = append(ordered{{"$schema", JSONSchemaDraft}}, doc...)
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

func (s *Schema) jsonSchema() ordered {
	var o ordered
	add := func(k string, v any) { o = append(o, kv{k, v}) }
	switch s.kind {
	case KindString:
		add("type", "string")
	case KindNumber:
		add("type", "number")
		for _, c := range s.checks {
			if c.op == opInt {
				o[0].v = "integer"
			}
		}
	case KindBoolean:
		add("type", "boolean")
	case KindEnum:
		add("type", "string")
		add("enum", s.options)
	case KindLiteral:
		add("const", s.literal)
	case KindArray:
		add("type", "array")
		add("items", s.elem.jsonSchema())
	case KindObject:
		add("type", "object")
		props := make(ordered, len(s.fields))
		required := []string{}
		for i, p := range s.fields {
			props[i] = kv{p.Key, p.Schema.jsonSchema()}
			if !p.Schema.optional && !p.Schema.hasDefault {
				required = append(required, p.Key)
			}
		}
		add("properties", props)
		if len(required) > 0 {
			add("required", required)
		}
		if s.unknown != Passthrough {
			add("additionalProperties", false)
		}
	}
	for _, c := range s.checks {
		switch {
		case s.kind == KindString:
			switch c.op {
			case opMin:
				add("minLength", jsonNum(c.n))
			case opMax:
				add("maxLength", jsonNum(c.n))
			case opLength:
				add("minLength", jsonNum(c.n))
				add("maxLength", jsonNum(c.n))
			case opURL:
				add("format", "uri")
			case opEmail:
				add("format", "email")
			case opRegex:
				add("pattern", c.re.Source())
			}
		case s.kind == KindNumber:
			switch c.op {
			case opMin:
				add("minimum", jsonNum(c.n))
			case opMax:
				add("maximum", jsonNum(c.n))
			case opGt:
				add("exclusiveMinimum", jsonNum(c.n))
			case opLt:
				add("exclusiveMaximum", jsonNum(c.n))
			}
		case s.kind == KindArray:
			switch c.op {
			case opMin:
				add("minItems", jsonNum(c.n))
			case opMax:
				add("maxItems", jsonNum(c.n))
			case opLength:
				add("minItems", jsonNum(c.n))
				add("maxItems", jsonNum(c.n))
			}
		}
	}
	if s.nullable && s.kind != KindAny {
		o = ordered{{"anyOf", []any{o, ordered{{"type", "null"}}}}}
	}
	if s.label != "" {
		o = append(o, kv{"title", s.label})
	}
	if s.description != "" {
		o = append(o, kv{"description", s.description})
	}
	if s.hasDefault && !s.secret {
		o = append(o, kv{"default", s.def})
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
	return o
}

// jsonNum keeps infinite bounds out of JSON, which cannot hold them.
func jsonNum(f float64) any {
	switch {
	case math.IsInf(f, 1):
		return math.MaxFloat64
	case math.IsInf(f, -1):
		return -math.MaxFloat64
	}
	return f
}

var _ json.Marshaler = ordered(nil)
