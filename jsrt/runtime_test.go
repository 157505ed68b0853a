package jsrt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// writeTree writes files (path -> content) under a temp dir and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// errSink collects errors reported through Options.OnError.
type errSink struct {
	mu   sync.Mutex
	errs []error
	ch   chan error
}

func newSink() *errSink { return &errSink{ch: make(chan error, 100)} }

func (s *errSink) report(err error) {
	s.mu.Lock()
	s.errs = append(s.errs, err)
	s.mu.Unlock()
	s.ch <- err
}

func (s *errSink) next(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.ch:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("no error reported")
		return nil
	}
}

// run builds main.ts in dir and runs it; the module's exports land in __m.
func run(t *testing.T, dir string, opts Options) *Runtime {
	t.Helper()
	b, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir, GlobalName: "__m",
		Virtual: map[string]string{"host:test": "export const answer = 42;"}})
	if err != nil {
		t.Fatal(err)
	}
	rt := New(opts)
	t.Cleanup(rt.Close)
	if err := rt.RunBundle(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return rt
}

// call awaits __m.<fn>() and returns the exported result.
func call(t *testing.T, rt *Runtime, fn string) (any, error) {
	t.Helper()
	var out any
	v, err := rt.Await(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
		f, ok := goja.AssertFunction(vm.Get("__m").ToObject(vm).Get(fn))
		if !ok {
			t.Fatalf("%s is not exported", fn)
		}
		return f(goja.Undefined())
	})
	if err != nil {
		return nil, err
	}
	_ = rt.Do(context.Background(), func(vm *goja.Runtime) error { out = v.Export(); return nil })
	return out, nil
}

// installSleep defines sleepGo(ms, value) and failGo(msg) backed by rt.Go.
func installSleep(t *testing.T, rt *Runtime) {
	t.Helper()
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		_ = vm.Set("sleepGo", func(c goja.FunctionCall) goja.Value {
			ms := c.Argument(0).ToInteger()
			val := c.Argument(1).Export()
			return rt.Go(func(ctx context.Context) (any, error) {
				select {
				case <-time.After(time.Duration(ms) * time.Millisecond):
					return val, nil
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			})
		})
		_ = vm.Set("failGo", func(c goja.FunctionCall) goja.Value {
			msg := c.Argument(0).String()
			return rt.Go(func(ctx context.Context) (any, error) {
				return nil, &codedErr{msg: msg}
			})
		})
		_ = vm.Set("objGo", func(c goja.FunctionCall) goja.Value {
			return rt.Go(func(ctx context.Context) (any, error) {
				return ToJS(func(vm *goja.Runtime) (goja.Value, error) {
					o := vm.NewObject()
					_ = o.Set("built", "on the loop")
					return o, nil
				}), nil
			})
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type codedErr struct{ msg string }

func (e *codedErr) Error() string { return e.msg }
func (e *codedErr) Code() string  { return "ERR_TEST" }

func TestBridgeSettlesOnTheLoop(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.ts": `
declare function sleepGo(ms: number, v: unknown): Promise<unknown>;
declare function failGo(msg: string): Promise<unknown>;
declare function objGo(): Promise<{ built: string }>;
export async function slow() {
  const a = await sleepGo(30, 'a');
  const b = await sleepGo(10, 'b');
  return a + b;
}
export async function fails() {
  try { await failGo('nope'); return 'no error'; }
  catch (e: any) { return [e instanceof Error, e.message, e.code].join('|'); }
}
export async function built() { return (await objGo()).built; }
export async function many() {
  let settled = 0;
  const ps: Promise<unknown>[] = [];
  for (let i = 0; i < 500; i++) ps.push(sleepGo(i % 7, i).then(() => { settled++; }));
  await Promise.all(ps);
  return settled;
}
`})
	rt := run(t, dir, Options{})
	installSleep(t, rt)
	tests := []struct {
		fn   string
		want any
	}{
		{"slow", "ab"},                  // no early return: waits for both Go calls
		{"fails", "true|nope|ERR_TEST"}, // Go error -> JS Error with its code
		{"built", "on the loop"},        // ToJS builds values on the loop
		{"many", int64(500)},            // every promise settles exactly once
	}
	for _, tt := range tests {
		got, err := call(t, rt, tt.fn)
		if err != nil {
			t.Fatalf("%s: %v", tt.fn, err)
		}
		if got != tt.want {
			t.Errorf("%s() = %#v, want %#v", tt.fn, got, tt.want)
		}
	}
	if n := rt.Pending(); n != 0 {
		t.Errorf("Pending() = %d after everything settled", n)
	}
}

func TestErrorsPointAtTypeScript(t *testing.T) {
	dir := writeTree(t, map[string]string{"plugin/main.ts": "", "main.ts": `import { answer } from 'host:test';
interface Shape {
  a: number;
  b: string;
}
type Alias = Shape | null;
export function throws(): number {
  const s: Alias = { a: answer, b: 'x' };
  throw new Error('boom ' + s!.a);
}
export async function rejects(): Promise<void> {
  await Promise.resolve();
  throw new TypeError('async boom');
}
export function timer() {
  setTimeout(() => {
    const o: any = null; o.foo();
  }, 1);
}
export function unhandled() {
  Promise.reject(new RangeError('nobody listens'));
}
export function handledLater() {
  const p = Promise.reject(new Error('handled'));
  p.catch(() => {});
}
`})
	sink := newSink()
	rt := run(t, dir, Options{OnError: sink.report})

	_, err := call(t, rt, "throws")
	je, ok := AsJSError(err)
	if !ok {
		t.Fatalf("throws: %v is not a JSError", err)
	}
	if je.Position() != "main.ts:9:9" || je.Message != "boom 42" {
		t.Errorf("throws: %q at %q, want \"boom 42\" at main.ts:9:9", je.Message, je.Position())
	}
	if got := je.Error(); got != "main.ts:9:9: boom 42" {
		t.Errorf("Error() = %q", got)
	}

	_, err = call(t, rt, "rejects")
	if je, ok := AsJSError(err); !ok || je.Name != "TypeError" || je.Position() != "main.ts:13:9" {
		t.Errorf("rejects: %v (name %q), want a TypeError at main.ts:13:9", err, je.Name)
	}

	if _, err := call(t, rt, "timer"); err != nil {
		t.Fatal(err)
	}
	got := sink.next(t).Error()
	if !strings.HasPrefix(got, "main.ts:17:") || !strings.Contains(got, "uncaught error in timer: TypeError") {
		t.Errorf("timer error = %q", got)
	}

	if _, err := call(t, rt, "handledLater"); err != nil {
		t.Fatal(err)
	}
	if _, err := call(t, rt, "unhandled"); err != nil {
		t.Fatal(err)
	}
	got = sink.next(t).Error()
	if got != "main.ts:21:18: unhandled promise rejection: RangeError: nobody listens" {
		t.Errorf("unhandled = %q", got)
	}
	select {
	case err := <-sink.ch:
		t.Errorf("unexpected extra report (a handled rejection?): %v", err)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestRunawayScriptIsInterrupted(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.ts": `
export function spin() { for (;;) {} }
export function recurse(n: number): number { return recurse(n + 1) + 1; }
export function fine() { return 'still alive'; }
`})
	rt := run(t, dir, Options{Timeout: 100 * time.Millisecond})
	_, err := call(t, rt, "spin")
	je, ok := AsJSError(err)
	if !ok || !je.Interrupted() || !strings.Contains(je.Message, "ran longer than 100ms") || je.Position() == "" {
		t.Fatalf("spin: %v, want an interrupt with a position", err)
	}
	got, err := call(t, rt, "fine")
	if err != nil || got != "still alive" {
		t.Fatalf("after interrupts: %v, %v", got, err)
	}
	// Runaway recursion ends at the stack limit, whatever the time: with a
	// minute's timeout, so a loaded machine's slower recursion never meets
	// the timeout first.
	rt = run(t, dir, Options{Timeout: time.Minute})
	_, err = call(t, rt, "recurse")
	if je, ok := AsJSError(err); !ok || je.Name != "RangeError" || !strings.Contains(je.Message, "call stack") {
		t.Fatalf("recurse: %v, want RangeError", err)
	}
	got, err = call(t, rt, "fine")
	if err != nil || got != "still alive" {
		t.Fatalf("after the recursion: %v, %v", got, err)
	}
}

func TestCloseEndsGoWork(t *testing.T) {
	rt := New(Options{})
	started := make(chan struct{})
	ended := make(chan error, 1)
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		rt.Go(func(ctx context.Context) (any, error) {
			close(started)
			<-ctx.Done()
			ended <- ctx.Err()
			return nil, ctx.Err()
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	rt.Close()
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("work ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not cancel Go work")
	}
	if err := rt.Do(context.Background(), func(*goja.Runtime) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("Do after Close = %v, want ErrClosed", err)
	}
	rt.Close() // twice is fine
}

func TestGoTimeoutRejects(t *testing.T) {
	rt := New(Options{CallTimeout: 20 * time.Millisecond})
	defer rt.Close()
	_, err := rt.Await(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
		return rt.Go(func(ctx context.Context) (any, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}), nil
	})
	je, ok := AsJSError(err)
	if !ok || je.Code != "ERR_TIMEOUT" || !strings.Contains(je.Message, "timed out after 20ms") {
		t.Fatalf("err = %v, want ERR_TIMEOUT", err)
	}
}

func TestTimersAndMicrotasks(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.ts": `
export function order(): Promise<string> {
  const log: string[] = [];
  return new Promise((resolve) => {
    setTimeout(() => log.push('timeout'), 0);
    queueMicrotask(() => log.push('micro'));
    Promise.resolve().then(() => log.push('then'));
    let n = 0;
    const id = setInterval(() => {
      log.push('tick' + ++n);
      if (n === 3) {
        clearInterval(id);
        const t = setTimeout(() => log.push('never'), 5);
        clearTimeout(t);
        setTimeout(() => resolve(log.join(',')), 20);
      }
    }, 2);
    log.push('sync');
  });
}
`})
	rt := run(t, dir, Options{})
	got, err := call(t, rt, "order")
	if err != nil {
		t.Fatal(err)
	}
	if got != "sync,micro,then,timeout,tick1,tick2,tick3" {
		t.Errorf("order = %q", got)
	}
	if n := rt.Pending(); n != 0 {
		t.Errorf("Pending() = %d", n)
	}
}

func TestBuild(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.ts": `import { greet } from 'greeter';
import { helper } from './lib/helper';
import { answer } from 'host:test';
class Counter { #n = 0; static zero = 0; inc() { return ++this.#n; } }
async function* gen() { yield 1; yield 2; }
export async function all() {
  const out: number[] = [];
  for await (const x of gen()) out.push(x);
  return [greet(), helper(), answer, new Counter().inc(), out.join('+'), ({} as any)?.x ?? 'nullish'].join(' ');
}
`,
		"lib/helper.ts":                     `export const helper = (): string => 'helped';`,
		"node_modules/greeter/package.json": `{"name":"greeter","main":"index.js"}`,
		"node_modules/greeter/index.js":     `exports.greet = function () { return 'hi'; };`,
	})
	b, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir, GlobalName: "__m",
		Virtual: map[string]string{"host:test": "export const answer = 42;"}})
	if err != nil {
		t.Fatal(err)
	}
	if b.File != "main.ts" {
		t.Errorf("File = %q", b.File)
	}
	var rel []string
	for _, in := range b.Inputs {
		r, _ := filepath.Rel(dir, in)
		rel = append(rel, r)
	}
	if got := strings.Join(rel, ","); got != "lib/helper.ts,main.ts" {
		t.Errorf("Inputs = %s (node_modules and virtual modules excluded)", got)
	}
	rt := run(t, dir, Options{})
	got, err := call(t, rt, "all")
	if err != nil {
		t.Fatal(err)
	}
	if got != "hi helped 42 1 1+2 nullish" {
		t.Errorf("all() = %q", got)
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax", "const a = 1;\nconst b = ;\n", `main.ts:2:11: Unexpected ";"`},
		{"not installed", "import { x } from '@acme/sdk/sub';\nexport default x;\n", `main.ts:1:19: Could not resolve "@acme/sdk/sub"; install it in the plugin's directory: npm install @acme/sdk`},
		{"unknown node module", "import { x } from 'node:nope';\nexport default x;\n", `main.ts:1:19: "node:nope" is not a Node.js built-in module; check the name`},
		{"unresolved", "import { x } from './missing';\nexport default x;\n", `main.ts:1:19: Could not resolve "./missing"`},
		{"virtual", "import { y } from 'host:nope';\nexport default y;\n", `main.ts:1:19: unknown host module "host:nope"; available: "host:test"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"main.ts": tt.src})
			_, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir,
				Virtual: map[string]string{"host:test": "export const answer = 42;"}})
			var be *BuildError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a BuildError", err)
			}
			if got := be.Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("Error() = %q, want prefix %q", got, tt.want)
			}
			if be.Errors[0].LineText == "" {
				t.Errorf("no source line in %+v", be.Errors[0])
			}
		})
	}
	if _, err := Build(BuildOptions{Entry: "/nonexistent/plugin.ts"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing entry: %v", err)
	}
}

func TestBuildCached(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.ts":                       "import { v } from './dep';\nimport { w } from 'pkg';\nexport const value = v + w;\n",
		"dep.ts":                        "export const v = 'one';\n",
		"node_modules/pkg/package.json": `{"name":"pkg","main":"index.js"}`,
		"node_modules/pkg/index.js":     "exports.w = '-a';\n",
	})
	cache := filepath.Join(t.TempDir(), "cache")
	opts := BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir, GlobalName: "__m"}
	valueOf := func() string {
		t.Helper()
		b, err := BuildCached(opts, cache)
		if err != nil {
			t.Fatal(err)
		}
		rt := New(Options{})
		defer rt.Close()
		if err := rt.RunBundle(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		var s string
		_ = rt.Do(context.Background(), func(vm *goja.Runtime) error {
			s = vm.Get("__m").ToObject(vm).Get("value").String()
			return nil
		})
		return s
	}
	if got := valueOf(); got != "one-a" {
		t.Fatalf("first build: %q", got)
	}
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 {
		t.Fatalf("%d cache entries, want 1", len(entries))
	}
	// Same size, same second: only the content differs. Still a miss.
	if err := os.WriteFile(filepath.Join(dir, "dep.ts"), []byte("export const v = 'two';\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := valueOf(); got != "two-a" {
		t.Errorf("after editing dep.ts: %q, want two-a", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "node_modules/pkg/index.js"), []byte("exports.w = '-b';\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := valueOf(); got != "two-b" {
		t.Errorf("after editing node_modules: %q, want two-b", got)
	}
	// A corrupt entry is ignored and replaced.
	entries, _ = os.ReadDir(cache)
	for _, e := range entries {
		_ = os.WriteFile(filepath.Join(cache, e.Name()), []byte("{garbage"), 0o600)
	}
	if got := valueOf(); got != "two-b" {
		t.Errorf("with a corrupt cache: %q", got)
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, cached := range []bool{false, true} {
		name := "esbuild"
		if cached {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			cache := ""
			if cached {
				cache = b.TempDir()
			}
			opts := BuildOptions{Entry: "../plugins/token-auth/plugin.ts", GlobalName: "__m"}
			for i := 0; i < b.N; i++ {
				if _, err := BuildCached(opts, cache); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestInterruptEndsAwaits(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.ts": `
export async function spinLater() {
  await new Promise((r) => setTimeout(r, 1));
  for (;;) {}
}
export async function timerSpins() {
  setTimeout(() => { for (;;) {} }, 0);
  await new Promise((r) => setTimeout(r, 50));
  return 'done';
}
export function ok() { return 'ok'; }
`})
	sink := newSink()
	rt := run(t, dir, Options{Timeout: 50 * time.Millisecond, OnError: sink.report})
	for _, fn := range []string{"spinLater", "timerSpins"} {
		_, err := call(t, rt, fn)
		je, ok := AsJSError(err)
		if !ok || !je.Interrupted() || !strings.HasPrefix(je.Position(), "main.ts:") {
			t.Errorf("%s: %v, want the interrupt with a position", fn, err)
		}
	}
	if got, err := call(t, rt, "ok"); err != nil || got != "ok" {
		t.Errorf("after interrupts: %v %v", got, err)
	}
	select {
	case err := <-sink.ch:
		t.Errorf("interrupt reported twice (also to OnError): %v", err)
	default:
	}
}

// TestAwaitEndedWhileScriptRuns: an Await whose ctx ends while a script
// runs away (as onActivate's deadline may, before the script timeout)
// reports the script's interruption with its position, not the ctx's end:
// which of the two comes first must not decide what the user is told.
func TestAwaitEndedWhileScriptRuns(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.ts": `
export async function spinLater() {
  await new Promise((r) => setTimeout(r, 1));
  spinning();
  for (;;) {}
}
`})
	rt := run(t, dir, Options{Timeout: 300 * time.Millisecond})
	spinning := make(chan struct{})
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		return vm.Set("spinning", func() { close(spinning) })
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		<-spinning
		cancel(errors.New("the hook's deadline"))
	}()
	_, err := rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		f, _ := goja.AssertFunction(vm.Get("__m").ToObject(vm).Get("spinLater"))
		return f(goja.Undefined())
	})
	je, ok := AsJSError(err)
	if !ok || !je.Interrupted() || !strings.HasPrefix(je.Position(), "main.ts:") {
		t.Errorf("got %v, want the interrupt with a position", err)
	}
	// Ended while nothing runs: the ctx's cause, at once.
	ctx, cancel = context.WithCancelCause(context.Background())
	cancel(errors.New("the hook's deadline"))
	_, err = rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString("new Promise(() => {})")
	})
	if err == nil || err.Error() != "the hook's deadline" {
		t.Errorf("idle: got %v, want the ctx's cause", err)
	}
}

// TestBindingPanicDoesNotCrash: a Go panic in a native function ends that
// entry with an error naming the panic; the runtime keeps working.
func TestBindingPanicDoesNotCrash(t *testing.T) {
	rt := New(Options{})
	defer rt.Close()
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		return vm.Set("broken", func(goja.FunctionCall) goja.Value {
			var m map[string]int
			//lint:ignore SA5000 the nil map write is the point: a Go runtime panic
			m["boom"] = 1
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = rt.Do(context.Background(), func(vm *goja.Runtime) error {
		_, err := vm.RunString("broken()")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "internal error in host") || !strings.Contains(err.Error(), "nil map") {
		t.Fatalf("err = %v", err)
	}
	var got string
	err = rt.Do(context.Background(), func(vm *goja.Runtime) error {
		v, err := vm.RunString("try { 1 + 1 } finally {}")
		got = v.String()
		return err
	})
	if err != nil || got != "2" {
		t.Fatalf("after the panic: %q %v", got, err)
	}
	// The same in Go work behind a promise: the promise rejects.
	_, err = rt.Await(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
		return rt.Go(func(context.Context) (any, error) { panic("worker exploded") }), nil
	})
	if err == nil || !strings.Contains(err.Error(), "worker exploded") {
		t.Fatalf("Go work panic: %v", err)
	}
}

// TestGoRejectionPointsAtCaller: a rejection made by Go work carries the
// position of the JS call that started it.
func TestGoRejectionPointsAtCaller(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.ts": `declare function failGo(msg: string): Promise<unknown>;
type Unused = { a: string };
export async function run() {
  const x: Unused = { a: 'b' };
  await failGo('network down ' + x.a);
}
`})
	rt := run(t, dir, Options{})
	installSleep(t, rt)
	_, err := call(t, rt, "run")
	je, ok := AsJSError(err)
	if !ok || je.Position() != "main.ts:5:16" || je.Message != "network down b" || je.Code != "ERR_TEST" {
		t.Fatalf("err = %v (position %q)", err, je.Position())
	}
}

// TestSafeTurnsPanicsIntoJSErrors: with Safe, a binding's Go panic is a JS
// error the plugin can catch; a deliberate JS throw passes unchanged.
func TestSafeTurnsPanicsIntoJSErrors(t *testing.T) {
	rt := New(Options{})
	defer rt.Close()
	var got string
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		_ = vm.Set("broken", Safe(vm, "broken", func(goja.FunctionCall) goja.Value {
			var m map[string]int
			//lint:ignore SA5000 the nil map write is the point: a Go runtime panic
			m["x"] = 1
			return nil
		}))
		_ = vm.Set("throws", Safe(vm, "throws", func(goja.FunctionCall) goja.Value {
			Throw(vm, TypeErrorf("bad argument"))
			return nil
		}))
		v, err := vm.RunString(`
			const out = [];
			try { broken(); } catch (e) { out.push(e instanceof Error, e.code, e.message.includes('internal error in host binding broken')); }
			try { throws(); } catch (e) { out.push(e instanceof TypeError, e.message); }
			out.join('|')`)
		if err == nil {
			got = v.String()
		}
		return err
	})
	if err != nil || got != "true|ERR_HOST_INTERNAL|true|true|bad argument" {
		t.Fatalf("got %q, %v", got, err)
	}
}

// A bundle, compiled once, runs in as many runtimes at once as want it,
// and a program goja cannot compile fails RunBundle with a positioned error.
func TestBundleCompiledOnceRunsEverywhere(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.ts": "export const value: string = ['pre', 'compiled'].join('-');\n"})
	b, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir, GlobalName: "__m"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			rt := New(Options{})
			defer rt.Close()
			if err := rt.RunBundle(context.Background(), b); err != nil {
				t.Error(err)
				return
			}
			_ = rt.Do(context.Background(), func(vm *goja.Runtime) error {
				if got := vm.Get("__m").ToObject(vm).Get("value").String(); got != "pre-compiled" {
					t.Errorf("value = %q", got)
				}
				return nil
			})
		})
	}
	wg.Wait()

	bad := newBundle("let x = ;\n", "bad.js", nil, nil)
	rt := New(Options{})
	defer rt.Close()
	if err := rt.RunBundle(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "bad.js") {
		t.Fatalf("RunBundle of a program goja rejects: %v", err)
	}
}

// When a Do's ctx ends while another caller's script runs, that script is
// not interrupted; the cancelled fn never runs. Awaits in flight all settle.
func TestDoCancelStopsOnlyItsOwnWork(t *testing.T) {
	rt := New(Options{})
	defer rt.Close()
	ctx := context.Background()
	if err := rt.Do(ctx, func(vm *goja.Runtime) error {
		_, err := vm.RunString(`
			globalThis.busy = (ms) => { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n++; return n > 0; };
			globalThis.later = async (x) => { await null; return x * 2; };`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// A script that runs until the test releases it, so the other caller's
	// deadline surely ends while it runs.
	started := make(chan struct{})
	var released atomic.Bool
	busyDone := make(chan error, 1)
	go func() {
		busyDone <- rt.Do(ctx, func(vm *goja.Runtime) error {
			_ = vm.Set("released", released.Load)
			close(started)
			_, err := vm.RunString(`while (!released()) {}`)
			return err
		})
	}()
	<-started
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	ran := false
	err := rt.Do(short, func(vm *goja.Runtime) error { ran = true; return nil })
	released.Store(true)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("queued Do whose ctx ended: %v", err)
	}
	if err := <-busyDone; err != nil {
		t.Errorf("the running script was interrupted by another caller's deadline: %v", err)
	}
	_ = rt.Do(ctx, func(*goja.Runtime) error { return nil })
	if ran {
		t.Error("a Do whose ctx ended before it started ran anyway")
	}

	// Many Awaits of async work while short-deadline Dos come and go.
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			if i%10 == 0 {
				c, cancel := context.WithTimeout(ctx, time.Millisecond)
				defer cancel()
				_ = rt.Do(c, func(vm *goja.Runtime) error { _, err := vm.RunString(`busy(2)`); return err })
				return
			}
			c, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			v, err := rt.Await(c, func(vm *goja.Runtime) (goja.Value, error) {
				return vm.RunString(fmt.Sprintf("later(%d)", i))
			})
			if err != nil {
				t.Errorf("Await %d: %v", i, err)
				return
			}
			_ = rt.Do(ctx, func(*goja.Runtime) error {
				if v.ToInteger() != int64(2*i) {
					t.Errorf("Await %d = %v", i, v)
				}
				return nil
			})
		})
	}
	wg.Wait()
}
