// Package sdk is the Go side of the plugin SDK's schema utilities that
// `@hivemind-os/plugin-sdk` exports beside definePlugin and z:
// serializeConfigSchema (a configSchema as the SDK's host reads it to draw
// its form) and getFieldMeta (a field's setup hints), with the SDK's
// results. Install puts them where the module's source (Module) finds
// them. Everything here runs on the runtime's loop goroutine.
//
// The SDK computes both from zod 3's `_def` tree; host's z is backed by a
// *schema.Schema, so Serialize reads that and reproduces the SDK's rules:
// the type is "string" for every kind but string, number, boolean and
// array (objects, unions, literals, records and refined or transformed
// fields included); a field wrapped by .optional(), .nullable() or
// .default() keeps its type, default and enum but shows no minimum,
// maximum or items (zod 3 puts those on the inner schema); minimum and
// maximum come from min/gt and max/lt checks (a string's length bounds
// included); a field is required unless optional or defaulted; the
// description is the field's description, else its label (the SDK's
// .label() sets the description).
//
// One difference: in the SDK a hint set before .optional(), .default() or
// .describe() is lost (zod 3 makes a new object that lacks it), while host
// keeps every hint whatever the order, so `hivemind` may hold hints the
// SDK's result drops. For fields written hints-last, as the SDK's samples
// and templates do, the results are equal: TestAgainstSDK runs the SDK's
// own schema.ts on zod 3.23 beside this package on the same schemas.
package sdk

import (
	_ "embed"
	"errors"
	"maps"
	"slices"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/zod"
	"host/jsrt"
	"host/schema"
)

// key is where Install puts the functions: globalThis[Symbol.for(key)].
const key = "host.sdk"

// Module is the part of the `@hivemind-os/plugin-sdk` module source that
// exports the functions Install defines (an ES module fragment).
const Module = `const hostSDK = globalThis[Symbol.for('` + key + `')];
export const serializeConfigSchema = hostSDK.serializeConfigSchema;
export const getFieldMeta = hostSDK.getFieldMeta;
`

// Install defines serializeConfigSchema and getFieldMeta for Module. Call
// on the loop goroutine, before plugin code runs.
func Install(env jsapi.Env) error {
	vm := env.VM()
	o := vm.NewObject()
	if err := o.Set("serializeConfigSchema", jsrt.Safe(vm, "serializeConfigSchema", func(c goja.FunctionCall) goja.Value {
		return serializeConfig(vm, c.Argument(0))
	})); err != nil {
		return err
	}
	if err := o.Set("getFieldMeta", jsrt.Safe(vm, "getFieldMeta", func(c goja.FunctionCall) goja.Value {
		s, ok := zod.SchemaOf(c.Argument(0))
		if !ok {
			return vm.NewObject()
		}
		return fieldMeta(vm, s)
	})); err != nil {
		return err
	}
	symFor, _ := goja.AssertFunction(vm.Get("Symbol").ToObject(vm).Get("for"))
	sym, err := symFor(goja.Undefined(), vm.ToValue(key))
	if err != nil {
		return err
	}
	s, ok := sym.(*goja.Symbol)
	if !ok {
		return errors.New("sdk: Symbol.for did not return a symbol")
	}
	return vm.GlobalObject().DefineDataPropertySymbol(s, o, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// serializeConfig is serializeConfigSchema: { type: "object", properties,
// required } of an object schema; of anything else the empty form, as the
// SDK's (which finds no shape).
func serializeConfig(vm *goja.Runtime, v goja.Value) goja.Value {
	out := vm.NewObject()
	props := vm.NewObject()
	var required []any
	if s, ok := zod.SchemaOf(v); ok && s.Kind() == schema.KindObject {
		for _, p := range s.Properties() {
			_ = props.Set(p.Key, field(vm, p.Schema))
			if !optional(p.Schema) {
				required = append(required, p.Key)
			}
		}
	}
	_ = out.Set("type", "object")
	_ = out.Set("properties", props)
	_ = out.Set("required", vm.NewArray(required...))
	return out
}

// optional is the SDK's isOptional: .optional() or .default() (also under
// .nullable()).
func optional(s *schema.Schema) bool {
	_, hasDefault := s.DefaultValue()
	return s.IsOptional() || hasDefault
}

// field is the SDK's SerializedFieldSchema of s, its keys in the SDK's order.
func field(vm *goja.Runtime, s *schema.Schema) *goja.Object {
	o := vm.NewObject()
	def, hasDefault := s.DefaultValue()
	effects := s.OwnEffects()
	wrapped := s.IsOptional() || s.IsNullable() || hasDefault || effects
	_ = o.Set("type", fieldType(s))
	if d := description(s); d != "" {
		_ = o.Set("description", d)
	}
	if hasDefault && def != nil {
		_ = o.Set("default", vm.ToValue(jsValue(vm, def)))
	} else if hasDefault {
		_ = o.Set("default", goja.Null())
	}
	if s.Kind() == schema.KindEnum && !effects {
		opts := s.Options()
		vals := make([]any, len(opts))
		for i, x := range opts {
			vals[i] = x
		}
		_ = o.Set("enum", vm.NewArray(vals...))
	}
	if !wrapped && (s.Kind() == schema.KindNumber || s.Kind() == schema.KindString) {
		lo, hi, hasLo, hasHi := s.Bounds()
		if hasLo {
			_ = o.Set("minimum", lo)
		}
		if hasHi {
			_ = o.Set("maximum", hi)
		}
	}
	if !wrapped && s.Kind() == schema.KindArray && s.Elem() != nil {
		_ = o.Set("items", field(vm, s.Elem()))
	}
	if m := fieldMeta(vm, s); len(m.Keys()) > 0 {
		_ = o.Set("hivemind", m)
	}
	return o
}

// fieldType is the SDK's inferType.
func fieldType(s *schema.Schema) string {
	if s.OwnEffects() {
		return "string"
	}
	switch s.Kind() {
	case schema.KindNumber:
		return "number"
	case schema.KindBoolean:
		return "boolean"
	case schema.KindArray:
		return "array"
	}
	return "string"
}

// description is what the SDK's field description holds: the text of
// .describe(), or the label (its .label() describes the field too).
func description(s *schema.Schema) string {
	if d := s.Description(); d != "" {
		return d
	}
	return s.LabelText()
}

// fieldMeta is getFieldMeta: the hints set on s, in the order of the SDK's
// HivemindFieldMeta.
func fieldMeta(vm *goja.Runtime, s *schema.Schema) *goja.Object {
	m := vm.NewObject()
	if v := s.LabelText(); v != "" {
		_ = m.Set("label", v)
	}
	if v := s.HelpTextValue(); v != "" {
		_ = m.Set("helpText", v)
	}
	if v := s.SectionName(); v != "" {
		_ = m.Set("section", v)
	}
	if s.IsSecret() {
		_ = m.Set("secret", true)
	}
	if s.IsRadio() {
		_ = m.Set("radio", true)
	}
	if v := s.PlaceholderText(); v != "" {
		_ = m.Set("placeholder", v)
	}
	return m
}

// jsValue turns a default (JSON-like Go data) into a fresh JS value, so a
// caller changing it changes nothing else.
func jsValue(vm *goja.Runtime, v any) goja.Value {
	switch x := v.(type) {
	case []any:
		items := make([]any, len(x))
		for i, e := range x {
			items[i] = jsValue(vm, e)
		}
		return vm.NewArray(items...)
	case map[string]any:
		o := vm.NewObject()
		for _, k := range slices.Sorted(maps.Keys(x)) {
			_ = o.Set(k, jsValue(vm, x[k]))
		}
		return o
	}
	return vm.ToValue(v)
}

// DTS declares the module's exports of this package for `host types`.
//
//go:embed sdk.d.ts
var DTS string
