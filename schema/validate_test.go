package schema_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"host/schema"
)

// issueLines renders issues as "code path: message" for comparison.
func issueLines(issues []schema.Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, is.Code+" "+is.String())
	}
	return out
}

func TestValidate(t *testing.T) {
	U := schema.Undefined
	tests := []struct {
		name   string
		s      *schema.Schema
		in     any
		want   any      // expected output when no issues
		issues []string // "code path: message"
	}{
		// string
		{"string ok", schema.String(), "abc", "abc", nil},
		{"string number", schema.String(), 1.5, nil, []string{"invalid_type Expected string, received number"}},
		{"string null", schema.String(), nil, nil, []string{"invalid_type Expected string, received null"}},
		{"string missing", schema.String(), U, nil, []string{"invalid_type Required"}},
		{"string min ok", schema.String().Min(3), "abc", "abc", nil},
		{"string min", schema.String().Min(3), "ab", nil, []string{"too_small String must contain at least 3 character(s)"}},
		{"string max", schema.String().Max(2), "abc", nil, []string{"too_big String must contain at most 2 character(s)"}},
		{"string length short", schema.String().Length(4), "abc", nil, []string{"too_small String must contain exactly 4 character(s)"}},
		{"string length long", schema.String().Length(2), "abc", nil, []string{"too_big String must contain exactly 2 character(s)"}},
		{"string length utf16", schema.String().Max(2), "😀", "😀", nil},
		{"string length code points", schema.String().Max(1), "😀", "😀", nil}, // zod 4.6 counts code points
		{"string length code points over", schema.String().Max(1), "😀a", nil, []string{"too_big String must contain at most 1 character(s)"}},
		{"url ok", schema.String().URL(), "https://example.com/x?y=1", "https://example.com/x?y=1", nil},
		{"url other scheme", schema.String().URL(), "mailto:someone@example.com", "mailto:someone@example.com", nil},
		{"url bad", schema.String().URL(), "example.com", nil, []string{"invalid_string Invalid url"}},
		{"url no host", schema.String().URL(), "https://", nil, []string{"invalid_string Invalid url"}},
		{"email ok", schema.String().Email(), "a.b+c@example.co.uk", "a.b+c@example.co.uk", nil},
		{"email bad", schema.String().Email(), "a@b", nil, []string{"invalid_string Invalid email"}},
		{"email dots", schema.String().Email(), "a..b@example.com", nil, []string{"invalid_string Invalid email"}},
		{"email leading dot", schema.String().Email(), ".a@example.com", nil, []string{"invalid_string Invalid email"}},
		{"regex ok", schema.String().Regex(schema.MustPattern(`^[a-z]+$`, "")), "abc", "abc", nil},
		{"regex bad", schema.String().Regex(schema.MustPattern(`^[a-z]+$`, "")), "ab1", nil, []string{"invalid_string Invalid"}},
		{"custom message", schema.String().Min(3).Message("too short"), "a", nil, []string{"too_small too short"}},
		{"custom type message", schema.String().Message("need text"), 1.0, nil, []string{"invalid_type need text"}},
		{"several checks fail", schema.String().Min(5).Email(), "ab", nil, []string{
			"too_small String must contain at least 5 character(s)", "invalid_string Invalid email"}},

		// number
		{"number float", schema.Number(), 1.5, 1.5, nil},
		{"number int64", schema.Number(), int64(7), int64(7), nil},
		{"number string", schema.Number(), "1", nil, []string{"invalid_type Expected number, received string"}},
		{"number nan", schema.Number(), math.NaN(), nil, []string{"invalid_type Expected number, received nan"}},
		{"number min", schema.Number().Min(1), 0.0, nil, []string{"too_small Number must be greater than or equal to 1"}},
		{"number min ok", schema.Number().Min(1), 1.0, 1.0, nil},
		{"number max", schema.Number().Max(10), 10.5, nil, []string{"too_big Number must be less than or equal to 10"}},
		{"number gt", schema.Number().Gt(0), 0.0, nil, []string{"too_small Number must be greater than 0"}},
		{"number lt", schema.Number().Lt(0.5), 0.5, nil, []string{"too_big Number must be less than 0.5"}},
		{"number int", schema.Number().Int(), 1.5, nil, []string{"invalid_type Expected integer, received float"}},
		{"number int ok", schema.Number().Int(), 2.0, 2.0, nil},
		// zod 4: z.number() refuses non-finite numbers; .int() unsafe integers.
		{"number inf", schema.Number(), math.Inf(1), nil, []string{"invalid_type Expected number, received Infinity"}},
		{"number -inf", schema.Number().Finite(), math.Inf(-1), nil, []string{"invalid_type Expected number, received -Infinity"}},
		{"number int unsafe", schema.Number().Int(), 9007199254740992.0, nil, []string{"too_big Number must be less than or equal to 9007199254740991"}},
		{"number int -unsafe", schema.Number().Int(), -9007199254740992.0, nil, []string{"too_small Number must be greater than or equal to -9007199254740991"}},
		{"number int max safe", schema.Number().Int(), 9007199254740991.0, 9007199254740991.0, nil},
		{"multipleOf", schema.Number().MultipleOf(5), 12.0, nil, []string{"not_multiple_of Number must be a multiple of 5"}},
		{"multipleOf decimal", schema.Number().MultipleOf(0.1), 0.3, 0.3, nil},
		{"multipleOf decimal bad", schema.Number().MultipleOf(0.1), 0.35, nil, []string{"not_multiple_of Number must be a multiple of 0.1"}},
		{"json.Number", schema.Number().Max(3), json.Number("4"), nil, []string{"too_big Number must be less than or equal to 3"}},

		// boolean
		{"boolean ok", schema.Boolean(), false, false, nil},
		{"boolean string", schema.Boolean(), "true", nil, []string{"invalid_type Expected boolean, received string"}},

		// enum
		{"enum ok", schema.Enum("a", "b"), "b", "b", nil},
		{"enum bad", schema.Enum("a", "b"), "c", nil, []string{"invalid_enum_value Invalid enum value. Expected 'a' | 'b', received 'c'"}},
		{"enum type", schema.Enum("a", "b"), 1.0, nil, []string{"invalid_type Expected 'a' | 'b', received number"}},
		{"enum secret hides value", schema.Enum("a").Secret(), "fake-token-123", nil, []string{"invalid_enum_value Invalid enum value. Expected 'a', received (hidden)"}},

		// literal
		{"literal ok", schema.Literal("x"), "x", "x", nil},
		{"literal number", schema.Literal(2), int64(2), int64(2), nil},
		{"literal bad", schema.Literal("x"), "y", nil, []string{`invalid_literal Invalid literal value, expected "x"`}},
		{"literal null", schema.Literal(nil), nil, nil, nil},

		// any
		{"any", schema.Any(), map[string]any{"k": 1.0}, map[string]any{"k": 1.0}, nil},
		{"any missing", schema.Any(), U, U, nil},

		// modifiers
		{"optional missing", schema.String().Optional(), U, U, nil},
		{"optional null", schema.String().Optional(), nil, nil, []string{"invalid_type Expected string, received null"}},
		{"nullable", schema.String().Nullable(), nil, nil, nil},
		{"default", schema.Number().Default(3.0), U, 3.0, nil},
		// zod 4: a default is the output as it is; a prefault is validated.
		{"default not checked", schema.Number().Min(5).Default(3.0), U, 3.0, nil},
		{"prefault checked", schema.Number().Min(5).Prefault(3.0), U, nil, []string{"too_small Number must be greater than or equal to 5"}},
		{"default not for null", schema.Number().Default(3.0), nil, nil, []string{"invalid_type Expected number, received null"}},

		// array
		{"array ok", schema.Array(schema.Number()), []any{1.0, 2.0}, []any{1.0, 2.0}, nil},
		{"array type", schema.Array(schema.Number()), map[string]any{}, nil, []string{"invalid_type Expected array, received object"}},
		{"array min", schema.Array(schema.Number()).Min(1), []any{}, nil, []string{"too_small Array must contain at least 1 element(s)"}},
		{"array max", schema.Array(schema.Number()).Max(1), []any{1.0, 2.0}, nil, []string{"too_big Array must contain at most 1 element(s)"}},
		{"array length", schema.Array(schema.Number()).Length(1), []any{}, nil, []string{"too_small Array must contain exactly 1 element(s)"}},
		{"array element", schema.Array(schema.Number()), []any{1.0, "x", true}, nil, []string{
			"invalid_type [1]: Expected number, received string", "invalid_type [2]: Expected number, received boolean"}},

		// object
		{"object strips", schema.Object(schema.Property{Key: "a", Schema: schema.String()}),
			map[string]any{"a": "x", "b": 1.0}, map[string]any{"a": "x"}, nil},
		{"object required", schema.Object(
			schema.Property{Key: "token", Schema: schema.String()},
			schema.Property{Key: "n", Schema: schema.Number().Optional()}),
			map[string]any{}, nil, []string{"invalid_type token: Required"}},
		{"object optional omitted", schema.Object(schema.Property{Key: "n", Schema: schema.Number().Optional()}),
			map[string]any{}, map[string]any{}, nil},
		{"object default filled", schema.Object(schema.Property{Key: "n", Schema: schema.Number().Default(30.0)}),
			map[string]any{}, map[string]any{"n": 30.0}, nil},
		{"object type", schema.Object(), []any{}, nil, []string{"invalid_type Expected object, received array"}},
		{"object strict", schema.Object(schema.Property{Key: "a", Schema: schema.String()}).Strict(),
			map[string]any{"a": "x", "z": 1.0, "b": 2.0}, nil, []string{"unrecognized_keys Unrecognized key(s) in object: 'b', 'z'"}},
		{"object passthrough", schema.Object(schema.Property{Key: "a", Schema: schema.String()}).Passthrough(),
			map[string]any{"a": "x", "b": 2.0}, map[string]any{"a": "x", "b": 2.0}, nil},
		{"nested paths", schema.Object(schema.Property{Key: "items", Schema: schema.Array(schema.Object(
			schema.Property{Key: "name", Schema: schema.String()},
			schema.Property{Key: "odd key", Schema: schema.Boolean()}))}),
			map[string]any{"items": []any{
				map[string]any{"name": "a", "odd key": true},
				map[string]any{"name": "b", "odd key": false},
				map[string]any{"name": 3.0},
			}}, nil, []string{
				"invalid_type items[2].name: Expected string, received number",
				`invalid_type items[2]["odd key"]: Required`}},
		{"nested default", schema.Object(schema.Property{Key: "opts", Schema: schema.Object(
			schema.Property{Key: "mode", Schema: schema.Enum("fast", "slow").Default("fast")},
		).Default(map[string]any{})}),
			map[string]any{}, map[string]any{"opts": map[string]any{}}, nil},
		{"nested prefault", schema.Object(schema.Property{Key: "opts", Schema: schema.Object(
			schema.Property{Key: "mode", Schema: schema.Enum("fast", "slow").Default("fast")},
		).Prefault(map[string]any{})}),
			map[string]any{}, map[string]any{"opts": map[string]any{"mode": "fast"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, issues := tt.s.Validate(tt.in)
			got := issueLines(issues)
			if !reflect.DeepEqual(got, tt.issues) {
				t.Fatalf("issues:\n got %q\nwant %q", got, tt.issues)
			}
			if tt.issues == nil && !reflect.DeepEqual(out, tt.want) {
				t.Fatalf("output: got %#v, want %#v", out, tt.want)
			}
		})
	}
}

func TestValidateDoesNotModifyInputOrShareDefaults(t *testing.T) {
	s := schema.Object(
		schema.Property{Key: "tags", Schema: schema.Array(schema.String()).Default([]any{"a"})},
	)
	in := map[string]any{"extra": 1.0}
	out1, _ := s.Validate(in)
	if len(in) != 1 {
		t.Fatalf("input modified: %v", in)
	}
	out1.(map[string]any)["tags"].([]any)[0] = "changed"
	out2, _ := s.Validate(map[string]any{})
	if got := out2.(map[string]any)["tags"].([]any)[0]; got != "a" {
		t.Fatalf("default shared between outputs: %v", got)
	}
}

func TestImmutable(t *testing.T) {
	a := schema.String()
	b := a.Min(3)
	c := a.Optional().Label("A")
	if _, is := a.Validate("x"); is != nil {
		t.Fatalf("a changed by b: %v", is)
	}
	if _, is := b.Validate("x"); is == nil {
		t.Fatal("b lost its check")
	}
	if a.IsOptional() || a.LabelText() != "" || !c.IsOptional() || c.LabelText() != "A" {
		t.Fatal("modifiers leaked between copies")
	}
	// Appending checks to two copies of one base must not share storage.
	base := schema.String().Min(1).Max(30)
	x, y := base.Email(), base.URL()
	if _, is := x.Validate("https://example.com"); len(is) != 1 || is[0].Message != "Invalid email" {
		t.Fatalf("x: %v", is)
	}
	if _, is := y.Validate("a@example.com"); len(is) != 1 || is[0].Message != "Invalid url" {
		t.Fatalf("y: %v", is)
	}
	obj := schema.Object(schema.Property{Key: "a", Schema: schema.String()})
	ext := obj.Extend(schema.Property{Key: "b", Schema: schema.Number()})
	if len(obj.Fields()) != 1 || len(ext.Fields()) != 2 {
		t.Fatal("Extend changed its receiver")
	}
}

func TestObjectHelpers(t *testing.T) {
	obj := schema.Object(
		schema.Property{Key: "a", Schema: schema.String()},
		schema.Property{Key: "b", Schema: schema.Number()},
		schema.Property{Key: "c", Schema: schema.Boolean()},
	)
	keys := func(s *schema.Schema) string {
		var k []string
		for _, f := range s.Fields() {
			k = append(k, f.Key)
		}
		return strings.Join(k, ",")
	}
	if got := keys(obj.Pick("c", "a")); got != "a,c" {
		t.Errorf("Pick: %s", got)
	}
	if got := keys(obj.Omit("b")); got != "a,c" {
		t.Errorf("Omit: %s", got)
	}
	if got := keys(obj.Extend(schema.Property{Key: "b", Schema: schema.String()}, schema.Property{Key: "d", Schema: schema.String()})); got != "a,b,c,d" {
		t.Errorf("Extend: %s", got)
	}
	if _, is := obj.Partial().Validate(map[string]any{}); is != nil {
		t.Errorf("Partial: %v", is)
	}
}

func TestFields(t *testing.T) {
	s := schema.Object(
		schema.Property{Key: "token", Schema: schema.String().Secret().Label("API Token").Section("Authentication")},
		schema.Property{Key: "region", Schema: schema.Enum("eu", "us").Default("eu").Describe("Where data lives")},
		schema.Property{Key: "verbose", Schema: schema.Boolean().Optional()},
	)
	got := s.Fields()
	for i := range got {
		got[i].Schema = nil
	}
	want := []schema.Field{
		{Key: "token", Kind: schema.KindString, Label: "API Token", Section: "Authentication", Secret: true, Required: true},
		{Key: "region", Kind: schema.KindEnum, Label: "region", Description: "Where data lives", HasDefault: true, Default: "eu", Options: []string{"eu", "us"}},
		{Key: "verbose", Kind: schema.KindBoolean, Label: "verbose", Optional: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Fields:\n got %+v\nwant %+v", got, want)
	}
	if schema.String().Fields() != nil {
		t.Fatal("Fields of a string should be nil")
	}
}

func TestFormatIssues(t *testing.T) {
	issues := []schema.Issue{
		{Path: []any{"token"}, Code: "invalid_type", Message: "Required"},
		{Path: []any{"items", 2, "name"}, Code: "invalid_type", Message: "Expected string, received number"},
		{Path: []any{"a-b", 0}, Message: "x"},
		{Message: "Expected object, received null"},
	}
	want := "token: Required\nitems[2].name: Expected string, received number\n[\"a-b\"][0]: x\nExpected object, received null"
	if got := schema.FormatIssues(issues); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	s := schema.Object(schema.Property{Key: "token", Schema: schema.String().Secret()})
	_, err := s.Parse(map[string]any{})
	if err == nil || err.Error() != "invalid value: token: Required" {
		t.Fatalf("Parse error: %v", err)
	}
}

// tenFields is the benchmark's object: ten fields of every kind.
func tenFields() (*schema.Schema, map[string]any) {
	s := schema.Object(
		schema.Property{Key: "token", Schema: schema.String().Secret().Min(8)},
		schema.Property{Key: "url", Schema: schema.String().URL()},
		schema.Property{Key: "email", Schema: schema.String().Email()},
		schema.Property{Key: "name", Schema: schema.String().Regex(schema.MustPattern(`^[a-z]+$`, ""))},
		schema.Property{Key: "port", Schema: schema.Number().Int().Min(1).Max(65535)},
		schema.Property{Key: "ratio", Schema: schema.Number().Gt(0).Lt(1)},
		schema.Property{Key: "debug", Schema: schema.Boolean().Default(false)},
		schema.Property{Key: "region", Schema: schema.Enum("eu", "us", "ap")},
		schema.Property{Key: "tags", Schema: schema.Array(schema.String()).Max(10)},
		schema.Property{Key: "note", Schema: schema.String().Optional()},
	)
	in := map[string]any{
		"token": "fake-token-123", "url": "https://example.com/api", "email": "me@example.com",
		"name": "abc", "port": 8080.0, "ratio": 0.5, "region": "eu",
		"tags": []any{"x", "y"}, "extra": true,
	}
	return s, in
}

func TestTenFields(t *testing.T) {
	s, in := tenFields()
	out, issues := s.Validate(in)
	if issues != nil {
		t.Fatal(issues)
	}
	m := out.(map[string]any)
	if len(m) != 9 || m["debug"] != false {
		t.Fatalf("output %v", m)
	}
}

func BenchmarkValidateTenFields(b *testing.B) {
	s, in := tenFields()
	b.ReportAllocs()
	for b.Loop() {
		if _, issues := s.Validate(in); issues != nil {
			b.Fatal(issues)
		}
	}
}
