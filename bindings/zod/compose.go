package zod

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"host/jsrt"
	"host/schema"
)

// kindPipe is the prototype of a value whose output a transform changed
// (zod 4's ZodPipe): it has only the base methods.
const kindPipe schema.Kind = "pipe"

// zUnion implements z.union([a, b, ...]).
func (b *binding) zUnion(c goja.FunctionCall) goja.Value {
	vs := b.schemaArray(c.Argument(0), "z.union(options)")
	return b.wrap(b.params(schema.Union(vs...), c.Argument(1)))
}

// zDiscriminatedUnion implements z.discriminatedUnion(key, [a, b, ...]).
func (b *binding) zDiscriminatedUnion(c goja.FunctionCall) goja.Value {
	key, ok := c.Argument(0).Export().(string)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("z.discriminatedUnion(key, options): key must be a string, got %s", jsrt.TypeName(c.Argument(0))))
	}
	vs := b.schemaArray(c.Argument(1), "z.discriminatedUnion(key, options)")
	s, err := schema.DiscriminatedUnion(key, vs...)
	if err != nil {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("z.discriminatedUnion(%q): %v", key, err))
	}
	return b.wrap(b.params(s, c.Argument(2)))
}

// zRecord implements z.record(key, value) and zod 3's z.record(value).
func (b *binding) zRecord(c goja.FunctionCall) goja.Value {
	key, value := schema.String(), handleOf(c.Argument(0))
	params := c.Argument(1)
	if second := handleOf(c.Argument(1)); second != nil {
		key, value, params = value.s, second, c.Argument(2)
	}
	if value == nil {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("z.record(key, value): value must be a z schema, got %s", jsrt.TypeName(c.Argument(0))))
	}
	switch key.Kind() {
	case schema.KindString, schema.KindEnum, schema.KindLiteral:
	default:
		jsrt.Throw(b.vm, jsrt.TypeErrorf("z.record(key, value): key must be z.string(), z.enum() or z.literal(), got a %s schema", key.Kind()))
	}
	return b.wrap(b.params(schema.Record(key, value.s), params))
}

// parseFunctions are z.parse(schema, data) and its siblings: each calls the
// schema's method.
func (b *binding) parseFunctions(ns map[string]func(goja.FunctionCall) goja.Value) {
	for _, name := range []string{"parse", "safeParse", "parseAsync", "safeParseAsync"} {
		ns[name] = func(c goja.FunctionCall) goja.Value {
			b.arg(c, 0, "z."+name)
			m, _ := goja.AssertFunction(c.Argument(0).ToObject(b.vm).Get(name))
			r, err := m(c.Argument(0), c.Argument(1))
			if err != nil {
				panic(err)
			}
			return r
		}
	}
}

// zTuple implements z.tuple([a, b], rest?).
func (b *binding) zTuple(c goja.FunctionCall) goja.Value {
	items := b.schemaArray(c.Argument(0), "z.tuple(items)")
	var rest *schema.Schema
	params := c.Argument(1)
	if h := handleOf(c.Argument(1)); h != nil {
		rest, params = h.s, c.Argument(2)
	}
	return b.wrap(b.params(schema.Tuple(items, rest), params))
}

// zNativeEnum implements z.nativeEnum(obj) (zod 4: z.enum(obj)): the
// values of a TypeScript enum or a plain object, without the reverse
// mappings of numeric enums.
func (b *binding) zNativeEnum(c goja.FunctionCall, fn string) goja.Value {
	o, ok := c.Argument(0).(*goja.Object)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("%s(values): values must be an enum object, got %s", fn, jsrt.TypeName(c.Argument(0))))
	}
	var strs []string
	var vals []any
	allStrings := true
	for _, k := range o.Keys() {
		v := o.Get(k)
		// A numeric enum maps each number back to its name: skip those keys.
		if rev := o.Get(v.String()); rev != nil {
			if _, isNum := rev.Export().(int64); isNum {
				if _, vIsStr := v.Export().(string); vIsStr {
					continue
				}
			}
		}
		switch x := v.Export().(type) {
		case string:
			strs = append(strs, x)
			vals = append(vals, x)
		case int64, float64:
			allStrings = false
			vals = append(vals, x)
		default:
			jsrt.Throw(b.vm, jsrt.TypeErrorf("%s(values): value of %q is %s; enum values must be strings or numbers", fn, k, jsrt.TypeName(v)))
		}
	}
	if len(vals) == 0 {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("%s(values): values must not be empty", fn))
	}
	if allStrings {
		return b.wrap(b.params(schema.Enum(strs...), c.Argument(1)))
	}
	return b.wrap(b.params(schema.Literal(vals[0], vals[1:]...), c.Argument(1)))
}

// schemaArray reads an array of z schemas or throws naming fn.
func (b *binding) schemaArray(v goja.Value, fn string) []*schema.Schema {
	arr, ok := v.(*goja.Object)
	if !ok || arr.ClassName() != "Array" {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("%s: must be an array of z schemas, got %s", fn, jsrt.TypeName(v)))
	}
	n := int(arr.Get("length").ToInteger())
	out := make([]*schema.Schema, n)
	for i := range n {
		h := handleOf(arr.Get(fmt.Sprint(i)))
		if h == nil {
			jsrt.Throw(b.vm, jsrt.TypeErrorf("%s: item %d must be a z schema, got %s", fn, i, jsrt.TypeName(arr.Get(fmt.Sprint(i)))))
		}
		out[i] = h.s
	}
	return out
}

// coerceNamespace is z.coerce.
func (b *binding) coerceNamespace() map[string]func(goja.FunctionCall) goja.Value {
	co := func(f func() *schema.Schema) func() *schema.Schema {
		return func() *schema.Schema { return f().Coerce() }
	}
	m := map[string]func(goja.FunctionCall) goja.Value{
		"string":  b.leaf(co(schema.String)),
		"number":  b.leaf(co(schema.Number)),
		"boolean": b.leaf(co(schema.Boolean)),
	}
	m["bigint"] = b.leaf(co(schema.BigInt))
	m["date"] = b.leaf(co(schema.Date))
	return m
}

// isoNamespace is z.iso.
func (b *binding) isoNamespace() map[string]func(goja.FunctionCall) goja.Value {
	return map[string]func(goja.FunctionCall) goja.Value{
		"datetime": func(c goja.FunctionCall) goja.Value {
			return b.wrap(withMessage(schema.String().Datetime(b.timeOptions(c.Argument(0))), c.Argument(0)))
		},
		"time": func(c goja.FunctionCall) goja.Value {
			return b.wrap(withMessage(schema.String().Time(b.timeOptions(c.Argument(0))), c.Argument(0)))
		},
		"date": func(c goja.FunctionCall) goja.Value {
			return b.wrap(withMessage(schema.String().Format("date"), c.Argument(0)))
		},
		"duration": func(c goja.FunctionCall) goja.Value {
			return b.wrap(withMessage(schema.String().Format("duration"), c.Argument(0)))
		},
	}
}

// timeOptions reads { precision, offset, local } (zod's datetime options).
func (b *binding) timeOptions(v goja.Value) schema.TimeOptions {
	o := schema.TimeOptions{}
	obj, ok := v.(*goja.Object)
	if !ok {
		return o
	}
	if p := obj.Get("precision"); p != nil && !goja.IsUndefined(p) && !goja.IsNull(p) {
		o.Precision, o.HasPrecision = int(p.ToInteger()), true
	}
	o.Offset = obj.Get("offset") != nil && obj.Get("offset").ToBoolean()
	o.Local = obj.Get("local") != nil && obj.Get("local").ToBoolean()
	return o
}

// format makes a string format check: .uuid(), z.uuid()...
func (b *binding) format(name string) func(*schema.Schema) *schema.Schema {
	return func(s *schema.Schema) *schema.Schema { return s.Format(name) }
}

// topFormat makes z.<format>(params?): a string with that check.
func (b *binding) topFormat(f func(*schema.Schema) *schema.Schema) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		return b.wrap(withMessage(f(schema.String()), c.Argument(0)))
	}
}

// effectMethods are refine, superRefine, transform, catch, pipe, or: the
// methods that run plugin code during parse or combine schemas.
func (b *binding) effectMethods() map[string]func(goja.FunctionCall) goja.Value {
	return map[string]func(goja.FunctionCall) goja.Value{
		"refine": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "refine")
			fn := b.fnArg(c.Argument(0), ".refine(check)")
			msg, path := refineParams(b.vm, c.Argument(1))
			before := h.s
			return b.rewrap(h.s.Refine(func(v any, report func(schema.Issue)) any {
				r := b.call(fn, ".refine()", toJS(b.vm, before, v, nil))
				if !r.ToBoolean() {
					report(schema.Issue{Code: schema.CodeCustom, Message: msg, Path: path})
				}
				return v
			}), h)
		},
		"superRefine": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "superRefine")
			fn := b.fnArg(c.Argument(0), ".superRefine(check)")
			before := h.s
			return b.rewrap(h.s.Refine(func(v any, report func(schema.Issue)) any {
				jv := toJS(b.vm, before, v, nil)
				b.call(fn, ".superRefine()", jv, b.refineCtx(jv, report))
				return v
			}), h)
		},
		"transform": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "transform")
			fn := b.fnArg(c.Argument(0), ".transform(fn)")
			before := h.s
			return b.wrap(h.s.Transform(func(v any, report func(schema.Issue)) any {
				jv := toJS(b.vm, before, v, nil)
				return jsValue{b.call(fn, ".transform()", jv, b.refineCtx(jv, report))}
			}))
		},
		"catch": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "catch")
			arg := c.Argument(0)
			if fn, ok := goja.AssertFunction(arg); ok {
				return b.rewrap(h.s.CatchFunc(func(in any, issues []schema.Issue) any {
					ctx := b.vm.NewObject()
					_ = ctx.Set("input", toJS(b.vm, schema.Any(), in, nil))
					_ = ctx.Set("error", b.zodErrorOf(issues))
					return jsValue{b.call(fn, ".catch()", ctx)}
				}), h)
			}
			if goja.IsUndefined(arg) {
				jsrt.Throw(b.vm, jsrt.TypeErrorf(".catch(value): value is undefined"))
			}
			x, err := jsrt.ExportJSON(b.vm, arg)
			if err != nil {
				jsrt.Throw(b.vm, fmt.Errorf(".catch(value): %w", err))
			}
			return b.rewrap(h.s.Catch(x), h)
		},
		"pipe": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "pipe")
			return b.wrap(h.s.Pipe(b.arg(c, 0, ".pipe")))
		},
		"or": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "or")
			return b.wrap(schema.Union(h.s, b.arg(c, 0, ".or")))
		},
		"brand": func(c goja.FunctionCall) goja.Value { return c.This }, // types only
		"meta": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "meta")
			o, ok := c.Argument(0).(*goja.Object)
			if !ok {
				jsrt.Throw(b.vm, jsrt.TypeErrorf(".meta(data): host supports .meta({ id, title, description, ...JSON Schema keywords }); reading metadata back is not supported"))
			}
			// zod 4: title and description as .describe() and the label;
			// id names the schema's $defs entry in its JSON Schema; every
			// other key is copied into its JSON Schema as given.
			s, id := h.s, ""
			var extra []schema.Keyword
			for _, k := range o.Keys() {
				v := o.Get(k)
				switch k {
				case "title":
					s = s.Label(v.String())
				case "description":
					s = s.Describe(v.String())
				case "id":
					if _, ok := v.Export().(string); !ok || v.String() == "" {
						jsrt.Throw(b.vm, jsrt.TypeErrorf(".meta({ id }): the id must be a non-empty string, got %s", jsrt.TypeName(v)))
					}
					id = v.String()
				default:
					text, err := b.jsonText(v)
					if err != nil {
						jsrt.Throw(b.vm, jsrt.TypeErrorf(".meta({ %s }): %v", k, err))
					}
					extra = append(extra, schema.Keyword{Key: k, Value: text})
				}
			}
			return b.rewrap(s.Meta(id, extra), h)
		},
	}
}

// refineParams reads .refine()'s second argument: a message or
// { message | error, path }.
func refineParams(vm *goja.Runtime, v goja.Value) (string, []any) {
	msg := "Invalid input"
	if m, ok := messageOf(v); ok {
		msg = m
	}
	var path []any
	if o, ok := v.(*goja.Object); ok {
		if p, ok := o.Get("path").(*goja.Object); ok && p.ClassName() == "Array" {
			for _, e := range p.Export().([]any) {
				if n, ok := e.(int64); ok {
					path = append(path, int(n))
				} else {
					path = append(path, fmt.Sprint(e))
				}
			}
		}
	}
	return msg, path
}

// refineCtx is the ctx of superRefine and transform: addIssue(issue |
// message), value, and issues (for zod 3 code that reads it).
func (b *binding) refineCtx(value goja.Value, report func(schema.Issue)) *goja.Object {
	ctx := b.vm.NewObject()
	_ = ctx.Set("value", value)
	_ = ctx.Set("addIssue", func(c goja.FunctionCall) goja.Value {
		is := schema.Issue{Code: schema.CodeCustom, Message: "Invalid input"}
		arg := c.Argument(0)
		if s, ok := arg.Export().(string); ok {
			is.Message = s
		} else if o, ok := arg.(*goja.Object); ok {
			if m, ok := messageOf(o); ok {
				is.Message = m
			}
			if code := o.Get("code"); code != nil && !goja.IsUndefined(code) {
				is.Code = code.String()
			}
			_, is.Path = refineParams(b.vm, o)
			for _, k := range o.Keys() {
				switch k {
				case "code", "message", "path", "error", "input", "fatal", "continue":
				default:
					if is.Params == nil {
						is.Params = map[string]any{}
					}
					is.Params[k] = jsValue{o.Get(k)}
				}
			}
		}
		report(is)
		return goja.Undefined()
	})
	return ctx
}

func (b *binding) fnArg(v goja.Value, fn string) goja.Callable {
	f, ok := goja.AssertFunction(v)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("%s: must be a function, got %s", fn, jsrt.TypeName(v)))
	}
	return f
}

// call runs a plugin callback during parse; its exception propagates to
// the caller of parse. A promise result is refused: parse is synchronous.
func (b *binding) call(fn goja.Callable, name string, args ...goja.Value) goja.Value {
	r, err := fn(goja.Undefined(), args...)
	if err != nil {
		panic(err)
	}
	if o, ok := r.(*goja.Object); ok {
		if _, isPromise := o.Export().(*goja.Promise); isPromise {
			jsrt.Throw(b.vm, jsrt.TypeErrorf("%s returned a Promise: host runs refinements and transforms synchronously; check asynchronous conditions in the tool or onActivate", name))
		}
	}
	return r
}

// unsupported is a method or function of zod 4 that host does not
// implement: calling it throws, naming it, where the plugin called it.
func (b *binding) unsupported(what, hint string) func(goja.FunctionCall) goja.Value {
	return func(goja.FunctionCall) goja.Value {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("%s is not supported by host; %s", what, hint))
		return nil
	}
}

// unsupportedMethods lists zod 4 methods host lacks, per prototype, with
// what to do instead.
var unsupportedMethods = map[schema.Kind]map[string]string{
	"": {
		"nonoptional":     "leave out .optional()",
		"check":           "use .refine() or .superRefine()",
		"overwrite":       "use .transform()",
		"register":        "registries are not supported; use .describe() or .meta({ title, description })",
		"encode":          "codecs are not supported",
		"decode":          "codecs are not supported",
		"encodeAsync":     "codecs are not supported",
		"decodeAsync":     "codecs are not supported",
		"safeEncode":      "codecs are not supported",
		"safeDecode":      "codecs are not supported",
		"safeEncodeAsync": "codecs are not supported",
		"safeDecodeAsync": "codecs are not supported",
		"spa":             "use .safeParseAsync()",
		"exactOptional":   "use .optional()",
		"with":            "use .refine() or .superRefine()",
		"validate":        "use .safeParse()",
		"validateAsync":   "use .safeParseAsync()",
	},
	schema.KindString: {
		"cidr":       "use .cidrv4() or .cidrv6()",
		"jwt":        "check the text with .regex()",
		"xid":        "check the text with .regex()",
		"ksuid":      "check the text with .regex()",
		"hostname":   "check the text with .regex()",
		"normalize":  "normalize the text with .transform()",
		"hex":        "check the text with .regex()",
		"hash":       "check the text with .regex()",
		"mac":        "check the text with .regex()",
		"httpUrl":    "use .url() with .startsWith('http')",
		"slugify":    "use .transform()",
		"json":       "parse the text with .transform(JSON.parse)",
		"stringbool": "use z.enum(['true', 'false']).transform(v => v === 'true')",
	},
	schema.KindObject: {
		"setKey":       "use .extend({ key: schema })",
		"exactPartial": "use .partial()",
	},
	schema.KindTuple: {
		"partial": "make the items .optional() one by one",
	},
	schema.KindArray: {
		"unwrap": "use .element",
	},
}

// unsupportedNamespace lists z functions host lacks.
var unsupportedNamespace = map[string]string{
	"symbol":                 "plugin schemas hold JSON values",
	"undefined":              "use .optional()",
	"void":                   "use .optional()",
	"never":                  "use .strict() on the object",
	"nan":                    "use z.number()",
	"templateLiteral":        "use z.string().regex()",
	"file":                   "plugin schemas hold JSON values",
	"partialRecord":          "use z.record(z.string(), value) and check the keys with .refine()",
	"looseRecord":            "use z.record()",
	"xor":                    "use z.union()",
	"json":                   "use z.unknown()",
	"stringbool":             "use z.enum(['true', 'false']).transform(v => v === 'true')",
	"jwt":                    "use z.string().regex()",
	"hostname":               "use z.string().regex()",
	"ksuid":                  "use z.string().regex()",
	"xid":                    "use z.string().regex()",
	"httpUrl":                "use z.url()",
	"hex":                    "use z.string().regex()",
	"hash":                   "use z.string().regex()",
	"mac":                    "use z.string().regex()",
	"success":                "use .safeParse()",
	"int32":                  "use z.number().int().min(-2147483648).max(2147483647)",
	"uint32":                 "use z.number().int().min(0).max(4294967295)",
	"float32":                "use z.number()",
	"float64":                "use z.number()",
	"int64":                  "use z.number().int()",
	"uint64":                 "use z.number().int().min(0)",
	"keyof":                  "use schema.keyof()",
	"registry":               "registries are not supported; use .describe() or .meta()",
	"globalRegistry":         "registries are not supported; use .describe() or .meta()",
	"config":                 "locales and error maps are not supported",
	"treeifyError":           "use error.flatten() or error.issues",
	"prettifyError":          "use error.message",
	"flattenError":           "use error.flatten()",
	"codec":                  "codecs are not supported",
	"invertCodec":            "codecs are not supported",
	"encode":                 "codecs are not supported",
	"decode":                 "codecs are not supported",
	"encodeAsync":            "codecs are not supported",
	"decodeAsync":            "codecs are not supported",
	"safeEncode":             "codecs are not supported",
	"safeDecode":             "codecs are not supported",
	"safeEncodeAsync":        "codecs are not supported",
	"safeDecodeAsync":        "codecs are not supported",
	"creditCard":             "use z.string().regex()",
	"currencyCode":           "use z.enum([...]) of the codes you accept",
	"iban":                   "use z.string().regex()",
	"stringFormat":           "use z.string().regex() or .refine()",
	"compile":                "schemas are not compiled; use the schema directly",
	"memoizer":               "not supported",
	"fromJSONSchema":         "write the schema with z",
	"toZod":                  "write the schema with z",
	"withParser":             "not supported",
	"deepPartial":            "make nested objects .partial() one by one",
	"getDiscriminatedOption": "not supported",
	"formatError":            "use error.flatten() or error.issues",
	"input":                  "use the z.input<T> type",
	"output":                 "use the z.output<T> type",
	"properties":             "use z.object()",
	"validate":               "use schema.safeParse(value)",
	"validateAsync":          "use schema.safeParseAsync(value)",
	"exactOptional":          "use schema.optional()",
}

// checkFunctions are zod 4's standalone checks for .check(), which host
// lacks: z.gt(5) and the like.
var checkFunctions = []string{"check", "gt", "gte", "lt", "lte", "positive", "negative", "nonnegative", "nonpositive",
	"multipleOf", "maxLength", "minLength", "length", "maxSize", "minSize", "size", "regex", "lowercase", "uppercase",
	"includes", "startsWith", "endsWith", "normalize", "trim", "toLowerCase", "toUpperCase", "slugify", "overwrite",
	"property", "mime", "refine", "superRefine", "describe", "meta"}

// wrapperFunctions are zod 4's function forms of schema methods, which
// host lacks: z.pipe(a, b) for a.pipe(b).
var wrapperFunctions = []string{"catch", "clone", "pipe", "prefault", "readonly", "nonoptional", "transform"}

func init() {
	for _, f := range checkFunctions {
		unsupportedNamespace[f] = "the .check() API is not supported; use the method, e.g. z.string().min(3) or .refine()"
	}
	for _, f := range wrapperFunctions {
		unsupportedNamespace[f] = "use the method form, schema." + f + "(...)"
	}
}

// kindCall names a kind's constructor in messages: z.string(), z.object().
func kindCall(s *schema.Schema) string {
	switch {
	case s == nil:
		return "z schema"
	case s.Transforms():
		return "z." + string(s.Kind()) + "().transform()"
	}
	return "z." + string(s.Kind()) + "()"
}

// stubs adds a throwing method for each unsupported name of kind k not
// already in methods; the message names the receiver's kind.
func (b *binding) stubs(k schema.Kind, methods map[string]func(goja.FunctionCall) goja.Value) {
	for name, hint := range unsupportedMethods[k] {
		if _, ok := methods[name]; ok {
			continue
		}
		methods[name] = func(c goja.FunctionCall) goja.Value {
			var s *schema.Schema
			if h := handleOf(c.This); h != nil {
				s = h.s
			}
			jsrt.Throw(b.vm, jsrt.TypeErrorf("%s.%s() is not supported by host; %s", kindCall(s), name, hint))
			return nil
		}
	}
}

// jsonText is v as JSON text (JSON.stringify's), or an error for a value
// JSON cannot hold (a function, undefined). On the loop.
func (b *binding) jsonText(v goja.Value) (json.RawMessage, error) {
	stringify, _ := goja.AssertFunction(b.vm.Get("JSON").ToObject(b.vm).Get("stringify"))
	if stringify == nil {
		return nil, errors.New("JSON.stringify is not a function")
	}
	r, err := stringify(goja.Undefined(), v)
	if err != nil {
		return nil, err
	}
	if goja.IsUndefined(r) {
		return nil, fmt.Errorf("the value must be JSON (a string, number, boolean, null, array or plain object), got %s", jsrt.TypeName(v))
	}
	return json.RawMessage(r.String()), nil
}
