package clone_test

import (
	"os"
	"testing"

	"host/bindings/clone"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/streams"
	"host/bindings/url"
	"host/bindings/web/webtest"
	"host/internal/hosttest"
)

// TestMain says which tests a missing prerequisite skipped (hosttest.Main).
func TestMain(m *testing.M) { os.Exit(hosttest.Main(m)) }

// jsCase is webtest.Case in the tables of this package's tests.
type jsCase struct{ name, src, want, err string }

func runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	cs := make([]webtest.Case, len(cases))
	for i, c := range cases {
		cs[i] = webtest.Case{Name: c.name, Src: c.src, Want: c.want, Err: c.err}
	}
	webtest.RunCases(t, cs, clone.Install, url.Install, encoding.Install, crypto.Install, streams.Install)
}
