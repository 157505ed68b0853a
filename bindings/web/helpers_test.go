package web_test

import (
	"strings"
	"testing"

	"host/bindings/clone"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/internal/jstest"
	"host/bindings/streams"
	"host/bindings/url"
	"host/jsrt"
)

// newRuntime starts a runtime with every web API package installed (the
// tests here use TextEncoder and URL beside crypto, clone and streams).
func newRuntime(t testing.TB) *jsrt.Runtime {
	return jstest.NewRuntime(t, url.Install, encoding.Install, crypto.Install, clone.Install, streams.Install)
}

func run(t testing.TB, rt *jsrt.Runtime, src string) (string, error) {
	t.Helper()
	return jstest.Run(t, rt, src)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
