package schema

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestDateText(t *testing.T) {
	for in, want := range map[string]string{
		"2024-05-01":                "2024-05-01T00:00:00.000Z",
		"2024-05-01T10:30:00Z":      "2024-05-01T10:30:00.000Z",
		"2024-05-01T12:30:00+02:00": "2024-05-01T10:30:00.000Z",
		"2024-05-01T10:30:00.5Z":    "2024-05-01T10:30:00.500Z",
	} {
		d, err := ParseDate(in)
		if err != nil || FormatDate(d) != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, FormatDate(d), err, want)
		}
	}
	if _, err := ParseDate("May 1st"); err == nil {
		t.Error("ParseDate(May 1st) succeeded")
	}
	s := Object(Property{"at", Date()}, Property{"list", Array(Date())}, Property{"n", Number()})
	got := s.FromJSON(map[string]any{"at": "2024-05-01", "list": []any{"2024-05-02T00:00:00Z"}, "n": 1.0}).(map[string]any)
	if _, ok := got["at"].(time.Time); !ok {
		t.Errorf("at = %#v", got["at"])
	}
	if _, ok := got["list"].([]any)[0].(time.Time); !ok {
		t.Errorf("list = %#v", got["list"])
	}
	if _, issues := s.Validate(got); issues != nil {
		t.Errorf("issues %v", issues)
	}
	if !s.Holds(KindDate) || Object(Property{"n", Number()}).Holds(KindDate) {
		t.Error("Holds(KindDate)")
	}
}

func TestFormProblems(t *testing.T) {
	var self *Schema
	self = Lazy(func() *Schema {
		return Object(Property{"next", self.Optional()}, Property{"cb", Function(nil, nil).At("p.ts:3:7")})
	})
	s := Object(Property{"ok", String()}, Property{"deep", Object(Property{"m", Map(String(), Number())})}, Property{"tree", self})
	var got []string
	for _, p := range s.FormProblems() {
		got = append(got, FormatPath(p.Path)+"="+string(p.Kind)+"@"+p.Origin)
	}
	if strings.Join(got, " ") != "deep.m=map@ tree.cb=function@p.ts:3:7" {
		t.Errorf("FormProblems = %v", got)
	}
}

func TestZod3Differences(t *testing.T) {
	for _, tc := range []struct {
		name   string
		s      *Schema
		in     any
		z4, z3 bool // valid
	}{
		{"Infinity", Number(), math.Inf(1), false, true},
		{"unsafe int", Number().Int(), 1e21, false, true},
		{"UTF-16 length", String().Max(1), "😀", true, false},
		{"uuid version", String().Format("uuid"), "123e4567-e89b-02d3-a456-426614174000", false, true},
		{"tuple optional", Tuple([]*Schema{String(), Number().Optional()}, nil), []any{"a"}, true, false},
		{"record enum", Record(Enum("a", "b"), Number()), map[string]any{"a": 1.0}, false, true},
	} {
		_, i4 := tc.s.Validate(tc.in)
		_, i3 := tc.s.Zod3().Validate(tc.in)
		if (i4 == nil) != tc.z4 || (i3 == nil) != tc.z3 {
			t.Errorf("%s: zod 4 valid %v (%v), zod 3 valid %v (%v)", tc.name, i4 == nil, i4, i3 == nil, i3)
		}
	}
}

func TestBigIntChecks(t *testing.T) {
	s := BigInt().BigMin(big.NewInt(2), false).BigMax(big.NewInt(10), true)
	for in, ok := range map[int64]bool{2: true, 9: true, 1: false, 10: false} {
		if _, issues := s.Validate(big.NewInt(in)); (issues == nil) != ok {
			t.Errorf("%d: %v", in, issues)
		}
	}
	if _, issues := s.Validate(5.0); issues == nil || issues[0].Message != "Expected bigint, received number" {
		t.Errorf("number: %v", issues)
	}
}

func TestRecursiveJSONSchema(t *testing.T) {
	var node *Schema
	node = Object(Property{"v", Number()}, Property{"kids", Lazy(func() *Schema { return Array(node) })})
	out, err := Object(Property{"root", node}).JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"root":{"$ref":"#/$defs/__schema0"}},"required":["root"],"additionalProperties":false,"$defs":{"__schema0":{"type":"object","properties":{"v":{"type":"number"},"kids":{"type":"array","items":{"$ref":"#/$defs/__schema0"}}},"required":["v","kids"],"additionalProperties":false}}}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	if _, err := Object(Property{"d", Date()}).InputJSONSchema(); err == nil || err.Error() != "Date cannot be represented in JSON Schema" {
		t.Errorf("date: %v", err)
	}
}
