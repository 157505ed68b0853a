package zod

import (
	"math/big"

	"github.com/dop251/goja"

	"host/jsrt"
	"host/schema"
)

// This file is what zod 3 code reads back from a schema (_def, the
// classes for instanceof, ZodFirstPartyTypeKind) and the zod 3 namespace:
// the same functions, whose schemas validate as zod 3 where zod 3 and 4
// differ (schema.Zod3).

// Zod3Key keys the zod 3 namespace on a z namespace object
// (Symbol.for(Zod3Key)): `import { z } from "@hivemind-os/plugin-sdk"`
// reads it there.
const Zod3Key = "host.zod3"

// typeNames are zod 3's type names (z.ZodFirstPartyTypeKind).
var typeNames = []string{"ZodString", "ZodNumber", "ZodNaN", "ZodBigInt", "ZodBoolean", "ZodDate", "ZodSymbol",
	"ZodUndefined", "ZodNull", "ZodAny", "ZodUnknown", "ZodNever", "ZodVoid", "ZodArray", "ZodObject", "ZodUnion",
	"ZodDiscriminatedUnion", "ZodIntersection", "ZodTuple", "ZodRecord", "ZodMap", "ZodSet", "ZodFunction",
	"ZodLazy", "ZodLiteral", "ZodEnum", "ZodEffects", "ZodNativeEnum", "ZodOptional", "ZodNullable", "ZodDefault",
	"ZodCatch", "ZodPromise", "ZodBranded", "ZodPipeline", "ZodReadonly"}

// issueCodes are zod 3's z.ZodIssueCode.
var issueCodes = []string{"invalid_type", "invalid_literal", "custom", "invalid_union", "invalid_union_discriminator",
	"invalid_enum_value", "unrecognized_keys", "invalid_arguments", "invalid_return_type", "invalid_date",
	"invalid_string", "too_small", "too_big", "invalid_intersection_types", "not_multiple_of", "not_finite"}

// classNames are the class names z exports: each type name, and the
// abstract base under its three names.
func classNames() []string {
	return append([]string{"ZodType", "ZodSchema", "Schema"}, typeNames...)
}

// typeNameOf is a z value's zod 3 type name.
func typeNameOf(s *schema.Schema) string {
	w := s.Peel()
	if w.Inner == nil && s.Kind() == schema.KindUnion && s.Discriminator() != "" {
		return "ZodDiscriminatedUnion"
	}
	return w.TypeName
}

// classes builds z's classes (z.ZodString...: `instanceof` asks the value's
// zod 3 type name; ZodType.prototype is the prototype of every z value,
// so extending it reaches all of them), z.ZodFirstPartyTypeKind and
// z.ZodIssueCode. Built on first use.
func (b *binding) classes(ns map[string]func(goja.FunctionCall) goja.Value) map[string]goja.Value {
	if b.classTable != nil {
		return b.classTable
	}
	vm := b.vm
	out := map[string]goja.Value{}
	creators := map[string]string{"ZodString": "string", "ZodNumber": "number", "ZodBigInt": "bigint", "ZodBoolean": "boolean",
		"ZodDate": "date", "ZodNull": "null", "ZodAny": "any", "ZodUnknown": "unknown", "ZodArray": "array", "ZodObject": "object",
		"ZodUnion": "union", "ZodDiscriminatedUnion": "discriminatedUnion", "ZodIntersection": "intersection", "ZodTuple": "tuple",
		"ZodRecord": "record", "ZodMap": "map", "ZodSet": "set", "ZodFunction": "function", "ZodLazy": "lazy",
		"ZodLiteral": "literal", "ZodEnum": "enum", "ZodNativeEnum": "nativeEnum", "ZodPromise": "promise"}
	kinds := map[string]schema.Kind{"ZodString": schema.KindString, "ZodNumber": schema.KindNumber, "ZodBigInt": schema.KindBigInt,
		"ZodBoolean": schema.KindBoolean, "ZodDate": schema.KindDate, "ZodArray": schema.KindArray, "ZodObject": schema.KindObject,
		"ZodEnum": schema.KindEnum, "ZodLiteral": schema.KindLiteral, "ZodUnion": schema.KindUnion, "ZodRecord": schema.KindRecord,
		"ZodTuple": schema.KindTuple, "ZodMap": schema.KindMap, "ZodSet": schema.KindSet, "ZodLazy": schema.KindLazy,
		"ZodIntersection": schema.KindIntersection, "ZodPromise": schema.KindPromise, "ZodFunction": schema.KindFunction}
	hasInstance := vm.Get("Symbol").ToObject(vm).Get("hasInstance").(*goja.Symbol)
	for _, name := range classNames() {
		cls := vm.ToValue(func(goja.ConstructorCall) *goja.Object {
			jsrt.Throw(vm, jsrt.TypeErrorf("new z.%s() is not supported by host; make schemas with z's functions", name))
			return nil
		}).(*goja.Object)
		abstract := name == "ZodType" || name == "ZodSchema" || name == "Schema"
		test := func(c goja.FunctionCall) goja.Value {
			h := handleOf(c.Argument(0))
			if h == nil {
				return vm.ToValue(false)
			}
			return vm.ToValue(abstract || typeNameOf(h.s) == name)
		}
		_ = cls.DefineDataPropertySymbol(hasInstance, vm.ToValue(test), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		proto := b.base
		if k, ok := kinds[name]; ok && !abstract {
			proto = b.protos[k]
		}
		_ = cls.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		if fn, ok := ns[creators[name]]; ok {
			_ = cls.Set("create", jsrt.Safe(vm, "z."+name+".create", fn))
		}
		out[name] = cls
	}
	kinds2 := vm.NewObject()
	for _, n := range typeNames {
		_ = kinds2.Set(n, n)
	}
	out["ZodFirstPartyTypeKind"] = kinds2
	codes := vm.NewObject()
	for _, c := range issueCodes {
		_ = codes.Set(c, c)
	}
	out["ZodIssueCode"] = codes
	b.classTable = out
	return out
}

// defineClasses puts the class table's names on z as getters that build it
// on first use, so a plugin that never names a class pays nothing.
func (b *binding) defineClasses(z *goja.Object, ns map[string]func(goja.FunctionCall) goja.Value) {
	for _, name := range append(classNames(), "ZodFirstPartyTypeKind", "ZodIssueCode") {
		get := b.vm.ToValue(func(goja.FunctionCall) goja.Value { return b.classes(ns)[name] })
		_ = z.DefineAccessorProperty(name, get, nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
}

// def builds zod 3's _def of a z value: typeName and the fields zod 3
// code reads (innerType, defaultValue, checks, shape(), type, values,
// options...). zod 4's _def.type is set too.
func (b *binding) def(h *handle) goja.Value {
	vm := b.vm
	s := h.s
	d := vm.NewObject()
	name := typeNameOf(s)
	_ = d.Set("typeName", name)
	if desc := s.Description(); desc != "" {
		_ = d.Set("description", desc)
	}
	w := s.Peel()
	if w.Inner != nil {
		inner := b.wrap(w.Inner)
		if w.Inner.Kind() == schema.KindObject {
			handleOf(inner).shape = h.shape
		}
		switch w.TypeName {
		case "ZodEffects":
			_ = d.Set("schema", inner)
			kind := "refinement"
			if s.Transforms() {
				kind = "transform"
			} else if s.IsPreprocessed() {
				kind = "preprocess"
			}
			e := vm.NewObject()
			_ = e.Set("type", kind)
			_ = d.Set("effect", e)
			_ = d.Set("type", "pipe")
		case "ZodPipeline":
			_ = d.Set("in", inner)
			_ = d.Set("out", b.wrap(s.PipeTarget()))
			_ = d.Set("type", "pipe")
		default:
			_ = d.Set("innerType", inner)
			_ = d.Set("type", map[string]string{"ZodOptional": "optional", "ZodNullable": "nullable", "ZodDefault": "default",
				"ZodCatch": "catch", "ZodReadonly": "readonly"}[w.TypeName])
			if w.TypeName == "ZodDefault" {
				v, _ := s.DefaultValue()
				_ = d.Set("defaultValue", func(goja.FunctionCall) goja.Value { return plainToJS(vm, v) })
			}
		}
		return d
	}
	_ = d.Set("type", string(s.Kind()))
	_ = d.Set("coerce", s.IsCoerced())
	var checks []any
	for _, c := range s.Checks() {
		o := vm.NewObject()
		_ = o.Set("kind", c.Kind)
		switch v := c.Value.(type) {
		case nil:
		case *big.Int:
			_ = o.Set("value", vm.ToValue(v))
		case string:
			if c.Kind == "regex" {
				re, err := vm.New(vm.Get("RegExp"), vm.ToValue(v))
				if err == nil {
					_ = o.Set("regex", re)
				}
			} else if c.Kind == "ip" {
				if v != "" {
					_ = o.Set("version", v)
				}
			} else {
				_ = o.Set("value", v)
			}
		default:
			_ = o.Set("value", v)
		}
		if (c.Kind == "min" || c.Kind == "max") && (s.Kind() == schema.KindNumber || s.Kind() == schema.KindBigInt) {
			_ = o.Set("inclusive", c.Inclusive)
		}
		if c.Message != "" {
			_ = o.Set("message", c.Message)
		}
		checks = append(checks, o)
	}
	switch s.Kind() {
	case schema.KindString, schema.KindNumber, schema.KindBigInt, schema.KindDate:
		_ = d.Set("checks", vm.NewArray(checks...))
	case schema.KindObject:
		shape := b.shapeOf(h)
		_ = d.Set("shape", func(goja.FunctionCall) goja.Value { return shape })
		_ = d.Set("unknownKeys", map[schema.UnknownKeys]string{schema.Strip: "strip", schema.Strict: "strict", schema.Passthrough: "passthrough"}[s.UnknownKeys()])
		if c := s.CatchallSchema(); c != nil {
			_ = d.Set("catchall", b.wrap(c))
		}
	case schema.KindArray, schema.KindSet:
		key := "type"
		if s.Kind() == schema.KindSet {
			key = "valueType"
		}
		_ = d.Set(key, b.wrap(s.Elem()))
		for _, c := range s.Checks() {
			n := map[string]string{"min": "minLength", "max": "maxLength", "length": "exactLength"}[c.Kind]
			if s.Kind() == schema.KindSet {
				n = map[string]string{"min": "minSize", "max": "maxSize"}[c.Kind]
			}
			if n != "" {
				o := vm.NewObject()
				_ = o.Set("value", c.Value)
				_ = d.Set(n, o)
			}
		}
	case schema.KindEnum:
		_ = d.Set("values", b.strings(s.Options()))
	case schema.KindLiteral:
		_ = d.Set("value", s.LiteralValue())
	case schema.KindUnion:
		_ = d.Set("options", b.wrapAll(s.Variants()))
		if s.Discriminator() != "" {
			_ = d.Set("discriminator", s.Discriminator())
		}
	case schema.KindRecord, schema.KindMap:
		_ = d.Set("keyType", b.wrap(s.KeySchema()))
		_ = d.Set("valueType", b.wrap(s.Elem()))
	case schema.KindTuple:
		_ = d.Set("items", b.wrapAll(s.Items()))
		if r := s.Elem(); r != nil {
			_ = d.Set("rest", b.wrap(r))
		} else {
			_ = d.Set("rest", goja.Null())
		}
	case schema.KindLazy:
		_ = d.Set("getter", func(goja.FunctionCall) goja.Value { return b.wrap(s.Target()) })
	case schema.KindIntersection:
		vs := s.Variants()
		_ = d.Set("left", b.wrap(vs[0]))
		_ = d.Set("right", b.wrap(vs[1]))
	case schema.KindPromise:
		_ = d.Set("type", b.wrap(s.Elem()))
	case schema.KindFunction:
		if a := s.FunctionArgs(); a != nil {
			_ = d.Set("args", b.wrap(a))
		}
		if r := s.Elem(); r != nil {
			_ = d.Set("returns", b.wrap(r))
		}
	}
	return d
}

// zod3Namespace builds the zod 3 namespace: z's functions whose results
// are marked schema.Zod3, over the same prototypes.
func (b *binding) zod3Namespace(ns map[string]func(goja.FunctionCall) goja.Value) *goja.Object {
	vm := b.vm
	z := vm.NewObject()
	for name, fn := range ns {
		_ = z.Set(name, jsrt.Safe(vm, "z."+name, b.zod3Fn(fn)))
	}
	sub := func(name string, fns map[string]func(goja.FunctionCall) goja.Value) {
		o := vm.NewObject()
		for k, fn := range fns {
			_ = o.Set(k, jsrt.Safe(vm, "z."+name+"."+k, b.zod3Fn(fn)))
		}
		b.namespaceNearMiss(o, "z."+name)
		_ = z.Set(name, o)
	}
	sub("coerce", b.coerceNamespace())
	sub("iso", b.isoNamespace())
	_ = z.Set("ZodError", b.zodError)
	_ = z.Set("NEVER", vm.NewObject())
	b.defineClasses(z, ns)
	b.namespaceNearMiss(z, "z")
	return z
}

// zod3Fn marks the z value fn returns as zod 3's.
func (b *binding) zod3Fn(fn func(goja.FunctionCall) goja.Value) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		r := fn(c)
		if h := handleOf(r); h != nil && !h.s.IsZod3() {
			h.s = h.s.Zod3()
		}
		return r
	}
}

// applyErrorMap gives issues whose message is zod's default the message
// of the plugin's z.setErrorMap() map, as zod 3 does.
func (b *binding) applyErrorMap(issues []schema.Issue, issueObjs []*goja.Object) {
	if b.errorMap == nil {
		return
	}
	for i, is := range issues {
		if is.Custom {
			continue
		}
		ctx := b.vm.NewObject()
		_ = ctx.Set("defaultError", is.Message)
		r, err := b.errorMap(goja.Undefined(), issueObjs[i], ctx)
		if err != nil {
			panic(err)
		}
		if o, ok := r.(*goja.Object); ok {
			if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
				issues[i].Message = m.String()
				_ = issueObjs[i].Set("message", m.String())
			}
		}
	}
}
