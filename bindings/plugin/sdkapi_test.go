package plugin

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// ctx.host is the SDK's host API level host implements, with the SDK
// host's "lifecycle" among the capabilities; the SDK publishing guide's
// minHostVersion "0.2.0" is met; the SDK module's schema utilities work
// inside a plugin.
func TestSDKHostAPI(t *testing.T) {
	h, _ := newHost(t)
	h.Version = "0.1.0-dev"
	writePlugin(t, h, "guide/package.json", `{"name": "my-service", "hivemind": {"minHostVersion": "0.2.0"}}`)
	p := loadActive(t, h, writePlugin(t, h, "guide/src/index.ts", `import { definePlugin, z, serializeConfigSchema, getFieldMeta } from '@hivemind-os/plugin-sdk';
import sdk from '@hivemind-os/plugin-sdk';
const configSchema = z.object({ token: z.string().secret().label('Token').optional() });
export default definePlugin({
  configSchema,
  tools: [{ name: 'info', description: 'host info', parameters: z.object({}), execute: async (_p, ctx) => ({ content: {
    version: ctx.host.version, lifecycle: ctx.host.capabilities.includes('lifecycle'),
    schema: serializeConfigSchema(configSchema), meta: getFieldMeta(configSchema.shape.token),
    same: sdk.serializeConfigSchema === serializeConfigSchema } }) }],
});`))
	defer p.Close()
	r, err := p.CallTool(context.Background(), "info", json.RawMessage(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(r.Content)
	want := `{"version":"0.2.0","lifecycle":true,"schema":{"type":"object","properties":{"token":{"type":"string","description":"Token","hivemind":{"label":"Token","secret":true}}},"required":[]},"meta":{"label":"Token","secret":true},"same":true}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// A tool's parameters may be any z type that takes an object, as the SDK's
// runtime allows (z.record, a union of objects): its JSON Schema follows.
// A schema for something else is refused at load, with the reason.
func TestToolParametersAnyObjectType(t *testing.T) {
	h, _ := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "rec/plugin.ts", `export default definePlugin({
  tools: [
    { name: 'sum', description: 'adds', parameters: z.record(z.string(), z.number()),
      execute: async (params) => ({ content: String(Object.values(params).reduce((a, b) => a + b, 0)) }) },
    { name: 'either', description: 'one of two', parameters: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]),
      execute: async (params) => ({ content: JSON.stringify(params) }) },
  ],
});`))
	defer p.Close()
	ctx := context.Background()
	r, err := p.CallTool(ctx, "sum", json.RawMessage(`{"x": 1, "y": 2.5}`))
	if err != nil || r.Text() != "3.5" {
		t.Errorf("sum = %v, %v", r, err)
	}
	if _, err := p.CallTool(ctx, "sum", json.RawMessage(`{"x": "one"}`)); err == nil || !strings.Contains(err.Error(), "Expected number") {
		t.Errorf("sum of a string: %v", err)
	}
	if r, err := p.CallTool(ctx, "either", json.RawMessage(`{"b": 2}`)); err != nil || r.Text() != `{"b":2}` {
		t.Errorf("either = %v, %v", r, err)
	}
	schemas := map[string]string{}
	for _, tool := range p.Tools() {
		js, err := tool.InputSchema()
		if err != nil {
			t.Fatal(err)
		}
		schemas[tool.Name] = string(js)
	}
	if s := schemas["sum"]; !strings.Contains(s, `"type":"object"`) || !strings.Contains(s, `"additionalProperties":{"type":"number"}`) {
		t.Errorf("sum's input schema = %s", s)
	}
	if s := schemas["either"]; !strings.Contains(s, `"type":"object"`) || !strings.Contains(s, `"anyOf"`) {
		t.Errorf("either's input schema = %s", s)
	}

	_, err = Load(ctx, h, writePlugin(t, h, "str/plugin.ts", `export default definePlugin({
  tools: [{ name: 'say', description: 'says', parameters: z.string(), execute: async (s) => ({ content: s }) }],
});`))
	if err == nil || !strings.Contains(err.Error(), "tools[0].parameters must describe an object") {
		t.Errorf("a string schema as parameters: %v", err)
	}
}
