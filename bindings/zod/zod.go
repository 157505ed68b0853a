// Package zod is the Go side of the plugin global `z`: zod 4's API and zod
// 3's (issue codes and messages as zod 3 words them) whose every value is
// backed by an immutable *schema.Schema, so validation, defaults, JSON
// Schema and the setup metadata (.secret(), .label(), .section(),
// .helpText(), .placeholder(), .radio()) have one implementation, in
// package schema. Refinements, transforms, preprocess, promise and function
// checks are plugin functions the schema calls back during parse. A zod
// function host lacks throws, naming it (the tables in compose.go);
// TestZod4Methods keeps them complete.
//
// Two namespaces share one implementation: `z` (zod 4 where zod 3 and 4
// differ) and the zod 3 namespace (Symbol.for(Zod3Key) on it, the z of
// "@hivemind-os/plugin-sdk"), whose schemas are marked schema.Zod3;
// TestAgainstZod4 and TestAgainstZod3 compare each with the real release.
//
// Each z value is a plain JS object whose prototype holds the methods for its
// kind; the Go schema sits under a private symbol. Methods never change their
// receiver: `const a = z.string(); const b = a.min(3)` leaves a as it was.
// Everything here runs on the runtime's loop goroutine.
package zod

import (
	_ "embed"
	"fmt"
	"math"
	"slices"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/url"
	"host/jsrt"
	"host/schema"
)

//go:embed prelude.js
var preludeSrc string

var prelude = jsrt.NewProgram("host:zod/prelude.js", preludeSrc)

// schemaSym keys the Go handle on every z value. Symbols are immutable, so
// one serves every runtime.
var schemaSym = goja.NewSymbol("host.zod.schema")

// handle is what a z value carries: its Go schema and, for objects, the
// JS shape once built.
type handle struct {
	s     *schema.Schema
	shape *goja.Object
}

// binding holds one runtime's prototypes. Use only on that runtime's loop.
type binding struct {
	vm            *goja.Runtime
	base          *goja.Object
	protos        map[schema.Kind]*goja.Object
	zodError      goja.Value    // the ZodError class
	zodErrorProto *goja.Object  // its prototype
	errorMap      goja.Callable // z.setErrorMap's map (nil: zod's messages)
	errorMapValue goja.Value
	instanceOfFn  goja.Callable
	classTable    map[string]goja.Value // z.ZodString... (see classes)
	zod3          *goja.Object          // the zod 3 namespace, made on first use
	ownProperty   goja.Callable         // Object.getOwnPropertyDescriptor, as it was at install
}

// Install defines the global `z` on vm. Call on the loop goroutine, once per
// runtime, before plugin code runs.
func Install(env jsapi.Env) error {
	vm := env.VM()
	z, err := New(vm)
	if err != nil {
		return err
	}
	return vm.Set("z", z)
}

// New builds a `z` namespace object for vm without defining a global, e.g.
// for the exports of "host:plugin". Call on the loop goroutine. Values made by
// two namespaces of one runtime are interchangeable.
func New(vm *goja.Runtime) (*goja.Object, error) {
	zodError, err := vm.RunProgram(prelude.Get())
	if err != nil {
		return nil, fmt.Errorf("zod: prelude: %w", err)
	}
	b := &binding{vm: vm, protos: map[schema.Kind]*goja.Object{}, zodError: zodError,
		zodErrorProto: zodError.ToObject(vm).Get("prototype").ToObject(vm)}
	b.ownProperty, _ = goja.AssertFunction(vm.Get("Object").ToObject(vm).Get("getOwnPropertyDescriptor"))
	base := b.baseMethods()
	for name, fn := range b.effectMethods() {
		base[name] = fn
	}
	b.stubs("", base)
	b.base = b.proto(nil, base, map[string]func(*handle) goja.Value{
		"description": func(h *handle) goja.Value { return b.optString(h.s.Description()) },
		"_def":        b.def,
	})
	b.schemaNearMiss()
	kind := func(k schema.Kind, methods map[string]func(goja.FunctionCall) goja.Value, getters map[string]func(*handle) goja.Value) {
		if methods == nil {
			methods = map[string]func(goja.FunctionCall) goja.Value{}
		}
		b.stubs(k, methods)
		b.protos[k] = b.proto(b.base, methods, getters)
	}
	kind(schema.KindString, b.stringMethods(), nil)
	kind(schema.KindNumber, b.numberMethods(), nil)
	kind(schema.KindBoolean, nil, nil)
	kind(schema.KindAny, nil, nil)
	kind(schema.KindNull, nil, nil)
	kind(kindPipe, nil, nil)
	kind(schema.KindArray, b.arrayMethods(), map[string]func(*handle) goja.Value{
		"element": func(h *handle) goja.Value { return b.wrap(h.s.Elem()) },
	})
	kind(schema.KindObject, b.objectMethods(), map[string]func(*handle) goja.Value{
		"shape": func(h *handle) goja.Value { return b.shapeOf(h) },
	})
	kind(schema.KindEnum, b.enumMethods(), map[string]func(*handle) goja.Value{
		"options": func(h *handle) goja.Value { return b.strings(h.s.Options()) },
		"enum": func(h *handle) goja.Value {
			o := vm.NewObject()
			for _, opt := range h.s.Options() {
				_ = o.Set(opt, opt)
			}
			return o
		},
	})
	kind(schema.KindLiteral, nil, map[string]func(*handle) goja.Value{
		"value":  func(h *handle) goja.Value { return vm.ToValue(h.s.LiteralValue()) },
		"values": func(h *handle) goja.Value { return b.schemaValues(h.s.LiteralValues()) },
	})
	kind(schema.KindUnion, nil, map[string]func(*handle) goja.Value{
		"options": func(h *handle) goja.Value { return b.wrapAll(h.s.Variants()) },
	})
	kind(schema.KindRecord, nil, map[string]func(*handle) goja.Value{
		"keySchema":   func(h *handle) goja.Value { return b.wrap(h.s.KeySchema()) },
		"keyType":     func(h *handle) goja.Value { return b.wrap(h.s.KeySchema()) },
		"valueSchema": func(h *handle) goja.Value { return b.wrap(h.s.Elem()) },
		"valueType":   func(h *handle) goja.Value { return b.wrap(h.s.Elem()) },
	})
	b.jsKinds(kind)
	kind(schema.KindTuple, map[string]func(goja.FunctionCall) goja.Value{
		"rest": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "rest")
			return b.wrap(schema.Tuple(h.s.Items(), b.arg(c, 0, ".rest")))
		},
	}, map[string]func(*handle) goja.Value{
		"items": func(h *handle) goja.Value { return b.wrapAll(h.s.Items()) },
	})

	z := vm.NewObject()
	ns := b.namespace()
	b.jsNamespace(ns)
	for name, hint := range unsupportedNamespace {
		if _, ok := ns[name]; !ok {
			ns[name] = b.unsupported("z."+name+"()", hint)
		}
	}
	for name, fn := range ns {
		_ = z.Set(name, jsrt.Safe(vm, "z."+name, fn))
	}
	sub := func(name string, fns map[string]func(goja.FunctionCall) goja.Value) {
		o := vm.NewObject()
		for k, fn := range fns {
			_ = o.Set(k, jsrt.Safe(vm, "z."+name+"."+k, fn))
		}
		b.namespaceNearMiss(o, "z."+name)
		_ = z.Set(name, o)
	}
	sub("coerce", b.coerceNamespace())
	sub("iso", b.isoNamespace())
	_ = z.Set("ZodError", zodError)
	_ = z.Set("NEVER", vm.NewObject())
	b.defineClasses(z, ns)
	b.namespaceNearMiss(z, "z")
	zod3 := vm.ToValue(func(goja.FunctionCall) goja.Value {
		if b.zod3 == nil {
			b.zod3 = b.zod3Namespace(ns)
		}
		return b.zod3
	})
	sym := vm.Get("Symbol").ToObject(vm).Get("for")
	forFn, _ := goja.AssertFunction(sym)
	key, err := forFn(goja.Undefined(), vm.ToValue(Zod3Key))
	if err != nil {
		return nil, err
	}
	_ = z.DefineAccessorPropertySymbol(key.(*goja.Symbol), zod3, nil, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return z, nil
}

// SchemaOf returns the Go schema behind a z value (e.g. a plugin's
// configSchema), or false when v is not one. Call on the loop goroutine.
func SchemaOf(v goja.Value) (*schema.Schema, bool) {
	if h := handleOf(v); h != nil {
		return h.s, true
	}
	return nil, false
}

func handleOf(v goja.Value) *handle {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	hv := o.GetSymbol(schemaSym)
	if hv == nil {
		return nil
	}
	h, _ := hv.Export().(*handle)
	return h
}

// namespace is the export table of `z`.
func (b *binding) namespace() map[string]func(goja.FunctionCall) goja.Value {
	obj := func(k schema.UnknownKeys) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			o := b.zObject(c)
			h := handleOf(o)
			switch k {
			case schema.Strict:
				h.s = h.s.Strict()
			case schema.Passthrough:
				h.s = h.s.Passthrough()
			}
			return o
		}
	}
	ns := map[string]func(goja.FunctionCall) goja.Value{
		"string":             b.leaf(schema.String),
		"number":             b.leaf(schema.Number),
		"int":                b.leaf(func() *schema.Schema { return schema.Number().Int() }),
		"boolean":            b.leaf(schema.Boolean),
		"any":                b.leaf(schema.Any),
		"unknown":            b.leaf(schema.Any),
		"null":               b.leaf(schema.Null),
		"object":             b.zObject,
		"strictObject":       obj(schema.Strict),
		"looseObject":        obj(schema.Passthrough),
		"array":              b.zArray,
		"enum":               b.zEnum,
		"nativeEnum":         func(c goja.FunctionCall) goja.Value { return b.zNativeEnum(c, "z.nativeEnum") },
		"literal":            b.zLiteral,
		"union":              b.zUnion,
		"discriminatedUnion": b.zDiscriminatedUnion,
		"record":             b.zRecord,
		"tuple":              b.zTuple,
		"email":              b.topFormat((*schema.Schema).Email),
		"url":                b.topFormat(b.urlCheck),
		"iso":                nil, // z.iso, set in New
		"toJSONSchema": func(c goja.FunctionCall) goja.Value {
			return b.jsonSchema(b.arg(c, 0, "z.toJSONSchema"), ioInput(c.Argument(1)))
		},
		"optional": func(c goja.FunctionCall) goja.Value {
			return b.rewrap(b.arg(c, 0, "z.optional").Optional(), b.argHandle(c, 0))
		},
		"nullable": func(c goja.FunctionCall) goja.Value {
			return b.rewrap(b.arg(c, 0, "z.nullable").Nullable(), b.argHandle(c, 0))
		},
		"nullish": func(c goja.FunctionCall) goja.Value {
			return b.rewrap(b.arg(c, 0, "z.nullish").Optional().Nullable(), b.argHandle(c, 0))
		},
	}
	delete(ns, "iso")
	for _, f := range stringFormats {
		ns[f] = b.topFormat(b.format(f))
	}
	b.parseFunctions(ns)
	return ns
}

// stringFormats are the formats of schema.Format that z has both as
// z.string().<name>() and z.<name>().
var stringFormats = []string{"uuid", "uuidv4", "uuidv6", "uuidv7", "guid", "cuid", "cuid2", "ulid", "nanoid", "ipv4", "ipv6",
	"cidrv4", "cidrv6", "base64", "base64url", "e164"}

// urlCheck is .url() with the WHATWG URL parser web uses, so z agrees
// with new URL().
func (b *binding) urlCheck(s *schema.Schema) *schema.Schema { return s.URLWith(url.IsURL) }

// ioInput reads toJSONSchema's options: { io: "input" } asks for the input
// form.
func ioInput(v goja.Value) bool {
	if o, ok := v.(*goja.Object); ok {
		if io := o.Get("io"); io != nil && io.String() == "input" {
			return true
		}
	}
	return false
}

// jsonSchema returns s's JSON Schema as a JS object.
func (b *binding) jsonSchema(s *schema.Schema, input bool) goja.Value {
	export := s.JSONSchema
	if input {
		export = s.InputJSONSchema
	}
	raw, err := export()
	if err != nil {
		jsrt.Throw(b.vm, err)
	}
	v, err := jsrt.ParseJSONIn(b.vm, string(raw))
	if err != nil {
		panic(err)
	}
	return v
}

func (b *binding) wrapAll(ss []*schema.Schema) goja.Value {
	items := make([]any, len(ss))
	for i, s := range ss {
		items[i] = b.wrap(s)
	}
	return b.vm.NewArray(items...)
}

func (b *binding) schemaValues(vs []any) goja.Value {
	items := make([]any, len(vs))
	copy(items, vs)
	return b.vm.NewArray(items...)
}

// baseMethods are the methods every z value has.
func (b *binding) baseMethods() map[string]func(goja.FunctionCall) goja.Value {
	return map[string]func(goja.FunctionCall) goja.Value{
		"optional": b.modifier("optional", (*schema.Schema).Optional),
		"nullable": b.modifier("nullable", (*schema.Schema).Nullable),
		"nullish":  b.modifier("nullish", func(s *schema.Schema) *schema.Schema { return s.Optional().Nullable() }),
		"secret":   b.modifier("secret", (*schema.Schema).Secret),
		"readonly": b.modifier("readonly", (*schema.Schema).Readonly),
		"default": b.defaultMethod("default", func(s *schema.Schema, v any) *schema.Schema {
			if s.IsZod3() {
				return s.Prefault(v) // zod 3 parses the default
			}
			return s.Default(v)
		}),
		"prefault":    b.defaultMethod("prefault", (*schema.Schema).Prefault),
		"describe":    b.textModifier("describe", (*schema.Schema).Describe),
		"label":       b.textModifier("label", labelMethod),
		"section":     b.textModifier("section", (*schema.Schema).Section),
		"helpText":    b.textModifier("helpText", (*schema.Schema).HelpText),
		"placeholder": b.textModifier("placeholder", (*schema.Schema).Placeholder),
		"radio":       b.modifier("radio", (*schema.Schema).Radio),
		"array": func(c goja.FunctionCall) goja.Value {
			return b.wrap(schema.Array(b.this(c, "array").s))
		},
		"isOptional": func(c goja.FunctionCall) goja.Value {
			return b.vm.ToValue(b.this(c, "isOptional").s.IsOptional())
		},
		"isNullable": func(c goja.FunctionCall) goja.Value {
			return b.vm.ToValue(b.this(c, "isNullable").s.IsNullable())
		},
		"parse": func(c goja.FunctionCall) goja.Value {
			out, err := b.parse(b.this(c, "parse"), c.Argument(0))
			if err != nil {
				panic(err)
			}
			return out
		},
		"safeParse": func(c goja.FunctionCall) goja.Value {
			return b.safeParse(b.this(c, "safeParse"), c.Argument(0))
		},
		"parseAsync": func(c goja.FunctionCall) goja.Value {
			p, resolve, reject := b.vm.NewPromise()
			out, err := b.parse(b.this(c, "parseAsync"), c.Argument(0))
			if err != nil {
				_ = reject(err)
			} else {
				_ = resolve(out)
			}
			return b.vm.ToValue(p)
		},
		"safeParseAsync": func(c goja.FunctionCall) goja.Value {
			p, resolve, _ := b.vm.NewPromise()
			_ = resolve(b.safeParse(b.this(c, "safeParseAsync"), c.Argument(0)))
			return b.vm.ToValue(p)
		},
		"jsonSchema": func(c goja.FunctionCall) goja.Value {
			return b.jsonSchema(b.this(c, "jsonSchema").s, false)
		},
		"toJSONSchema": func(c goja.FunctionCall) goja.Value {
			return b.jsonSchema(b.this(c, "toJSONSchema").s, ioInput(c.Argument(0)))
		},
		"clone": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "clone")
			return b.rewrap(h.s, h) // values are immutable: a new wrapper is a clone
		},
		"apply": func(c goja.FunctionCall) goja.Value {
			b.this(c, "apply")
			return b.call(b.fnArg(c.Argument(0), ".apply(fn)"), ".apply()", c.This)
		},
		"unwrap": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "unwrap")
			return b.rewrap(h.s.Unwrap(), h)
		},
		"and": func(c goja.FunctionCall) goja.Value {
			return b.wrap(schema.Intersection(b.this(c, "and").s, b.arg(c, 0, ".and")))
		},
	}
}

// labelMethod is .label(text): the field's title, and its description too,
// as the SDK's .label() (its withMeta) sets both.
func labelMethod(s *schema.Schema, text string) *schema.Schema { return s.Label(text).Describe(text) }

func (b *binding) stringMethods() map[string]func(goja.FunctionCall) goja.Value {
	m := map[string]func(goja.FunctionCall) goja.Value{
		"min":         b.numCheck("min", (*schema.Schema).Min),
		"max":         b.numCheck("max", (*schema.Schema).Max),
		"length":      b.numCheck("length", (*schema.Schema).Length),
		"nonempty":    b.check("nonempty", func(s *schema.Schema) *schema.Schema { return s.Min(1) }),
		"url":         b.check("url", b.urlCheck),
		"email":       b.check("email", (*schema.Schema).Email),
		"regex":       b.regex,
		"startsWith":  b.textCheck("startsWith", (*schema.Schema).StartsWith),
		"endsWith":    b.textCheck("endsWith", (*schema.Schema).EndsWith),
		"includes":    b.textCheck("includes", (*schema.Schema).Includes),
		"trim":        b.modifier("trim", (*schema.Schema).Trim),
		"toLowerCase": b.modifier("toLowerCase", (*schema.Schema).ToLowerCase),
		"toUpperCase": b.modifier("toUpperCase", (*schema.Schema).ToUpperCase),
		"lowercase":   b.check("lowercase", b.format("lowercase")),
		"uppercase":   b.check("uppercase", b.format("uppercase")),
		"date":        b.check("date", b.format("date")),
		"datetime": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "datetime")
			return b.rewrap(withMessage(h.s.Datetime(b.timeOptions(c.Argument(0))), c.Argument(0)), h)
		},
		"time": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "time")
			return b.rewrap(withMessage(h.s.Time(b.timeOptions(c.Argument(0))), c.Argument(0)), h)
		},
		"duration": b.check("duration", b.format("duration")),
		"emoji":    b.check("emoji", b.format("emoji")),
		"ip": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "ip")
			version := ""
			if o, ok := c.Argument(0).(*goja.Object); ok {
				if v := o.Get("version"); v != nil && !goja.IsUndefined(v) {
					version = v.String()
				}
			}
			return b.rewrap(withMessage(h.s.IP(version), c.Argument(0)), h)
		},
	}
	for _, f := range stringFormats {
		m[f] = b.check(f, b.format(f))
	}
	return m
}

func (b *binding) numberMethods() map[string]func(goja.FunctionCall) goja.Value {
	fixed := func(name string, f func(*schema.Schema, float64) *schema.Schema, n float64) func(goja.FunctionCall) goja.Value {
		return b.check(name, func(s *schema.Schema) *schema.Schema { return f(s, n) })
	}
	return map[string]func(goja.FunctionCall) goja.Value{
		"min":         b.numCheck("min", (*schema.Schema).Min),
		"gte":         b.numCheck("gte", (*schema.Schema).Min),
		"max":         b.numCheck("max", (*schema.Schema).Max),
		"lte":         b.numCheck("lte", (*schema.Schema).Max),
		"gt":          b.numCheck("gt", (*schema.Schema).Gt),
		"lt":          b.numCheck("lt", (*schema.Schema).Lt),
		"int":         b.check("int", (*schema.Schema).Int),
		"positive":    fixed("positive", (*schema.Schema).Gt, 0),
		"nonnegative": fixed("nonnegative", (*schema.Schema).Min, 0),
		"negative":    fixed("negative", (*schema.Schema).Lt, 0),
		"nonpositive": fixed("nonpositive", (*schema.Schema).Max, 0),
		"finite":      b.check("finite", (*schema.Schema).Finite),
		"safe":        b.check("safe", (*schema.Schema).Int),
		"multipleOf":  b.numCheck("multipleOf", (*schema.Schema).MultipleOf),
		"step":        b.numCheck("step", (*schema.Schema).MultipleOf),
	}
}

func (b *binding) arrayMethods() map[string]func(goja.FunctionCall) goja.Value {
	return map[string]func(goja.FunctionCall) goja.Value{
		"min":      b.numCheck("min", (*schema.Schema).Min),
		"max":      b.numCheck("max", (*schema.Schema).Max),
		"length":   b.numCheck("length", (*schema.Schema).Length),
		"nonempty": b.check("nonempty", func(s *schema.Schema) *schema.Schema { return s.Min(1) }),
	}
}

func (b *binding) objectMethods() map[string]func(goja.FunctionCall) goja.Value {
	return map[string]func(goja.FunctionCall) goja.Value{
		"strict":      b.modifier("strict", (*schema.Schema).Strict),
		"passthrough": b.modifier("passthrough", (*schema.Schema).Passthrough),
		"strip":       b.modifier("strip", (*schema.Schema).Strip),
		"extend": func(c goja.FunctionCall) goja.Value {
			return b.extend(b.this(c, "extend"), c.Argument(0), "extend")
		},
		"merge": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "merge")
			other := handleOf(c.Argument(0))
			if other == nil || other.s.Kind() != schema.KindObject {
				jsrt.Throw(b.vm, jsrt.TypeErrorf(".merge(other): other must be a z.object()"))
			}
			return b.extend(h, b.shapeOf(other), "merge")
		},
		"pick": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "pick")
			keys := b.maskKeys(c.Argument(0), "pick")
			return b.objectFrom(h, h.s.Pick(keys...))
		},
		"omit": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "omit")
			keys := b.maskKeys(c.Argument(0), "omit")
			return b.objectFrom(h, h.s.Omit(keys...))
		},
		"loose": b.modifier("loose", (*schema.Schema).Passthrough),
		"catchall": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "catchall")
			return b.rewrap(h.s.Catchall(b.arg(c, 0, ".catchall")), h)
		},
		"safeExtend": func(c goja.FunctionCall) goja.Value {
			return b.extend(b.this(c, "safeExtend"), c.Argument(0), "safeExtend")
		},
		"partial": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "partial")
			var keys []string
			if !goja.IsUndefined(c.Argument(0)) {
				keys = b.maskKeys(c.Argument(0), "partial")
			}
			return b.wrap(h.s.Partial(keys...)) // fields change: shape is rebuilt on demand
		},
		"required": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "required")
			var keys []string
			if !goja.IsUndefined(c.Argument(0)) {
				keys = b.maskKeys(c.Argument(0), "required")
			}
			return b.wrap(h.s.Required(keys...))
		},
		"deepPartial": func(c goja.FunctionCall) goja.Value {
			return b.wrap(b.this(c, "deepPartial").s.DeepPartial())
		},
		"keyof": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "keyof")
			var keys []string
			for _, p := range h.s.Properties() {
				keys = append(keys, p.Key)
			}
			if len(keys) == 0 {
				jsrt.Throw(b.vm, jsrt.TypeErrorf(".keyof(): the object has no fields"))
			}
			return b.wrap(schema.Enum(keys...))
		},
	}
}

func (b *binding) enumMethods() map[string]func(goja.FunctionCall) goja.Value {
	pick := func(name string, f func(*schema.Schema, ...string) (*schema.Schema, error)) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			h := b.this(c, name)
			var keys []string
			if arr, ok := c.Argument(0).(*goja.Object); ok && arr.ClassName() == "Array" {
				for _, v := range arr.Export().([]any) {
					s, _ := v.(string)
					keys = append(keys, s)
				}
			} else {
				jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(values): values must be an array of options", name))
			}
			s, err := f(h.s, keys...)
			if err != nil {
				jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(): %v", name, err))
			}
			return b.wrap(s)
		}
	}
	return map[string]func(goja.FunctionCall) goja.Value{
		"extract": pick("extract", (*schema.Schema).ExtractOptions),
		"exclude": pick("exclude", (*schema.Schema).ExcludeOptions),
	}
}

// proto makes a prototype with the given methods and getters.
func (b *binding) proto(parent *goja.Object, methods map[string]func(goja.FunctionCall) goja.Value, getters map[string]func(*handle) goja.Value) *goja.Object {
	p := b.vm.NewObject()
	if parent != nil {
		_ = p.SetPrototype(parent)
	}
	for name, fn := range methods {
		_ = p.DefineDataProperty(name, b.vm.ToValue(jsrt.Safe(b.vm, "z."+name, inheritZod3(fn))), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	for name, get := range getters {
		getter := b.vm.ToValue(func(c goja.FunctionCall) goja.Value { return get(b.this(c, name)) })
		_ = p.DefineAccessorProperty(name, getter, nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	return p
}

// inheritZod3 makes a method of a zod 3 value return zod 3 values (e.g.
// .array(), .or(), .keyof() make new schemas).
func inheritZod3(fn func(goja.FunctionCall) goja.Value) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		r := fn(c)
		if this := handleOf(c.This); this != nil && this.s.IsZod3() {
			if h := handleOf(r); h != nil && !h.s.IsZod3() {
				h.s = h.s.Zod3()
			}
		}
		return r
	}
}

// wrap makes a new z value for s. A schema nested deeper than
// schema.MaxDepth is refused here, where every z value is made.
func (b *binding) wrap(s *schema.Schema) *goja.Object {
	if s.Depth() > schema.MaxDepth {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("schemas may nest at most %d levels deep (this one: %d); use z.unknown() for deeper data", schema.MaxDepth, s.Depth()))
	}
	o := b.vm.NewObject()
	k := s.Kind()
	if s.Transforms() || s.Piped() {
		k = kindPipe
	}
	_ = o.SetPrototype(b.protos[k])
	_ = o.DefineDataPropertySymbol(schemaSym, b.vm.ToValue(&handle{s: s}), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return o
}

// rewrap wraps s, a modified copy of from's schema with the same fields,
// keeping from's shape.
func (b *binding) rewrap(s *schema.Schema, from *handle) *goja.Object {
	o := b.wrap(s)
	if from != nil {
		handleOf(o).shape = from.shape
	}
	return o
}

// this returns the handle of the method's receiver or throws a TypeError.
func (b *binding) this(c goja.FunctionCall, method string) *handle {
	if h := handleOf(c.This); h != nil {
		return h
	}
	jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s() called on a value that is not a z schema", method))
	return nil
}

// arg returns argument i as a z schema or throws.
func (b *binding) arg(c goja.FunctionCall, i int, fn string) *schema.Schema {
	if h := handleOf(c.Argument(i)); h != nil {
		return h.s
	}
	jsrt.Throw(b.vm, jsrt.TypeErrorf("%s(): argument %d must be a z schema, got %s", fn, i+1, jsrt.TypeName(c.Argument(i))))
	return nil
}

func (b *binding) argHandle(c goja.FunctionCall, i int) *handle { return handleOf(c.Argument(i)) }

// defaultMethod is .default(value) / .prefault(value); a function value is
// called once, now.
func (b *binding) defaultMethod(name string, f func(*schema.Schema, any) *schema.Schema) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		h := b.this(c, name)
		v := c.Argument(0)
		if fn, ok := goja.AssertFunction(v); ok {
			r, err := fn(goja.Undefined())
			if err != nil {
				panic(err)
			}
			v = r
		}
		if goja.IsUndefined(v) {
			jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(value): value is undefined; use .optional() for a field that may be absent", name))
		}
		x, err := jsrt.ExportJSON(b.vm, v)
		if err != nil {
			jsrt.Throw(b.vm, fmt.Errorf(".%s(value): %w", name, err))
		}
		return b.rewrap(f(h.s, x), h)
	}
}

func (b *binding) modifier(name string, f func(*schema.Schema) *schema.Schema) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		h := b.this(c, name)
		return b.rewrap(f(h.s), h)
	}
}

func (b *binding) textModifier(name string, f func(*schema.Schema, string) *schema.Schema) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		h := b.this(c, name)
		v := c.Argument(0)
		if _, ok := v.Export().(string); !ok {
			jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(text): text must be a string, got %s", name, jsrt.TypeName(v)))
		}
		return b.rewrap(f(h.s, v.String()), h)
	}
}

// textCheck adds a check taking a string; argument 1 may be a message.
func (b *binding) textCheck(name string, f func(*schema.Schema, string) *schema.Schema) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		h := b.this(c, name)
		v := c.Argument(0)
		str, ok := v.Export().(string)
		if !ok {
			jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(text): text must be a string, got %s", name, jsrt.TypeName(v)))
		}
		return b.rewrap(withMessage(f(h.s, str), c.Argument(1)), h)
	}
}

// check adds a check without a number; argument 0 may be a message.
func (b *binding) check(name string, f func(*schema.Schema) *schema.Schema) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		h := b.this(c, name)
		return b.rewrap(withMessage(f(h.s), c.Argument(0)), h)
	}
}

// numCheck adds a check taking a number; argument 1 may be a message.
func (b *binding) numCheck(name string, f func(*schema.Schema, float64) *schema.Schema) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		h := b.this(c, name)
		v := c.Argument(0)
		n, ok := v.Export().(float64)
		if i, isInt := v.Export().(int64); isInt {
			n, ok = float64(i), true
		}
		if !ok || math.IsNaN(n) {
			jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(n): n must be a number, got %s", name, jsrt.TypeName(v)))
		}
		return b.rewrap(withMessage(f(h.s, n), c.Argument(1)), h)
	}
}

// withMessage applies zod's optional message argument: a string or
// { message: string }.
func withMessage(s *schema.Schema, v goja.Value) *schema.Schema {
	if msg, ok := messageOf(v); ok {
		return s.Message(msg)
	}
	return s
}

func messageOf(v goja.Value) (string, bool) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return "", false
	}
	if s, ok := v.Export().(string); ok {
		return s, true
	}
	if o, ok := v.(*goja.Object); ok {
		for _, k := range []string{"message", "error"} {
			if m := o.Get(k); m != nil && !goja.IsUndefined(m) {
				if _, isFn := goja.AssertFunction(m); !isFn {
					return m.String(), true
				}
			}
		}
	}
	return "", false
}

// leaf makes a constructor for a kind without children. Its optional
// argument is zod's params: { description, message, invalid_type_error }.
func (b *binding) leaf(newSchema func() *schema.Schema) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		return b.wrap(b.params(newSchema(), c.Argument(0)))
	}
}

func (b *binding) params(s *schema.Schema, v goja.Value) *schema.Schema {
	if str, ok := v.Export().(string); ok {
		return s.Message(str) // zod 4: z.string("message")
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return s
	}
	if d := o.Get("description"); d != nil && !goja.IsUndefined(d) {
		s = s.Describe(d.String())
	}
	for _, k := range []string{"invalid_type_error", "message", "error"} {
		if m := o.Get(k); m != nil && !goja.IsUndefined(m) {
			s = s.Message(m.String())
			break
		}
	}
	return s
}

func (b *binding) zObject(c goja.FunctionCall) goja.Value {
	shape, ok := c.Argument(0).(*goja.Object)
	if !ok && !goja.IsUndefined(c.Argument(0)) {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("z.object(shape): shape must be an object of z schemas, got %s", jsrt.TypeName(c.Argument(0))))
	}
	var props []schema.Property
	copyShape := b.vm.NewObject()
	if shape != nil {
		props = b.shapeProps(shape, "z.object", copyShape)
	}
	o := b.wrap(b.params(schema.Object(props...), c.Argument(1)))
	handleOf(o).shape = copyShape
	return o
}

// shapeProps reads a JS shape into properties, copying its entries to into.
// A getter (zod 4's recursive `get children() { return z.array(Node) }`)
// is not called here, where the schema it names may not exist yet: its
// field is a lazy schema calling it on first use, and into gets the getter.
func (b *binding) shapeProps(shape *goja.Object, fn string, into *goja.Object) []schema.Property {
	keys := shape.Keys()
	props := make([]schema.Property, 0, len(keys))
	for _, k := range keys {
		if get := b.getter(shape, k); get != nil {
			props = append(props, schema.Property{Key: k, Schema: b.getterField(shape, get, fn, k)})
			_ = into.DefineAccessorProperty(k, get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
			continue
		}
		v := shape.Get(k)
		h := handleOf(v)
		if h == nil {
			jsrt.Throw(b.vm, jsrt.TypeErrorf("%s(): field %q must be a z schema, got %s", fn, k, jsrt.TypeName(v)))
		}
		props = append(props, schema.Property{Key: k, Schema: h.s})
		_ = into.Set(k, v)
	}
	return props
}

// getter returns the getter of o's own property k, nil when k is a data
// property.
func (b *binding) getter(o *goja.Object, k string) goja.Value {
	d, err := b.ownProperty(goja.Undefined(), o, b.vm.ToValue(k))
	if err != nil {
		panic(err)
	}
	if d, ok := d.(*goja.Object); ok {
		if g := d.Get("get"); g != nil && !goja.IsUndefined(g) {
			return g
		}
	}
	return nil
}

// getterField is the lazy schema of a shape's getter field: the getter is
// called (with the shape as this) once, when the field is first validated
// or exported, as zod 4 reads such a shape only then.
func (b *binding) getterField(shape *goja.Object, get goja.Value, fn, k string) *schema.Schema {
	call, ok := goja.AssertFunction(get)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("%s(): field %q has a getter that is not a function", fn, k))
	}
	where := ""
	if pos := jsrt.CallerPosition(b.vm); pos != "" {
		where = " (" + pos + ")"
	}
	return schema.Lazy(func() *schema.Schema {
		r, err := call(shape)
		if err != nil {
			panic(err)
		}
		if h := handleOf(r); h != nil {
			return h.s
		}
		jsrt.Throw(b.vm, jsrt.TypeErrorf("%s()%s: the getter of field %q must return a z schema, got %s", fn, where, k, jsrt.TypeName(r)))
		return nil
	})
}

// copyField copies from's field k to into as it is: a getter stays a
// getter and is not called.
func (b *binding) copyField(from, into *goja.Object, k string) {
	if get := b.getter(from, k); get != nil {
		_ = into.DefineAccessorProperty(k, get, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
		return
	}
	_ = into.Set(k, from.Get(k))
}

func (b *binding) extend(h *handle, arg goja.Value, fn string) goja.Value {
	add, ok := arg.(*goja.Object)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(shape): shape must be an object of z schemas, got %s", fn, jsrt.TypeName(arg)))
	}
	shape := b.vm.NewObject()
	old := b.shapeOf(h)
	for _, k := range old.Keys() {
		b.copyField(old, shape, k)
	}
	props := b.shapeProps(add, "."+fn, shape)
	o := b.wrap(h.s.Extend(props...))
	handleOf(o).shape = shape
	return o
}

// objectFrom wraps s, whose fields are a subset of h's, reusing h's field
// values in its shape.
func (b *binding) objectFrom(h *handle, s *schema.Schema) goja.Value {
	old := b.shapeOf(h)
	shape := b.vm.NewObject()
	for _, p := range s.Properties() {
		b.copyField(old, shape, p.Key)
	}
	o := b.wrap(s)
	handleOf(o).shape = shape
	return o
}

// maskKeys reads zod's pick/omit mask { key: true, ... }.
func (b *binding) maskKeys(v goja.Value, fn string) []string {
	o, ok := v.(*goja.Object)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(mask): mask must be an object like { key: true }, got %s", fn, jsrt.TypeName(v)))
	}
	var keys []string
	for _, k := range o.Keys() {
		if o.Get(k).ToBoolean() {
			keys = append(keys, k)
		}
	}
	return keys
}

// shapeOf returns the object's shape, building it from the Go fields when
// the value was not made from a JS shape.
func (b *binding) shapeOf(h *handle) *goja.Object {
	if h.shape == nil {
		shape := b.vm.NewObject()
		for _, p := range h.s.Properties() {
			_ = shape.Set(p.Key, b.wrap(p.Schema))
		}
		h.shape = shape
	}
	return h.shape
}

func (b *binding) zArray(c goja.FunctionCall) goja.Value {
	return b.wrap(b.params(schema.Array(b.arg(c, 0, "z.array")), c.Argument(1)))
}

func (b *binding) zEnum(c goja.FunctionCall) goja.Value {
	arr, ok := c.Argument(0).(*goja.Object)
	if !ok || arr.ClassName() != "Array" {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("z.enum(values): values must be an array of strings, got %s", jsrt.TypeName(c.Argument(0))))
	}
	n := int(arr.Get("length").ToInteger())
	if n == 0 {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("z.enum(values): values must not be empty"))
	}
	opts := make([]string, n)
	for i := range n {
		s, ok := arr.Get(fmt.Sprint(i)).Export().(string)
		if !ok {
			jsrt.Throw(b.vm, jsrt.TypeErrorf("z.enum(values): value %d is not a string", i))
		}
		opts[i] = s
	}
	return b.wrap(b.params(schema.Enum(opts...), c.Argument(1)))
}

// zLiteral implements z.literal(value) and zod 4's z.literal([a, b]).
func (b *binding) zLiteral(c goja.FunctionCall) goja.Value {
	v := c.Argument(0)
	vals := []goja.Value{v}
	if arr, ok := v.(*goja.Object); ok && arr.ClassName() == "Array" {
		vals = nil
		for i := range int(arr.Get("length").ToInteger()) {
			vals = append(vals, arr.Get(fmt.Sprint(i)))
		}
		if len(vals) == 0 {
			jsrt.Throw(b.vm, jsrt.TypeErrorf("z.literal(values): values must not be empty"))
		}
	}
	lits := make([]any, len(vals))
	for i, v := range vals {
		switch x := v.Export().(type) {
		case string, bool, float64, int64:
			lits[i] = x
		case nil:
			if !goja.IsNull(v) {
				jsrt.Throw(b.vm, jsrt.TypeErrorf("z.literal(value): value is undefined; use .optional() for a field that may be absent"))
			}
		default:
			jsrt.Throw(b.vm, jsrt.TypeErrorf("z.literal(value): value must be a string, number, boolean or null, got %s", jsrt.TypeName(v)))
		}
	}
	return b.wrap(b.params(schema.Literal(lits[0], lits[1:]...), c.Argument(1)))
}

func (b *binding) optString(s string) goja.Value {
	if s == "" {
		return goja.Undefined()
	}
	return b.vm.ToValue(s)
}

func (b *binding) strings(ss []string) goja.Value {
	items := make([]any, len(ss))
	for i, s := range ss {
		items[i] = s
	}
	return b.vm.NewArray(items...)
}

// parse validates v; a failure is returned as a ZodError value to throw.
func (b *binding) parse(h *handle, v goja.Value) (goja.Value, goja.Value) {
	out, issues := Validate(b.vm, h.s, v)
	if len(issues) > 0 {
		return nil, b.zodErrorOf(issues)
	}
	return out, nil
}

func (b *binding) safeParse(h *handle, v goja.Value) goja.Value {
	res := b.vm.NewObject()
	data, zerr := b.parse(h, v)
	if zerr != nil {
		_ = res.Set("success", false)
		_ = res.Set("error", zerr)
		return res
	}
	_ = res.Set("success", true)
	_ = res.Set("data", data)
	return res
}

// zodErrorOf builds a ZodError whose message lists the issues one per line.
func (b *binding) zodErrorOf(issues []schema.Issue) goja.Value {
	arr := make([]any, len(issues))
	objs := make([]*goja.Object, len(issues))
	issues = slices.Clone(issues)
	for i, is := range issues {
		o := b.vm.NewObject()
		objs[i] = o
		_ = o.Set("code", is.Code)
		path := make([]any, len(is.Path))
		copy(path, is.Path)
		_ = o.Set("path", b.vm.NewArray(path...))
		_ = o.Set("message", is.Message)
		keys := make([]string, 0, len(is.Params))
		for k := range is.Params {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if o.Get(k) == nil {
				_ = o.Set(k, plainToJS(b.vm, is.Params[k]))
			}
		}
		arr[i] = o
	}
	b.applyErrorMap(issues, objs)
	// An Error made from Go records the stack of the JS caller, so the
	// error points at the plugin line that called parse.
	e, err := b.vm.New(b.vm.Get("Error"), b.vm.ToValue(schema.FormatIssues(issues)))
	if err != nil {
		panic(err)
	}
	_ = e.SetPrototype(b.zodErrorProto)
	_ = e.DefineDataProperty("issues", b.vm.NewArray(arr...), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	return e
}
