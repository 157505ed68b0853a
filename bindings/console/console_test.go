package console

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

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
		// Node writes "<ref *1> { name: 'loop', self: [Circular *1] }".
		{`(() => { const c = {name: 'loop'}; c.self = c; return [c] })()`, "{ name: 'loop', self: [Circular] }"},
		{`(() => { const c = {name: 'loop'}; c.self = c; return ['%j', c] })()`, "[Circular]"},
		// Node breaks a long array over lines; host keeps one line.
		{`[Array.from({length: 102}, (_, i) => i)]`, "[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, ... 2 more items ]"},
	}
	vm := goja.New()
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			if got := Format(vm, args(t, vm, tt.args)); got != tt.want {
				t.Errorf("console.log(...%s)\n got %q\nwant %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestFormatErrorsAndLimits(t *testing.T) {
	vm := goja.New()
	tests := []struct {
		name, args string
		check      func(string) bool
		what       string
	}{
		{"an error shows its stack, without a trailing newline", `[new Error('boom')]`,
			func(s string) bool { return strings.HasPrefix(s, "Error: boom\n\tat ") && !strings.HasSuffix(s, "\n") }, "Error: boom, then its stack"},
		{"an error inside an object", `[{e: new TypeError('bad')}]`,
			func(s string) bool {
				return strings.HasPrefix(s, "{ e: TypeError: bad\n\tat ") && strings.HasSuffix(s, " }")
			}, "{ e: TypeError: bad ... }"},
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
	vm := goja.New()
	Install(vm, "demo", func(e Entry) { got = append(got, e) })
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
	vm := goja.New()
	Install(vm, "demo", nil)
	if _, err := vm.RunString(`console.log('dropped')`); err != nil {
		t.Fatal(err)
	}
}
