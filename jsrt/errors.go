package jsrt

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/dop251/goja"
)

// Coder is implemented by errors that carry a stable machine-readable code.
// NewError copies the code to the JS error's `code` property.
type Coder interface {
	Code() string
}

// typeError marks an error that becomes a JS TypeError.
type typeError struct{ err error }

func (e *typeError) Error() string { return e.err.Error() }
func (e *typeError) Unwrap() error { return errors.Unwrap(e.err) }

// TypeErrorf returns an error that NewError turns into a JS TypeError, as
// browsers do for bad arguments and network failures. Like fmt.Errorf, a %w
// verb wraps its operand, whose code (see Coder) the JS error then carries.
func TypeErrorf(format string, args ...any) error {
	return &typeError{err: fmt.Errorf(format, args...)}
}

// WithCode gives err a stable code for JS (see Coder); its message and its
// kind (a TypeErrorf stays a TypeError) are unchanged.
func WithCode(err error, code string) error { return &codedError{err: err, code: code} }

type codedError struct {
	err  error
	code string
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }
func (e *codedError) Code() string  { return e.code }

// rangeError marks an error that becomes a JS RangeError.
type rangeError struct{ msg string }

func (e *rangeError) Error() string { return e.msg }

// RangeErrorf returns an error that NewError turns into a JS RangeError.
func RangeErrorf(format string, args ...any) error {
	return &rangeError{msg: fmt.Sprintf(format, args...)}
}

// HintError wraps an error with what the user can do next. Error() is the
// wrapped error's text; the CLI prints the hint on a line of its own. Kind,
// when set, names the remedy so the CLI can word it with its own commands
// and flags (libraries never name them); Hint is the remedy in plain words.
type HintError struct {
	Err  error
	Hint string
	Kind HintKind
}

// HintKind names a remedy the CLI words itself ("log in again" becomes a
// command line). Each library defines its kinds.
type HintKind string

// WithHintKind wraps err with a hint in plain words and its kind.
func WithHintKind(err error, kind HintKind, hint string) error {
	if err == nil {
		return nil
	}
	return &HintError{Err: err, Hint: hint, Kind: kind}
}

// HintKindOf returns the kind of the innermost-first hint of err, or "".
func HintKindOf(err error) HintKind {
	var h *HintError
	if errors.As(err, &h) {
		return h.Kind
	}
	return ""
}

func (e *HintError) Error() string { return e.Err.Error() }
func (e *HintError) Unwrap() error { return e.Err }

// WithHint wraps err with a hint. A nil err stays nil.
func WithHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &HintError{Err: err, Hint: hint}
}

// Hint returns the innermost-first hint attached to err, or "".
func Hint(err error) string {
	var h *HintError
	if errors.As(err, &h) {
		return h.Hint
	}
	return ""
}

// NewError turns a Go error into a JS error object: a TypeError or
// RangeError for errors made by TypeErrorf/RangeErrorf, else an Error. The
// error's code (see Coder) becomes the `code` property. A *JSError that came
// out of this runtime keeps its original JS value. Call on the loop goroutine.
func NewError(vm *goja.Runtime, err error) *goja.Object {
	var je *JSError
	if errors.As(err, &je) && je.value != nil && je.vm == vm {
		if o, ok := je.value.(*goja.Object); ok {
			return o
		}
	}
	msg := err.Error()
	var obj *goja.Object
	var te *typeError
	var re *rangeError
	switch {
	case errors.As(err, &te):
		obj = vm.NewTypeError("%s", msg)
	case errors.As(err, &re):
		ctor := vm.Get("RangeError")
		o, cerr := vm.New(ctor, vm.ToValue(msg))
		if cerr != nil {
			obj = vm.NewGoError(err)
		} else {
			obj = o
		}
	default:
		ctor := vm.Get("Error")
		o, cerr := vm.New(ctor, vm.ToValue(msg))
		if cerr != nil {
			obj = vm.NewGoError(err)
		} else {
			obj = o
		}
	}
	var c Coder
	if errors.As(err, &c) {
		_ = obj.Set("code", c.Code())
	}
	if h := Hint(err); h != "" {
		_ = obj.Set("hint", h)
	}
	return obj
}

// Rejected returns a promise already rejected with NewError(vm, err): how a
// binding's promise-returning function reports bad arguments, the way an
// async function would, instead of throwing. Call on the loop goroutine.
func Rejected(vm *goja.Runtime, err error) goja.Value {
	p, _, reject := vm.NewPromise()
	_ = reject(NewError(vm, err))
	return vm.ToValue(p)
}

// Undefined is a Go work result (see Runtime.Go) that settles the promise
// with undefined; a nil result settles it with null.
var Undefined ToJS = func(*goja.Runtime) (goja.Value, error) { return goja.Undefined(), nil }

// Throw raises err as a JS exception from a Go function called by JS. It
// never returns. Call on the loop goroutine.
func Throw(vm *goja.Runtime, err error) {
	panic(NewError(vm, err))
}

// JSError is an error that happened in plugin code: a thrown exception, a
// rejected promise, an error in a timer. File, Line and Column point at the
// plugin's TypeScript source (through the bundle's source map) where the
// error was created; they are empty when unknown.
type JSError struct {
	Name    string // "Error", "TypeError", ...
	Message string
	File    string
	Line    int
	Column  int
	Stack   string // the JS stack, positions already mapped to .ts files
	Code    string // the error's `code` property, if any
	Hint    string // the error's `hint` property, if any
	// Context says where the error surfaced when no caller could receive
	// it: "unhandled promise rejection", "uncaught error in timer".
	Context string

	vm    *goja.Runtime
	value goja.Value
	cause error
}

// Error renders "file.ts:12:5: Error: message" (without position when unknown).
func (e *JSError) Error() string {
	var b strings.Builder
	if pos := e.Position(); pos != "" {
		b.WriteString(pos)
		b.WriteString(": ")
	}
	if e.Context != "" {
		b.WriteString(e.Context)
		b.WriteString(": ")
	}
	if e.Name != "" && e.Name != "Error" {
		b.WriteString(e.Name)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.File == "" && e.Name == "" && e.value != nil {
		b.WriteString(" (a thrown value that is not an Error has no position; throw new Error(...) to see where)")
	}
	return b.String()
}

// Position is "file.ts:line:col", or "" when unknown.
func (e *JSError) Position() string {
	if e.File == "" {
		return ""
	}
	return e.File + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column)
}

// Unwrap returns the Go error a binding threw, if the JS error came from one.
func (e *JSError) Unwrap() error { return e.cause }

// Interrupted reports whether the error ended a runaway script.
func (e *JSError) Interrupted() bool { return e.Code == codeInterrupted }

const codeInterrupted = "ERR_SCRIPT_TIMEOUT"

// frameRE matches one frame of a goja stack: "at fn (file:1:2(3))" or "at file:1:2(3)".
var frameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`at (?:(.*?) \()?([^\s()<>]+):(\d+):(\d+)\)?`) })

// errorFromValue builds a JSError from a thrown or rejected JS value. Call on
// the loop goroutine.
func errorFromValue(vm *goja.Runtime, v goja.Value, frames []goja.StackFrame) *JSError {
	je := &JSError{vm: vm, value: v}
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		je.Message = fmt.Sprint(v)
		if v == nil {
			je.Message = "undefined"
		}
	} else if o, ok := v.(*goja.Object); ok && isErrorObject(o) {
		je.Name = o.Get("name").String()
		je.Message = o.Get("message").String()
		if s := o.Get("stack"); s != nil && !goja.IsUndefined(s) {
			je.Stack = s.String()
		}
		if c := o.Get("code"); c != nil && !goja.IsUndefined(c) && !goja.IsNull(c) {
			je.Code = c.String()
		}
		if h := o.Get("hint"); h != nil && !goja.IsUndefined(h) && !goja.IsNull(h) {
			je.Hint = h.String()
		}
		if gv := o.Get("value"); gv != nil {
			if ge, ok := gv.Export().(error); ok {
				je.cause = ge
			}
		}
	} else {
		// A thrown non-Error value: show it the way JSON would, strings bare.
		if s, ok := v.Export().(string); ok {
			je.Message = s
		} else if b, err := stringifyBounded(vm, v, thrownLimits); err == nil && b != "" {
			je.Message = b
		} else {
			je.Message = v.String()
		}
		je.Name = ""
	}
	// Plugin text: no terminal controls in what host prints of it.
	je.Name, je.Message, je.Code = CleanControls(je.Name), CleanControls(je.Message), CleanControls(je.Code)
	je.Hint, je.Stack = CleanControls(je.Hint), CleanControls(je.Stack)
	if je.Stack != "" {
		je.Stack = fixStack(je.Stack)
		if m := frameRE().FindStringSubmatch(je.Stack); m != nil {
			je.File = m[2]
			je.Line, _ = strconv.Atoi(m[3])
			je.Column, _ = strconv.Atoi(m[4])
		}
	}
	if je.Stack == "" && len(frames) > 0 {
		var b strings.Builder
		for i := range frames {
			p := frames[i].Position()
			if p.Filename == "" || hostFrame(p.Filename) {
				continue
			}
			fmt.Fprintf(&b, "\tat %s (%s:%d:%d)\n", frames[i].FuncName(), p.Filename, p.Line, mappedColumn(p.Filename, p.Column))
		}
		je.Stack = b.String()
		if m := frameRE().FindStringSubmatch(je.Stack); m != nil {
			je.File = m[2]
			je.Line, _ = strconv.Atoi(m[3])
			je.Column, _ = strconv.Atoi(m[4])
		}
	}
	return je
}

// mappedColumn turns a source-mapped 0-based column into the 1-based column
// editors and esbuild show.
func mappedColumn(file string, col int) int {
	if strings.HasSuffix(file, bundleSuffix) {
		return col
	}
	return col + 1
}

// stackFrameRE matches one frame in a goja stack string: "at fn (file:1:2(3))",
// "at file:1:2(3)" or "at fn (native)".
var stackFrameRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^(\s*at )(?:(.*?) \()?([^\s()]+):(\d+):(\d+)\(\d+\)(\)?)$`)
})

// fixStack rewrites a goja stack: positions 1-based, the program counter
// dropped, frames of the host's own glue (<eval>, native) removed.
func fixStack(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, ln := range lines {
		if m := stackFrameRE().FindStringSubmatch(ln); m != nil {
			if hostFrame(m[3]) {
				continue
			}
			col, _ := strconv.Atoi(m[5])
			pos := m[3] + ":" + m[4] + ":" + strconv.Itoa(mappedColumn(m[3], col))
			if m[2] != "" {
				ln = m[1] + m[2] + " (" + pos + ")"
			} else {
				ln = m[1] + pos
			}
		} else if strings.HasSuffix(strings.TrimSpace(ln), "(native)") || strings.TrimSpace(ln) == "at native" {
			continue
		}
		out = append(out, ln)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n")
}

// hostFrame reports whether a stack frame's file is not one the plugin's
// author has: the host's glue (<eval>) and built-in JS (host:...), the
// modules host provides (host-virtual:...), and code of the bundle no
// source file maps to (esbuild's helpers), named after a bundle file that
// does not exist. Positions skip such frames: the first frame that is
// left is the plugin's or a library's own line.
func hostFrame(file string) bool {
	return file == "<eval>" || strings.HasPrefix(file, "host:") || strings.HasPrefix(file, virtualNS+":") ||
		strings.HasSuffix(file, bundleSuffix)
}

// isErrorObject reports whether o is an Error (or a subclass instance):
// goja gives every object the Error constructor made the class "Error",
// whatever the plugin did to the global Error.
func isErrorObject(o *goja.Object) bool { return o.ClassName() == "Error" }

// thrownLimits bound the JSON of a thrown non-Error value, which becomes
// an error message.
var thrownLimits = JSONLimits{Depth: 64, Nodes: 10_000, Bytes: 1 << 20}

// fromGojaError converts an error returned by goja (an exception, an
// interrupt, a stack overflow) into a *JSError. Other errors pass through.
// Call on the loop goroutine.
func fromGojaError(vm *goja.Runtime, err error) error {
	if err == nil {
		return nil
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		je := errorFromValue(vm, nil, ie.Stack())
		je.Name = "Error"
		je.Code = codeInterrupted
		if e, ok := ie.Value().(error); ok {
			je.Message = e.Error()
		} else {
			je.Message = fmt.Sprint(ie.Value())
		}
		return je
	}
	var so *goja.StackOverflowError
	if errors.As(err, &so) {
		je := errorFromValue(vm, nil, so.Stack())
		je.Name = "RangeError"
		je.Message = "Maximum call stack size exceeded"
		return je
	}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return errorFromValue(vm, ex.Value(), ex.Stack())
	}
	var ce *goja.CompilerSyntaxError
	if errors.As(err, &ce) {
		je := &JSError{Name: "SyntaxError", Message: ce.Message}
		if ce.File != nil { // nil for a parse error: goja puts the position in Message
			pos := ce.File.Position(ce.Offset)
			je.File, je.Line, je.Column = ce.File.Name(), pos.Line, pos.Column
		}
		return je
	}
	return err
}

// AsJSError reports whether err is (or wraps) an error from plugin code.
func AsJSError(err error) (*JSError, bool) {
	var je *JSError
	ok := errors.As(err, &je)
	return je, ok
}

// CallerPosition is "file.ts:line:col" of the innermost JS frame calling
// into Go (the native function itself is skipped), or "" when unknown. Call
// on the loop goroutine from a Go function JS called.
func CallerPosition(vm *goja.Runtime) string {
	for _, f := range vm.CaptureCallStack(8, nil) {
		p := f.Position()
		if p.Filename == "" || p.Line == 0 || hostFrame(p.Filename) {
			continue
		}
		return p.Filename + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(mappedColumn(p.Filename, p.Column))
	}
	return ""
}

// TypeName names a JS value's type for error messages, never its content:
// "undefined", "null", "function", "array", "object", "string", "number",
// "boolean", "bigint" or "symbol". Call on the loop goroutine.
func TypeName(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	}
	if _, ok := v.(*goja.Symbol); ok { // exports as its description, a string
		return "symbol"
	}
	if o, ok := v.(*goja.Object); ok {
		if _, fn := goja.AssertFunction(o); fn {
			return "function"
		}
		if o.ClassName() == "Array" {
			return "array"
		}
		return "object"
	}
	switch v.Export().(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64, float64:
		return "number"
	case *goja.Symbol:
		return "symbol"
	}
	if _, ok := v.Export().(interface{ Int64() int64 }); ok {
		return "bigint"
	}
	return v.ExportType().String()
}

// TypeNameWithArticle is TypeName for "got a string", "got an object".
func TypeNameWithArticle(v goja.Value) string {
	n := TypeName(v)
	switch n {
	case "undefined", "null":
		return n
	case "array", "object":
		return "an " + n
	}
	return "a " + n
}
