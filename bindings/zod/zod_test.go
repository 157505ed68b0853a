package zod_test

import (
	"errors"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/evanw/esbuild/pkg/api"

	"host/bindings/jsapi"
	"host/bindings/zod"
	"host/internal/hosttest"
	"host/schema"
)

func newVM(t testing.TB) *goja.Runtime {
	t.Helper()
	vm := goja.New()
	if err := zod.Install(jsapi.NewEnv(nil, vm)); err != nil {
		t.Fatal(err)
	}
	return vm
}

// run evaluates a snippet whose last expression is JSON.stringify'd.
func run(t testing.TB, vm *goja.Runtime, src string) (string, error) {
	t.Helper()
	v, err := vm.RunString("JSON.stringify((() => {" + src + "})())")
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

func TestZod(t *testing.T) {
	tests := []struct {
		name, js, want string
	}{
		{"spec token field", `
			const s = z.object({ token: z.string().secret().label('API Token').section('Authentication') });
			return [s.safeParse({ token: 'fake-token-123' }), s.safeParse({}).error.issues];`,
			`[{"success":true,"data":{"token":"fake-token-123"}},[{"code":"invalid_type","path":["token"],"message":"Required","expected":"string","received":"undefined"}]]`},
		{"immutable chaining", `
			const a = z.string(); const b = a.min(3); const c = a.optional();
			return [a.safeParse('x').success, b.safeParse('x').success, a.isOptional(), c.isOptional(), a === b];`,
			`[true,false,false,true,false]`},
		{"order, defaults and stripping", `
			return z.object({ b: z.number(), a: z.string().default('x'), o: z.boolean().optional() })
				.parse({ c: 2, a: undefined, b: 1 });`,
			`{"b":1,"a":"x"}`},
		{"nested paths", `
			const s = z.object({ items: z.array(z.object({ name: z.string() })) });
			const r = s.safeParse({ items: [{ name: 'a' }, { name: 'b' }, { name: 3 }] });
			return [r.success, r.error.issues[0].path, r.error.message];`,
			`[false,["items",2,"name"],"items[2].name: Expected string, received number"]`},
		{"getters are lazy", `
			let calls = 0;
			const A = z.object({ n: z.number(), get b() { calls++; return B.optional(); } }).extend({ t: z.string() }).pick({ n: true, b: true });
			const before = calls;
			const B = z.object({ get a() { return A; } });
			const r = A.safeParse({ n: 1, b: { a: { n: 'x' } } });
			return [before, r.success, r.error.issues.map(i => i.path.join('.')), A.safeParse({ n: 2 }).success, calls > 0,
				typeof Object.getOwnPropertyDescriptor(A.shape, 'b').get];`,
			`[0,false,["b.a.n"],true,true,"function"]`},
		{"parse throws ZodError", `
			try { z.number().int().parse(1.5); return 'no throw'; }
			catch (e) { return [e instanceof z.ZodError, e instanceof Error, e.name, e.message, e.issues.length, e.errors === e.issues]; }`,
			`[true,true,"ZodError","Expected integer, received float",1,true]`},
		{"flatten", `
			const r = z.object({ a: z.string(), b: z.number() }).safeParse({ b: 'x' });
			return r.error.flatten();`,
			`{"formErrors":[],"fieldErrors":{"a":["Required"],"b":["Expected number, received string"]}}`},
		{"string checks", `
			const msgs = (s, v) => { const r = s.safeParse(v); return r.success ? 'ok' : r.error.issues.map(i => i.message).join('; '); };
			return [
				msgs(z.string().min(3), 'ab'), msgs(z.string().max(2), 'abc'), msgs(z.string().length(2), 'a'),
				msgs(z.string().url(), 'nope'), msgs(z.string().url(), 'https://example.com'),
				msgs(z.string().email(), 'a@b'), msgs(z.string().email(), 'me@example.com'),
				msgs(z.string().regex(/^[a-z]+$/i), 'AbC'), msgs(z.string().regex(/^[a-z]+$/), 'AbC'),
				msgs(z.string().nonempty(), ''), msgs(z.string(), 5),
			];`,
			`["String must contain at least 3 character(s)","String must contain at most 2 character(s)","String must contain exactly 2 character(s)","Invalid url","ok","Invalid email","ok","ok","Invalid","String must contain at least 1 character(s)","Expected string, received number"]`},
		{"number checks", `
			const msgs = (s, v) => { const r = s.safeParse(v); return r.success ? 'ok' : r.error.issues.map(i => i.message).join('; '); };
			return [
				msgs(z.number().min(1), 0), msgs(z.number().max(10), 11), msgs(z.number().gt(0), 0), msgs(z.number().lt(5), 5),
				msgs(z.number().positive(), 0), msgs(z.number().nonnegative(), -1), msgs(z.number().negative(), 0),
				msgs(z.number().int(), 2), msgs(z.number(), NaN), msgs(z.number(), '1'), msgs(z.number().gte(2).lte(3), 2.5),
				msgs(z.number().finite(), -Infinity),
			];`,
			`["Number must be greater than or equal to 1","Number must be less than or equal to 10","Number must be greater than 0","Number must be less than 5","Number must be greater than 0","Number must be greater than or equal to 0","Number must be less than 0","ok","Expected number, received nan","Expected number, received string","ok","Expected number, received -Infinity"]`},
		{"custom messages", `
			return [z.string().min(3, 'too short').safeParse('a').error.issues[0].message,
				z.string().email({ message: 'bad mail' }).safeParse('a').error.issues[0].message,
				z.string({ invalid_type_error: 'need text' }).safeParse(1).error.issues[0].message];`,
			`["too short","bad mail","need text"]`},
		{"enum", `
			const e = z.enum(['a', 'b']);
			return [e.options, e.enum, e.parse('a'), e.safeParse('c').error.issues[0], e.safeParse(1).error.message];`,
			`[["a","b"],{"a":"a","b":"b"},"a",{"code":"invalid_enum_value","path":[],"message":"Invalid enum value. Expected 'a' | 'b', received 'c'","options":["a","b"]},"Expected 'a' | 'b', received number"]`},
		{"literal", `
			return [z.literal('x').parse('x'), z.literal(2).parse(2), z.literal(true).value,
				z.literal('x').safeParse('y').error.message, z.literal(null).parse(null)];`,
			`["x",2,true,"Invalid literal value, expected \"x\"",null]`},
		{"optional, nullable, default", `
			return [z.string().optional().parse(undefined) === undefined, z.string().nullable().parse(null),
				z.string().nullish().parse(undefined) === undefined,
				z.number().default(5).parse(undefined), z.array(z.string()).default(() => ['x']).parse(undefined),
				z.object({ a: z.number().default(1) }).default({}).parse(undefined),
				z.object({ a: z.number().default(1) }).prefault({}).parse(undefined),
				z.string().optional().safeParse(null).success];`,
			`[true,null,true,5,["x"],{},{"a":1},false]`},
		{"arrays", `
			const a = z.string().array().min(1);
			return [a.parse(['x']), a.safeParse([]).error.message, a.element.parse('y'),
				z.array(z.number()).max(1).safeParse([1, 2]).error.message,
				z.array(z.number()).safeParse({}).error.message];`,
			`[["x"],"Array must contain at least 1 element(s)","y","Array must contain at most 1 element(s)","Expected array, received object"]`},
		{"object helpers", `
			const tok = z.string();
			const o = z.object({ token: tok, n: z.number() });
			const keys = (s) => Object.keys(s.shape).join(',');
			return [o.shape.token === tok, keys(o.extend({ x: z.boolean() })), keys(o.pick({ n: true })),
				keys(o.omit({ n: true })), o.partial().parse({}), o.keyof().options,
				keys(o.merge(z.object({ m: z.string() }))), keys(o.optional()), keys(o.partial())];`,
			`[true,"token,n,x","n","token",{},["token","n"],"token,n,m","token,n","token,n"]`},
		{"strict and passthrough", `
			const o = z.object({ a: z.string() });
			return [o.strict().safeParse({ a: 'x', z: 1, b: 2 }).error.message, o.passthrough().parse({ a: 'x', b: [1] })];`,
			`["Unrecognized key(s) in object: 'b', 'z'",{"a":"x","b":[1]}]`},
		{"any keeps the same value", `
			const v = { deep: [1, { x: 2 }] };
			const out = z.object({ v: z.any(), u: z.unknown() }).parse({ v, u: 3 });
			return [out.v === v, out.u];`,
			`[true,3]`},
		{"received types", `
			const m = (v) => z.string().safeParse(v).error.message;
			return [m(undefined), m(null), m(1), m(true), m([]), m({}), m(() => 1), m(new Date(0))];`,
			`["Required","Expected string, received null","Expected string, received number","Expected string, received boolean","Expected string, received array","Expected string, received object","Expected string, received function","Expected string, received date"]`},
		{"metadata getters", `
			return [z.string().describe('d').description, z.string({ description: 'p' }).description, z.string().description === undefined];`,
			`["d","p",true]`},
		{"zod 4 composites: issues a plugin sees", `
			const iss = (s, v) => s.safeParse(v).error.issues.map(i => [i.code, i.path.join('.'), i.message]);
			const du = z.discriminatedUnion('type', [z.object({ type: z.literal('a'), a: z.string() }), z.object({ type: z.literal('b') })]);
			return [
				iss(z.union([z.string(), z.number()]), true),
				iss(z.union([z.string().min(3), z.number()]), 'ab'),
				iss(du, { type: 'c' }), iss(du, { type: 'a', a: 1 }),
				iss(z.record(z.string().min(2), z.number()), { a: 1, bb: 'x' }),
				iss(z.record(z.enum(['x', 'y']), z.number()), { x: 1, q: 2 }),
				iss(z.tuple([z.string(), z.number()]), ['a']),
				iss(z.string().refine(s => s.length > 2, 'too short'), 'a'),
				iss(z.object({ p: z.string(), c: z.string() }).refine(o => o.p === o.c, { message: 'mismatch', path: ['c'] }), { p: 'x', c: 'y' }),
				iss(z.array(z.number()).superRefine((a, ctx) => ctx.addIssue({ code: 'custom', message: 'order', path: [1] })), [2, 1]),
				iss(z.number().multipleOf(5), 7), iss(z.number(), Infinity), iss(z.number().int(), 2 ** 53),
				iss(z.string().uuid(), 'x'), iss(z.string().startsWith('ab'), 'x'), iss(z.null(), 0),
			];`,
			`[[["invalid_union","","Invalid input"]],[["too_small","","String must contain at least 3 character(s)"]],[["invalid_union_discriminator","type","Invalid discriminator value. Expected 'a' | 'b'"]],[["invalid_type","a","Expected string, received number"]],[["invalid_key","a","Invalid key in record"],["invalid_type","bb","Expected number, received string"]],[["invalid_type","y","Required"],["unrecognized_keys","","Unrecognized key(s) in object: 'q'"]],[["too_small","","Array must contain at least 2 element(s)"]],[["custom","","too short"]],[["custom","c","mismatch"]],[["custom","1","order"]],[["not_multiple_of","","Number must be a multiple of 5"]],[["invalid_type","","Expected number, received Infinity"]],[["too_big","","Number must be less than or equal to 9007199254740991"]],[["invalid_string","","Invalid uuid"]],[["invalid_string","","Invalid input: must start with \"ab\""]],[["invalid_type","","Expected null, received number"]]]`},
		{"issue fields", `
			const f = (s, v) => { const i = s.safeParse(v).error.issues[0]; delete i.message; return i; };
			return [f(z.string(), 1), f(z.string().min(3), 'a'), f(z.number().gt(0), 0), f(z.array(z.number()).length(2), []),
				f(z.enum(['a', 'b']), 'c'), f(z.object({}).strict(), { x: 1 }), f(z.string().email(), 'x'), f(z.string().startsWith('a'), 'b'),
				f(z.number().multipleOf(3), 2), f(z.object({ a: z.string() }), {}),
				f(z.string().superRefine((v, ctx) => ctx.addIssue({ code: 'custom', message: 'm', params: { n: 1 } })), 'x')];`,
			`[{"code":"invalid_type","path":[],"expected":"string","received":"number"},{"code":"too_small","path":[],"exact":false,"inclusive":true,"minimum":3,"type":"string"},{"code":"too_small","path":[],"exact":false,"inclusive":false,"minimum":0,"type":"number"},{"code":"too_small","path":[],"exact":true,"inclusive":true,"minimum":2,"type":"array"},{"code":"invalid_enum_value","path":[],"options":["a","b"]},{"code":"unrecognized_keys","path":[],"keys":["x"]},{"code":"invalid_string","path":[],"validation":"email"},{"code":"invalid_string","path":[],"validation":{"startsWith":"a"}},{"code":"not_multiple_of","path":[],"multipleOf":3},{"code":"invalid_type","path":["a"],"expected":"string","received":"undefined"},{"code":"custom","path":[],"params":{"n":1}}]`},
		{"transforms keep JS values", `
			const d = new Date(0);
			const s = z.object({ when: z.string().transform(() => d), n: z.coerce.number() });
			const out = s.parse({ when: 'x', n: '4' });
			return [out.when === d, out.n, z.string().transform(s => s.length).pipe(z.number().max(2)).safeParse('abc').error.issues[0].message];`,
			`[true,4,"Number must be less than or equal to 2"]`},
		{"function forms and helpers", `
			const s = z.number().int();
			return [z.parse(s, 3), z.safeParse(s, 1.5).success, s.toJSONSchema().type, s.apply((x) => x.min(5)).safeParse(3).success,
				s.clone().parse(4), z.toJSONSchema(z.object({ a: z.number().default(1) }), { io: 'input' }).required === undefined];`,
			`[3,false,"integer",false,4,true]`},
		{"readonly freezes the output", `
			const out = z.object({ o: z.object({ b: z.string() }) }).readonly().parse({ o: { b: 'x' } });
			return [Object.isFrozen(out), Object.isFrozen(out.o)];`,
			`[true,false]`},
		{"catch", `
			return [z.number().catch(7).parse('x'), z.string().catch(ctx => typeof ctx.input + ':' + ctx.error.issues[0].code).parse(5)];`,
			`[7,"number:invalid_type"]`},
		{"SDK UI metadata", `
			const r = z.object({ region: z.enum(['eu', 'us']).radio().helpText('Where data lives').placeholder('eu').label('Region') });
			return [r.jsonSchema().properties.region, r.shape.region.parse('us')];`,
			`[{"type":"string","enum":["eu","us"],"title":"Region","description":"Region","x-help-text":"Where data lives","x-placeholder":"eu","x-radio":true},"us"]`},
		{"jsonSchema", `
			return z.object({ t: z.string().secret().label('API Token').section('Auth'), r: z.string().regex(/^a+$/i) }).jsonSchema().properties;`,
			`{"t":{"type":"string","title":"API Token","description":"API Token","x-section":"Auth","writeOnly":true,"x-secret":true},"r":{"type":"string","pattern":"^a+$"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm := newVM(t)
			got, err := run(t, vm, tt.js)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestZod4Differences: where host's z used to differ from zod 4 in what it
// accepts, one case each (issue 16 item 10).
func TestZod4Differences(t *testing.T) {
	tests := []struct{ what, js, want string }{
		{"z.number() refuses Infinity and -Infinity", `[Infinity, -Infinity, 1e308].map(v => z.number().safeParse(v).success)`, `[false,false,true]`},
		{".finite() is a no-op: every number is finite", `z.number().finite().safeParse(5).success`, `true`},
		{".int() refuses integers beyond Number.MAX_SAFE_INTEGER", `[2**53 - 1, 2**53, -(2**53)].map(v => z.number().int().safeParse(v).success)`, `[true,false,false]`},
		{".safe() is .int()", `[1.5, 2**53].map(v => z.number().safe().safeParse(v).success)`, `[false,false]`},
		{".multipleOf() works on decimals", `[0.3, 0.35].map(v => z.number().multipleOf(0.1).safeParse(v).success)`, `[true,false]`},
		{"string lengths count code points", `[z.string().max(1).safeParse('😀').success, z.string().length(2).safeParse('😀a').success]`, `[true,true]`},
		{".url() is new URL(): any scheme, WHATWG parsing, trimmed output", `['http:example.com', 'foo:bar', ' https://x.example '].map(v => z.string().url().safeParse(v).data)`, `["http:example.com","foo:bar","https://x.example"]`},
		{".url() refuses what new URL() refuses", `['example.com', 'https://', 'http://a b/'].map(v => z.string().url().safeParse(v).success)`, `[false,false,false]`},
		{".default() returns the value unvalidated; .prefault() validates", `[z.number().min(5).default(3).parse(undefined), z.number().min(5).prefault(3).safeParse(undefined).success]`, `[3,false]`},
		{".email() is zod 4's pattern", `['a.b@example.com', 'a..b@example.com', 'a.@example.com', 'a@b.c'].map(v => z.string().email().safeParse(v).success)`, `[true,false,false,false]`},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			got, err := run(t, newVM(t), "return "+tt.js)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestZodParseAsync(t *testing.T) {
	vm := newVM(t)
	v, err := vm.RunString(`z.number().parseAsync(2)`)
	if err != nil {
		t.Fatal(err)
	}
	p := v.Export().(*goja.Promise)
	if p.State() != goja.PromiseStateFulfilled || p.Result().ToInteger() != 2 {
		t.Fatalf("state %v result %v", p.State(), p.Result())
	}
	v, _ = vm.RunString(`z.number().parseAsync('x')`)
	p = v.Export().(*goja.Promise)
	if p.State() != goja.PromiseStateRejected || !strings.Contains(p.Result().String(), "Expected number") {
		t.Fatalf("state %v result %v", p.State(), p.Result())
	}
}

func TestZodErrors(t *testing.T) {
	tests := []struct {
		name, js, want string
	}{
		{"field not a schema", `z.object({ a: 1 })`, `TypeError: z.object(): field "a" must be a z schema, got number`},
		{"empty enum", `z.enum([])`, `TypeError: z.enum(values): values must not be empty`},
		{"enum non-string", `z.enum(['a', 2])`, `TypeError: z.enum(values): value 1 is not a string`},
		{"min not a number", `z.string().min('3')`, `TypeError: .min(n): n must be a number, got string`},
		{"label not a string", `z.string().label(3)`, `TypeError: .label(text): text must be a string, got number`},
		{"detached method", `const p = z.string().parse; p('x')`, `TypeError: .parse() called on a value that is not a z schema`},
		{"array of nothing", `z.array()`, `TypeError: z.array(): argument 1 must be a z schema, got undefined`},
		{"bad pattern", `z.string().regex('(a')`, `TypeError: .regex(/(a/): `},
		{"not a RegExp", `z.string().regex({})`, `TypeError: .regex(re): re must be a RegExp, got object`},
		{"default undefined", `z.string().default(undefined)`, `TypeError: .default(value): value is undefined`},
		{"unsupported method", `z.string().hostname()`, `TypeError: z.string().hostname() is not supported by host; check the text with .regex()`},
		{"unsupported on modified", `z.string().optional().jwt()`, `TypeError: z.string().jwt() is not supported by host; check the text with .regex()`},
		{"unsupported base method", `z.number().exactOptional()`, `TypeError: z.number().exactOptional() is not supported by host; use .optional()`},
		{"unsupported object method", `z.object({}).setKey('a', z.string())`, `TypeError: z.object().setKey() is not supported by host; use .extend({ key: schema })`},
		{"unsupported function", `z.symbol()`, `TypeError: z.symbol() is not supported by host; plugin schemas hold JSON values`},
		{"string method on number", `z.number().email()`, `TypeError: z.number() has no method .email(); z.string() has .email()`},
		{"misspelt function", `z.numbr()`, `TypeError: z.numbr is not a function; did you mean z.number?`},
		{"misspelt function, case", `z.String()`, `TypeError: z.String is not a function; did you mean z.string?`},
		{"misspelt method", `z.string().min(1).trimm()`, `TypeError: z.string().trimm is not a function; did you mean .trim()?`},
		{"misspelt method, swapped letters", `z.object({}).parital()`, `TypeError: z.object().parital is not a function; did you mean .partial()?`},
		{"misspelt iso function", `z.iso.datetme()`, `TypeError: z.iso.datetme is not a function; did you mean z.iso.datetime?`},
		{"unlike any zod name", `z.string().frobnicate()`, `TypeError: Object has no member 'frobnicate'`},
		{"async refine", `z.string().refine(async () => true).parse('x')`, `TypeError: .refine() returned a Promise: host runs refinements and transforms synchronously`},
		{"refine throws", `z.string().refine(() => { throw new Error('boom') }).parse('x')`, `Error: boom`},
		{"discriminator not literal", `z.discriminatedUnion('t', [z.object({ t: z.string() })])`, `TypeError: z.discriminatedUnion("t"): variant 1: field "t" must be a z.literal() or z.enum(), not a string`},
		{"record key", `z.record(z.number(), z.string())`, `TypeError: z.record(key, value): key must be z.string(), z.enum() or z.literal(), got a number schema`},
		{"too deep", `let s = z.string(); for (let i = 0; i < 300; i++) s = z.array(s);`, `TypeError: schemas may nest at most 256 levels deep (this one: 257)`},
		{"too deep object", `let s = z.string(); for (let i = 0; i < 300; i++) s = z.object({ a: s });`, `TypeError: schemas may nest at most 256 levels deep`},
		{"meta value not JSON", `z.string().meta({ examples: () => 1 })`, `TypeError: .meta({ examples }): the value must be JSON (a string, number, boolean, null, array or plain object), got function`},
		{"meta id not a string", `z.string().meta({ id: 3 })`, `TypeError: .meta({ id }): the id must be a non-empty string, got number`},
		{"transform output JSON Schema", `z.toJSONSchema(z.string().transform(s => s))`, `transforms cannot be represented in JSON Schema`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm := newVM(t)
			_, err := vm.RunString(tt.js)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// A ZodError from parse points at the plugin line that called parse, not
// at the binding's own code.
func TestZodErrorPosition(t *testing.T) {
	vm := newVM(t)
	prog := goja.MustCompile("plugin.js", "const s = z.object({ token: z.string() });\n\ns.parse({});\n", false)
	_, err := vm.RunProgram(prog)
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("err = %v", err)
	}
	stack := ex.Value().ToObject(vm).Get("stack").String()
	if !strings.HasPrefix(stack, "ZodError: token: Required\n") || !strings.Contains(stack, "plugin.js:3:") || strings.Contains(stack, "prelude") {
		t.Fatalf("stack:\n%s", stack)
	}
	got, _ := run(t, vm, `const e = new z.ZodError([], 'm'); return [e.name, e.message, e instanceof Error, String(e)]`)
	if got != `["ZodError","m",true,"ZodError: m"]` {
		t.Fatalf("new z.ZodError: %s", got)
	}
}

// An unsupported zod method fails where the plugin called it.
func TestZodUnsupportedPosition(t *testing.T) {
	vm := newVM(t)
	prog := goja.MustCompile("plugin.ts", "const s = z.object({\n  ip: z.string().hostname(),\n});\n", false)
	_, err := vm.RunProgram(prog)
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("err = %v", err)
	}
	stack := ex.Value().ToObject(vm).Get("stack").String()
	if !strings.Contains(stack, "z.string().hostname() is not supported by host") || !strings.Contains(stack, "plugin.ts:2:") {
		t.Fatalf("stack:\n%s", stack)
	}
}

func TestSchemaOf(t *testing.T) {
	vm := newVM(t)
	v, err := vm.RunString(`z.object({
		token: z.string().secret().label('API Token').section('Authentication'),
		region: z.enum(['eu', 'us']).default('eu').describe('Where data lives'),
		port: z.number().int().optional(),
	})`)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := zod.SchemaOf(v)
	if !ok {
		t.Fatal("SchemaOf: not a schema")
	}
	fields := s.Fields()
	for i := range fields {
		fields[i].Schema = nil
	}
	want := []schema.Field{
		{Key: "token", Kind: schema.KindString, Label: "API Token", Section: "Authentication", Secret: true, Required: true},
		{Key: "region", Kind: schema.KindEnum, Label: "region", Description: "Where data lives", HasDefault: true, Default: "eu", Options: []string{"eu", "us"}},
		{Key: "port", Kind: schema.KindNumber, Label: "port", Optional: true},
	}
	if !reflect.DeepEqual(fields, want) {
		t.Fatalf("got  %+v\nwant %+v", fields, want)
	}
	for _, js := range []string{`({})`, `1`, `undefined`, `({ ['~host']: 1 })`} {
		v, _ := vm.RunString(js)
		if _, ok := zod.SchemaOf(v); ok {
			t.Errorf("SchemaOf(%s) = true", js)
		}
	}
	// The Go handle is hidden from ordinary enumeration.
	got, _ := run(t, vm, `const s = z.string(); return [Object.keys(s), JSON.stringify(s)]`)
	if got != `[[],"{}"]` {
		t.Errorf("z value exposes internals: %s", got)
	}
}

// TestTypesCheckTSC type-checks testdata/types_check.ts against zod.d.ts
// with tsc: the types promise what the binding does.
func TestTypesCheckTSC(t *testing.T) {
	tsc, err := exec.LookPath("tsc")
	if err != nil {
		hosttest.Require(t, "no TypeScript compiler: run `npm install -g typescript@7` (.ci/run does)")
	}
	out, err := exec.Command(tsc, "--noEmit", "--strict", "--target", "es2022", "zod.d.ts", "testdata/types_check.ts").CombinedOutput()
	if err != nil {
		t.Fatalf("tsc: %v\n%s", err, out)
	}
}

// TestTypesCheckRuns runs testdata/types_check.ts, the file that pins the
// types in zod.d.ts, on the real binding: what the types promise must work.
func TestTypesCheckRuns(t *testing.T) {
	src, err := os.ReadFile("testdata/types_check.ts")
	if err != nil {
		t.Fatal(err)
	}
	res := api.Transform(string(src), api.TransformOptions{Loader: api.LoaderTS, Format: api.FormatIIFE, Target: api.ES2022})
	if len(res.Errors) > 0 {
		t.Fatalf("esbuild: %v", res.Errors[0].Text)
	}
	vm := newVM(t)
	if _, err := vm.RunString(string(res.Code)); err != nil {
		t.Fatal(err)
	}
}

func TestGoHelpers(t *testing.T) {
	vm := newVM(t)
	s := schema.Object(
		schema.Property{Key: "token", Schema: schema.String().Secret()},
		schema.Property{Key: "port", Schema: schema.Number().Default(8080.0)},
		schema.Property{Key: "extra", Schema: schema.Any().Optional()},
	)
	// ToJS: a validated Go config becomes a JS object in schema order.
	out, issues := s.Validate(map[string]any{"extra": map[string]any{"b": 1.0, "a": []any{true}}, "token": "fake-token-123"})
	if issues != nil {
		t.Fatal(issues)
	}
	_ = vm.Set("cfg", zod.ToJS(vm, s, out))
	got, _ := run(t, vm, `return [Object.keys(cfg), cfg]`)
	if want := `[["token","port","extra"],{"token":"fake-token-123","port":8080,"extra":{"a":[true],"b":1}}]`; got != want {
		t.Fatalf("ToJS: %s\nwant %s", got, want)
	}
	// Validate: a JS tool input checked against a Go schema.
	in, _ := vm.RunString(`({ port: 'x' })`)
	if _, issues := zod.Validate(vm, s, in); schema.FormatIssues(issues) != "token: Required\nport: Expected number, received string" {
		t.Fatalf("Validate issues: %v", issues)
	}
	in, _ = vm.RunString(`({ token: 'fake-token-123', junk: 1 })`)
	v, issues := zod.Validate(vm, s, in)
	_ = vm.Set("v", v)
	if got, _ := run(t, vm, `return v`); issues != nil || got != `{"token":"fake-token-123","port":8080}` {
		t.Fatalf("Validate: %s %v", got, issues)
	}
	// Passthrough keys survive ToJS too.
	p := schema.Object(schema.Property{Key: "a", Schema: schema.String()}).Passthrough()
	out, _ = p.Validate(map[string]any{"a": "x", "z": 1.0, "b": "y"})
	_ = vm.Set("pt", zod.ToJS(vm, p, out))
	if got, _ := run(t, vm, `return pt`); got != `{"a":"x","b":"y","z":1}` {
		t.Fatalf("passthrough ToJS: %s", got)
	}
}

// TestRegexJS: .regex() matches as JavaScript's RegExp test() does,
// lookaround and backreferences included.
func TestRegexJS(t *testing.T) {
	tests := []struct {
		js, flags, match, noMatch string
	}{
		{`^[a-z]+$`, "", "abc", "aBc"},
		{`^[a-z]+$`, "i", "aBc", "a1"},
		{`^a.b$`, "s", "a\nb", "ab"},
		{`^b$`, "m", "a\nb", "ab"},
		{`^\u00e9$`, "", "é", "e"},
		{`^\u{1F600}$`, "u", "😀", "x"},
		{`^a\/b$`, "", "a/b", "ab"},
		{`^[^]$`, "", "\n", ""},
		{`^\d{3}-\d{4}$`, "g", "555-1234", "5551234"},
		{`^(?<year>\d{4})$`, "", "2024", "24"},
		{`^\x41\0$`, "", "A\x00", "A"},
		{`^(?=.*\d)(?=.*[a-z]).{8,}$`, "", "passw0rdx", "password"},
		{`^(?!admin$).+$`, "", "alice", "admin"},
		{`(?<=\$)\d+`, "", "$42", "42"},
		{`^(a+)-\1$`, "", "aa-aa", "aa-a"},
		{`^(?<q>['"]).*\k<q>$`, "", `"x"`, `"x'`},
		{`b`, "y", "bc", "ab"},
		{`^\w+$`, "", "abc_1", "é"},
	}
	vm := newVM(t)
	for _, tt := range tests {
		src := `const r = z.string().regex(new RegExp(` + jsString(tt.js) + `, '` + tt.flags + `'));
			return [r.safeParse(` + jsString(tt.match) + `).success, r.safeParse(` + jsString(tt.noMatch) + `).success];`
		got, err := run(t, vm, src)
		if err != nil {
			t.Errorf("/%s/%s: %v", tt.js, tt.flags, err)
			continue
		}
		if got != `[true,false]` {
			t.Errorf("/%s/%s: match, no match = %s", tt.js, tt.flags, got)
		}
	}
}

// A pattern that backtracks catastrophically fails the value within the
// match timeout, with an issue that says so, instead of hanging the plugin.
func TestRegexTimeout(t *testing.T) {
	vm := newVM(t)
	start := time.Now()
	got, err := run(t, vm, `return z.string().regex(/^(a+)+$/).safeParse('a'.repeat(40) + 'b').error.issues;`)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > schema.MatchTimeout+2*time.Second {
		t.Fatalf("took %v, bound %v", d, schema.MatchTimeout)
	}
	want := `[{"code":"invalid_string","path":[],"message":"The pattern /^(a+)+$/ took longer than 100ms on this value (catastrophic backtracking); simplify the pattern or check the value in code"}]`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// Many values each backtracking catastrophically share one budget: the
// parse ends after about schema.MatchBudget, not 100 ms per value.
func TestRegexBudget(t *testing.T) {
	vm := newVM(t)
	start := time.Now()
	got, err := run(t, vm, `const r = z.array(z.string().regex(/^(a+)+$/)).safeParse(Array(40).fill('a'.repeat(40) + 'b'));
		const m = r.error.issues.map(i => i.message);
		return [m.length, m.filter(x => x.startsWith('The pattern')).length > 0, m[m.length - 1]];`)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > schema.MatchBudget+schema.MatchTimeout+2*time.Second {
		t.Fatalf("took %v", d)
	}
	if want := `[40,true,"Not checked against /^(a+)+$/: pattern checks of this input took longer than 1s in all"]`; got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\x00", `\0`)
	return "'" + r.Replace(s) + "'"
}

func BenchmarkParseTenFieldsJS(b *testing.B) {
	vm := newVM(b)
	if _, err := vm.RunString(`
		const s = z.object({
			token: z.string().secret().min(8), url: z.string().url(), email: z.string().email(),
			name: z.string().regex(/^[a-z]+$/), port: z.number().int().min(1).max(65535),
			ratio: z.number().gt(0).lt(1), debug: z.boolean().default(false),
			region: z.enum(['eu', 'us', 'ap']), tags: z.array(z.string()).max(10), note: z.string().optional(),
		});
		const input = { token: 'fake-token-123', url: 'https://example.com/api', email: 'me@example.com',
			name: 'abc', port: 8080, ratio: 0.5, region: 'eu', tags: ['x', 'y'], extra: true };
		function once() { return s.parse(input); }`); err != nil {
		b.Fatal(err)
	}
	once, _ := goja.AssertFunction(vm.Get("once"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := once(goja.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildSchemaJS(b *testing.B) {
	vm := newVM(b)
	prog := goja.MustCompile("b.js", `z.object({
		token: z.string().secret().label('API Token').section('Authentication'),
		port: z.number().int().min(1).default(8080), region: z.enum(['eu', 'us']),
	})`, false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := vm.RunProgram(prog); err != nil {
			b.Fatal(err)
		}
	}
}
