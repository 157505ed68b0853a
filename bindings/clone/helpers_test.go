package clone_test

import (
	"os"
	"testing"

	"host/bindings/clone"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/jsapi"
	"host/bindings/streams"
	"host/bindings/url"
	"host/internal/hosttest"
)

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

// installs are the packages a runtime of these tests has (jstest.RunCases).
var installs = []jsapi.Func{clone.Install, url.Install, encoding.Install, crypto.Install, streams.Install}
