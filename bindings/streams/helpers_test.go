package streams_test

import (
	"os"
	"testing"

	"host/bindings/encoding"
	"host/bindings/internal/jstest"
	"host/bindings/jsapi"
	"host/bindings/streams"
	"host/internal/hosttest"
	"host/jsrt"
)

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

// newRuntime starts a runtime with this package's globals and the web
// globals its tests use beside them.
func newRuntime(t testing.TB) *jsrt.Runtime {
	return jstest.NewRuntime(t, installs...)
}

// installs are the packages a runtime of these tests has (jstest.RunCases).
var installs = []jsapi.Func{streams.Install, encoding.Install}
