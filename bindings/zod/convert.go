package zod

import (
	"slices"
	"strconv"

	"github.com/dop251/goja"

	"host/schema"
)

// anyValue stands in, during validation, for a present value under a
// z.any()/z.unknown() schema: such values are returned as the original JS
// value, so converting them to Go would be wasted work.
type anyValue struct{}

// toGo converts a JS value to the Go form schema.Validate takes, reading
// only what s looks at: declared object fields (plus all keys for strict and
// passthrough objects), array elements, primitives. undefined and absent
// properties become schema.Undefined. Call on the loop goroutine.
func toGo(s *schema.Schema, v goja.Value) any {
	if v == nil || goja.IsUndefined(v) {
		return schema.Undefined
	}
	if goja.IsNull(v) {
		return nil
	}
	if s.Kind() == schema.KindAny {
		return anyValue{}
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return v.Export() // string, bool, int64, float64, *big.Int
	}
	switch o.ClassName() {
	case "Array":
		if s.Kind() != schema.KindArray {
			return []any{} // enough for "received array"
		}
		n := int(o.Get("length").ToInteger())
		elem := s.Elem()
		out := make([]any, n)
		for i := range n {
			out[i] = toGo(elem, o.Get(strconv.Itoa(i)))
		}
		return out
	case "Function", "Date":
		return o.Export() // a func or a time.Time: "received function/date"
	}
	if s.Kind() != schema.KindObject {
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
				m[k] = anyValue{} // passthrough output reads the JS value
			}
		}
	}
	return m
}

// toJS converts Validate's output back to JS, guided by s so object keys
// keep the schema's order; orig is the input at the same place (nil where a
// default filled in), whose values pass through for z.any() and for
// passthrough keys. Call on the loop goroutine.
func toJS(vm *goja.Runtime, s *schema.Schema, out any, orig goja.Value) goja.Value {
	if out == schema.Undefined {
		return goja.Undefined()
	}
	if out == nil {
		return goja.Null()
	}
	origObj, _ := orig.(*goja.Object)
	switch s.Kind() {
	case schema.KindAny:
		if _, ok := out.(anyValue); ok && orig != nil {
			return orig
		}
		return plainToJS(vm, out)
	case schema.KindObject:
		m, ok := out.(map[string]any)
		if !ok {
			break
		}
		o := vm.NewObject()
		props := s.Properties()
		for _, p := range props {
			v, ok := m[p.Key]
			if !ok {
				continue
			}
			var ov goja.Value
			if origObj != nil {
				ov = origObj.Get(p.Key)
			}
			_ = o.Set(p.Key, toJS(vm, p.Schema, v, ov))
		}
		if s.UnknownKeys() == schema.Passthrough {
			if origObj != nil {
				for _, k := range origObj.Keys() {
					if _, declared := s.Field(k); !declared {
						_ = o.Set(k, origObj.Get(k))
					}
				}
			} else if len(m) > 0 {
				var extra []string
				for k := range m {
					if _, declared := s.Field(k); !declared {
						extra = append(extra, k)
					}
				}
				slices.Sort(extra)
				for _, k := range extra {
					_ = o.Set(k, plainToJS(vm, m[k]))
				}
			}
		}
		return o
	case schema.KindArray:
		a, ok := out.([]any)
		if !ok {
			break
		}
		items := make([]any, len(a))
		for i, v := range a {
			var ov goja.Value
			if origObj != nil {
				ov = origObj.Get(strconv.Itoa(i))
			}
			items[i] = toJS(vm, s.Elem(), v, ov)
		}
		return vm.NewArray(items...)
	}
	return plainToJS(vm, out)
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
	case anyValue:
		return goja.Undefined()
	}
	if v == schema.Undefined {
		return goja.Undefined()
	}
	return vm.ToValue(v)
}

// Validate checks a JS value (e.g. a tool's input) against s and returns the
// parsed JS value, as z's safeParse does, with the issues when it fails.
// Call on the loop goroutine.
func Validate(vm *goja.Runtime, s *schema.Schema, v goja.Value) (goja.Value, []schema.Issue) {
	out, issues := s.Validate(toGo(s, v))
	if len(issues) > 0 {
		return nil, issues
	}
	return toJS(vm, s, out, v), nil
}

// ToJS converts a Go value that s.Validate returned (e.g. the validated
// config the host assembled from its file, flags and keyring) to a JS value
// whose object keys follow the schema's order. Call on the loop goroutine.
func ToJS(vm *goja.Runtime, s *schema.Schema, out any) goja.Value {
	return toJS(vm, s, out, nil)
}
