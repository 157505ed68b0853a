// Package console is the Go side of a plugin's `console` global and of
// `ctx.log`: it formats the arguments the way browsers and Node do and hands
// each line, with its level and the plugin that printed it, to a Sink. It
// never prints itself.
package console

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"host/jsrt"
)

// Level is a log line's severity.
type Level int

// The levels, in order.
const (
	Debug Level = iota
	Info
	Warn
	Error
)

func (l Level) String() string {
	switch l {
	case Debug:
		return "debug"
	case Info:
		return "info"
	case Warn:
		return "warn"
	default:
		return "error"
	}
}

// Entry is one line a plugin printed.
type Entry struct {
	Plugin  string // plugin id
	Level   Level
	Message string
}

// Sink receives entries on the loop goroutine; it must not block for long.
type Sink func(Entry)

// MaxLine caps one printed message; longer output is cut with a note.
const MaxLine = 8 << 10

// Install defines the global `console` (log, info, warn, error, debug,
// trace) sending to sink under plugin id. Call on the loop goroutine.
func Install(vm *goja.Runtime, plugin string, sink Sink) {
	_ = vm.Set("console", NewObject(vm, plugin, sink, true))
}

// NewObject returns an object with debug/info/warn/error methods (and log
// and trace when withLog), as `ctx.log` and `console` use; their lines
// go through jsrt.CleanControls. Call on the loop goroutine.
func NewObject(vm *goja.Runtime, plugin string, sink Sink, withLog bool) *goja.Object {
	o := vm.NewObject()
	mk := func(l Level) func(goja.FunctionCall) goja.Value {
		return jsrt.Safe(vm, "console."+l.String(), func(c goja.FunctionCall) goja.Value {
			if sink != nil {
				sink(Entry{Plugin: plugin, Level: l, Message: jsrt.CleanControls(Format(vm, c.Arguments))})
			}
			return goja.Undefined()
		})
	}
	_ = o.Set("debug", mk(Debug))
	_ = o.Set("info", mk(Info))
	_ = o.Set("warn", mk(Warn))
	_ = o.Set("error", mk(Error))
	if withLog {
		_ = o.Set("log", mk(Info))
		_ = o.Set("trace", mk(Debug))
	}
	return o
}

// Format renders console arguments like Node's util.format: a leading
// string may hold %s %d %i %f %j %o %O %c %% directives; other arguments are
// joined with spaces, strings bare and other values inspected. Call on the
// loop goroutine.
func Format(vm *goja.Runtime, args []goja.Value) string {
	var b strings.Builder
	rest := args
	if len(args) > 0 {
		if s, ok := str(args[0]); ok && strings.Contains(s, "%") {
			rest = args[1:]
			for i := 0; i < len(s); i++ {
				ch := s[i]
				if ch != '%' || i+1 >= len(s) {
					b.WriteByte(ch)
					continue
				}
				verb := s[i+1]
				if verb == '%' {
					b.WriteByte('%')
					i++
					continue
				}
				if !strings.ContainsRune("sdifjoOc", rune(verb)) || len(rest) == 0 {
					b.WriteByte(ch)
					continue
				}
				a := rest[0]
				rest = rest[1:]
				i++
				switch verb {
				case 's':
					if s, ok := str(a); ok {
						b.WriteString(s)
					} else {
						b.WriteString(Inspect(vm, a))
					}
				case 'd', 'i':
					f := a.ToFloat()
					if verb == 'i' || f == math.Trunc(f) {
						if math.IsNaN(f) {
							b.WriteString("NaN")
						} else {
							b.WriteString(strconv.FormatFloat(math.Trunc(f), 'f', -1, 64))
						}
					} else {
						b.WriteString(strconv.FormatFloat(f, 'f', -1, 64))
					}
				case 'f':
					b.WriteString(strconv.FormatFloat(a.ToFloat(), 'f', -1, 64))
				case 'j':
					js, err := json.Marshal(a.Export())
					if err != nil {
						b.WriteString("[Circular]")
					} else {
						b.Write(js)
					}
				case 'o', 'O':
					b.WriteString(Inspect(vm, a))
				case 'c': // CSS: ignored, as in Node
				}
			}
		}
	}
	for i, a := range rest {
		if i > 0 || b.Len() > 0 {
			b.WriteByte(' ')
		}
		if s, ok := str(a); ok {
			b.WriteString(s)
		} else {
			b.WriteString(Inspect(vm, a))
		}
	}
	out := b.String()
	if len(out) > MaxLine {
		out = out[:MaxLine] + fmt.Sprintf("… (%d more bytes cut)", len(out)-MaxLine)
	}
	return out
}

var promiseType = reflect.TypeFor[*goja.Promise]()

// str is v's text when v is a string (a Symbol exports as its description
// but is not one).
func str(v goja.Value) (string, bool) {
	if !goja.IsString(v) {
		return "", false
	}
	return v.String(), true
}

// Inspect renders a value for humans, close to Node's util.inspect: strings
// quoted, errors with their stack, objects and arrays expanded to a limited
// depth, cycles shown as [Circular]. Call on the loop goroutine.
func Inspect(vm *goja.Runtime, v goja.Value) string {
	var b strings.Builder
	inspect(vm, &b, v, 0, map[*goja.Object]bool{})
	return b.String()
}

const maxDepth = 3

func inspect(vm *goja.Runtime, b *strings.Builder, v goja.Value, depth int, seen map[*goja.Object]bool) {
	if b.Len() > MaxLine {
		return
	}
	switch {
	case v == nil || goja.IsUndefined(v):
		b.WriteString("undefined")
		return
	case goja.IsNull(v):
		b.WriteString("null")
		return
	}
	if _, ok := v.(*goja.Symbol); ok { // String() is its bare description
		b.WriteString("Symbol(" + v.String() + ")")
		return
	}
	o, isObj := v.(*goja.Object)
	if !isObj {
		switch x := v.Export().(type) {
		case string:
			if depth == 0 {
				b.WriteString(x)
			} else {
				b.WriteString(quote(x))
			}
		default:
			b.WriteString(v.String())
			if _, big := x.(interface{ Int64() int64 }); big {
				b.WriteString("n")
			}
		}
		return
	}
	if seen[o] {
		b.WriteString("[Circular]")
		return
	}
	if _, ok := goja.AssertFunction(o); ok {
		name := o.Get("name")
		if name != nil && name.String() != "" {
			fmt.Fprintf(b, "[Function: %s]", name.String())
		} else {
			b.WriteString("[Function (anonymous)]")
		}
		return
	}
	if o.ExportType() == promiseType { // Export would call an object's getters
		p := o.Export().(*goja.Promise)
		switch p.State() {
		case goja.PromiseStateFulfilled:
			b.WriteString("Promise { ")
			inspect(vm, b, p.Result(), depth+1, seen)
			b.WriteString(" }")
		case goja.PromiseStateRejected:
			b.WriteString("Promise { <rejected> ")
			inspect(vm, b, p.Result(), depth+1, seen)
			b.WriteString(" }")
		default:
			b.WriteString("Promise { <pending> }")
		}
		return
	}
	switch o.ClassName() {
	case "Error":
		if s := o.Get("stack"); s != nil && !goja.IsUndefined(s) {
			b.WriteString(strings.TrimRight(s.String(), "\n"))
		} else {
			b.WriteString(o.String())
		}
		return
	case "Date":
		// As Node shows a Date: its ISO form, or Invalid Date.
		if f, ok := goja.AssertFunction(o.Get("toISOString")); ok {
			if iso, err := f(o); err == nil {
				b.WriteString(iso.String())
				return
			}
		}
		b.WriteString("Invalid Date")
		return
	case "RegExp":
		b.WriteString(o.String())
		return
	}
	if cls, size, ok := collection(vm, o); ok {
		// As Node: Map(2) { 'a' => 1, 'b' => 2 }, Set(1) { 'x' }.
		fmt.Fprintf(b, "%s(%d) {", cls, size)
		if depth >= maxDepth {
			b.WriteString(" ... }")
			return
		}
		seen[o] = true
		defer delete(seen, o)
		n := 0
		each, _ := goja.AssertFunction(o.Get("forEach"))
		_, _ = each(o, vm.ToValue(func(c goja.FunctionCall) goja.Value {
			if n > 0 {
				b.WriteString(",")
			}
			b.WriteString(" ")
			n++
			if n > 100 {
				return goja.Undefined() // Node lists at most 100
			}
			if cls == "Map" {
				inspect(vm, b, c.Argument(1), depth+1, seen)
				b.WriteString(" => ")
			}
			inspect(vm, b, c.Argument(0), depth+1, seen)
			return goja.Undefined()
		}))
		if n > 100 {
			fmt.Fprintf(b, "... %d more items", n-100)
		}
		if n > 0 {
			b.WriteString(" ")
		}
		b.WriteString("}")
		return
	}
	if depth >= maxDepth {
		if o.ClassName() == "Array" {
			b.WriteString("[Array]")
		} else {
			b.WriteString("[Object]")
		}
		return
	}
	seen[o] = true
	defer delete(seen, o)
	if o.ClassName() == "Array" {
		n := int(o.Get("length").ToInteger())
		b.WriteString("[")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(" ")
			if i >= 100 {
				fmt.Fprintf(b, "... %d more items", n-i)
				break
			}
			inspect(vm, b, o.Get(strconv.Itoa(i)), depth+1, seen)
		}
		if n > 0 {
			b.WriteString(" ")
		}
		b.WriteString("]")
		return
	}
	keys := o.Keys()
	if len(keys) == 0 {
		b.WriteString("{}")
		return
	}
	describe, _ := goja.AssertFunction(vm.Get("Object").ToObject(vm).Get("getOwnPropertyDescriptor"))
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(" ")
		if identRE(k) {
			b.WriteString(k)
		} else {
			b.WriteString(quote(k))
		}
		b.WriteString(": ")
		if v, label := property(vm, describe, o, k); label != "" {
			b.WriteString(label)
		} else {
			inspect(vm, b, v, depth+1, seen)
		}
	}
	b.WriteString(" }")
}

// property is o's own property k as inspect shows it: its value, or for
// a getter or setter, which is not called (it could throw or change
// state), Node's label for it.
func property(vm *goja.Runtime, describe goja.Callable, o *goja.Object, k string) (goja.Value, string) {
	if describe == nil {
		return o.Get(k), ""
	}
	d, err := describe(goja.Undefined(), o, vm.ToValue(k))
	do, ok := d.(*goja.Object)
	if err != nil || !ok {
		return o.Get(k), ""
	}
	get, set := do.Get("get"), do.Get("set")
	hasGet := get != nil && !goja.IsUndefined(get)
	hasSet := set != nil && !goja.IsUndefined(set)
	switch {
	case hasGet && hasSet:
		return nil, "[Getter/Setter]"
	case hasGet:
		return nil, "[Getter]"
	case hasSet:
		return nil, "[Setter]"
	}
	return do.Get("value"), ""
}

// collection reports whether o is a Map or a Set (its prototype chain
// reaches the runtime's Map.prototype or Set.prototype), and its size.
func collection(vm *goja.Runtime, o *goja.Object) (string, int, bool) {
	for _, cls := range []string{"Map", "Set"} {
		ctor, ok := vm.Get(cls).(*goja.Object)
		if !ok {
			continue
		}
		proto := ctor.Get("prototype")
		for p := o.Prototype(); p != nil; p = p.Prototype() {
			if p.SameAs(proto) {
				return cls, int(o.Get("size").ToInteger()), true
			}
		}
	}
	return "", 0, false
}

func identRE(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || r == '$' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9') {
			continue
		}
		return false
	}
	return true
}

func quote(s string) string {
	if !strings.Contains(s, "'") {
		return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "\n", `\n`) + "'"
	}
	return strconv.Quote(s)
}
