package jsrt

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// sharedJS builds v = {a: v, b: v} n times over: 2^n objects when walked.
const sharedJS = `(n) => { let v = {x: 1}; for (let i = 0; i < n; i++) v = {a: v, b: v}; return v; }`

func stringifyJS(t *testing.T, rt *Runtime, ctx context.Context, src string, lim JSONLimits) (string, bool, error) {
	t.Helper()
	var text string
	var ok bool
	var serr error
	err := rt.Do(ctx, func(vm *goja.Runtime) error {
		v, err := vm.RunString(src)
		if err != nil {
			return err
		}
		text, ok, serr = rt.StringifyJSON(v, lim)
		return nil
	})
	if err != nil {
		return "", false, err
	}
	return text, ok, serr
}

// TestStringifyJSONShared: a value that repeats a shared object sixty
// times is refused as too large before it is walked; one that repeats a
// small one a few times is turned into JSON as JSON.stringify would.
func TestStringifyJSONShared(t *testing.T) {
	rt := New(Options{})
	defer rt.Close()
	// A deadline far past what the refusal needs: the test waits on the
	// refusal, the deadline only keeps a regression from hanging.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, tc := range []struct {
		name, src string
		want      string
		err       error
	}{
		{"shared 60", `(` + sharedJS + `)(60)`, "", ErrTooLarge},
		{"shared 60 in an array", `[1, (` + sharedJS + `)(60)]`, "", ErrTooLarge},
		{"shared 60 from toJSON", `({ toJSON() { return (` + sharedJS + `)(60) } })`, "", ErrTooLarge},
		{"shared 2", `(` + sharedJS + `)(2)`, `{"a":{"a":{"x":1},"b":{"x":1}},"b":{"a":{"x":1},"b":{"x":1}}}`, nil},
		{"a string repeated", `(() => { const s = 'x'.repeat(1 << 20); return Array(100).fill(s); })()`, "", ErrTooLarge},
		{"deep", `(() => { let o = {}; for (let i = 0; i < 2000; i++) o = [o]; return o; })()`, "", ErrTooDeep},
		{"plain", `({a: [1, "two", null], b: {c: true}})`, `{"a":[1,"two",null],"b":{"c":true}}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := stringifyJS(t, rt, ctx, tc.src, JSONLimits{})
			if tc.err != nil {
				var le *LimitError
				if !errors.Is(err, tc.err) || !errors.As(err, &le) || !strings.Contains(err.Error(), "a value ") {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestStringifyJSONIgnoresPluginJSON: a plugin replacing the global JSON
// changes nothing in host's walks.
func TestStringifyJSONIgnoresPluginJSON(t *testing.T) {
	rt := New(Options{})
	defer rt.Close()
	got, ok, err := stringifyJS(t, rt, context.Background(), `JSON.stringify = () => '"stolen"'; globalThis.JSON = {stringify: () => '"x"'}; ({a: 1})`, JSONLimits{})
	if err != nil || !ok || got != `{"a":1}` {
		t.Fatalf("got %q %v %v", got, ok, err)
	}
	var parsed string
	err = rt.Do(context.Background(), func(vm *goja.Runtime) error {
		v, err := rt.ParseJSON(`{"k":"v"}`)
		if err != nil {
			return err
		}
		parsed = v.ToObject(vm).Get("k").String()
		return nil
	})
	if err != nil || parsed != "v" {
		t.Fatalf("ParseJSON: %q %v", parsed, err)
	}
}

// TestStringifyJSONStopsAtInterrupt: a walk that no limit refuses (here
// the limits are lifted) still ends when the Do's context ends; the
// runtime then runs the next script.
func TestStringifyJSONStopsAtInterrupt(t *testing.T) {
	rt := New(Options{})
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	huge := JSONLimits{Nodes: 1 << 62, Bytes: 1 << 62}
	_, _, err := stringifyJS(t, rt, ctx, `(`+sharedJS+`)(50)`, huge)
	if err == nil {
		t.Fatal("a 2^50-member walk finished")
	}
	if je, ok := AsJSError(err); (!ok || !je.Interrupted()) && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the interrupt", err)
	}
	got, _, err := stringifyJS(t, rt, context.Background(), `({ok: true})`, JSONLimits{})
	if err != nil || got != `{"ok":true}` {
		t.Fatalf("after the interrupt: %q %v", got, err)
	}
}

// TestThrownSharedValue: a thrown shared value becomes an error at once.
func TestThrownSharedValue(t *testing.T) {
	rt := New(Options{})
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := rt.Do(ctx, func(vm *goja.Runtime) error {
		_, err := vm.RunString(`throw (` + sharedJS + `)(60)`)
		return err
	})
	if _, ok := AsJSError(err); !ok || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

// BenchmarkStringifyJSON: what StringifyJSON's guard (a replacer called
// for every member) costs over a bare JSON.stringify, on a realistic API
// response (200 items, about 60 KB of JSON).
func BenchmarkStringifyJSON(b *testing.B) {
	rt := New(Options{Timeout: time.Hour}) // the whole benchmark is one entry
	defer rt.Close()
	_ = rt.Do(context.Background(), func(vm *goja.Runtime) error {
		v, err := vm.RunString(`({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, title: 'Item ' + i, tags: ['a', 'b'],
  owner: { login: 'user' + i, url: 'https://api.example.test/users/' + i }, created_at: '2025-01-01T00:00:00Z', score: i * 1.5 })), total: 200 })`)
		if err != nil {
			b.Fatal(err)
		}
		for _, guarded := range []bool{false, true, false, true} {
			name := "bare"
			if guarded {
				name = "guarded"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					var err error
					if guarded {
						_, _, err = rt.StringifyJSON(v, JSONLimits{})
					} else {
						_, err = rt.json.stringify(rt.json.json, v)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		return nil
	})
}

// TestOnStuck: a script stuck in a native call past its timeout (goja's
// JSON.stringify of a deeply nested value, which its interrupt does not
// reach) is reported through OnStuck.
func TestOnStuck(t *testing.T) {
	stuck := make(chan error, 1)
	rt := New(Options{Timeout: time.Second, StuckGrace: 200 * time.Millisecond, OnStuck: func(err error) { stuck <- err }})
	defer func() { go rt.Close() }() // Close waits for the loop, which stringify holds for seconds more
	// The deep value is built in Go: a JS loop building it can itself
	// outlast the 1 s timeout on a busy machine or under -race.
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		deep := vm.NewObject()
		for range 40000 {
			o := vm.NewObject()
			if err := o.Set("a", deep); err != nil {
				return err
			}
			deep = o
		}
		return vm.Set("deep", deep)
	})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = rt.Do(context.Background(), func(vm *goja.Runtime) error {
			_, err := vm.RunString(`JSON.stringify(deep)`)
			return err
		})
	}()
	select {
	case err := <-stuck:
		if !strings.Contains(err.Error(), "did not stop at its 1s timeout") {
			t.Errorf("OnStuck(%v)", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("OnStuck was not called")
	}
	// A script that stops at its timeout is not stuck.
	rt2 := New(Options{Timeout: 100 * time.Millisecond, StuckGrace: 200 * time.Millisecond, OnStuck: func(err error) { stuck <- err }})
	defer rt2.Close()
	err = rt2.Do(context.Background(), func(vm *goja.Runtime) error {
		_, err := vm.RunString(`for (;;) {}`)
		return err
	})
	if je, ok := AsJSError(err); !ok || !je.Interrupted() {
		t.Fatalf("loop: %v", err)
	}
	select {
	case err := <-stuck:
		t.Errorf("OnStuck(%v) for a script that stopped", err)
	case <-time.After(500 * time.Millisecond):
	}
}
