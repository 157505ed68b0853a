package zod

import (
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/dop251/goja"

	"host/schema"
)

// jsValue carries a JS value through validation untouched: the input of a
// z.any()/z.unknown() (returned as the same value), a passthrough key, a
// transform's result. Plain converts it for a schema that must look inside
// (after .pipe()).
type jsValue struct{ v goja.Value }

func (j jsValue) Plain() any { return exportPlain(j.v, 0) }

// JSType names the value's JavaScript type (schema.Typed).
func (j jsValue) JSType() string { return jsType(j.v) }

// As converts the value as s needs (schema.Convertible).
func (j jsValue) As(s *schema.Schema) any { return toGo(s, j.v) }

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
	switch classOf(o) {
	case "Array":
		n := int(o.Get("length").ToInteger())
		out := make([]any, n)
		for i := range n {
			out[i] = exportPlain(o.Get(strconv.Itoa(i)), depth+1)
		}
		return out
	case "Function":
		return o.Export()
	case "Date":
		return dateOf(o)
	case "Map", "Set":
		return jsValue{v}
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
	if s.IsPreprocessed() {
		return jsValue{v} // the preprocess function gets the input as it is
	}
	if s.IsCoerced() {
		switch s.Kind() {
		case schema.KindDate:
			return coerceDate(v)
		case schema.KindBigInt:
			return coerceBigInt(v)
		}
	}
	if goja.IsNull(v) {
		return nil
	}
	switch s.Kind() {
	case schema.KindAny, schema.KindCustom, schema.KindPromise, schema.KindFunction, schema.KindIntersection:
		return jsValue{v}
	case schema.KindLazy:
		return jsValue{v} // converted level by level as validation reaches it
	case schema.KindUnion:
		return exportPlain(v, 0)
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return v.Export() // string, bool, int64, float64, *big.Int
	}
	switch classOf(o) {
	case "Map":
		if s.Kind() == schema.KindMap {
			return mapOf(o, s)
		}
		return jsValue{v}
	case "Set":
		if s.Kind() == schema.KindSet {
			return setOf(o, s)
		}
		return jsValue{v}
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
	case "Function":
		return jsValue{v} // "received function"
	case "Date":
		return dateOf(o)
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
	case schema.KindLazy:
		if t := s.Target(); t != nil {
			return toJS(vm, t, out, orig)
		}
	case schema.KindIntersection:
		return intersectionToJS(vm, s, out, orig)
	case schema.KindMap:
		if m, ok := out.(schema.MapValue); ok {
			return newCollection(vm, "Map", len(m), func(i int) []goja.Value {
				return []goja.Value{toJS(vm, s.KeySchema(), m[i].Key, nil), toJS(vm, s.Elem(), m[i].Value, nil)}
			})
		}
	case schema.KindSet:
		if set, ok := out.(schema.SetValue); ok {
			return newCollection(vm, "Set", len(set), func(i int) []goja.Value {
				return []goja.Value{toJS(vm, s.Elem(), set[i], nil)}
			})
		}
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
	case time.Time:
		d, err := vm.New(vm.Get("Date"), vm.ToValue(x.UnixMilli()))
		if err != nil {
			panic(err)
		}
		return d
	case schema.InvalidDate:
		d, err := vm.New(vm.Get("Date"), vm.ToValue(math.NaN()))
		if err != nil {
			panic(err)
		}
		return d
	case schema.MapValue:
		return newCollection(vm, "Map", len(x), func(i int) []goja.Value {
			return []goja.Value{plainToJS(vm, x[i].Key), plainToJS(vm, x[i].Value)}
		})
	case schema.SetValue:
		return newCollection(vm, "Set", len(x), func(i int) []goja.Value { return []goja.Value{plainToJS(vm, x[i])} })
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

// dateOf reads a JS Date: a time.Time, or schema.InvalidDate.
func dateOf(o *goja.Object) any {
	getTime, _ := goja.AssertFunction(o.Get("getTime"))
	if getTime == nil {
		return map[string]any{}
	}
	ms, err := getTime(o)
	if err != nil {
		panic(err)
	}
	f := ms.ToFloat()
	if math.IsNaN(f) {
		return schema.InvalidDate{}
	}
	return time.UnixMilli(int64(f)).UTC()
}

// coerceDate is z.coerce.date(): new Date(value) for a Date, a number of
// milliseconds, or an ISO text (date, date-time); other text is an invalid
// date, as JavaScript's parser mostly says.
func coerceDate(v goja.Value) any {
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "Date" {
		return dateOf(o)
	}
	switch x := v.Export().(type) {
	case int64:
		return time.UnixMilli(x).UTC()
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return schema.InvalidDate{}
		}
		return time.UnixMilli(int64(x)).UTC()
	case string:
		if t, err := schema.ParseDate(x); err == nil {
			return t
		}
		return schema.InvalidDate{}
	case nil:
		if goja.IsNull(v) {
			return time.UnixMilli(0).UTC()
		}
	}
	return schema.InvalidDate{}
}

// coerceBigInt is z.coerce.bigint(): BigInt(value); a value BigInt
// refuses stays as it is (an issue).
func coerceBigInt(v goja.Value) any {
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
	case string:
		if n, ok := new(big.Int).SetString(x, 0); ok {
			return n
		}
	case bool:
		if x {
			return big.NewInt(1)
		}
		return big.NewInt(0)
	}
	return v.Export()
}

// mapOf reads a JS Map as s (a map schema) needs.
func mapOf(o *goja.Object, s *schema.Schema) any {
	var out schema.MapValue
	eachEntry(o, func(k, v goja.Value) {
		out = append(out, schema.MapEntry{Key: toGo(s.KeySchema(), k), Value: toGo(s.Elem(), v)})
	})
	if out == nil {
		out = schema.MapValue{}
	}
	return out
}

// setOf reads a JS Set as s (a set schema) needs.
func setOf(o *goja.Object, s *schema.Schema) any {
	out := schema.SetValue{}
	eachEntry(o, func(_, v goja.Value) { out = append(out, toGo(s.Elem(), v)) })
	return out
}

// eachEntry calls fn with each entry of a Map or Set (key and value; a
// Set's key is its value), through its entries() iterator.
func eachEntry(o *goja.Object, fn func(k, v goja.Value)) {
	entries, ok := goja.AssertFunction(o.Get("entries"))
	if !ok {
		return
	}
	it, err := entries(o)
	if err != nil {
		panic(err)
	}
	ito, _ := it.(*goja.Object)
	if ito == nil {
		return
	}
	next, ok := goja.AssertFunction(ito.Get("next"))
	if !ok {
		return
	}
	for range 1 << 24 {
		r, err := next(ito)
		if err != nil {
			panic(err)
		}
		ro, _ := r.(*goja.Object)
		if ro == nil || ro.Get("done").ToBoolean() {
			return
		}
		pair, _ := ro.Get("value").(*goja.Object)
		if pair == nil {
			return
		}
		fn(pair.Get("0"), pair.Get("1"))
	}
}

// newCollection makes a JS Map or Set of n entries.
func newCollection(vm *goja.Runtime, class string, n int, entry func(i int) []goja.Value) goja.Value {
	c, err := vm.New(vm.Get(class))
	if err != nil {
		panic(err)
	}
	method := "set"
	if class == "Set" {
		method = "add"
	}
	add, _ := goja.AssertFunction(c.Get(method))
	for i := range n {
		if _, err := add(c, entry(i)...); err != nil {
			panic(err)
		}
	}
	return c
}

// intersectionToJS converts an intersection's merged output: object keys
// in the order of the left schema's fields, then the right's, then the rest.
func intersectionToJS(vm *goja.Runtime, s *schema.Schema, out any, orig goja.Value) goja.Value {
	m, ok := out.(map[string]any)
	if !ok {
		return plainToJS(vm, out)
	}
	o := vm.NewObject()
	done := map[string]bool{}
	vs := s.Variants()
	for i, side := range vs {
		side = side.Target()
		if side == nil {
			continue
		}
		for _, p := range side.Properties() {
			v, ok := m[p.Key]
			if !ok || done[p.Key] {
				continue
			}
			done[p.Key] = true
			fs := p.Schema
			if other := vs[1-i].Target(); other != nil {
				if os, both := other.Field(p.Key); both {
					fs = schema.Intersection(fs, os) // both sides' keys, merged
				}
			}
			_ = o.Set(p.Key, toJS(vm, fs, v, nil))
		}
	}
	var rest []string
	for k := range m {
		if !done[k] {
			rest = append(rest, k)
		}
	}
	origObj, _ := orig.(*goja.Object)
	for _, k := range keyOrder(origObj, rest) {
		_ = o.Set(k, plainToJS(vm, m[k]))
	}
	return o
}

var (
	mapExport = reflect.TypeOf([][2]any{})
	setExport = reflect.TypeOf([]any{})
)

// classOf is o's class name, telling Maps and Sets (which goja names
// "Object") apart by the Go type they export to.
func classOf(o *goja.Object) string {
	c := o.ClassName()
	if c == "Object" {
		switch o.ExportType() {
		case mapExport:
			return "Map"
		case setExport:
			return "Set"
		}
	}
	return c
}
