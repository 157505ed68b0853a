package web_test

import (
	"strings"
	"testing"

	"host/bindings/clone"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/streams"
	"host/bindings/url"
	"host/bindings/web/webtest"
	"host/jsrt"
)

// newRuntime starts a runtime with every web API package installed (the
// tests here use TextEncoder and URL beside crypto, clone and streams).
func newRuntime(t testing.TB) *jsrt.Runtime {
	return webtest.NewRuntime(t, url.Install, encoding.Install, crypto.Install, clone.Install, streams.Install)
}

func run(t testing.TB, rt *jsrt.Runtime, src string) (string, error) {
	t.Helper()
	return webtest.Run(t, rt, src)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
