// Package console is the Go side of a plugin's `console` global and of
// `ctx.log`: it formats the arguments with node:util's format (the one
// util.inspect of bindings/node, so console.log(obj) prints what
// util.inspect(obj) returns, as in Node) and hands each line, with its
// level and the plugin that printed it, to a Sink. It never prints itself.
package console

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/node"
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
// trace) sending to the sink of env when it implements Printer (else lines
// are dropped). Call on the loop goroutine.
func Install(env jsapi.Env) error {
	plugin, sink := "", Sink(nil)
	if p, ok := env.(Printer); ok {
		plugin, sink = p.ConsoleSink()
	}
	return env.VM().Set("console", NewObject(env.VM(), plugin, sink, true))
}

// Printer is the optional interface of a jsapi.Env whose console lines
// go somewhere: to sink, as printed by plugin (an id, or a test file).
type Printer interface {
	ConsoleSink() (plugin string, sink Sink)
}

// NewObject returns an object with debug/info/warn/error methods (and log
// and trace when withLog), as `ctx.log` and `console` use; their lines
// go through jsrt.CleanControls. vm must have node's built-ins (see
// Format). Call on the loop goroutine.
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

// Format renders console arguments as Node's console.log does, with
// node:util's format: a leading string may hold %s %d %i %f %j %o %O %c %%
// directives; other arguments are joined with spaces, strings bare and
// other values as util.inspect shows them. Output past MaxLine is cut. vm
// must have had node.Install (without it, values are shown as String()
// shows them). An exception thrown by plugin code while formatting (a
// custom inspect function) is thrown on. Call on the loop goroutine.
func Format(vm *goja.Runtime, args []goja.Value) string {
	out, ok := plain(args)
	if !ok {
		var err error
		out, err = node.Format(vm, args)
		if err != nil {
			var ex *goja.Exception
			var in *goja.InterruptedError
			if errors.As(err, &ex) || errors.As(err, &in) {
				panic(err) // plugin code threw: on to the caller, as in Node
			}
			out = joinStrings(args)
		}
	}
	if len(out) > MaxLine {
		out = out[:MaxLine] + fmt.Sprintf("… (%d more bytes cut)", len(out)-MaxLine)
	}
	return out
}

// plain is the arguments joined with spaces when they are all strings and
// the first holds no directive: what util.format returns for them, without
// running it.
func plain(args []goja.Value) (string, bool) {
	for i, a := range args {
		if !goja.IsString(a) || (i == 0 && strings.Contains(a.String(), "%")) {
			return "", false
		}
	}
	return joinStrings(args), true
}

func joinStrings(args []goja.Value) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.String())
	}
	return b.String()
}
