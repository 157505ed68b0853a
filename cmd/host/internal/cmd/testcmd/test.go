// Package testcmd is `host test`: run a plugin's vitest tests inside host's
// own runtime (package bindings/testing) and report each test, every
// failure with its file.ts:line:col, and a last line "N passed, N failed".
package testcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"host/bindings/console"
	hosttest "host/bindings/testing"
	"host/cmd/host/internal/cmdutil"
	"host/jsrt"
)

const testUsage = `Usage: host test [flags] [FILE...]

Runs the plugin's tests inside host's own runtime, so they exercise the host
the plugin will run on (as deno test and bun test do): the vitest API the
tests import from "vitest" (describe, it/test, expect with vitest's own
matchers, beforeEach/afterEach/beforeAll/afterAll, vi.fn/vi.spyOn, .skip,
.only, .todo, .each) and the plugin SDK's harness from
"@hivemind-os/plugin-sdk/testing" (createTestHarness). Without FILE it runs
every *.test.ts and *.spec.ts of the plugin in the current directory
(node_modules, dist and hidden directories left out). Each file runs in a
runtime of its own.

Prints a line per test (PASS, FAIL, SKIP, TODO), each failure with its
file.ts:line:col, the error and vitest's expected/received diff, and last
"N passed, N failed" (", N skipped" when some were). What the tests print
goes to stderr as [file] lines.

Flags:
  --watch                run again whenever a test or a file it imports is saved
  --timeout DURATION     each test's limit (default 5s; a test may set its own)
  --connect-to HOST:PORT:TO_HOST:TO_PORT
                         send the tests' requests to HOST:PORT to TO_HOST:TO_PORT
                         (curl's syntax, repeatable), TLS still checking HOST

Exit codes: 0 every test passed, 1 a test failed or a file did not load, 2
bad usage or no test files.
`

// TestOptions are `host test`'s flags and arguments.
type TestOptions struct {
	Factory *cmdutil.Factory

	Files   []string // the FILE arguments; none: the plugin's test files in the current directory
	Watch   bool
	Timeout time.Duration
	Plugin  cmdutil.PluginFlags // --connect-to

	// Not flags: set by tests.
	// Debounce is the quiet period after a change under --watch
	// (jsrt.DefaultDebounce when zero).
	Debounce time.Duration
}

// NewCmdTest is `host test`; runF, when set, runs instead of testRun.
func NewCmdTest(f *cmdutil.Factory, runF func(context.Context, *TestOptions) error) *cmdutil.Command {
	opts := &TestOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "test", testUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagConnectTo)
	cmd.Flags.BoolVar(&opts.Watch, "watch", false, "")
	cmd.Flags.DurationVar(&opts.Timeout, "timeout", hosttest.DefaultTestTimeout, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := opts.Plugin.Apply(); err != nil {
			return err
		}
		if opts.Timeout <= 0 {
			return cmdutil.Usagef("test: --timeout must be positive, got %s", opts.Timeout)
		}
		opts.Files = args
		if runF != nil {
			return runF(ctx, opts)
		}
		return testRun(ctx, opts)
	}
	return cmd
}

func testRun(ctx context.Context, opts *TestOptions) error {
	f := opts.Factory
	files, err := testFiles(f, opts.Files)
	if err != nil {
		return err
	}
	wd, err := f.IO.Getwd()
	if err != nil {
		return err
	}
	cache := ""
	if dir, err := f.DataDir(""); err == nil {
		cache = filepath.Join(dir, "cache")
	}
	r := &reporter{io: f.IO}
	run := func(files []string) (*hosttest.Summary, error) {
		sum, err := hosttest.Run(ctx, hosttest.Options{
			Files:       files,
			WorkDir:     wd,
			HTTP:        f.HTTPClient(opts.Plugin.ConnectTo),
			TestTimeout: opts.Timeout,
			CacheDir:    cache,
			OnResult:    r.result,
			OnLog:       r.log,
		})
		if err != nil {
			return nil, err
		}
		r.summary(sum)
		return sum, nil
	}
	sum, err := run(files)
	if err != nil {
		return err
	}
	if !opts.Watch {
		if !sum.OK() {
			return &cmdutil.Reported{Code: cmdutil.ExitFailure}
		}
		return nil
	}
	return watch(ctx, opts, files, sum, run)
}

// testFiles are the FILE arguments (each must exist), or the test files of
// the plugin in the current directory.
func testFiles(f *cmdutil.Factory, args []string) ([]string, error) {
	if len(args) > 0 {
		for _, a := range args {
			if fi, err := os.Stat(a); err != nil || fi.IsDir() {
				return nil, cmdutil.Usagef("test: %s is not a test file; usage: host test [flags] [FILE.test.ts...]", a)
			}
		}
		return args, nil
	}
	wd, err := f.IO.Getwd()
	if err != nil {
		return nil, err
	}
	files, err := hosttest.FindTests(wd)
	if errors.Is(err, hosttest.ErrNoTests) {
		return nil, cmdutil.Usagef("test: no test files (*.test.ts, *.spec.ts) in %s; name one: host test FILE.test.ts", wd)
	}
	if err != nil {
		return nil, err
	}
	for i, p := range files {
		if r, err := filepath.Rel(wd, p); err == nil {
			files[i] = r
		}
	}
	return files, nil
}

// watch runs the tests again whenever a file one of them was built from is
// saved: the files whose inputs changed, or all when a changed file is
// none's input (a test file that did not build).
func watch(ctx context.Context, opts *TestOptions, files []string, sum *hosttest.Summary, run func([]string) (*hosttest.Summary, error)) error {
	io := opts.Factory.IO
	w, err := jsrt.NewWatcher(opts.Debounce)
	if err != nil {
		return err
	}
	defer w.Close()
	inputs := inputsOf(files, sum)
	setWatch := func() {
		var all []string
		for _, in := range inputs {
			all = append(all, in...)
		}
		slices.Sort(all)
		if err := w.Set(slices.Compact(all)); err != nil {
			fmt.Fprintf(io.Err, "host: watching files: %s\n", io.Masker.Mask(err.Error()))
		}
		fmt.Fprintf(io.Err, "host: watching %d file(s) for changes (Ctrl-C to stop)\n", len(slices.Compact(all)))
	}
	setWatch()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-w.Errors():
			fmt.Fprintf(io.Err, "host: file watcher: %s\n", io.Masker.Mask(err.Error()))
		case changed := <-w.Changes():
			again := affected(files, inputs, changed)
			fmt.Fprintf(io.Err, "host: %s changed, running %d test file(s) again\n", cmdutil.DescribeChanges(changed), len(again))
			s, err := run(again)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			for k, v := range inputsOf(again, s) {
				inputs[k] = v
			}
			setWatch()
		}
	}
}

// inputsOf maps each test file to the absolute paths it was built from
// (itself included).
func inputsOf(files []string, sum *hosttest.Summary) map[string][]string {
	out := map[string][]string{}
	for i, fr := range sum.Files {
		if i < len(files) {
			out[files[i]] = fr.Inputs
		}
	}
	return out
}

// affected are the test files one of whose inputs changed; all when none.
func affected(files []string, inputs map[string][]string, changed []string) []string {
	var out []string
	for _, f := range files {
		for _, c := range changed {
			if slices.Contains(inputs[f], c) {
				out = append(out, f)
				break
			}
		}
	}
	if len(out) == 0 {
		return files
	}
	return out
}

// reporter prints the outcomes as they come.
type reporter struct {
	io *cmdutil.IO
	mu sync.Mutex
}

// clean is text from the tests fit for a terminal: secrets the host knows
// masked, terminal controls written out.
func (r *reporter) clean(s string) string { return jsrt.CleanControls(r.io.Masker.Mask(s)) }

// result prints one test's line, and for a failure where and why.
func (r *reporter) result(t hosttest.Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.io.Out
	name := r.clean(t.File + " > " + t.Name())
	switch t.State {
	case hosttest.Passed:
		fmt.Fprintf(w, "PASS %s (%s)\n", name, ms(t.Duration))
	case hosttest.Skipped:
		fmt.Fprintf(w, "SKIP %s\n", name)
	case hosttest.Todo:
		fmt.Fprintf(w, "TODO %s\n", name)
	case hosttest.Failed:
		fmt.Fprintf(w, "FAIL %s (%s)\n", name, ms(t.Duration))
		if fl := t.Failure; fl != nil {
			writeFailure(w, r.clean, fl)
		}
	}
}

func writeFailure(w io.Writer, clean func(string) string, fl *hosttest.Failure) {
	head := fl.Message
	if fl.Name != "" && fl.Name != "Error" {
		head = fl.Name + ": " + head
	}
	if fl.Pos != "" {
		head = fl.Pos + ": " + head
	}
	fmt.Fprintln(w, cmdutil.Indent(clean(head)))
	if fl.Diff != "" {
		diff := strings.Split(cmdutil.Indent(cmdutil.Indent(clean(fl.Diff))), "\n")
		for i, l := range diff {
			if strings.TrimSpace(l) == "" {
				diff[i] = ""
			}
		}
		fmt.Fprintln(w, strings.Join(diff, "\n"))
	}
}

// log prints what the tests print, on stderr.
func (r *reporter) log(e console.Entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	prefix := "[" + e.Plugin + "] "
	if e.Level >= console.Warn {
		prefix += e.Level.String() + ": "
	}
	for _, line := range strings.Split(r.clean(e.Message), "\n") {
		fmt.Fprintf(r.io.Err, "%s%s\n", prefix, line)
	}
}

// summary prints the files that did not run, the errors outside tests and
// the last line. A file that did not load, and an error outside any test,
// count as failed.
func (r *reporter) summary(sum *hosttest.Summary) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.io.Out
	for _, f := range sum.Files {
		if f.Err != nil {
			fmt.Fprintf(w, "FAIL %s: the file did not load\n", r.clean(f.File))
			fmt.Fprintln(w, cmdutil.Indent(jsrt.CleanControls(r.io.Masker.Mask(f.Err.Error()))))
		}
		for _, e := range f.Errors {
			fmt.Fprintf(w, "ERROR %s: outside any test\n", r.clean(f.File))
			fmt.Fprintln(w, cmdutil.Indent(jsrt.CleanControls(r.io.Masker.Mask(e.Error()))))
		}
	}
	line := fmt.Sprintf("%d passed, %d failed", sum.Passed, sum.Failed+sum.Errors)
	if sum.Skipped > 0 {
		line += fmt.Sprintf(", %d skipped", sum.Skipped)
	}
	fmt.Fprintln(w, line)
}

// ms shows a test's duration in milliseconds.
func ms(d time.Duration) string {
	if d < time.Millisecond {
		return "<1 ms"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}
