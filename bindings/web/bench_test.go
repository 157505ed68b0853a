package web_test

import (
	"context"
	"testing"

	"github.com/dop251/goja"

	"host/bindings/clone"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/jsapi"
	"host/bindings/streams"
	"host/bindings/url"
	"host/bindings/web"
)

// BenchmarkInstall is the cost the web globals add to starting a plugin
// runtime: web.Install and every web API package's Install.
func BenchmarkInstall(b *testing.B) {
	rt := newRuntime(b)
	b.ReportAllocs()
	b.ResetTimer()
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		for i := 0; i < b.N; i++ {
			env := jsapi.NewEnv(rt, goja.New())
			for _, install := range []jsapi.Func{web.Install, url.Install, encoding.Install, crypto.Install, clone.Install, streams.Install} {
				if err := install(env); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
