package web_test

import (
	"context"
	"testing"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/web"
	"host/bindings/web/webtest"
)

// benchJS is webtest.Bench on a runtime with every web API package.
func benchJS(b *testing.B, setup string) { webtest.Bench(b, newRuntime(b), setup) }

// BenchmarkHMACSign1KB is crypto.subtle.sign('HMAC', key, 1 KiB) awaited in
// a loop, as a plugin signing requests does.
func BenchmarkHMACSign1KB(b *testing.B) {
	benchJS(b, `
		const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("fake-secret-123"),
			{ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
		const data = new Uint8Array(1024).fill(97);
		globalThis.bench = async (n) => {
			for (let i = 0; i < n; i++) await crypto.subtle.sign("HMAC", key, data);
		};`)
}

// BenchmarkHMACSignString1KB includes encoding a 1 KiB string first, the
// usual shape of request signing code.
func BenchmarkHMACSignString1KB(b *testing.B) {
	benchJS(b, `
		const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("fake-secret-123"),
			{ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
		const msg = "GET\n/api/v1/items\n" + "x".repeat(1000);
		const enc = new TextEncoder();
		globalThis.bench = async (n) => {
			for (let i = 0; i < n; i++) await crypto.subtle.sign("HMAC", key, enc.encode(msg));
		};`)
}

func BenchmarkRandomUUID(b *testing.B) {
	benchJS(b, `
		globalThis.bench = async (n) => {
			for (let i = 0; i < n; i++) crypto.randomUUID();
		};`)
}

func BenchmarkURLParse(b *testing.B) {
	benchJS(b, `
		globalThis.bench = async (n) => {
			for (let i = 0; i < n; i++) new URL("/v1/items?limit=10&cursor=abc", "https://api.example.com").href;
		};`)
}

func BenchmarkSearchParamsToString(b *testing.B) {
	benchJS(b, `
		const p = new URLSearchParams({ grant_type: "refresh_token", refresh_token: "fake-token-123", scope: "read write" });
		globalThis.bench = async (n) => {
			for (let i = 0; i < n; i++) p.toString();
		};`)
}

// BenchmarkInstall is the cost the web globals add to starting a plugin
// runtime.
func BenchmarkInstall(b *testing.B) {
	rt := newRuntime(b)
	b.ReportAllocs()
	b.ResetTimer()
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		for i := 0; i < b.N; i++ {
			if err := web.Install(jsapi.NewEnv(rt, goja.New())); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
