package crypto_test

import (
	"testing"

	"host/bindings/internal/jstest"
)

// benchJS is jstest.Bench on this package's test runtime.
func benchJS(b *testing.B, setup string) { jstest.Bench(b, newRuntime(b), setup) }

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
