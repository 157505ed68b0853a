package crypto_test

import (
	"os"
	"testing"

	"host/bindings/clone"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/url"
	"host/bindings/web/webtest"
	"host/internal/hosttest"
	"host/jsrt"
)

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

// newRuntime starts a runtime with crypto and the web globals its tests
// use beside it (TextEncoder, URL, structuredClone).
func newRuntime(t testing.TB) *jsrt.Runtime {
	return webtest.NewRuntime(t, crypto.Install, url.Install, encoding.Install, clone.Install)
}

func run(t testing.TB, rt *jsrt.Runtime, src string) (string, error) {
	t.Helper()
	return webtest.Run(t, rt, src)
}

// jsCase is webtest.Case in the tables of this package's tests.
type jsCase struct{ name, src, want, err string }

func runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	cs := make([]webtest.Case, len(cases))
	for i, c := range cases {
		cs[i] = webtest.Case{Name: c.name, Src: c.src, Want: c.want, Err: c.err}
	}
	webtest.RunCases(t, cs, crypto.Install, url.Install, encoding.Install, clone.Install)
}

// testPrelude is webtest.Prelude.
const testPrelude = webtest.Prelude
