package jsrt

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"
)

// Bounds of a host-side walk of a plugin's value (StringifyJSON).
const (
	// MaxJSONDepth is how deeply host turns a plugin's value into JSON:
	// arrays and objects nested deeper are refused before goja's
	// JSON.stringify, whose cycle check makes a deep value cost the square
	// of its depth (a 100000-deep array took 33 s) and could hold the loop
	// past any timeout.
	MaxJSONDepth = 1000
	// MaxJSONNodes bounds the members (values of any type) one walk visits,
	// counting an object each time it is reached: a value that repeats a
	// shared object ({a: v, b: v} sixty times) has 2^60 of them.
	MaxJSONNodes = 2_000_000
	// MaxJSONBytes bounds the strings and keys one walk meets, the same
	// string counted each time it is reached: about the size of the JSON.
	MaxJSONBytes = 64 << 20
)

// JSONLimits bound one StringifyJSON. Zero fields take the defaults.
type JSONLimits struct {
	Depth int   // default MaxJSONDepth
	Nodes int64 // default MaxJSONNodes
	Bytes int64 // default MaxJSONBytes
}

func (l JSONLimits) orDefault() JSONLimits {
	if l.Depth <= 0 {
		l.Depth = MaxJSONDepth
	}
	if l.Nodes <= 0 {
		l.Nodes = MaxJSONNodes
	}
	if l.Bytes <= 0 {
		l.Bytes = MaxJSONBytes
	}
	return l
}

// ErrTooDeep and ErrTooLarge are what a *LimitError Is.
var (
	ErrTooDeep  = errors.New("value nested too deep")
	ErrTooLarge = errors.New("value too large")
)

// LimitError is StringifyJSON's refusal of a value past its JSONLimits.
// errors.Is tells ErrTooDeep from ErrTooLarge; its Code is
// ERR_VALUE_TOO_DEEP or ERR_VALUE_TOO_LARGE.
type LimitError struct {
	Kind   error // ErrTooDeep or ErrTooLarge
	Limits JSONLimits
}

func (e *LimitError) Error() string {
	if e.Kind == ErrTooDeep {
		return fmt.Sprintf("a value nested more than %d levels deep (arrays and objects); send flatter data", e.Limits.Depth)
	}
	return fmt.Sprintf("a value too large: more than %d members or %d MiB as JSON (an object reached several times counts each time); send less data",
		e.Limits.Nodes, e.Limits.Bytes>>20)
}

// Is reports whether target is e's Kind.
func (e *LimitError) Is(target error) bool { return target == e.Kind }

// Code is the error's code in JS.
func (e *LimitError) Code() string {
	if e.Kind == ErrTooDeep {
		return "ERR_VALUE_TOO_DEEP"
	}
	return "ERR_VALUE_TOO_LARGE"
}

// builtins are a runtime's own JSON.stringify and JSON.parse, captured
// when the runtime was made, before any plugin code ran: host's walks of
// plugin values never call what a plugin put in the global JSON.
type builtins struct {
	json      *goja.Object
	stringify goja.Callable
	parse     goja.Callable
	typeError goja.Value // TypeError.prototype
}

// runtimes maps each open runtime's *goja.Runtime to its *Runtime, for the
// code that has only the vm (errors built from a thrown value).
var runtimes sync.Map

func captureBuiltins(vm *goja.Runtime) *builtins {
	js := vm.Get("JSON").ToObject(vm)
	b := &builtins{json: js}
	b.stringify, _ = goja.AssertFunction(js.Get("stringify"))
	b.parse, _ = goja.AssertFunction(js.Get("parse"))
	b.typeError = vm.Get("TypeError").ToObject(vm).Get("prototype")
	return b
}

// ParseJSON is the runtime's own JSON.parse (captured before plugin code
// ran) of text. On the loop.
func (r *Runtime) ParseJSON(text string) (goja.Value, error) {
	return r.json.parse(r.json.json, r.vm.ToValue(text))
}

// ParseJSONIn is Runtime.ParseJSON for code that has only the vm: the
// runtime's captured JSON.parse when vm belongs to one, else vm's JSON's.
// On the loop.
func ParseJSONIn(vm *goja.Runtime, text string) (goja.Value, error) {
	if r, ok := runtimes.Load(vm); ok {
		return r.(*Runtime).ParseJSON(text)
	}
	b := captureBuiltins(vm)
	return b.parse(b.json, vm.ToValue(text))
}

// IsTypeError reports whether v is an instance of the runtime's own
// TypeError (captured before plugin code ran). On the loop.
func (r *Runtime) IsTypeError(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	for p := o.Prototype(); p != nil; p = p.Prototype() {
		if p.SameAs(r.json.typeError) {
			return true
		}
	}
	return false
}

// StringifyJSON turns a plugin's value into JSON text with the runtime's
// own JSON.stringify (captured before plugin code ran), refusing at once
// with a *LimitError a value nested deeper than lim.Depth or larger than
// lim.Nodes members or lim.Bytes of strings and keys: a value that
// repeats a shared object is measured, with the repeats, as soon as the
// walk meets an object a second time, and refused before it is walked. A
// walk stops when the runtime is interrupted (its timeout, a Do's context,
// Close): the error is then the interrupt's. ok is false when the value
// has no JSON form (undefined, a function, a symbol). Errors the value's
// own toJSON or getters throw come back as goja exceptions. On the loop.
func (r *Runtime) StringifyJSON(v goja.Value, lim JSONLimits) (text string, ok bool, err error) {
	if v == nil || goja.IsUndefined(v) {
		return "", false, nil
	}
	g := newWalkGuard(r.vm, lim.orDefault(), &r.stopping)
	res, err := r.json.stringify(r.json.json, v, r.vm.ToValue(g.replace))
	if g.refused != nil {
		return "", false, g.refused
	}
	if err != nil {
		return "", false, err
	}
	if res == nil || goja.IsUndefined(res) {
		return "", false, nil
	}
	return res.String(), true, nil
}

// stringifyBounded is StringifyJSON for code that has only the vm: the
// runtime's captured stringify when vm belongs to one, else vm's JSON's.
func stringifyBounded(vm *goja.Runtime, v goja.Value, lim JSONLimits) (string, error) {
	if r, ok := runtimes.Load(vm); ok {
		s, _, err := r.(*Runtime).StringifyJSON(v, lim)
		return s, err
	}
	b := captureBuiltins(vm)
	g := newWalkGuard(vm, lim.orDefault(), new(atomic.Pointer[error]))
	res, err := b.stringify(b.json, v, vm.ToValue(g.replace))
	if g.refused != nil {
		return "", g.refused
	}
	if err != nil || res == nil || goja.IsUndefined(res) {
		return "", err
	}
	return res.String(), nil
}

// walkGuard is a JSON.stringify replacer that leaves every value as it is
// but throws once the walk passes its limits or the runtime is
// interrupted. stringify calls a replacer on each member with the member's
// holder as this, depth first, so a holder's depth is known when its
// members come. One guard serves one stringify call. On the loop.
type walkGuard struct {
	vm      *goja.Runtime
	lim     JSONLimits
	stop    *atomic.Pointer[error]
	depth   map[*goja.Object]int
	path    []*goja.Object // path[d-1] is the object at depth d on the way down
	nodes   int64
	bytes   int64
	sizes   map[*goja.Object]walkSize // sizes measured (see measure)
	refused error
}

type walkSize struct{ nodes, bytes int64 }

func newWalkGuard(vm *goja.Runtime, lim JSONLimits, stop *atomic.Pointer[error]) *walkGuard {
	return &walkGuard{vm: vm, lim: lim, stop: stop, depth: map[*goja.Object]int{}}
}

// stopped is the walk's error when the runtime was interrupted with err:
// the same *JSError an interrupted script gives.
func (g *walkGuard) stopped(err error) {
	je := errorFromValue(g.vm, nil, g.vm.CaptureCallStack(16, nil))
	je.Name, je.Code, je.Message = "Error", codeInterrupted, err.Error()
	g.refuse(je)
}

func (g *walkGuard) refuse(err error) {
	g.refused = err
	panic(g.vm.NewTypeError(err.Error()))
}

func (g *walkGuard) replace(call goja.FunctionCall) goja.Value {
	if p := g.stop.Load(); p != nil {
		g.stopped(*p)
	}
	v := call.Argument(1)
	g.nodes++
	g.bytes += 4 // quotes, colon, comma
	if k, ok := call.Argument(0).(goja.String); ok {
		g.bytes += int64(k.Length())
	}
	if s, ok := v.(goja.String); ok {
		g.bytes += int64(s.Length())
		if s.Length() >= bigString {
			// Perhaps the same string many times over: measure first.
			if h, ok := call.This.(*goja.Object); ok {
				g.measurePath(min(g.depth[h], len(g.path)))
			}
		}
	}
	if g.nodes > g.lim.Nodes || g.bytes > g.lim.Bytes {
		g.refuse(&LimitError{Kind: ErrTooLarge, Limits: g.lim})
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return v
	}
	d := 1
	if h, ok := call.This.(*goja.Object); ok {
		d = g.depth[h] + 1
	}
	if d > g.lim.Depth {
		g.refuse(&LimitError{Kind: ErrTooDeep, Limits: g.lim})
	}
	_, again := g.depth[o]
	g.depth[o] = d
	g.path = append(g.path[:d-1], o)
	if again {
		// An object reached a second time: perhaps a shared one.
		g.measurePath(d)
	}
	return v
}

// bigString is the length from which a string makes the guard measure
// what holds it (perhaps the same string many times over) before
// stringify writes it out.
const bigString = 1 << 16

// measurePath measures, with their repeats, what each of the first n
// objects on the way down holds, and refuses the value when one of them
// would take the walk past its limits: before stringify walks it.
func (g *walkGuard) measurePath(n int) {
	for _, p := range g.path[:n] {
		s := g.measure(p, 0)
		if g.nodes+s.nodes > g.lim.Nodes || g.bytes+s.bytes > g.lim.Bytes {
			g.refuse(&LimitError{Kind: ErrTooLarge, Limits: g.lim})
		}
	}
}

// measure returns how many members and bytes o holds through its own
// enumerable properties, objects reached several times counted each time,
// each object measured once (so a shared value costs its distinct
// objects), saturating past the limits. It reads what stringify would
// (getters run); what toJSON returns is measured when the walk reaches it.
func (g *walkGuard) measure(o *goja.Object, level int) walkSize {
	if g.sizes == nil {
		g.sizes = map[*goja.Object]walkSize{}
	}
	if s, ok := g.sizes[o]; ok {
		return s
	}
	if level > g.lim.Depth {
		g.refuse(&LimitError{Kind: ErrTooDeep, Limits: g.lim})
	}
	g.sizes[o] = walkSize{} // a cycle adds nothing (stringify refuses it)
	var s walkSize
keys:
	for _, k := range o.Keys() {
		if p := g.stop.Load(); p != nil {
			g.stopped(*p)
		}
		s.nodes++
		s.bytes += int64(len(k)) + 4
		switch x := o.Get(k).(type) {
		case *goja.Object:
			c := g.measure(x, level+1)
			s.nodes += c.nodes
			s.bytes += c.bytes
		case goja.String:
			s.bytes += int64(x.Length())
		}
		if s.nodes > g.lim.Nodes || s.bytes > g.lim.Bytes {
			s.nodes, s.bytes = g.lim.Nodes+1, g.lim.Bytes+1
			break keys
		}
	}
	g.sizes[o] = s
	return s
}

// ExportJSON is v.Export() for a plugin's value host keeps as data (a
// schema's default): a plain object or array goes through JSON within
// StringifyJSON's default bounds, so what comes back is a tree of bounded
// size in which no map or slice appears twice (goja's Export keeps a
// shared object shared, and a Go walk of that is as long as the JSON).
// Other values are exported as they are. On the loop.
func ExportJSON(vm *goja.Runtime, v goja.Value) (any, error) {
	o, ok := v.(*goja.Object)
	if !ok || (o.ClassName() != "Object" && o.ClassName() != "Array") {
		return v.Export(), nil
	}
	text, err := stringifyBounded(vm, v, JSONLimits{})
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		return nil, err
	}
	return out, nil
}
