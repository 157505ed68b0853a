package streams_test

import (
	"os"
	"testing"

	"host/bindings/encoding"
	"host/bindings/streams"
	"host/bindings/web/webtest"
	"host/internal/hosttest"
	"host/jsrt"
)

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

// newRuntime starts a runtime with this package's globals and the web
// globals its tests use beside them.
func newRuntime(t testing.TB) *jsrt.Runtime {
	return webtest.NewRuntime(t, streams.Install, encoding.Install)
}

// jsCase is webtest.Case in the tables of this package's tests.
type jsCase struct{ name, src, want, err string }

func runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	cs := make([]webtest.Case, len(cases))
	for i, c := range cases {
		cs[i] = webtest.Case{Name: c.name, Src: c.src, Want: c.want, Err: c.err}
	}
	webtest.RunCases(t, cs, streams.Install, encoding.Install)
}
