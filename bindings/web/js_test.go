package web_test

import (
	"testing"

	"host/bindings/clone"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/streams"
	"host/bindings/url"
	"host/bindings/web"
)

// TestDeclarations checks that the .d.ts files of the web API packages
// declare every global their Install defines, so `host types --no-dom`
// covers them.
func TestDeclarations(t *testing.T) {
	rt := newRuntime(t)
	got, err := run(t, rt, `
		const names = ["URL", "URLSearchParams", "TextEncoder", "TextDecoder", "atob", "btoa", "structuredClone",
			"DOMException", "crypto", "Crypto", "SubtleCrypto", "CryptoKey"];
		return names.filter((n) => typeof globalThis[n] === "undefined")`)
	if err != nil || got != "[]" {
		t.Fatalf("globals missing: %s %v", got, err)
	}
	all := web.DTS + url.DTS + encoding.DTS + clone.DTS + crypto.DTS + streams.DTS
	for _, decl := range []string{
		"declare var URL:", "declare var URLSearchParams:", "declare var TextEncoder:", "declare var TextDecoder:",
		"declare function atob(", "declare function btoa(", "declare function structuredClone<",
		"declare var DOMException:", "declare var crypto: Crypto;", "declare var Crypto:", "declare var SubtleCrypto:",
		"declare var CryptoKey:", "type BufferSource =",
	} {
		if !contains(all, decl) {
			t.Errorf("the web .d.ts files lack %q", decl)
		}
	}
}

// TestRuntimesIndependent runs several runtimes at once: the compiled
// programs are shared, the keys and URL records are not.
func TestRuntimesIndependent(t *testing.T) {
	done := make(chan string, 4)
	for i := 0; i < 4; i++ {
		rt := newRuntime(t)
		go func() {
			got, err := run(t, rt, `
				const k = await crypto.subtle.importKey("raw", new TextEncoder().encode("Jefe"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
				let last = "";
				for (let i = 0; i < 200; i++) {
					const u = new URL("/p?i=" + i, "https://x");
					last = Array.from(new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode("what do ya want for nothing?"))), (b) => b.toString(16).padStart(2, "0")).join("");
					if (u.searchParams.get("i") !== String(i)) return "bad url";
				}
				return last`)
			if err != nil {
				got = err.Error()
			}
			done <- got
		}()
	}
	for i := 0; i < 4; i++ {
		if got := <-done; got != `"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"` {
			t.Errorf("runtime result %s", got)
		}
	}
}
