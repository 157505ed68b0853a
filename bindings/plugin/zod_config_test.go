package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"host/schema"
)

// A configSchema's refinements and transforms run at activation, on the
// plugin's loop: ctx.config holds the transformed values, and a refusal is
// a validation error naming the field, before onActivate runs.
func TestConfigRefineAndTransform(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "fx/plugin.ts", `export default definePlugin({
  configSchema: z.object({
    baseUrl: z.string().url().transform((u) => u.replace(/\/+$/, '')),
    port: z.coerce.number().int().refine((n) => n !== 22, 'port 22 is for ssh'),
  }),
  onActivate: async (ctx) => {
    if (ctx.config.baseUrl !== 'https://api.example.com') throw new Error('baseUrl is ' + ctx.config.baseUrl);
    if (!Object.isFrozen(ctx.config)) throw new Error('config not frozen');
  },
});`)
	ctx := context.Background()
	p, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s, err := p.Setup(ctx, Inputs{Set: map[string]string{"baseUrl": "https://api.example.com//", "port": "22"}})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Activate(ctx, s)
	var ve *schema.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "port: port 22 is for ssh") {
		t.Fatalf("err = %v, want the refinement's refusal", err)
	}
	if err := s.Supply("port", "8080"); err != nil {
		t.Fatal(err)
	}
	if err := p.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
}

// A zod method host lacks fails the load with its name and where the
// plugin called it.
func TestUnsupportedZodMethodAtLoad(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "ip/plugin.ts", `export default definePlugin({
  configSchema: z.object({
    addr: z.string().hostname(),
  }),
});`)
	_, err := Load(context.Background(), h, path)
	if err == nil || !strings.Contains(err.Error(), "z.string().hostname() is not supported by host; check the text with .regex()") ||
		!strings.Contains(err.Error(), "ip/plugin.ts:3:") {
		t.Fatalf("err = %v", err)
	}
}

// A tool's parameters may use the zod 4 API; bad input is refused with
// the paths of the problems, and the tool gets the parsed value.
func TestToolZod4Parameters(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "z4/plugin.ts", `export default definePlugin({
  tools: [{
    name: 'shape',
    description: 'Area of a shape',
    parameters: z.object({
      shape: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('circle'), r: z.number().positive() }),
        z.object({ kind: z.literal('rect'), w: z.number(), h: z.number() }),
      ]),
      tags: z.record(z.string(), z.string()).optional(),
      unit: z.enum(['m', 'cm']).default('m'),
    }),
    execute: async ({ shape, unit }) => ({
      content: { area: shape.kind === 'circle' ? 3 * shape.r * shape.r : shape.w * shape.h, unit },
    }),
  }],
});`)
	ctx := context.Background()
	p, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	js, err := p.Tools()[0].InputSchema()
	if err != nil || !strings.Contains(string(js), `"oneOf":[`) || strings.Contains(string(js), `"required":["shape","unit"]`) {
		t.Errorf("input schema = %s, %v", js, err)
	}
	s, err := p.Setup(ctx, Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
	res, err := p.CallTool(ctx, "shape", json.RawMessage(`{"shape":{"kind":"rect","w":2,"h":3}}`))
	if err != nil || !strings.Contains(string(res.Content), `{"area":6,"unit":"m"}`) {
		t.Errorf("call = %s, %v", res.Content, err)
	}
	_, err = p.CallTool(ctx, "shape", json.RawMessage(`{"shape":{"kind":"circle","r":-1},"tags":{"a":1}}`))
	if err == nil || !strings.Contains(err.Error(), "shape.r: Number must be greater than 0") || !strings.Contains(err.Error(), "tags.a: Expected string, received number") {
		t.Errorf("bad call: %v", err)
	}
}

// A config field of a type a setup form cannot show (a function, a
// promise, a map...) is refused at load, naming the field and where its
// schema was made.
func TestConfigFieldFormCannotShow(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "fn/plugin.ts", `export default definePlugin({
  configSchema: z.object({
    name: z.string(),
    nested: z.object({
      cb: z.function(),
    }),
    tags: z.set(z.string()),
  }),
});`)
	_, err := Load(context.Background(), h, path)
	if err == nil {
		t.Fatal("loaded")
	}
	for _, want := range []string{"configSchema field nested.cb (fn/plugin.ts:5:", "is a function, which a setup form cannot show",
		"configSchema field tags (fn/plugin.ts:7:", "is a set,"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant it to contain %q", err, want)
		}
	}
}

// The z of "@hivemind-os/plugin-sdk" is zod 3's (the SDK pins zod ^3.23):
// its .default() value is parsed, as zod 3 does; the global z keeps zod 4's
// unparsed default.
func TestSDKZodIsZod3(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "z3/plugin.ts", `import { definePlugin, z as z3 } from '@hivemind-os/plugin-sdk';
export default definePlugin({
  tools: [{
    name: 'check',
    description: 'zod 3 and zod 4 side by side',
    parameters: z3.object({}),
    execute: async () => ({ content: [{ type: 'text', text: JSON.stringify([
      z3.number().min(5).default(3).safeParse(undefined).success,
      z.number().min(5).default(3).safeParse(undefined).success,
      z3.number().safeParse(Infinity).success,
      z.number().safeParse(Infinity).success,
      z3.string() instanceof z3.ZodString,
      z3.date()._def.typeName,
    ]) }] }),
  }],
});`)
	p := loadActive(t, h, path)
	t.Cleanup(func() { _ = p.Deactivate(context.Background()) })
	res, err := p.CallTool(context.Background(), "check", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Content); !strings.Contains(got, `[false,true,true,false,true,\"ZodDate\"]`) {
		t.Fatalf("result = %s", got)
	}
}

// A z.date() config field takes ISO text (a date or a date-time), is saved
// as ISO text, and reaches ctx.config as a Date, after a reload too.
func TestConfigDateField(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "dates/plugin.ts", `export default definePlugin({
  configSchema: z.object({
    since: z.date().min(new Date('2020-01-01T00:00:00Z')),
    until: z.date().default(new Date('2030-06-01T12:00:00Z')),
  }),
  onActivate: async (ctx) => {
    const { since, until } = ctx.config;
    if (!(since instanceof Date) || !(until instanceof Date)) throw new Error('not dates: ' + typeof since + ' ' + typeof until);
    console.log('since=' + since.toISOString() + ' until=' + until.toISOString());
  },
});`)
	ctx := context.Background()
	p, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s, err := p.Setup(ctx, Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Supply("since", "May 1st"); err == nil || !strings.Contains(err.Error(), "expected a date like 2024-05-01") {
		t.Fatalf("Supply(May 1st) = %v", err)
	}
	if err := s.Supply("since", "2019-12-31"); err == nil || !strings.Contains(err.Error(), "Date must be greater than or equal to 2020-01-01T00:00:00.000Z") {
		t.Fatalf("Supply(2019-12-31) = %v", err)
	}
	if err := s.Supply("since", "2024-05-01"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
	_ = p.Deactivate(ctx)
	data, err := os.ReadFile(p.ConfigPath())
	if err != nil || !strings.Contains(string(data), `"since": "2024-05-01T00:00:00Z"`) {
		t.Fatalf("saved config: %s (%v)", data, err)
	}
	// The next load reads the saved ISO text back as a date.
	p2, err := Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	s, err = p2.Setup(ctx, Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p2.Activate(ctx, s); err != nil {
		t.Fatal(err)
	}
	_ = p2.Deactivate(ctx)
	if f, _ := s.Field("since"); schema.Text(f.Value) != "2024-05-01T00:00:00.000Z" {
		t.Fatalf("since = %#v", f.Value)
	}
	if f, _ := s.Field("until"); schema.Text(f.Value) != "2030-06-01T12:00:00.000Z" {
		t.Fatalf("until = %#v", f.Value)
	}
}

// A tool parameter of a type JSON Schema cannot describe (a Date, a Map)
// is refused at load, saying where it was made and what to use instead.
func TestToolParameterNotJSON(t *testing.T) {
	h, _ := newHost(t)
	path := writePlugin(t, h, "tooldate/plugin.ts", `export default definePlugin({
  tools: [{
    name: 'when',
    description: 'x',
    parameters: z.object({
      at: z.date(),
    }),
    execute: async () => ({ content: 'ok' }),
  }],
});`)
	_, err := Load(context.Background(), h, path)
	if err == nil || !strings.Contains(err.Error(), "tools[0].parameters cannot be a tool's input schema: Date cannot be represented in JSON Schema (tooldate/plugin.ts:6:") ||
		!strings.Contains(err.Error(), "z.string().datetime()") {
		t.Fatalf("err = %v", err)
	}
}
