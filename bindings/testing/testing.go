// Package testing runs a plugin author's tests inside host's runtime, as
// `deno test` and `bun test` do for theirs, so the tests exercise the host
// the plugin will run on: each test file is bundled like a plugin (the
// SDK's module, Node's built-ins and the web APIs are host's own) and runs
// in a runtime of its own with the vitest API its tests import from
// "vitest" (vitest's own expect and spies, host's runner: vitest.js) and
// the SDK's harness from "@hivemind-os/plugin-sdk/testing" (harness.js).
// Run returns each test's outcome as data, with the position of each
// failure in the TypeScript source; it never prints.
package testing

// expect_gen.js (vitest's expect and spies, bundled) comes from expectgen/;
// its licenses are in expect_gen.LICENSES.txt.
//go:generate sh -c "cd expectgen && npm ci --ignore-scripts --no-fund --no-audit && go run gen.go"

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"host/bindings/console"
	"host/bindings/globals"
	"host/bindings/plugin"
	"host/jsrt"
)

// DTS declares "@hivemind-os/plugin-sdk/testing" for `host types`.
//
//go:embed harness.d.ts
var DTS string

// VitestDTS declares host's "vitest" module for `host types` (an ambient
// module: a vitest installed in node_modules brings its own, which
// TypeScript prefers).
//
//go:embed vitest.d.ts
var VitestDTS string

//go:embed harness.js
var harnessSrc string

//go:embed vitest.js
var vitestSrc string

//go:embed expect_gen.js
var expectSrc string

// The built-in JS, compiled once per process; the expect library's text
// is wrapped on first use, not at every start of the binary.
var (
	expectProgram = sync.OnceValue(func() *jsrt.Program {
		return jsrt.NewProgram("host:vitest/expect.js", "(function () {\n"+expectSrc+"\nreturn hostVitestExpect;\n})")
	})
	runnerProgram = jsrt.NewProgram("host:vitest/runner.js", vitestSrc)
)

// HarnessModule is the import path of the SDK's testing harness.
const HarnessModule = "@hivemind-os/plugin-sdk/testing"

// vitestNames are the exports of host's "vitest" module.
var vitestNames = []string{"describe", "suite", "it", "test", "expect", "assert", "chai", "vi", "vitest",
	"beforeAll", "afterAll", "beforeEach", "afterEach", "onTestFailed", "onTestFinished", "expectTypeOf", "assertType"}

// vitestModule is the source of `import ... from "vitest"`.
var vitestModule = sync.OnceValue(func() string {
	var b strings.Builder
	b.WriteString("const v = globalThis[Symbol.for('host.vitest')];\n")
	for _, n := range vitestNames {
		fmt.Fprintf(&b, "export const %s = v.%s;\n", n, n)
	}
	b.WriteString("export default v;\n")
	return b.String()
})

// Modules returns what a test file may import beyond a plugin's modules:
// "vitest" and the SDK's harness, added to plugin.Modules().
func Modules() map[string]string {
	m := plugin.Modules()
	m["vitest"] = vitestModule()
	m[HarnessModule] = harnessSrc
	return m
}

// State is a test's outcome.
type State string

// The outcomes.
const (
	Passed  State = "pass"
	Failed  State = "fail"
	Skipped State = "skip" // .skip, outside .only, ctx.skip()
	Todo    State = "todo" // .todo, or no function
)

// Result is one test's outcome.
type Result struct {
	File     string   // the test file, relative to WorkDir when inside it
	Path     []string // the describe() names, then the test's
	State    State
	Duration time.Duration
	Pos      string   // where the test is declared: "file.ts:line:col"
	Failure  *Failure // when State is Failed
}

// Name is the test's path joined with " > ", as vitest shows it.
func (r Result) Name() string { return strings.Join(r.Path, " > ") }

// Failure is why a test failed.
type Failure struct {
	// Pos is "file.ts:line:col" of the failure: the first frame of the
	// error's stack in a source file (the failing expect, or the throw),
	// mapped to the TypeScript source; else where the test is declared.
	Pos     string
	Name    string // "AssertionError", "TypeError", ...
	Message string
	// Diff is vitest's expected/received diff, when the assertion has one.
	Diff  string
	Stack string
}

// FileResult is one test file's run.
type FileResult struct {
	File string
	// Inputs are the files the test was built from (absolute; the plugin's
	// sources included, node_modules not): what --watch watches.
	Inputs []string
	Tests  []Result
	// Err is a file that did not build or load (*jsrt.BuildError with
	// positions, *jsrt.JSError): none of its tests ran.
	Err error
	// Errors happened outside any test: an afterAll hook that failed, a
	// rejection nobody handled, an error thrown in a timer.
	Errors   []error
	Duration time.Duration
}

// Summary is a whole run.
type Summary struct {
	Files                   []FileResult
	Passed, Failed, Skipped int // Skipped counts todo tests too
	// Errors counts files that did not load and errors outside tests.
	Errors int
}

// OK reports whether nothing failed.
func (s *Summary) OK() bool { return s.Failed == 0 && s.Errors == 0 }

// Inputs are the files every test file was built from, sorted, and the
// test files themselves (also those that did not build).
func (s *Summary) Inputs() []string {
	var out []string
	for _, f := range s.Files {
		out = append(out, f.Inputs...)
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// Options say what to run and how.
type Options struct {
	// Files are the test files, run one after another, each in a runtime
	// of its own.
	Files []string
	// WorkDir is what positions are relative to; default the current
	// directory.
	WorkDir string
	// HTTP is the client behind fetch; default a client like
	// http.DefaultClient's, with no permissions applied (as vitest on Node).
	HTTP *http.Client
	// TestTimeout bounds each test (default 5 s, vitest's); HookTimeout
	// each hook (default 10 s). A test may set its own.
	TestTimeout, HookTimeout time.Duration
	// CacheDir, when set, keeps built bundles between runs.
	CacheDir string
	// OnResult sees each test's outcome as it is known (file by file, in
	// order). Called on a runtime's loop goroutine; it must not block.
	OnResult func(Result)
	// OnLog sees what the tests and the code under test print (console,
	// with the file as Entry.Plugin). Called on a loop goroutine; must not
	// block.
	OnLog func(console.Entry)
}

// Defaults of Options.
const (
	DefaultTestTimeout = 5 * time.Second
	DefaultHookTimeout = 10 * time.Second
)

// Run runs opts.Files and returns their outcomes. The error is for the run
// as a whole (ctx ended, the work dir is unusable); a test that failed, a
// file that did not build, is in the Summary.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	if opts.WorkDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		opts.WorkDir = wd
	}
	if opts.TestTimeout <= 0 {
		opts.TestTimeout = DefaultTestTimeout
	}
	if opts.HookTimeout <= 0 {
		opts.HookTimeout = DefaultHookTimeout
	}
	if opts.HTTP == nil {
		opts.HTTP = &http.Client{}
	}
	sum := &Summary{}
	for _, f := range opts.Files {
		if err := ctx.Err(); err != nil {
			return sum, context.Cause(ctx)
		}
		fr := runFile(ctx, opts, f)
		for _, t := range fr.Tests {
			switch t.State {
			case Passed:
				sum.Passed++
			case Failed:
				sum.Failed++
			default:
				sum.Skipped++
			}
		}
		if fr.Err != nil {
			sum.Errors++
		}
		sum.Errors += len(fr.Errors)
		sum.Files = append(sum.Files, fr)
	}
	return sum, nil
}

// runFile builds and runs one test file.
func runFile(ctx context.Context, opts Options, file string) FileResult {
	start := time.Now()
	fr := FileResult{File: rel(opts.WorkDir, file)}
	if abs, err := filepath.Abs(file); err == nil {
		fr.Inputs = []string{abs}
	}
	b, err := jsrt.BuildCached(jsrt.BuildOptions{Entry: file, WorkDir: opts.WorkDir, Root: plugin.Root(file), Virtual: Modules()}, opts.CacheDir)
	if err != nil {
		fr.Err = err
		fr.Duration = time.Since(start)
		return fr
	}
	fr.File = b.File
	fr.Inputs = append(fr.Inputs, b.Inputs...)
	var mu sync.Mutex // guards fr.Errors: OnError and results come on the loop, the final read after Close
	rt := jsrt.New(jsrt.Options{
		Timeout: max(opts.TestTimeout, opts.HookTimeout) + 5*time.Second,
		OnError: func(err error) {
			mu.Lock()
			fr.Errors = append(fr.Errors, err)
			mu.Unlock()
		},
	})
	defer rt.Close()
	var run goja.Value
	err = rt.Do(ctx, func(vm *goja.Runtime) error {
		r, err := install(rt, vm, opts, &fr, &mu)
		run = r
		return err
	})
	if err == nil {
		err = rt.RunBundle(ctx, b)
	}
	if err == nil {
		_, err = rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
			fn, _ := goja.AssertFunction(run)
			return fn(goja.Undefined())
		})
	}
	if err != nil {
		fr.Err = err
	}
	mu.Lock()
	defer mu.Unlock()
	fr.Duration = time.Since(start)
	return fr
}

// install defines the globals a test file sees and returns the runner's
// run function. On the loop.
func install(rt *jsrt.Runtime, vm *goja.Runtime, opts Options, fr *FileResult, mu *sync.Mutex) (goja.Value, error) {
	file := fr.File
	err := globals.Install(rt, vm, globals.Options{
		Plugin: file,
		Log: func(e console.Entry) {
			if opts.OnLog != nil {
				opts.OnLog(e)
			}
		},
		HTTP: opts.HTTP,
	})
	if err != nil {
		return nil, err
	}
	// The SDK's definePlugin returns the definition as it is.
	if err := vm.Set("definePlugin", func(c goja.FunctionCall) goja.Value { return c.Argument(0) }); err != nil {
		return nil, err
	}
	lib, err := expectProgram().Call(vm)
	if err != nil {
		return nil, fmt.Errorf("vitest's expect: %w", err)
	}
	t0 := time.Now()
	native := vm.NewObject()
	_ = native.Set("testTimeout", opts.TestTimeout.Milliseconds())
	_ = native.Set("hookTimeout", opts.HookTimeout.Milliseconds())
	_ = native.Set("callerPos", func(goja.FunctionCall) goja.Value { return vm.ToValue(jsrt.CallerPosition(vm)) })
	_ = native.Set("now", func(goja.FunctionCall) goja.Value { return vm.ToValue(float64(time.Since(t0).Microseconds()) / 1000) })
	_ = native.Set("result", func(c goja.FunctionCall) goja.Value {
		r := readResult(vm, c.Argument(0).ToObject(vm))
		r.File = file
		mu.Lock()
		fr.Tests = append(fr.Tests, r)
		mu.Unlock()
		if opts.OnResult != nil {
			opts.OnResult(r)
		}
		return goja.Undefined()
	})
	_ = native.Set("hookError", func(c goja.FunctionCall) goja.Value {
		je := jsrt.ErrorOf(vm, c.Argument(1))
		var path []string
		_ = vm.ExportTo(c.Argument(0), &path)
		mu.Lock()
		fr.Errors = append(fr.Errors, fmt.Errorf("afterAll hook of %q: %w", strings.Join(path, " > "), je))
		mu.Unlock()
		return goja.Undefined()
	})
	r, err := runnerProgram.Call(vm, lib, native)
	if err != nil {
		return nil, fmt.Errorf("vitest runner: %w", err)
	}
	ro := r.ToObject(vm)
	api := ro.Get("api").ToObject(vm)
	typeProxy, err := vm.RunString(`(() => { const p = new Proxy(function () {}, { get: () => p, apply: () => p }); return p; })()`)
	if err != nil {
		return nil, err
	}
	_ = api.Set("expectTypeOf", func(goja.FunctionCall) goja.Value { return typeProxy })
	_ = api.Set("assertType", func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	sym, err := vm.RunString(`Symbol.for('host.vitest')`)
	if err != nil {
		return nil, err
	}
	if err := vm.GlobalObject().DefineDataPropertySymbol(sym.(*goja.Symbol), api, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return nil, err
	}
	return ro.Get("run"), nil
}

// readResult reads the runner's report of one test. On the loop.
func readResult(vm *goja.Runtime, o *goja.Object) Result {
	var r Result
	_ = vm.ExportTo(o.Get("path"), &r.Path)
	r.State = State(o.Get("state").String())
	if d := o.Get("duration"); d != nil {
		r.Duration = time.Duration(d.ToFloat() * float64(time.Millisecond))
	}
	r.Pos = o.Get("pos").String()
	if ev := o.Get("error"); r.State == Failed && ev != nil && !goja.IsUndefined(ev) {
		je := jsrt.ErrorOf(vm, ev)
		f := &Failure{Pos: je.Position(), Name: je.Name, Message: je.Message, Stack: je.Stack}
		if f.Pos == "" {
			f.Pos = r.Pos
		}
		if eo, ok := ev.(*goja.Object); ok {
			if d := eo.Get("diff"); d != nil && !goja.IsUndefined(d) && !goja.IsNull(d) {
				f.Diff = d.String()
			}
		}
		r.Failure = f
	}
	return r
}

// rel is path relative to dir when inside it.
func rel(dir, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if r, err := filepath.Rel(dir, abs); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// testFileSuffixes are the names FindTests looks for (vitest's default
// include, for TypeScript and JavaScript).
var testFileSuffixes = []string{".test.ts", ".spec.ts", ".test.mts", ".spec.mts", ".test.js", ".spec.js", ".test.mjs", ".spec.mjs"}

// FindTests returns the test files of the plugin in dir: every
// *.test.ts (and .spec.ts, .test.js ...) below it, skipping node_modules,
// dist and hidden directories, sorted. None found is an error saying so.
func FindTests(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != dir && (name == "node_modules" || name == "dist" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		for _, s := range testFileSuffixes {
			if strings.HasSuffix(d.Name(), s) {
				out = append(out, path)
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no test files (*.test.ts, *.spec.ts) in %s: %w", dir, ErrNoTests)
	}
	sort.Strings(out)
	return out, nil
}

// ErrNoTests is FindTests finding nothing.
var ErrNoTests = errors.New("no tests")
