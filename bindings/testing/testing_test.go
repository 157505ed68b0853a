package testing_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"host/bindings/console"
	hosttest "host/bindings/testing"
	"host/jsrt"
)

const repo = "../.."

// run runs test files (relative to the repository) with positions
// relative to the repository.
func run(t *testing.T, opts hosttest.Options, files ...string) *hosttest.Summary {
	t.Helper()
	for _, f := range files {
		opts.Files = append(opts.Files, filepath.Join(repo, f))
	}
	if opts.WorkDir == "" {
		opts.WorkDir = repo
	}
	sum, err := hosttest.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// byName maps each test's full name to its result.
func byName(sum *hosttest.Summary) map[string]hosttest.Result {
	out := map[string]hosttest.Result{}
	for _, f := range sum.Files {
		for _, r := range f.Tests {
			out[r.Name()] = r
		}
	}
	return out
}

// httpbin stands in for https://httpbin.org, which the SDK's test plugin's
// test_http test requests: a TLS server on loopback and a client that
// dials it for httpbin.org:443, trusting its certificate.
func httpbin(t *testing.T) *http.Client {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"url": "https://httpbin.org` + r.URL.Path + `"}`))
	}))
	t.Cleanup(srv.Close)
	c := srv.Client()
	tr := c.Transport.(*http.Transport)
	tr.TLSClientConfig.ServerName = "example.com" // what httptest's certificate names
	tr.TLSClientConfig.InsecureSkipVerify = false
	tr.DialTLSContext = nil
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr != "httpbin.org:443" {
			t.Errorf("dialled %s", addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	return c
}

// The SDK's own sample tests (testdata/sdk-samples, unchanged) pass: the
// yardstick of `host test`.
func TestSDKSampleTests(t *testing.T) {
	// The test plugin's loop tests wait for 1 s ticks: a loaded machine's
	// margin beyond vitest's 5 s default, as a vitest config would give.
	sum := run(t, hosttest.Options{HTTP: httpbin(t), TestTimeout: time.Minute},
		"testdata/sdk-samples/github-issues/test/plugin.test.ts",
		"testdata/sdk-samples/test-plugin/test/plugin.test.ts")
	for _, f := range sum.Files {
		if f.Err != nil || len(f.Errors) > 0 {
			t.Errorf("%s: %v %v", f.File, f.Err, f.Errors)
		}
		for _, r := range f.Tests {
			if r.State != hosttest.Passed {
				t.Errorf("%s > %s: %s %+v", f.File, r.Name(), r.State, r.Failure)
			}
		}
	}
	if sum.Passed != 13+43 || sum.Failed != 0 || !sum.OK() {
		t.Errorf("passed %d, failed %d, skipped %d, errors %d; want 56 passed", sum.Passed, sum.Failed, sum.Skipped, sum.Errors)
	}
}

// Every common matcher and spy passes where it should.
func TestMatchers(t *testing.T) {
	sum := run(t, hosttest.Options{}, "testdata/hosttest/matchers/matchers.test.ts")
	for _, f := range sum.Files {
		if f.Err != nil {
			t.Fatal(f.Err)
		}
		for _, r := range f.Tests {
			if r.State != hosttest.Passed {
				t.Errorf("%s: %s %+v", r.Name(), r.State, r.Failure)
			}
		}
	}
	if sum.Passed != 11 {
		t.Errorf("passed %d, want 11", sum.Passed)
	}
}

// Passing, failing, skipped and todo tests, hooks in order, vi.fn, and
// each failure at its position in the TypeScript source: the failing
// expect in the test, the throw in the plugin's code.
func TestOutcomesAndPositions(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	sum := run(t, hosttest.Options{OnResult: func(r hosttest.Result) {
		mu.Lock()
		seen = append(seen, string(r.State)+" "+r.Name())
		mu.Unlock()
	}}, "testdata/hosttest/mixed/test/mixed.test.ts")
	if sum.Passed != 3 || sum.Failed != 2 || sum.Skipped != 2 || sum.OK() {
		t.Errorf("passed %d failed %d skipped %d ok %v", sum.Passed, sum.Failed, sum.Skipped, sum.OK())
	}
	got := byName(sum)
	const file = "testdata/hosttest/mixed/test/mixed.test.ts"
	tests := []struct {
		name  string
		state hosttest.State
		pos   string
		msg   string
	}{
		{"double > doubles through the tool", hosttest.Passed, "", ""},
		{"double > is wrong on purpose", hosttest.Failed, file + ":23:", "expected 4 to be 5"},
		{"double > throws from the plugin", hosttest.Failed, "testdata/hosttest/mixed/src/index.ts:5:11", "negative input: -1"},
		{"double > is skipped", hosttest.Skipped, "", ""},
		{"double > is still to write", hosttest.Todo, "", ""},
		{"double > calls a spy", hosttest.Passed, "", ""},
		{"hooks > ran in order", hosttest.Passed, "", ""},
	}
	for _, tt := range tests {
		r, ok := got[tt.name]
		if !ok {
			t.Errorf("%s: not reported", tt.name)
			continue
		}
		if r.State != tt.state {
			t.Errorf("%s: %s, want %s (%+v)", tt.name, r.State, tt.state, r.Failure)
		}
		if r.File != file {
			t.Errorf("%s: file %q", tt.name, r.File)
		}
		if tt.state == hosttest.Failed {
			if r.Failure == nil || !strings.HasPrefix(r.Failure.Pos, tt.pos) || !strings.Contains(r.Failure.Message, tt.msg) {
				t.Errorf("%s: failure %+v, want at %s saying %q", tt.name, r.Failure, tt.pos, tt.msg)
			}
		}
	}
	if f := got["double > is wrong on purpose"].Failure; f == nil || !strings.Contains(f.Diff, "- 5") || !strings.Contains(f.Diff, "+ 4") || f.Name != "AssertionError" {
		t.Errorf("the failing expect's diff: %+v", f)
	}
	if len(seen) != len(tests) {
		t.Errorf("OnResult saw %q", seen)
	}
}

// writeTest puts a test file in a new plugin directory and returns its path.
func writeTest(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name": "p"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "a.test.ts")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runOne(t *testing.T, opts hosttest.Options, src string) *hosttest.Summary {
	t.Helper()
	p := writeTest(t, src)
	opts.Files, opts.WorkDir = []string{p}, filepath.Dir(p)
	sum, err := hosttest.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// .only runs only the marked tests and suites of a file; the rest are skipped.
func TestOnly(t *testing.T) {
	sum := runOne(t, hosttest.Options{}, `import { describe, it, test, expect } from 'vitest';
it('not this', () => { throw new Error('ran'); });
it.only('this', () => { expect(1).toBe(1); });
describe.only('this suite', () => { test('all of it', () => {}); test('both', () => {}); });
describe('not this suite', () => { test('no', () => { throw new Error('ran'); }); });
`)
	if sum.Passed != 3 || sum.Skipped != 2 || sum.Failed != 0 {
		t.Errorf("passed %d skipped %d failed %d: %+v", sum.Passed, sum.Skipped, sum.Failed, byName(sum))
	}
}

// A test over its timeout fails saying so; a hook that fails fails the
// tests of its suite; the console output reaches OnLog.
func TestTimeoutsHooksAndLogs(t *testing.T) {
	var mu sync.Mutex
	var logs []string
	sum := runOne(t, hosttest.Options{TestTimeout: 200 * time.Millisecond, OnLog: func(e console.Entry) {
		mu.Lock()
		logs = append(logs, e.Plugin+": "+e.Message)
		mu.Unlock()
	}}, `import { describe, it, beforeAll, expect } from 'vitest';
it('hangs', () => new Promise(() => {}));
it('has its own timeout', () => new Promise((r) => setTimeout(r, 300)), 60000);
describe('broken setup', () => {
  beforeAll(() => { throw new Error('setup failed'); });
  it('never runs', () => { console.log('ran'); });
});
it('logs', () => { console.log('hello from a test', { n: 1 }); expect(true).toBe(true); });
`)
	got := byName(sum)
	if r := got["hangs"]; r.State != hosttest.Failed || r.Failure == nil || !strings.Contains(r.Failure.Message, "Test timed out in 200ms") {
		t.Errorf("hangs: %+v %+v", r, r.Failure)
	}
	if r := got["has its own timeout"]; r.State != hosttest.Passed {
		t.Errorf("own timeout: %+v %+v", r, r.Failure)
	}
	if r := got["broken setup > never runs"]; r.State != hosttest.Failed || r.Failure == nil || r.Failure.Message != "setup failed" || !strings.HasPrefix(r.Failure.Pos, "a.test.ts:5:") {
		t.Errorf("beforeAll failure: %+v %+v", r, r.Failure)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(logs) != 1 || !strings.Contains(logs[0], "a.test.ts: hello from a test") {
		t.Errorf("logs = %q", logs)
	}
}

// A file that does not build is an error of its own, with its position; an
// unhandled rejection outside any test is an error of the run.
func TestFileErrors(t *testing.T) {
	sum := runOne(t, hosttest.Options{}, "import { it } from 'vitest';\nit('x', () => {\n  const = 1;\n});\n")
	if sum.OK() || len(sum.Files) != 1 {
		t.Fatalf("a syntax error: %+v", sum)
	}
	if f := sum.Files[0]; f.Err == nil || !strings.Contains(f.Err.Error(), "a.test.ts:3:") {
		t.Errorf("build error: %v", f.Err)
	} else if _, ok := f.Err.(*jsrt.BuildError); !ok {
		t.Errorf("build error of type %T", f.Err)
	}

	sum = runOne(t, hosttest.Options{}, "import { it } from 'vitest';\nit('x', () => { Promise.reject(new Error('lost')); });\nit('y', () => new Promise((r) => setTimeout(r, 20)));\n")
	if sum.OK() || sum.Passed != 2 || sum.Errors != 1 || !strings.Contains(sum.Files[0].Errors[0].Error(), "lost") {
		t.Errorf("unhandled rejection: %+v", sum.Files[0])
	}

	sum = runOne(t, hosttest.Options{}, "import { it, vi } from 'vitest';\nvi.mock('./x');\nit('x', () => {});\n")
	if f := sum.Files[0]; f.Err == nil || !strings.Contains(f.Err.Error(), "vi.mock is not supported by host test") {
		t.Errorf("vi.mock: %v", f.Err)
	}
}

// FindTests finds the plugin's test files and nothing under node_modules.
func TestFindTests(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"test/a.test.ts", "src/b.spec.ts", "src/c.ts", "node_modules/x/d.test.ts", ".hidden/e.test.ts"} {
		p := filepath.Join(dir, f)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		_ = os.WriteFile(p, nil, 0o644)
	}
	got, err := hosttest.FindTests(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "src/b.spec.ts"), filepath.Join(dir, "test/a.test.ts")}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("FindTests = %q", got)
	}
	if _, err := hosttest.FindTests(filepath.Join(dir, "src/..", "node_modules")); err != nil && !strings.Contains(err.Error(), "no test files") {
		t.Errorf("%v", err)
	}
}
