package zod

import (
	"slices"
	"strconv"

	"github.com/dop251/goja"

	"host/schema"
)

// jsValue carries a JS value through validation untouched: the input of a
// z.any()/z.unknown() (returned as the same value), a passthrough key, a
// transform's result. Plain converts it for a schema that must look inside
// (after .pipe()).
type jsValue struct{ v goja.Value }

func (j jsValue) Plain() any { return exportPlain(j.v, 0) }

// maxDepth bounds the generic conversion (cyclic objects end there as
// opaque values).
const maxDepth = 64

// exportPlain converts a JS value to JSON-like Go values without a schema
// to guide it: objects to maps of their own enumerable keys, arrays to
// slices.
func exportPlain(v goja.Value, depth int) any {
	if v == nil || goja.IsUndefined(v) {
		return schema.Undefined
	}
	if goja.IsNull(v) {
		return nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return v.Export()
	}
	if depth >= maxDepth {
		return jsValue{v}
	}
	switch o.ClassName() {
	case "Array":
		n := int(o.Get("length").ToInteger())
		out := make([]any, n)
		for i := range n {
			out[i] = exportPlain(o.Get(strconv.Itoa(i)), depth+1)
		}
		return out
	case "Function", "Date":
		return o.Export()
	}
	keys := o.Keys()
	m := make(map[string]any, len(keys))
	for _, k := range keys {
		if fv := o.Get(k); fv != nil && !goja.IsUndefined(fv) {
			m[k] = exportPlain(fv, depth+1)
		}
	}
	return m
}

// toGo converts a JS value to the Go form schema.Validate takes, reading
// only what s looks at: declared object fields (plus all keys for strict and
// passthrough objects), array elements, primitives. undefined and absent
// properties become schema.Undefined. Call on the loop goroutine.
func toGo(s *schema.Schema, v goja.Value) any {
	if v == nil || goja.IsUndefined(v) {
		return schema.Undefined
	}
	if s.IsCoerced() {
		switch s.Kind() {
		case schema.KindString:
			return v.String()
		case schema.KindNumber:
			return v.ToFloat()
		case schema.KindBoolean:
			return v.ToBoolean()
		}
	}
	if goja.IsNull(v) {
		return nil
	}
	switch s.Kind() {
	case schema.KindAny:
		return jsValue{v}
	case schema.KindUnion:
		return exportPlain(v, 0)
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return v.Export() // string, bool, int64, float64, *big.Int
	}
	switch o.ClassName() {
	case "Array":
		var at func(i int) *schema.Schema
		switch s.Kind() {
		case schema.KindArray:
			at = func(int) *schema.Schema { return s.Elem() }
		case schema.KindTuple:
			items := s.Items()
			at = func(i int) *schema.Schema {
				if i < len(items) {
					return items[i]
				}
				if r := s.Elem(); r != nil {
					return r
				}
				return schema.Any()
			}
		default:
			return []any{} // enough for "received array"
		}
		n := int(o.Get("length").ToInteger())
		out := make([]any, n)
		for i := range n {
			out[i] = toGo(at(i), o.Get(strconv.Itoa(i)))
		}
		return out
	case "Function", "Date":
		return o.Export() // a func or a time.Time: "received function/date"
	}
	switch s.Kind() {
	case schema.KindRecord:
		keys := o.Keys()
		m := make(map[string]any, len(keys))
		for _, k := range keys {
			if fv := o.Get(k); fv != nil && !goja.IsUndefined(fv) {
				m[k] = toGo(s.Elem(), fv)
			}
		}
		return m
	case schema.KindObject:
	default:
		return map[string]any{} // enough for "received object"
	}
	props := s.Properties()
	m := make(map[string]any, len(props))
	for _, p := range props {
		if fv := o.Get(p.Key); fv != nil && !goja.IsUndefined(fv) {
			m[p.Key] = toGo(p.Schema, fv)
		}
	}
	if s.UnknownKeys() != schema.Strip {
		for _, k := range o.Keys() {
			if _, declared := s.Field(k); !declared {
				if rest := s.CatchallSchema(); rest != nil {
					m[k] = toGo(rest, o.Get(k))
				} else {
					m[k] = jsValue{o.Get(k)}
				}
			}
		}
	}
	return m
}

// toJS converts Validate's output back to JS, guided by s so object keys
// keep the schema's order; orig is the input at the same place (nil where a
// default filled in), whose key order records keep. Call on the loop
// goroutine.
func toJS(vm *goja.Runtime, s *schema.Schema, out any, orig goja.Value) goja.Value {
	v := toJSValue(vm, s, out, orig)
	if s.IsReadonly() {
		if o, ok := v.(*goja.Object); ok {
			freeze, _ := goja.AssertFunction(vm.Get("Object").ToObject(vm).Get("freeze"))
			if _, err := freeze(nil, o); err != nil {
				panic(err)
			}
		}
	}
	return v
}

func toJSValue(vm *goja.Runtime, s *schema.Schema, out any, orig goja.Value) goja.Value {
	if j, ok := out.(jsValue); ok {
		return j.v
	}
	if out == schema.Undefined {
		return goja.Undefined()
	}
	if out == nil {
		return goja.Null()
	}
	origObj, _ := orig.(*goja.Object)
	sub := func(key string) goja.Value {
		if origObj == nil {
			return nil
		}
		return origObj.Get(key)
	}
	switch s.Kind() {
	case schema.KindObject:
		m, ok := out.(map[string]any)
		if !ok {
			break
		}
		o := vm.NewObject()
		for _, p := range s.Properties() {
			if v, ok := m[p.Key]; ok {
				_ = o.Set(p.Key, toJS(vm, p.Schema, v, sub(p.Key)))
			}
		}
		if s.UnknownKeys() == schema.Passthrough {
			var extra []string
			for k := range m {
				if _, declared := s.Field(k); !declared {
					extra = append(extra, k)
				}
			}
			rest := s.CatchallSchema()
			if rest == nil {
				rest = schema.Any()
			}
			for _, k := range keyOrder(origObj, extra) {
				_ = o.Set(k, toJS(vm, rest, m[k], sub(k)))
			}
		}
		return o
	case schema.KindRecord:
		m, ok := out.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		o := vm.NewObject()
		for _, k := range keyOrder(origObj, keys) {
			_ = o.Set(k, toJS(vm, s.Elem(), m[k], sub(k)))
		}
		return o
	case schema.KindArray, schema.KindTuple:
		a, ok := out.([]any)
		if !ok {
			break
		}
		items := make([]any, len(a))
		tuple := s.Items()
		for i, v := range a {
			es := s.Elem()
			if i < len(tuple) {
				es = tuple[i]
			}
			if es == nil {
				es = schema.Any()
			}
			items[i] = toJS(vm, es, v, sub(strconv.Itoa(i)))
		}
		return vm.NewArray(items...)
	case schema.KindUnion:
		return toJS(vm, variantFor(s, out), out, orig)
	}
	return plainToJS(vm, out)
}

// keyOrder orders keys as they appear in the JS object o (keys o lacks,
// e.g. filled by a default, sorted after them).
func keyOrder(o *goja.Object, keys []string) []string {
	slices.Sort(keys)
	if o == nil {
		return keys
	}
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	out := make([]string, 0, len(keys))
	for _, k := range o.Keys() {
		if want[k] {
			out = append(out, k)
			delete(want, k)
		}
	}
	for _, k := range keys {
		if want[k] {
			out = append(out, k)
		}
	}
	return out
}

// variantFor picks the union variant that most likely produced out, to
// guide toJS: the discriminated one, else the first of out's kind.
func variantFor(s *schema.Schema, out any) *schema.Schema {
	vs := s.Variants()
	if d := s.Discriminator(); d != "" {
		if m, ok := out.(map[string]any); ok {
			for _, v := range vs {
				f, _ := v.Field(d)
				if _, issues := f.Validate(m[d]); issues == nil {
					return v
				}
			}
		}
	}
	for _, v := range vs {
		switch out.(type) {
		case map[string]any:
			if v.Kind() == schema.KindObject || v.Kind() == schema.KindRecord {
				if _, issues := v.Validate(out); issues == nil {
					return v
				}
			}
		case []any:
			if v.Kind() == schema.KindArray || v.Kind() == schema.KindTuple {
				return v
			}
		}
	}
	return schema.Any()
}

// plainToJS converts JSON-like Go values (defaults) to plain JS values, map
// keys sorted.
func plainToJS(vm *goja.Runtime, v any) goja.Value {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		o := vm.NewObject()
		for _, k := range keys {
			_ = o.Set(k, plainToJS(vm, x[k]))
		}
		return o
	case []any:
		items := make([]any, len(x))
		for i, e := range x {
			items[i] = plainToJS(vm, e)
		}
		return vm.NewArray(items...)
	case jsValue:
		return x.v
	}
	if v == schema.Undefined {
		return goja.Undefined()
	}
	return vm.ToValue(v)
}

// Validate checks a JS value (e.g. a tool's input) against s and returns the
// parsed JS value, as z's safeParse does, with the issues when it fails.
// Refinements and transforms run. Call on the loop goroutine.
func Validate(vm *goja.Runtime, s *schema.Schema, v goja.Value) (goja.Value, []schema.Issue) {
	out, issues := s.ValidateWith(toGo(s, v), schema.Options{Effects: true})
	if len(issues) > 0 {
		return nil, issues
	}
	return toJS(vm, s, out, v), nil
}

// ToJS converts a Go value that s.Validate returned (e.g. the validated
// config the host assembled from its file, flags and keyring) to a JS value
// whose object keys follow the schema's order. Call on the loop goroutine.
// Validate skipped the schema's refinements and transforms (see
// schema.HasEffects): Apply runs them.
func ToJS(vm *goja.Runtime, s *schema.Schema, out any) goja.Value {
	return toJS(vm, s, out, nil)
}

// Apply is Validate for a Go value that passed s.Validate (e.g. the
// assembled config): it runs the refinements and transforms Validate
// skipped and returns the JS value, or the issues they found. Call on the
// loop goroutine.
func Apply(vm *goja.Runtime, s *schema.Schema, out any) (goja.Value, []schema.Issue) {
	if !s.HasEffects() {
		return toJS(vm, s, out, nil), nil
	}
	return Validate(vm, s, toJS(vm, s, out, nil))
}
