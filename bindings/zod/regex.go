package zod

import (
	"github.com/dop251/goja"

	"host/jsrt"
	"host/schema"
)

// regex implements .regex(re, message?): re is a RegExp (or a pattern
// string), compiled once, here, with JavaScript semantics (schema.Pattern:
// regexp2 in ECMAScript mode with a match timeout).
func (b *binding) regex(c goja.FunctionCall) goja.Value {
	h := b.this(c, "regex")
	p := b.pattern(c.Argument(0), ".regex")
	return b.rewrap(withMessage(h.s.Regex(p), c.Argument(1)), h)
}

// pattern compiles a RegExp or pattern-string argument or throws naming fn.
func (b *binding) pattern(v goja.Value, fn string) *schema.Pattern {
	var src, flags string
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "RegExp" {
		src, flags = o.Get("source").String(), o.Get("flags").String()
	} else if s, ok := v.Export().(string); ok {
		src = s
	} else {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("%s(re): re must be a RegExp, got %s", fn, jsrt.TypeName(v)))
	}
	p, err := schema.CompilePattern(src, flags)
	if err != nil {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("%s(/%s/%s): %v", fn, src, flags, err))
	}
	return p
}
