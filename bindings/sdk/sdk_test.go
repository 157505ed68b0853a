package sdk_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/sdk"
	"host/bindings/zod"
)

func newVM(t *testing.T) *goja.Runtime {
	t.Helper()
	vm := goja.New()
	if err := zod.Install(jsapi.NewEnv(nil, vm)); err != nil {
		t.Fatal(err)
	}
	if err := sdk.Install(jsapi.NewEnv(nil, vm)); err != nil {
		t.Fatal(err)
	}
	_, err := vm.RunString(`var { serializeConfigSchema, getFieldMeta } = globalThis[Symbol.for('host.sdk')];`)
	if err != nil {
		t.Fatal(err)
	}
	return vm
}

func eval(t *testing.T, vm *goja.Runtime, js string) string {
	t.Helper()
	v, err := vm.RunString("JSON.stringify(" + js + ", null, 2)")
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v.String()
}

// sameJSON compares two JSON texts as values (key order aside).
func sameJSON(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("got: %v", err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want: %v", err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return bytes.Equal(gb, wb)
}

// The SDK's host-API test plugin's configSchema (testdata/sdk-samples,
// unchanged) serializes to what the SDK itself wrote for it
// (dist/config-schema.json of its repository, from the SDK's
// hivemind-extract-schema): numbers wrapped by .default() show no
// minimum/maximum, the label is the description.
func TestSerializeTestPlugin(t *testing.T) {
	vm := newVM(t)
	want, err := os.ReadFile("testdata/test-plugin.config-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range []string{"z", "z[Symbol.for('" + zod.Zod3Key + "')]"} { // host's z and the SDK module's (zod 3)
		t.Run(ns, func(t *testing.T) { serializeTestPlugin(t, vm, ns, string(want)) })
	}
}

func serializeTestPlugin(t *testing.T, vm *goja.Runtime, z, want string) {
	got := eval(t, vm, `((z) => serializeConfigSchema(z.object({
    apiKey: z.string().secret().label("API Key").helpText("Test API key (any value accepted)").section("Authentication"),
    endpoint: z.string().default("https://httpbin.org").label("API Endpoint").section("Connection"),
    pollInterval: z.number().min(1).max(3600).default(30).label("Poll Interval (seconds)").section("Sync"),
    failOnActivate: z.boolean().default(false).label("Simulate activation failure")
      .helpText("When true, onActivate will throw an error").section("Testing"),
  })))(`+z+`)`)
	if !sameJSON(t, got, want) {
		t.Errorf("got\n%s\nwant (the SDK's)\n%s", got, want)
	}
}

// The SDK's rules field by field.
func TestSerializeRules(t *testing.T) {
	vm := newVM(t)
	tests := []struct{ name, js, want string }{
		{"not an object", `serializeConfigSchema(z.string())`, `{"type":"object","properties":{},"required":[]}`},
		{"not a schema", `serializeConfigSchema({})`, `{"type":"object","properties":{},"required":[]}`},
		{"bounds on a bare number and string", `serializeConfigSchema(z.object({ n: z.number().min(2).max(9), p: z.number().positive(), s: z.string().min(3) }))`,
			`{"type":"object","properties":{"n":{"type":"number","minimum":2,"maximum":9},"p":{"type":"number","minimum":0},"s":{"type":"string","minimum":3}},"required":["n","p","s"]}`},
		{"optional keeps type, drops bounds", `serializeConfigSchema(z.object({ n: z.number().min(2).optional(), m: z.number().nullable() }))`,
			`{"type":"object","properties":{"n":{"type":"number"},"m":{"type":"number"}},"required":["m"]}`},
		{"enum", `serializeConfigSchema(z.object({ e: z.enum(['a', 'b']).default('a').radio() }))`,
			`{"type":"object","properties":{"e":{"type":"string","default":"a","enum":["a","b"],"hivemind":{"radio":true}}},"required":[]}`},
		{"array items only when bare", `serializeConfigSchema(z.object({ a: z.array(z.number().max(3)), d: z.array(z.string()).default([]) }))`,
			`{"type":"object","properties":{"a":{"type":"array","items":{"type":"number","maximum":3}},"d":{"type":"array","default":[]}},"required":["a"]}`},
		{"other kinds are strings", `serializeConfigSchema(z.object({ o: z.object({ x: z.string() }), u: z.union([z.string(), z.number()]), l: z.literal(3), r: z.record(z.string(), z.number()), f: z.number().refine((n) => n > 1) }))`,
			`{"type":"object","properties":{"o":{"type":"string"},"u":{"type":"string"},"l":{"type":"string"},"r":{"type":"string"},"f":{"type":"string"}},"required":["o","u","l","r","f"]}`},
		{"describe is the description", `serializeConfigSchema(z.object({ d: z.string().describe('what it is').placeholder('x') }))`,
			`{"type":"object","properties":{"d":{"type":"string","description":"what it is","hivemind":{"placeholder":"x"}}},"required":["d"]}`},
		{"getFieldMeta", `[getFieldMeta(z.string()), getFieldMeta(z.string().secret().label('Key').section('Auth').helpText('h').placeholder('p').radio()), getFieldMeta({})]`,
			`[{},{"label":"Key","helpText":"h","section":"Auth","secret":true,"radio":true,"placeholder":"p"},{}]`},
		{"a default is a fresh value", `(() => { const s = z.object({ d: z.array(z.string()).default(['a']) }); serializeConfigSchema(s).properties.d.default.push('b'); return serializeConfigSchema(s).properties.d.default; })()`,
			`["a"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := eval(t, vm, tt.js); !sameJSON(t, got, tt.want) {
				t.Errorf("got %s\nwant %s", got, tt.want)
			}
		})
	}
}
