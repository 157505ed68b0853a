package zod

import (
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/dop251/goja"

	"host/jsrt"
	"host/schema"
)

// This file is z's types whose values are not JSON (dates, bigints, maps,
// sets, promises, functions, custom and instanceof checks) and the ones
// that combine schemas (lazy, intersection, preprocess): zod 3's API,
// which zod 4 keeps.

// jsKinds adds the prototypes of the kinds of this file.
func (b *binding) jsKinds(kind func(schema.Kind, map[string]func(goja.FunctionCall) goja.Value, map[string]func(*handle) goja.Value)) {
	kind(schema.KindDate, map[string]func(goja.FunctionCall) goja.Value{
		"min": b.dateCheck("min", (*schema.Schema).DateMin),
		"max": b.dateCheck("max", (*schema.Schema).DateMax),
	}, nil)
	kind(schema.KindBigInt, b.bigintMethods(), nil)
	kind(schema.KindMap, map[string]func(goja.FunctionCall) goja.Value{
		"min":      b.numCheck("min", (*schema.Schema).Min),
		"max":      b.numCheck("max", (*schema.Schema).Max),
		"size":     b.numCheck("size", (*schema.Schema).Length),
		"nonempty": b.check("nonempty", func(s *schema.Schema) *schema.Schema { return s.Min(1) }),
	}, map[string]func(*handle) goja.Value{
		"keySchema":   func(h *handle) goja.Value { return b.wrap(h.s.KeySchema()) },
		"valueSchema": func(h *handle) goja.Value { return b.wrap(h.s.Elem()) },
	})
	kind(schema.KindSet, map[string]func(goja.FunctionCall) goja.Value{
		"min":      b.numCheck("min", (*schema.Schema).Min),
		"max":      b.numCheck("max", (*schema.Schema).Max),
		"size":     b.numCheck("size", (*schema.Schema).Length),
		"nonempty": b.check("nonempty", func(s *schema.Schema) *schema.Schema { return s.Min(1) }),
	}, nil)
	kind(schema.KindLazy, nil, map[string]func(*handle) goja.Value{
		"schema": func(h *handle) goja.Value { return b.wrap(h.s.Target()) },
	})
	kind(schema.KindIntersection, nil, nil)
	kind(schema.KindPromise, nil, nil)
	kind(schema.KindCustom, nil, nil)
	kind(schema.KindFunction, b.functionMethods(), nil)
}

// jsNamespace adds z's functions for the kinds of this file.
func (b *binding) jsNamespace(ns map[string]func(goja.FunctionCall) goja.Value) {
	ns["date"] = b.leaf(schema.Date)
	ns["bigint"] = b.leaf(schema.BigInt)
	ns["map"] = func(c goja.FunctionCall) goja.Value {
		return b.wrap(b.params(schema.Map(b.arg(c, 0, "z.map"), b.arg(c, 1, "z.map")), c.Argument(2)))
	}
	ns["set"] = func(c goja.FunctionCall) goja.Value {
		return b.wrap(b.params(schema.Set(b.arg(c, 0, "z.set")), c.Argument(1)))
	}
	ns["intersection"] = func(c goja.FunctionCall) goja.Value {
		return b.wrap(b.params(schema.Intersection(b.arg(c, 0, "z.intersection"), b.arg(c, 1, "z.intersection")), c.Argument(2)))
	}
	ns["lazy"] = func(c goja.FunctionCall) goja.Value {
		fn := b.fnArg(c.Argument(0), "z.lazy(getter)")
		return b.wrap(b.params(schema.Lazy(func() *schema.Schema {
			r, err := fn(goja.Undefined())
			if err != nil {
				panic(err)
			}
			if h := handleOf(r); h != nil {
				return h.s
			}
			jsrt.Throw(b.vm, jsrt.TypeErrorf("z.lazy(getter): the getter must return a z schema, got %s", jsrt.TypeName(r)))
			return nil
		}), c.Argument(1)))
	}
	ns["preprocess"] = func(c goja.FunctionCall) goja.Value {
		fn := b.fnArg(c.Argument(0), "z.preprocess(fn, schema)")
		h := handleOf(c.Argument(1))
		if h == nil {
			jsrt.Throw(b.vm, jsrt.TypeErrorf("z.preprocess(fn, schema): schema must be a z schema, got %s", jsrt.TypeName(c.Argument(1))))
		}
		inner := h.s
		return b.rewrap(inner.Preprocess(func(v any, report func(schema.Issue)) any {
			jv := toJS(b.vm, schema.Any(), v, nil)
			r := b.call(fn, "z.preprocess()", jv, b.refineCtx(jv, report))
			return toGo(inner, r)
		}), h)
	}
	ns["custom"] = func(c goja.FunctionCall) goja.Value {
		s := schema.Custom()
		if goja.IsUndefined(c.Argument(0)) {
			return b.wrap(s)
		}
		fn := b.fnArg(c.Argument(0), "z.custom(check)")
		params := c.Argument(1)
		return b.wrap(s.Refine(func(v any, report func(schema.Issue)) any {
			jv := toJS(b.vm, schema.Any(), v, nil)
			if !b.call(fn, "z.custom()", jv).ToBoolean() {
				p := params
				if f, ok := goja.AssertFunction(params); ok {
					p = b.call(f, "z.custom() params", jv)
				}
				msg, path := refineParams(b.vm, p)
				report(schema.Issue{Code: schema.CodeCustom, Message: msg, Path: path})
			}
			return v
		}))
	}
	ns["instanceof"] = func(c goja.FunctionCall) goja.Value {
		cls, ok := c.Argument(0).(*goja.Object)
		if _, isFn := goja.AssertFunction(c.Argument(0)); !ok || !isFn {
			jsrt.Throw(b.vm, jsrt.TypeErrorf("z.instanceof(cls): cls must be a class, got %s", jsrt.TypeName(c.Argument(0))))
		}
		msg := "Input not instance of " + cls.Get("name").String()
		if m, ok := messageOf(c.Argument(1)); ok {
			msg = m
		}
		return b.wrap(schema.Custom().Refine(func(v any, report func(schema.Issue)) any {
			jv := toJS(b.vm, schema.Any(), v, nil)
			if o, ok := jv.(*goja.Object); !ok || !b.instanceOf(o, cls) {
				report(schema.Issue{Code: schema.CodeCustom, Message: msg})
			}
			return v
		}))
	}
	ns["promise"] = func(c goja.FunctionCall) goja.Value {
		inner := b.arg(c, 0, "z.promise")
		return b.wrap(b.params(schema.Promise(inner), c.Argument(1)).KindEffect(func(v any, _ func(schema.Issue)) any {
			return jsValue{b.awaitParsed(toJS(b.vm, schema.Any(), v, nil), inner)}
		}))
	}
	ns["function"] = b.zFunction
	for _, name := range []string{"date", "bigint", "map", "set", "custom", "instanceof", "promise", "function"} {
		ns[name] = b.located(ns[name])
	}
	ns["emoji"] = b.topFormat(b.format("emoji"))
	ns["setErrorMap"] = func(c goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(c.Argument(0))
		if !ok {
			jsrt.Throw(b.vm, jsrt.TypeErrorf("z.setErrorMap(map): map must be a function (issue, ctx) => ({ message }), got %s", jsrt.TypeName(c.Argument(0))))
		}
		b.errorMap, b.errorMapValue = fn, c.Argument(0)
		return goja.Undefined()
	}
	ns["getErrorMap"] = func(goja.FunctionCall) goja.Value {
		if b.errorMapValue == nil {
			return b.vm.ToValue(func(c goja.FunctionCall) goja.Value {
				o := b.vm.NewObject()
				_ = o.Set("message", c.Argument(1).ToObject(b.vm).Get("defaultError"))
				return o
			})
		}
		return b.errorMapValue
	}
}

// instanceOf is JavaScript's `o instanceof cls`.
func (b *binding) instanceOf(o, cls *goja.Object) bool {
	if b.instanceOfFn == nil {
		f, err := b.vm.RunString("(function (o, c) { return o instanceof c; })")
		if err != nil {
			panic(err)
		}
		b.instanceOfFn, _ = goja.AssertFunction(f)
	}
	r, err := b.instanceOfFn(goja.Undefined(), o, cls)
	if err != nil {
		panic(err)
	}
	return r.ToBoolean()
}

// awaitParsed is z.promise's output: a promise of p's value parsed by s.
func (b *binding) awaitParsed(p goja.Value, s *schema.Schema) goja.Value {
	then, _ := goja.AssertFunction(p.ToObject(b.vm).Get("then"))
	r, err := then(p, b.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		out, issues := Validate(b.vm, s, c.Argument(0))
		if len(issues) > 0 {
			panic(b.zodErrorOf(issues))
		}
		return out
	}))
	if err != nil {
		panic(err)
	}
	return r
}

// dateCheck is a date's .min(date, message?) / .max().
func (b *binding) dateCheck(name string, f func(*schema.Schema, time.Time) *schema.Schema) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		h := b.this(c, name)
		t, ok := c.Argument(0).Export().(time.Time)
		if !ok {
			jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(date): date must be a Date, got %s", name, jsrt.TypeName(c.Argument(0))))
		}
		return b.rewrap(withMessage(f(h.s, t), c.Argument(1)), h)
	}
}

// bigintMethods are z.bigint()'s checks; bounds are bigints (or integers).
func (b *binding) bigintMethods() map[string]func(goja.FunctionCall) goja.Value {
	bound := func(name string, f func(*schema.Schema, *big.Int) *schema.Schema) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			h := b.this(c, name)
			return b.rewrap(withMessage(f(h.s, b.bigArg(c.Argument(0), name)), c.Argument(1)), h)
		}
	}
	fixed := func(name string, f func(*schema.Schema, *big.Int) *schema.Schema) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			h := b.this(c, name)
			return b.rewrap(withMessage(f(h.s, new(big.Int)), c.Argument(0)), h)
		}
	}
	min := func(s *schema.Schema, n *big.Int) *schema.Schema { return s.BigMin(n, false) }
	gt := func(s *schema.Schema, n *big.Int) *schema.Schema { return s.BigMin(n, true) }
	max := func(s *schema.Schema, n *big.Int) *schema.Schema { return s.BigMax(n, false) }
	lt := func(s *schema.Schema, n *big.Int) *schema.Schema { return s.BigMax(n, true) }
	return map[string]func(goja.FunctionCall) goja.Value{
		"min": bound("min", min), "gte": bound("gte", min), "gt": bound("gt", gt),
		"max": bound("max", max), "lte": bound("lte", max), "lt": bound("lt", lt),
		"positive": fixed("positive", gt), "nonnegative": fixed("nonnegative", min),
		"negative": fixed("negative", lt), "nonpositive": fixed("nonpositive", max),
		"multipleOf": bound("multipleOf", (*schema.Schema).BigMultipleOf),
	}
}

func (b *binding) bigArg(v goja.Value, name string) *big.Int {
	switch x := v.Export().(type) {
	case *big.Int:
		return x
	case int64:
		return big.NewInt(x)
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) {
			n, _ := big.NewFloat(x).Int(nil)
			return n
		}
	}
	jsrt.Throw(b.vm, jsrt.TypeErrorf(".%s(n): n must be a bigint, got %s", name, jsrt.TypeName(v)))
	return nil
}

// zFunction is z.function(): zod 3's z.function(args?, returns?) and zod
// 4's z.function({ input, output }).
func (b *binding) zFunction(c goja.FunctionCall) goja.Value {
	var args, returns *schema.Schema
	if h := handleOf(c.Argument(0)); h != nil {
		args = h.s
		if r := handleOf(c.Argument(1)); r != nil {
			returns = r.s
		}
	} else if o, ok := c.Argument(0).(*goja.Object); ok {
		if in := o.Get("input"); in != nil && !goja.IsUndefined(in) {
			args = b.argsTuple(in, "z.function({ input })")
		}
		if out := o.Get("output"); out != nil && !goja.IsUndefined(out) {
			h := handleOf(out)
			if h == nil {
				jsrt.Throw(b.vm, jsrt.TypeErrorf("z.function({ output }): output must be a z schema"))
			}
			returns = h.s
		}
	}
	return b.functionSchema(args, returns)
}

// argsTuple reads a function's arguments: a z.tuple() or an array of
// schemas.
func (b *binding) argsTuple(v goja.Value, fn string) *schema.Schema {
	if h := handleOf(v); h != nil {
		return h.s
	}
	return schema.Tuple(b.schemaArray(v, fn), nil)
}

// functionSchema makes a function schema whose parsed value is the
// function wrapped so its arguments and result are checked.
func (b *binding) functionSchema(args, returns *schema.Schema) *goja.Object {
	s := schema.Function(args, returns).KindEffect(func(v any, _ func(schema.Issue)) any {
		fn, _ := goja.AssertFunction(toJS(b.vm, schema.Any(), v, nil))
		return jsValue{b.implement(fn, args, returns)}
	})
	return b.wrap(s)
}

// implement wraps fn: its arguments are parsed by args (an issue throws a
// ZodError with code invalid_arguments), its result by returns
// (invalid_return_type), as zod's .implement().
func (b *binding) implement(fn goja.Callable, args, returns *schema.Schema) goja.Value {
	return b.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		in := c.Arguments
		if args != nil {
			out, issues := Validate(b.vm, args, b.vm.NewArray(toAny(in)...))
			if len(issues) > 0 {
				panic(b.wrappedError("invalid_arguments", "Invalid function arguments", "argumentsError", issues))
			}
			in = nil
			o := out.ToObject(b.vm)
			for i := range int(o.Get("length").ToInteger()) {
				in = append(in, o.Get(strconv.Itoa(i)))
			}
		}
		r, err := fn(c.This, in...)
		if err != nil {
			panic(err)
		}
		if returns != nil {
			out, issues := Validate(b.vm, returns, r)
			if len(issues) > 0 {
				panic(b.wrappedError("invalid_return_type", "Invalid function return type", "returnTypeError", issues))
			}
			r = out
		}
		return r
	})
}

// wrappedError is a ZodError of one issue holding another ZodError.
func (b *binding) wrappedError(code, msg, key string, inner []schema.Issue) goja.Value {
	return b.zodErrorOf([]schema.Issue{{Code: code, Message: msg, Params: map[string]any{key: jsValue{b.zodErrorOf(inner)}}}})
}

// functionMethods are a function schema's methods, zod 3's and zod 4's.
func (b *binding) functionMethods() map[string]func(goja.FunctionCall) goja.Value {
	args := func(c goja.FunctionCall) goja.Value {
		h := b.this(c, "args")
		var items []*schema.Schema
		for i := range c.Arguments {
			items = append(items, b.arg(c, i, ".args"))
		}
		return b.functionSchema(like(h.s, schema.Tuple(items, schema.Any())), h.s.Elem())
	}
	returns := func(c goja.FunctionCall) goja.Value {
		h := b.this(c, "returns")
		return b.functionSchema(h.s.FunctionArgs(), b.arg(c, 0, ".returns"))
	}
	return map[string]func(goja.FunctionCall) goja.Value{
		"args":    args,
		"returns": returns,
		"input": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "input")
			var t *schema.Schema
			if handleOf(c.Argument(0)) != nil && handleOf(c.Argument(0)).s.Kind() == schema.KindTuple {
				t = handleOf(c.Argument(0)).s
			} else if _, isArr := c.Argument(0).Export().([]any); isArr {
				t = b.argsTuple(c.Argument(0), ".input")
			} else {
				var items []*schema.Schema
				for i := range c.Arguments {
					items = append(items, b.arg(c, i, ".input"))
				}
				t = schema.Tuple(items, nil)
			}
			t = like(h.s, t)
			return b.functionSchema(t, h.s.Elem())
		},
		"output": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "output")
			return b.functionSchema(h.s.FunctionArgs(), b.arg(c, 0, ".output"))
		},
		"implement": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "implement")
			fn := b.fnArg(c.Argument(0), ".implement(fn)")
			return b.implement(fn, h.s.FunctionArgs(), h.s.Elem())
		},
		"implementAsync": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "implementAsync")
			fn := b.fnArg(c.Argument(0), ".implementAsync(fn)")
			return b.implement(fn, h.s.FunctionArgs(), h.s.Elem())
		},
		"strictImplement": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "strictImplement")
			fn := b.fnArg(c.Argument(0), ".strictImplement(fn)")
			return b.implement(fn, h.s.FunctionArgs(), h.s.Elem())
		},
		"parameters": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "parameters")
			if a := h.s.FunctionArgs(); a != nil {
				return b.wrap(a)
			}
			return b.wrap(schema.Tuple(nil, schema.Any()))
		},
		"returnType": func(c goja.FunctionCall) goja.Value {
			h := b.this(c, "returnType")
			if r := h.s.Elem(); r != nil {
				return b.wrap(r)
			}
			return b.wrap(schema.Any())
		},
	}
}

func toAny(vs []goja.Value) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// jsType names a JS value's type as zod's getParsedType does.
func jsType(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	}
	o, ok := v.(*goja.Object)
	if !ok {
		switch x := v.Export().(type) {
		case string:
			return "string"
		case bool:
			return "boolean"
		case *big.Int:
			return "bigint"
		case float64:
			if math.IsNaN(x) {
				return "nan"
			}
		}
		if _, isSym := v.(*goja.Symbol); isSym {
			return "symbol"
		}
		return "number"
	}
	if _, isFn := goja.AssertFunction(o); isFn {
		return "function"
	}
	if _, isPromise := o.Export().(*goja.Promise); isPromise {
		return "promise"
	}
	switch classOf(o) {
	case "Array":
		return "array"
	case "Date":
		return "date"
	case "Map":
		return "map"
	case "Set":
		return "set"
	}
	if then := o.Get("then"); then != nil {
		if _, ok := goja.AssertFunction(then); ok {
			if catch := o.Get("catch"); catch != nil {
				if _, ok := goja.AssertFunction(catch); ok {
					return "promise" // a thenable, as zod 3 counts it
				}
			}
		}
	}
	return "object"
}

// like marks s as zod 3's when from is (a schema a method makes for its
// receiver).
func like(from, s *schema.Schema) *schema.Schema {
	if from.IsZod3() && !s.IsZod3() {
		return s.Zod3()
	}
	return s
}

// located records where the z value fn makes was made, for the load error
// of a config field a form cannot show (see schema.FormProblems).
func (b *binding) located(fn func(goja.FunctionCall) goja.Value) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		r := fn(c)
		if h := handleOf(r); h != nil {
			if pos := jsrt.CallerPosition(b.vm); pos != "" {
				h.s = h.s.At(pos)
			}
		}
		return r
	}
}
