package encoding

import (
	"os"
	"testing"

	"host/bindings/jsapi"
	"host/internal/hosttest"
)

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

// installs are the packages a runtime of these tests has (jstest.RunCases).
var installs = []jsapi.Func{Install}
