package fetch

import (
	"testing"

	"host/jsrt"
)

// TestJSONBody: res.json() is JSON.parse of the body's text (BOM dropped,
// invalid UTF-8 replaced), a SyntaxError for what is not JSON.
func TestJSONBody(t *testing.T) {
	rt := newRuntime(t, jsrt.Options{}, Options{})
	runCases(t, rt, "", []jsCase{
		{"values and key order", `return await new Response('{"b":1,"a":[true,null,"\\u00e9"],"1":2}').json()`, `{"1":2,"b":1,"a":[true,null,"é"]}`},
		{"BOM", `return await new Response("\uFEFF{\"bom\":true}").json()`, `{"bom":true}`},
		{"__proto__ is an own property", `const v = await new Response('{"__proto__":{"x":1}}').json();
			return [Object.getPrototypeOf(v) === Object.prototype, Object.keys(v)]`, `[true,["__proto__"]]`},
		{"not JSON", `try { await new Response('{"a":1,}').json(); } catch (e) { return e instanceof SyntaxError; }`, `true`},
		{"empty body", `try { await new Response('').json(); } catch (e) { return e instanceof SyntaxError; }`, `true`},
		{"no body", `try { await new Response().json(); } catch (e) { return e instanceof SyntaxError; }`, `true`},
		{"deep", `const v = await new Response('['.repeat(20000) + ']'.repeat(20000)).json(); return Array.isArray(v)`, `true`},
	})
}
