package abort

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"

	"host/bindings/internal/jstest"
	"host/bindings/jsapi"
	"host/jsrt"
)

// run evaluates src as the body of an async function on a runtime with the
// abort globals and returns its result as JSON, or the error.
func run(t *testing.T, rt *jsrt.Runtime, src string) (string, error) {
	t.Helper()
	return jstest.Run(t, rt, src)
}

func TestEventsAndAbort(t *testing.T) {
	var mu sync.Mutex
	var reported []string
	rt := jsrt.New(jsrt.Options{OnError: func(err error) {
		mu.Lock()
		reported = append(reported, err.Error())
		mu.Unlock()
	}})
	t.Cleanup(rt.Close)
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error { return Install(jsapi.NewEnv(nil, vm)) }); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, src, want, err string }{
		{"event fields", `const e = new Event("ping", { cancelable: true });
			return [e.type, e.bubbles, e.cancelable, e.defaultPrevented, e.eventPhase, e.target, e.isTrusted, e instanceof Event, String(e)]`,
			`["ping",false,true,false,0,null,false,true,"[object Event]"]`, ""},
		{"dispatch order, target, once, return value", `const t = new EventTarget(); const seen = [];
			const a = (e) => seen.push("a:" + (e.target === t) + (e.currentTarget === t) + e.eventPhase);
			t.addEventListener("x", a); t.addEventListener("x", a); // duplicate ignored
			t.addEventListener("x", { handleEvent(e) { seen.push("obj"); e.preventDefault(); } }, { once: true });
			const r1 = t.dispatchEvent(new Event("x", { cancelable: true }));
			const r2 = t.dispatchEvent(new Event("x", { cancelable: true }));
			t.removeEventListener("x", a);
			t.dispatchEvent(new Event("x"));
			return [seen, r1, r2]`,
			`[["a:truetrue2","obj","a:truetrue2"],false,true]`, ""},
		{"stopImmediatePropagation and passive", `const t = new EventTarget(); const seen = [];
			t.addEventListener("x", (e) => { e.preventDefault(); seen.push(e.defaultPrevented); }, { passive: true });
			t.addEventListener("x", (e) => { seen.push(1); e.stopImmediatePropagation(); });
			t.addEventListener("x", () => seen.push(2));
			t.dispatchEvent(new Event("x", { cancelable: true }));
			return seen`, `[false,1]`, ""},
		{"CustomEvent detail and subclassing", `class Bus extends EventTarget {}
			const b = new Bus(); let got;
			b.addEventListener("msg", (e) => { got = e.detail; });
			b.dispatchEvent(new CustomEvent("msg", { detail: { n: 1 } }));
			return [got, new CustomEvent("m").detail, new CustomEvent("m") instanceof Event]`, `[{"n":1},null,true]`, ""},
		{"listener removed by a signal", `const t = new EventTarget(); const c = new AbortController(); let n = 0;
			t.addEventListener("x", () => n++, { signal: c.signal });
			t.dispatchEvent(new Event("x")); c.abort(); t.dispatchEvent(new Event("x"));
			return n`, `1`, ""},
		{"a throwing listener does not stop the others", `const t = new EventTarget(); let ran = false;
			t.addEventListener("x", () => { throw new Error("boom"); });
			t.addEventListener("x", () => { ran = true; });
			try { t.dispatchEvent(new Event("x")); } catch (e) { return "threw"; }
			await null;
			return ran`, `true`, ""},
		{"redispatch while dispatching", `const t = new EventTarget(); const e = new Event("x"); let err;
			t.addEventListener("x", () => { try { t.dispatchEvent(e); } catch (x) { err = x; } });
			t.dispatchEvent(e); return [err.name, err.message]`, `["InvalidStateError","Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched."]`, ""},
		{"dispatchEvent needs an Event", `new EventTarget().dispatchEvent({ type: "x" })`, ``, "not of type 'Event'"},
		{"AbortSignal is an EventTarget", `const c = new AbortController(); const seen = [];
			c.signal.onabort = (e) => seen.push("on:" + e.type);
			c.signal.addEventListener("abort", (e) => seen.push(e instanceof Event && e.target === c.signal));
			c.abort("why"); c.abort("again");
			return [c.signal instanceof EventTarget, c.signal.aborted, c.signal.reason, seen, String(c.signal)]`,
			`[true,true,"why",["on:abort",true],"[object AbortSignal]"]`, ""},
		{"default reason", `const s = AbortSignal.abort(); return [s.reason.name, s.reason.message]`, `["AbortError","This operation was aborted"]`, ""},
		{"throwIfAborted", `AbortSignal.abort(new Error("stop")).throwIfAborted()`, ``, "stop"},
		{"timeout", `const s = AbortSignal.timeout(5); await new Promise((r) => s.addEventListener("abort", r));
			return s.reason.name`, `"TimeoutError"`, ""},
		{"any", `const a = new AbortController(), b = new AbortController(); const s = AbortSignal.any([a.signal, b.signal]);
			b.abort("b"); return [s.aborted, s.reason, AbortSignal.any([AbortSignal.abort(1)]).reason]`, `[true,"b",1]`, ""},
		{"no constructor", `new AbortSignal()`, ``, "Illegal constructor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mu.Lock()
			reported = nil
			mu.Unlock()
			got, err := run(t, rt, c.src)
			if strings.Contains(c.name, "throwing") {
				mu.Lock()
				if len(reported) != 1 || !strings.Contains(reported[0], "boom") {
					t.Errorf("reported %q, want the listener's error", reported)
				}
				mu.Unlock()
			}
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %s, %v; want an error containing %q", got, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestGoController(t *testing.T) {
	rt := jsrt.New(jsrt.Options{})
	t.Cleanup(rt.Close)
	var fired []string
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		if err := Install(jsapi.NewEnv(nil, vm)); err != nil {
			return err
		}
		c, err := NewController(vm)
		if err != nil {
			return err
		}
		if !OnAbort(vm, c.Signal(), func() { fired = append(fired, "go") }) {
			t.Error("OnAbort refused a signal")
		}
		if OnAbort(vm, vm.ToValue(1), func() {}) {
			t.Error("OnAbort took a number")
		}
		c.Abort(vm, "deactivated")
		OnAbort(vm, c.Signal(), func() { fired = append(fired, "late") })
		if got := c.Signal().(*goja.Object).Get("reason").String(); !strings.Contains(got, "deactivated") {
			t.Errorf("reason %q", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(fired, ",") != "go,late" {
		t.Fatalf("fired %v", fired)
	}
}
