package url

import (
	"testing"

	"host/bindings/internal/jstest"
)

// benchJS is jstest.Bench on this package's test runtime.
func benchJS(b *testing.B, setup string) { jstest.Bench(b, newRuntime(b), setup) }

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
