package console

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/node"
)

// newVM is a runtime with node's built-ins, whose util.format console uses.
func newVM(t *testing.T) *goja.Runtime {
	t.Helper()
	vm := goja.New()
	if err := node.Install(jsapi.NewEnv(nil, vm)); err != nil {
		t.Fatal(err)
	}
	return vm
}

// printer is an Env whose console lines go to sink.
type printer struct {
	jsapi.Env
	plugin string
	sink   Sink
}

func (p printer) ConsoleSink() (string, Sink) { return p.plugin, p.sink }

// args evaluates src, a JS array expression, to console arguments.
func args(t *testing.T, vm *goja.Runtime, src string) []goja.Value {
	t.Helper()
	v, err := vm.RunString(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	o := v.ToObject(vm)
	var out []goja.Value
	for i := range int(o.Get("length").ToInteger()) {
		out = append(out, o.Get(fmt.Sprint(i)))
	}
	return out
}

// TestFormat: what console.log prints for the arguments, as Node's
// util.format prints them (checked against Node 20) unless noted.
func TestFormat(t *testing.T) {
	tests := []struct{ args, want string }{
		{`['hello', 'world']`, "hello world"},
		{`['%s is %d years', 'Bob', 42]`, "Bob is 42 years"},
		{`['%d', 42.5]`, "42.5"},
		{`['%i', 42.9]`, "42"},
		{`['%f', '3.5']`, "3.5"},
		{`['%d', 'x']`, "NaN"},
		{`['%j', {a: 1, b: [1, 2]}]`, `{"a":1,"b":[1,2]}`},
		{`['100%']`, "100%"},
		{`['%% done', 1]`, "% done 1"},
		{`['%s']`, "%s"},
		{`['%x', 1]`, "%x 1"},
		{`['%c styled', 'color: red']`, " styled"},
		{`['%o', {a: 1}]`, "{ a: 1 }"},
		{`['%O', [1, 'two']]`, "[ 1, 'two' ]"},
		{`['%s', {a: 1}]`, "{ a: 1 }"},
		{`['%s', 5]`, "5"},
		{`[1, 2, 3]`, "1 2 3"},
		{`[null, undefined, true]`, "null undefined true"},
		{`[{a: 1, 'b-c': 'x', nested: {d: {e: {f: 1}}}}]`, "{ a: 1, 'b-c': 'x', nested: { d: { e: [Object] } } }"},
		{`[[1, [2, [3, [4]]]]]`, "[ 1, [ 2, [ 3, [Array] ] ] ]"},
		{`[[], {}]`, "[] {}"},
		{`[function named() {}]`, "[Function: named]"},
		{`[() => 1]`, "[Function (anonymous)]"},
		{`[10n]`, "10n"},
		{`['a', 10n]`, "a 10n"},
		{`[{s: "it's"}]`, `{ s: "it's" }`},
		{`[{s: 'line\nbreak'}]`, `{ s: 'line\nbreak' }`},
		{`[new Map([[1, 2], ['k', {v: true}]])]`, "Map(2) { 1 => 2, 'k' => { v: true } }"},
		{`[new Set([1, 'x'])]`, "Set(2) { 1, 'x' }"},
		{`[new Map()]`, "Map(0) {}"},
		{`[{ get bad() { throw new Error('getter') }, get g() { return 1 }, set s(v) {}, get gs() { return 1 }, set gs(v) {}, v: 1 }]`,
			"{ bad: [Getter], g: [Getter], s: [Setter], gs: [Getter/Setter], v: 1 }"},
		{`[Symbol('s'), Symbol()]`, "Symbol(s) Symbol()"},
		{`['%s', Symbol('s')]`, "Symbol(s)"},
		{`[new Date(0)]`, "1970-01-01T00:00:00.000Z"},
		{`[new Date(NaN)]`, "Invalid Date"},
		{`[/re/g]`, "/re/g"},
		{`[Promise.resolve(1)]`, "Promise { 1 }"},
		{`[new Promise(() => {})]`, "Promise { <pending> }"},
		{`(() => { const c = {name: 'loop'}; c.self = c; return [c] })()`, "<ref *1> { name: 'loop', self: [Circular *1] }"},
		{`(() => { const c = {name: 'loop'}; c.self = c; return ['%j', c] })()`, "[Circular]"},
		// Node breaks a long array over lines, in columns.
		{`[Array.from({length: 102}, (_, i) => i)]`, "[\n   0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11,\n  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,\n  24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n  36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,\n  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,\n  60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,\n  72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,\n  84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,\n  96, 97, 98, 99,\n  ... 2 more items\n]"},
		{`[['a', 'bb', 'ccc', 'dddd', 'e', 'f', 'g', 'h']]`, "[\n  'a',   'bb',\n  'ccc', 'dddd',\n  'e',   'f',\n  'g',   'h'\n]"},
	}
	vm := newVM(t)
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			if got := Format(vm, args(t, vm, tt.args)); got != tt.want {
				t.Errorf("console.log(...%s)\n got %q\nwant %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestFormatErrorsAndLimits(t *testing.T) {
	vm := newVM(t)
	tests := []struct {
		name, args string
		check      func(string) bool
		what       string
	}{
		{"an error shows its stack, without a trailing newline", `[new Error('boom')]`,
			func(s string) bool { return strings.HasPrefix(s, "Error: boom\n\tat ") && !strings.HasSuffix(s, "\n") }, "Error: boom, then its stack"},
		{"an error inside an object, its stack indented as Node does", `[{e: new TypeError('bad')}]`,
			func(s string) bool {
				return strings.HasPrefix(s, "{\n  e: TypeError: bad\n  \tat ") && strings.HasSuffix(s, ")\n}")
			}, "{\n  e: TypeError: bad\n  \tat ...\n}"},
		{"a long line is cut with a note", `['x'.repeat(MaxLine + 808)]`,
			func(s string) bool { return s == strings.Repeat("x", MaxLine)+"… (808 more bytes cut)" }, "MaxLine bytes and a note"},
		{"a huge object stops expanding", `[Array.from({length: 100}, () => ({k: 'v'.repeat(200)}))]`,
			func(s string) bool { return len(s) < MaxLine+200 }, "at most about MaxLine bytes"},
	}
	_ = vm.Set("MaxLine", MaxLine)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(vm, args(t, vm, tt.args)); !tt.check(got) {
				t.Errorf("got %.300q, want %s", got, tt.what)
			}
		})
	}
}

// TestConsoleLevels: each method's level, the plugin id, and what reaches
// the sink.
func TestConsoleLevels(t *testing.T) {
	var got []Entry
	vm := newVM(t)
	_ = Install(printer{jsapi.NewEnv(nil, vm), "demo", func(e Entry) { got = append(got, e) }})
	_ = vm.Set("log", NewObject(vm, "demo", func(e Entry) { got = append(got, e) }, false))
	if _, err := vm.RunString(`console.log('a', 1); console.info('b'); console.warn('c'); console.error('d'); console.debug('e'); console.trace('f');
log.info('g', { n: 1 }); log.warn('h'); log.error('i'); log.debug('j');
const missing = [typeof log.log, typeof log.trace].join(',');
console.log(missing);`); err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{"demo", Info, "a 1"}, {"demo", Info, "b"}, {"demo", Warn, "c"}, {"demo", Error, "d"}, {"demo", Debug, "e"}, {"demo", Debug, "f"},
		{"demo", Info, "g { n: 1 }"}, {"demo", Warn, "h"}, {"demo", Error, "i"}, {"demo", Debug, "j"},
		{"demo", Info, "undefined,undefined"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("entries\n got %v\nwant %v", got, want)
	}
	for l, name := range map[Level]string{Debug: "debug", Info: "info", Warn: "warn", Error: "error"} {
		if l.String() != name {
			t.Errorf("Level(%d).String() = %q, want %q", l, l.String(), name)
		}
	}
}

// A nil sink drops output.
func TestConsoleNilSink(t *testing.T) {
	vm := newVM(t)
	_ = Install(printer{jsapi.NewEnv(nil, vm), "demo", nil})
	if _, err := vm.RunString(`console.log('dropped')`); err != nil {
		t.Fatal(err)
	}
}

// TestLogIsUtilInspect: console.log(value) prints what node:util's
// inspect(value) returns (one implementation), across the shapes whose
// layout depends on it: nesting, long arrays in columns, long objects over
// lines, cycles, promises.
func TestLogIsUtilInspect(t *testing.T) {
	vm := newVM(t)
	var got []string
	_ = Install(printer{jsapi.NewEnv(nil, vm), "demo", func(e Entry) { got = append(got, e.Message) }})
	v, err := vm.RunString(`const values = [
  { a: 1, b: 'x', c: [1, 2, { d: null }] },
  Array.from({ length: 40 }, (_, i) => i * 7),
  { id: 'user-0001', name: 'A long enough name', email: 'someone@example.com', roles: ['admin', 'editor', 'viewer'], active: true },
  (() => { const c = { n: 1 }; c.self = c; return c })(),
  Promise.resolve([1, 2]),
  new Map([['k', { deep: { deeper: { deepest: 1 } } }]]),
];
const util = globalThis[Symbol.for('host.node')].require('util');
for (const v of values) console.log(v);
values.map((v) => util.inspect(v))`)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	if err := vm.ExportTo(v, &want); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d lines logged, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("value %d: console.log printed\n%s\nutil.inspect returned\n%s", i, got[i], want[i])
		}
	}
	if !strings.Contains(got[2], "\n") {
		t.Errorf("a long object is one line, Node breaks it: %q", got[2])
	}
}
