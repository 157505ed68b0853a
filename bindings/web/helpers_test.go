package web_test

import (
	"strings"
	"testing"

	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/url"
	"host/bindings/web/webtest"
	"host/jsrt"
)

// newRuntime starts a runtime with every web API package installed (the
// tests here use TextEncoder and URL beside crypto, clone and streams).
func newRuntime(t testing.TB) *jsrt.Runtime {
	return webtest.NewRuntime(t, url.Install, encoding.Install, crypto.Install)
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
	webtest.RunCases(t, cs, url.Install, encoding.Install, crypto.Install)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
