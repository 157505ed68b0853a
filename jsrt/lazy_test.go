package jsrt

import (
	"errors"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// lazyVM defines A and B (B enumerable) lazily on a fresh runtime; the
// initializer defines them as browsers define globals and counts its runs.
func lazyVM(t *testing.T) (*goja.Runtime, *int) {
	t.Helper()
	vm := goja.New()
	runs := new(int)
	err := DefineLazy(vm, vm.GlobalObject(), []LazyProp{{Name: "A"}, {Name: "B", Enumerable: true}}, func() error {
		*runs++
		_, err := vm.RunString(`
			Object.defineProperty(globalThis, 'A', { value: 'a', writable: true, configurable: true });
			Object.defineProperty(globalThis, 'B', { value: 'b', writable: true, enumerable: true, configurable: true });`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return vm, runs
}

func TestDefineLazy(t *testing.T) {
	cases := []struct {
		name, script, want string
		runs               int
	}{
		{"nothing touched", `'untouched'`, "untouched", 0},
		{"typeof and reads", `typeof A + ' ' + A + B + A`, "string aba", 1},
		{"data properties after first use", `A; JSON.stringify([Object.getOwnPropertyDescriptor(globalThis, 'A'), Object.getOwnPropertyDescriptor(globalThis, 'B')])`,
			`[{"value":"a","writable":true,"enumerable":false,"configurable":true},{"value":"b","writable":true,"enumerable":true,"configurable":true}]`, 1},
		{"enumerability before first use", `Object.keys(globalThis).filter(k => k === 'A' || k === 'B').join()`, "B", 0},
		{"assignment before first use wins", `A = 'mine'; A + B`, "mineb", 1},
		{"defineProperty before first use wins", `Object.defineProperty(globalThis, 'A', { value: 'fixed', writable: false, configurable: true }); B; A + Object.getOwnPropertyDescriptor(globalThis, 'A').writable`, "fixedfalse", 1},
		{"delete before first use sticks", `delete globalThis.A; B; typeof A + ' ' + ('A' in globalThis)`, "undefined false", 1},
		{"in operator does not initialize", `('A' in globalThis) + ' ' + ('B' in globalThis)`, "true true", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, runs := lazyVM(t)
			v, err := vm.RunString(c.script)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.String(); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if *runs != c.runs {
				t.Errorf("initializer ran %d times, want %d", *runs, c.runs)
			}
		})
	}
}

func TestDefineLazyBrokenInitializer(t *testing.T) {
	vm := goja.New()
	err := DefineLazy(vm, vm.GlobalObject(), []LazyProp{{Name: "A"}}, func() error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	_, err = vm.RunString(`A`)
	if err == nil || !strings.Contains(err.Error(), "internal error in host: A was not defined by its initializer") {
		t.Fatalf("err = %v, want the internal error (not a Go stack overflow)", err)
	}
}

// TypeErrorf wraps with %w like fmt.Errorf; WithCode adds a code without
// changing the kind; Rejected reports either as a rejected promise.
func TestErrorKindsAndCodes(t *testing.T) {
	vm := goja.New()
	cause := WithCode(errors.New("bad key"), "ERR_BAD_KEY")
	cases := []struct {
		err        error
		name, code string
	}{
		{TypeErrorf("f: %w", cause), "TypeError", "ERR_BAD_KEY"},
		{WithCode(TypeErrorf("f: got %s", "a number"), "ERR_INVALID_ARG_TYPE"), "TypeError", "ERR_INVALID_ARG_TYPE"},
		{WithCode(errors.New("plain"), "ERR_PLAIN"), "Error", "ERR_PLAIN"},
	}
	for _, c := range cases {
		o := NewError(vm, c.err)
		if got := o.Get("name").String(); got != c.name {
			t.Errorf("%v: name %s, want %s", c.err, got, c.name)
		}
		if got := o.Get("code").String(); got != c.code {
			t.Errorf("%v: code %s, want %s", c.err, got, c.code)
		}
		if o.Get("message").String() != c.err.Error() {
			t.Errorf("%v: message %q", c.err, o.Get("message"))
		}
	}
	if !errors.Is(cases[0].err, cause) {
		t.Error("TypeErrorf's %w does not wrap")
	}
	p, _ := Rejected(vm, cases[1].err).Export().(*goja.Promise)
	if p == nil || p.State() != goja.PromiseStateRejected || p.Result().ToObject(vm).Get("code").String() != "ERR_INVALID_ARG_TYPE" {
		t.Error("Rejected did not give a promise rejected with the error")
	}
}
