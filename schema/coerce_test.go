package schema_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"host/schema"
)

func TestCoerceString(t *testing.T) {
	tests := []struct {
		name string
		s    *schema.Schema
		in   string
		want any
		err  string
	}{
		{"string kept", schema.String(), "  spaced ", "  spaced ", ""},
		{"number", schema.Number(), "42", 42.0, ""},
		{"number spaces", schema.Number(), " -1.5e3 ", -1500.0, ""},
		{"number frac", schema.Number(), ".5", 0.5, ""},
		{"number bad", schema.Number(), "12abc", nil, "expected a number"},
		{"number inf", schema.Number(), "Inf", nil, "expected a number"},
		{"number nan", schema.Number(), "NaN", nil, "expected a number"},
		{"number hex", schema.Number(), "0x10", nil, "expected a number"},
		{"number empty", schema.Number(), "", nil, "expected a number"},
		{"number huge", schema.Number(), "1e999", nil, "expected a number in range"},
		{"bool true", schema.Boolean(), "true", true, ""},
		{"bool yes", schema.Boolean(), "YES", true, ""},
		{"bool 1", schema.Boolean(), "1", true, ""},
		{"bool on", schema.Boolean(), "on", true, ""},
		{"bool false", schema.Boolean(), "False", false, ""},
		{"bool no", schema.Boolean(), "no", false, ""},
		{"bool 0", schema.Boolean(), "0", false, ""},
		{"bool bad", schema.Boolean(), "maybe", nil, "expected true or false (or yes/no, on/off, 1/0)"},
		{"enum ok", schema.Enum("eu", "us"), "us", "us", ""},
		{"enum bad", schema.Enum("eu", "us"), "mars", nil, "expected one of 'eu' | 'us'"},
		{"literal", schema.Literal("v1"), "v1", "v1", ""},
		{"literal num", schema.Literal(3), "3", 3.0, ""},
		{"literal bad", schema.Literal(true), "false", nil, "expected true"},
		{"nullable null", schema.Number().Nullable(), "null", nil, ""},
		{"nullable string stays", schema.String().Nullable(), "null", "null", ""},
		{"array csv", schema.Array(schema.Number()), "1, 2,3", []any{1.0, 2.0, 3.0}, ""},
		{"array csv strings", schema.Array(schema.String()), "a, b", []any{"a", "b"}, ""},
		{"array json", schema.Array(schema.String()), `["a,b","c"]`, []any{"a,b", "c"}, ""},
		{"array empty", schema.Array(schema.String()), "", []any{}, ""},
		{"array bad item", schema.Array(schema.Number()), "1,x", nil, "item 2: expected a number"},
		{"array bad json", schema.Array(schema.Number()), "[1,", nil, "expected a JSON array: invalid JSON at byte 3"},
		{"object json", schema.Object(), `{"a":1}`, map[string]any{"a": 1.0}, ""},
		{"object bad", schema.Object(), `[1]`, nil, "expected a JSON object"},
		{"any json", schema.Any(), `{"a":[true]}`, map[string]any{"a": []any{true}}, ""},
		{"any text", schema.Any(), `hello`, "hello", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.s.CoerceString(tt.in)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				var ce *schema.CoerceError
				if !errors.As(err, &ce) {
					t.Fatalf("err %T is not *CoerceError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestCoerceThenValidate(t *testing.T) {
	s := schema.Object(
		schema.Property{Key: "port", Schema: schema.Number().Int().Min(1)},
		schema.Property{Key: "debug", Schema: schema.Boolean()},
	)
	cfg := map[string]any{}
	for _, f := range s.Fields() {
		text := map[string]string{"port": "8080", "debug": "yes"}[f.Key]
		v, err := schema.CoerceString(f, text)
		if err != nil {
			t.Fatal(err)
		}
		cfg[f.Key] = v
	}
	out, issues := s.Validate(cfg)
	if issues != nil || !reflect.DeepEqual(out, map[string]any{"port": 8080.0, "debug": true}) {
		t.Fatalf("out %v issues %v", out, issues)
	}
}

// knownCoerceErrors are all coercion errors with digits removed: anything
// else would depend on, and might echo, the input.
var knownCoerceErrors = map[string]bool{
	"expected a number":                             true,
	"expected a number in range":                    true,
	"expected true or false (or yes/no, on/off, /)": true,
	"expected one of 'eu' | 'us'":                   true,
	"item : expected a number":                      true,
	"item : expected a number in range":             true,
	"expected a JSON array: invalid JSON at byte ":  true,
	"expected a JSON array: not an array":           true,
	"expected a JSON array: invalid JSON":           true,
	"expected a JSON object":                        true,
	`expected "x"`:                                  true,
	"matches none of the allowed forms":             true,
	"expected null":                                 true,
	"expected a JSON array":                         true,
}

func stripDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, s)
}

// FuzzCoerceString checks that coercion never panics, never echoes its input
// in an error, and that whatever it returns has the schema's type.
func FuzzCoerceString(f *testing.F) {
	for _, s := range []string{"", "1", "-2.5e3", "true", "no", "eu", "[1,2]", "a,b", `{"a":1}`, "null", "fake-token-123"} {
		f.Add(s)
	}
	schemas := []*schema.Schema{
		schema.String(), schema.Number(), schema.Boolean(), schema.Enum("eu", "us"),
		schema.Array(schema.Number()), schema.Array(schema.String()), schema.Object(),
		schema.Literal("x"), schema.Number().Nullable(), schema.Any(),
		schema.Union(schema.Number(), schema.Boolean()), schema.Record(schema.String(), schema.Number()),
		schema.Tuple([]*schema.Schema{schema.String()}, nil), schema.Null(), schema.Number().Coerce(),
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, s := range schemas {
			v, err := s.CoerceString(text)
			if err != nil {
				if !knownCoerceErrors[stripDigits(err.Error())] {
					t.Fatalf("%s: unexpected error text %q (may echo the input)", s.Kind(), err)
				}
				continue
			}
			if s.IsNullable() && v == nil {
				continue
			}
			// A coerced value of a plain kind always passes the type check.
			switch s.Kind() {
			case schema.KindString, schema.KindNumber, schema.KindBoolean, schema.KindEnum, schema.KindLiteral:
				if _, issues := s.Validate(v); issues != nil {
					t.Fatalf("%s: coerced %#v fails validation: %v", s.Kind(), v, issues)
				}
			}
		}
	})
}
