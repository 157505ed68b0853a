// Package zod is the Go side of the plugin global `z`: a zod-compatible
// schema builder whose every value is backed by an immutable *schema.Schema,
// so validation, defaults, JSON Schema and the setup metadata (.secret(),
// .label(), .section()) have one implementation, in package schema.
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

	"github.com/dop251/goja"

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
	zodError      goja.Value   // the ZodError class
	zodErrorProto *goja.Object // its prototype
}

// Install defines the global `z` on vm. Call on the loop goroutine, once per
// runtime, before plugin code runs.
func Install(vm *goja.Runtime) error {
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
	b.base = b.proto(nil, b.baseMethods(), map[string]func(*handle) goja.Value{
		"description": func(h *handle) goja.Value { return b.optString(h.s.Description()) },
	})
	b.protos[schema.KindString] = b.proto(b.base, b.stringMethods(), nil)
	b.protos[schema.KindNumber] = b.proto(b.base, b.numberMethods(), nil)
	b.protos[schema.KindBoolean] = b.proto(b.base, nil, nil)
	b.protos[schema.KindAny] = b.proto(b.base, nil, nil)
	b.protos[schema.KindArray] = b.proto(b.base, b.arrayMethods(), map[string]func(*handle) goja.Value{
		"element": func(h *handle) goja.Value { return b.wrap(h.s.Elem()) },
	})
	b.protos[schema.KindObject] = b.proto(b.base, b.objectMethods(), map[string]func(*handle) goja.Value{
		"shape": func(h *handle) goja.Value { return b.shapeOf(h) },
	})
	b.protos[schema.KindEnum] = b.proto(b.base, nil, map[string]func(*handle) goja.Value{
		"options": func(h *handle) goja.Value { return b.strings(h.s.Options()) },
		"enum": func(h *handle) goja.Value {
			o := vm.NewObject()
			for _, opt := range h.s.Options() {
				_ = o.Set(opt, opt)
			}
			return o
		},
	})
	b.protos[schema.KindLiteral] = b.proto(b.base, nil, map[string]func(*handle) goja.Value{
		"value": func(h *handle) goja.Value { return vm.ToValue(h.s.LiteralValue()) },
	})

	z := vm.NewObject()
	for name, fn := range b.namespace() {
		_ = z.Set(name, fn)
	}
	_ = z.Set("ZodError", zodError)
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
	return map[string]func(goja.FunctionCall) goja.Value{
		"string":  b.leaf(schema.String),
		"number":  b.leaf(schema.Number),
		"boolean": b.leaf(schema.Boolean),
		"any":     b.leaf(schema.Any),
		"unknown": b.leaf(schema.Any),
		"object":  b.zObject,
		"array":   b.zArray,
		"enum":    b.zEnum,
		"literal": b.zLiteral,
		"optional": func(c goja.FunctionCall) goja.Value {
			return b.rewrap(b.arg(c, 0, "z.optional").Optional(), b.argHandle(c, 0))
		},
		"nullable": func(c goja.FunctionCall) goja.Value {
			return b.rewrap(b.arg(c, 0, "z.nullable").Nullable(), b.argHandle(c, 0))
		},
	}
}

// baseMethods are the methods every z value has.
func (b *binding) baseMethods() map[string]func(goja.FunctionCall) goja.Value {
	return map[string]func(goja.FunctionCall) goja.Value{
		"optional": b.modifier("optional", (*schema.Schema).Optional),
		"nullable": b.modifier("nullable", (*schema.Schema).Nullable),
		"nullish":  b.modifier("nullish", func(s *schema.Schema) *schema.Schema { return s.Optional().Nullable() }),
		"secret":   b.modifier("secret", (*schema.Schema).Secret),
		"default": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "default")
			v := c.Argument(0)
			if fn, ok := goja.AssertFunction(v); ok {
				r, err := fn(goja.Undefined())
				if err != nil {
					panic(err)
				}
				v = r
			}
			if goja.IsUndefined(v) {
				jsrt.Throw(b.vm, jsrt.TypeErrorf(".default(value): value is undefined; use .optional() for a field that may be absent"))
			}
			return b.rewrap(h.s.Default(v.Export()), h)
		},
		"describe":    b.textModifier("describe", (*schema.Schema).Describe),
		"label":       b.textModifier("label", (*schema.Schema).Label),
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
			raw, err := b.this(c, "jsonSchema").s.JSONSchema()
			if err != nil {
				jsrt.Throw(b.vm, err)
			}
			parse, _ := goja.AssertFunction(b.vm.Get("JSON").ToObject(b.vm).Get("parse"))
			v, err := parse(goja.Undefined(), b.vm.ToValue(string(raw)))
			if err != nil {
				panic(err)
			}
			return v
		},
	}
}

func (b *binding) stringMethods() map[string]func(goja.FunctionCall) goja.Value {
	return map[string]func(goja.FunctionCall) goja.Value{
		"min":      b.numCheck("min", (*schema.Schema).Min),
		"max":      b.numCheck("max", (*schema.Schema).Max),
		"length":   b.numCheck("length", (*schema.Schema).Length),
		"nonempty": b.check("nonempty", func(s *schema.Schema) *schema.Schema { return s.Min(1) }),
		"url":      b.check("url", (*schema.Schema).URL),
		"email":    b.check("email", (*schema.Schema).Email),
		"regex":    b.regex,
	}
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
		"partial": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "partial")
			return b.wrap(h.s.Partial()) // fields change: shape is rebuilt on demand
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

// proto makes a prototype with the given methods and getters.
func (b *binding) proto(parent *goja.Object, methods map[string]func(goja.FunctionCall) goja.Value, getters map[string]func(*handle) goja.Value) *goja.Object {
	p := b.vm.NewObject()
	if parent != nil {
		_ = p.SetPrototype(parent)
	}
	for name, fn := range methods {
		_ = p.DefineDataProperty(name, b.vm.ToValue(jsrt.Safe(b.vm, "z."+name, fn)), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	for name, get := range getters {
		getter := b.vm.ToValue(func(c goja.FunctionCall) goja.Value { return get(b.this(c, name)) })
		_ = p.DefineAccessorProperty(name, getter, nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	return p
}

// wrap makes a new z value for s.
func (b *binding) wrap(s *schema.Schema) *goja.Object {
	o := b.vm.NewObject()
	_ = o.SetPrototype(b.protos[s.Kind()])
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
		if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
			return m.String(), true
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
	o, ok := v.(*goja.Object)
	if !ok {
		return s
	}
	if d := o.Get("description"); d != nil && !goja.IsUndefined(d) {
		s = s.Describe(d.String())
	}
	for _, k := range []string{"invalid_type_error", "message"} {
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
func (b *binding) shapeProps(shape *goja.Object, fn string, into *goja.Object) []schema.Property {
	keys := shape.Keys()
	props := make([]schema.Property, 0, len(keys))
	for _, k := range keys {
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

func (b *binding) extend(h *handle, arg goja.Value, fn string) goja.Value {
	add, ok := arg.(*goja.Object)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(shape): shape must be an object of z schemas, got %s", fn, jsrt.TypeName(arg)))
	}
	shape := b.vm.NewObject()
	old := b.shapeOf(h)
	for _, k := range old.Keys() {
		_ = shape.Set(k, old.Get(k))
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
		_ = shape.Set(p.Key, old.Get(p.Key))
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

func (b *binding) zLiteral(c goja.FunctionCall) goja.Value {
	v := c.Argument(0)
	var lit any
	switch x := v.Export().(type) {
	case string, bool, float64, int64:
		lit = x
	case nil:
		if !goja.IsNull(v) {
			jsrt.Throw(b.vm, jsrt.TypeErrorf("z.literal(value): value is undefined; use z.undefined() semantics via .optional()"))
		}
	default:
		jsrt.Throw(b.vm, jsrt.TypeErrorf("z.literal(value): value must be a string, number, boolean or null, got %s", jsrt.TypeName(v)))
	}
	return b.wrap(b.params(schema.Literal(lit), c.Argument(1)))
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
	out, issues := h.s.Validate(toGo(h.s, v))
	if len(issues) > 0 {
		return nil, b.zodErrorOf(issues)
	}
	return toJS(b.vm, h.s, out, v), nil
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
	for i, is := range issues {
		o := b.vm.NewObject()
		_ = o.Set("code", is.Code)
		path := make([]any, len(is.Path))
		copy(path, is.Path)
		_ = o.Set("path", b.vm.NewArray(path...))
		_ = o.Set("message", is.Message)
		arr[i] = o
	}
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
