package schema_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"host/schema"
)

func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const emailPattern = `^(?:[A-Za-z0-9_'+\\-]+\\.)*[A-Za-z0-9_'+\\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\\-]*\\.)+[A-Za-z]{2,}$`

// TestJSONSchema: the output form (zod's default) and the input form (a
// tool's inputSchema) of one config schema.
func TestJSONSchema(t *testing.T) {
	s := schema.Object(
		schema.Property{Key: "token", Schema: schema.String().Secret().Label("API Token").Section("Authentication").Default("fake-token-123")},
		schema.Property{Key: "baseUrl", Schema: schema.String().URL().Describe("API base").Default("https://api.example.com")},
		schema.Property{Key: "name", Schema: schema.String().Min(1).Max(20).Regex(schema.MustPattern(`^[a-z]+$`, ""))},
		schema.Property{Key: "port", Schema: schema.Number().Int().Min(1).Max(65535)},
		schema.Property{Key: "ratio", Schema: schema.Number().Gt(0).Lt(1).Optional()},
		schema.Property{Key: "region", Schema: schema.Enum("eu", "us")},
		schema.Property{Key: "tags", Schema: schema.Array(schema.String().Email()).Min(1)},
		schema.Property{Key: "v", Schema: schema.Literal(2)},
		schema.Property{Key: "note", Schema: schema.String().Nullable()},
		schema.Property{Key: "extra", Schema: schema.Object().Passthrough().Optional()},
	)
	props := `
    "token": {"type": "string", "title": "API Token", "x-section": "Authentication", "writeOnly": true, "x-secret": true},
    "baseUrl": {"type": "string", "format": "uri", "description": "API base", "default": "https://api.example.com"},
    "name": {"type": "string", "minLength": 1, "maxLength": 20, "pattern": "^[a-z]+$"},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535},
    "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    "region": {"type": "string", "enum": ["eu", "us"]},
    "tags": {"type": "array", "items": {"type": "string", "format": "email", "pattern": "EMAIL"}, "minItems": 1},
    "v": {"type": "number", "const": 2},
    "note": {"type": ["string", "null"]},
    "extra": {"type": "object", "properties": {}, "additionalProperties": {}}`
	props = strings.Replace(props, "EMAIL", emailPattern, 1)
	head := `{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {` + props + `},`
	for _, tt := range []struct {
		name string
		fn   func() (json.RawMessage, error)
		tail string
	}{
		{"output", s.JSONSchema, `"required": ["token", "baseUrl", "name", "port", "region", "tags", "v", "note"], "additionalProperties": false}`},
		{"input", s.InputJSONSchema, `"required": ["name", "port", "region", "tags", "v", "note"]}`},
	} {
		got, err := tt.fn()
		if err != nil {
			t.Fatal(err)
		}
		if want := compact(t, head+tt.tail); string(got) != want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, got, want)
		}
	}
}

func TestJSONSchemaTransform(t *testing.T) {
	s := schema.String().Transform(func(v any, _ func(schema.Issue)) any { return v })
	if _, err := s.JSONSchema(); err == nil || !strings.Contains(err.Error(), "transforms cannot be represented") {
		t.Fatalf("output of a transform: err = %v", err)
	}
	if got, err := s.InputJSONSchema(); err != nil || string(got) != `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"string"}` {
		t.Fatalf("input of a transform: %s %v", got, err)
	}
	piped := s.Pipe(schema.Number())
	if got, err := piped.JSONSchema(); err != nil || string(got) != `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"number"}` {
		t.Fatalf("output of a pipe: %s %v", got, err)
	}
}

func TestJSONSchemaUIMetadata(t *testing.T) {
	s := schema.Enum("eu", "us").Radio().HelpText("Where your data lives").Placeholder("eu").Label("Region")
	got, err := s.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"string","enum":["eu","us"],"title":"Region","x-help-text":"Where your data lives","x-placeholder":"eu","x-radio":true}`
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	f := schema.Object(schema.Property{Key: "region", Schema: s}).Fields()[0]
	if f.HelpText != "Where your data lives" || f.Placeholder != "eu" || !f.Radio || f.Label != "Region" {
		t.Fatalf("Field = %+v", f)
	}
}

// TestJSONSchemaDefs: repeated object schemas once under $defs (Share, a
// tool's inputSchema), .meta({ id }) by its name in every form, z.lazy
// recursion, and .meta() keywords copied as given.
func TestJSONSchemaDefs(t *testing.T) {
	address := schema.Object(
		schema.Property{Key: "street", Schema: schema.String()},
		schema.Property{Key: "city", Schema: schema.String()},
	)
	addressJSON := `{"type": "object", "properties": {"street": {"type": "string"}, "city": {"type": "string"}}, "required": ["street", "city"]}`
	const draft = `"$schema": "https://json-schema.org/draft/2020-12/schema", `
	name := schema.String().Min(1)
	var node *schema.Schema
	node = schema.Lazy(func() *schema.Schema {
		return schema.Object(
			schema.Property{Key: "name", Schema: schema.String()},
			schema.Property{Key: "kids", Schema: schema.Array(node)},
		)
	})
	ident := schema.String().Meta("ident", []schema.Keyword{{Key: "examples", Value: json.RawMessage(`["a1"]`)}})
	anchored := address.Meta("address", []schema.Keyword{{Key: "$anchor", Value: json.RawMessage(`"addressDef"`)}})
	for _, tt := range []struct {
		name string
		s    *schema.Schema
		o    schema.ExportOptions
		want string
	}{
		{"repeated object shared", schema.Object(
			schema.Property{Key: "home", Schema: address},
			schema.Property{Key: "work", Schema: address.Optional()},
			schema.Property{Key: "alt", Schema: address.Nullable()},
			schema.Property{Key: "first", Schema: name},
			schema.Property{Key: "last", Schema: name},
		), schema.ExportOptions{Input: true, Share: true},
			`{` + draft + `"type": "object", "properties": {"home": {"$ref": "#/$defs/__schema0"}, "work": {"$ref": "#/$defs/__schema0"},
			  "alt": {"anyOf": [{"$ref": "#/$defs/__schema0"}, {"type": "null"}]},
			  "first": {"type": "string", "minLength": 1}, "last": {"type": "string", "minLength": 1}},
			  "required": ["home", "alt", "first", "last"], "$defs": {"__schema0": ` + addressJSON + `}}`},
		{"repeated object inline without Share", schema.Object(
			schema.Property{Key: "home", Schema: address},
			schema.Property{Key: "work", Schema: address},
		), schema.ExportOptions{Input: true},
			`{` + draft + `"type": "object", "properties": {"home": ` + addressJSON + `, "work": ` + addressJSON + `}, "required": ["home", "work"]}`},
		{"nested repeats: the outer once, the inner inside it", schema.Object(
			schema.Property{Key: "a", Schema: schema.Object(schema.Property{Key: "at", Schema: address})},
			schema.Property{Key: "b", Schema: schema.Object(schema.Property{Key: "at", Schema: address})},
		), schema.ExportOptions{Input: true, Share: true},
			`{` + draft + `"type": "object", "properties": {"a": {"$ref": "#/$defs/__schema0"}, "b": {"$ref": "#/$defs/__schema0"}},
			  "required": ["a", "b"], "$defs": {"__schema0": {"type": "object", "properties": {"at": ` + addressJSON + `}, "required": ["at"]}}}`},
		{"recursion and a repeat", schema.Object(
			schema.Property{Key: "x", Schema: node},
			schema.Property{Key: "y", Schema: node},
		), schema.ExportOptions{Input: true, Share: true},
			`{` + draft + `"type": "object", "properties": {"x": {"$ref": "#/$defs/__schema0"}, "y": {"$ref": "#/$defs/__schema0"}},
			  "required": ["x", "y"], "$defs": {"__schema0": {"type": "object", "properties": {"name": {"type": "string"},
			  "kids": {"type": "array", "items": {"$ref": "#/$defs/__schema0"}}}, "required": ["name", "kids"]}}}`},
		{"meta id and keywords, used once, in the output form", schema.Object(
			schema.Property{Key: "a", Schema: anchored},
			schema.Property{Key: "id", Schema: ident},
		), schema.ExportOptions{},
			`{` + draft + `"type": "object", "properties": {"a": {"$ref": "#/$defs/address"}, "id": {"$ref": "#/$defs/ident"}},
			  "required": ["a", "id"], "additionalProperties": false, "$defs": {
			  "address": {"type": "object", "properties": {"street": {"type": "string"}, "city": {"type": "string"}}, "required": ["street", "city"], "additionalProperties": false, "$anchor": "addressDef"},
			  "ident": {"type": "string", "examples": ["a1"]}}}`},
		{"meta id nullable: the id is the inner schema's", schema.Object(
			schema.Property{Key: "a", Schema: ident},
			schema.Property{Key: "b", Schema: ident.Nullable()},
		), schema.ExportOptions{Input: true},
			`{` + draft + `"type": "object", "properties": {"a": {"$ref": "#/$defs/ident"}, "b": {"anyOf": [{"$ref": "#/$defs/ident"}, {"type": "null"}]}},
			  "required": ["a", "b"], "$defs": {"ident": {"type": "string", "examples": ["a1"]}}}`},
		{"meta keywords replace and add; a tool's root keeps no id", schema.Object(
			schema.Property{Key: "a", Schema: schema.String()},
		).Meta("root", []schema.Keyword{{Key: "type", Value: json.RawMessage(`"object"`)}, {Key: "if", Value: json.RawMessage(`{"required":["a"]}`)}}),
			schema.ExportOptions{Input: true, Share: true},
			`{` + draft + `"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"], "if": {"required": ["a"]}}`},
	} {
		got, err := tt.s.ExportJSONSchema(tt.o)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if want := compact(t, tt.want); string(got) != want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, got, want)
		}
	}
}
