package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dop251/goja"

	"host/jsrt"
)

// TestErrorsPointAtPluginLine checks that errors thrown or rejected by the
// web globals carry the position of the plugin's TypeScript line that
// called them, not of the host's embedded JS.
func TestErrorsPointAtPluginLine(t *testing.T) {
	cases := []struct {
		name string
		call string // one line of TypeScript, placed on line 4 of plugin.ts
		want string // error text
	}{
		{"URL", `  const u: URL = new URL("not a url");`, "TypeError: Invalid URL"},
		{"URL base", `  const u = new URL("/p", "still not a url");`, "TypeError: Invalid URL"},
		{"href setter", `  const u = new URL("https://x/"); u.href = "::";`, "TypeError: Invalid URL"},
		{"URLSearchParams", `  const p = new URLSearchParams([["a"]] as any);`, "TypeError"},
		{"atob", `  const s: string = atob("***");`, "InvalidCharacterError"},
		{"btoa", `  const s: string = btoa("😀");`, "InvalidCharacterError"},
		{"TextDecoder label", `  const d = new TextDecoder("klingon");`, "RangeError"},
		{"TextDecoder fatal", `  new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([255]));`, "TypeError"},
		{"structuredClone", `  structuredClone({ f: () => 1 });`, "DataCloneError"},
		{"getRandomValues", `  crypto.getRandomValues(new Uint8Array(70000));`, "QuotaExceededError"},
		{"digest", `  await crypto.subtle.digest("MD5", new Uint8Array(1));`, "NotSupportedError"},
		{"sign", `  await crypto.subtle.sign("HMAC", {} as CryptoKey, new Uint8Array(1));`, "TypeError"},
		{"encrypt", `  await crypto.subtle.encrypt("AES-CBC", {} as CryptoKey, new Uint8Array(1));`, "NotSupportedError"},
		{"importKey", `  await crypto.subtle.importKey("raw", new Uint8Array(0), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);`, "DataError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			src := "// a plugin\n\nexport async function main(): Promise<void> {\n" + c.call + "\n}\n"
			if err := os.WriteFile(filepath.Join(dir, "plugin.ts"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := jsrt.Build(jsrt.BuildOptions{Entry: filepath.Join(dir, "plugin.ts"), WorkDir: dir, GlobalName: "__m"})
			if err != nil {
				t.Fatal(err)
			}
			rt := newRuntime(t)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := rt.RunBundle(ctx, b); err != nil {
				t.Fatal(err)
			}
			_, err = rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
				fn, _ := goja.AssertFunction(vm.Get("__m").ToObject(vm).Get("main"))
				return fn(goja.Undefined())
			})
			je, ok := jsrt.AsJSError(err)
			if !ok {
				t.Fatalf("got %v, want a JS error", err)
			}
			if je.File != "plugin.ts" || je.Line != 4 {
				t.Errorf("position %q, want plugin.ts:4:*\nstack:\n%s", je.Position(), je.Stack)
			}
			t.Logf("%s", je.Error())
			if !contains(je.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", je.Error(), c.want)
			}
		})
	}
}
