package url

import (
	"os"
	"testing"

	"host/bindings/encoding"
	"host/bindings/internal/jstest"
	"host/bindings/jsapi"
	"host/internal/hosttest"
	"host/jsrt"
)

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

// newRuntime starts a runtime with DOMException and this package's globals.
func newRuntime(t testing.TB) *jsrt.Runtime { return jstest.NewRuntime(t, installs...) }

func run(t testing.TB, rt *jsrt.Runtime, src string) (string, error) {
	t.Helper()
	return jstest.Run(t, rt, src)
}

// installs are the packages a runtime of these tests has (jstest.RunCases).
var installs = []jsapi.Func{Install, encoding.Install}
