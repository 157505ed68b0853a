package fetch

import (
	"testing"

	"host/bindings/internal/jstest"
	"host/jsrt"
)

// TestJSONBody: res.json() is JSON.parse of the body's text (BOM dropped,
// invalid UTF-8 replaced), a SyntaxError for what is not JSON.
func TestJSONBody(t *testing.T) {
	rt := newRuntime(t, jsrt.Options{}, Options{})
	jstest.RunOn(t, rt, nil, []jstest.Case{
		{Name: "values and key order", Src: `return await new Response('{"b":1,"a":[true,null,"\\u00e9"],"1":2}').json()`, Want: `{"1":2,"b":1,"a":[true,null,"é"]}`},
		{Name: "BOM", Src: `return await new Response("\uFEFF{\"bom\":true}").json()`, Want: `{"bom":true}`},
		{Name: "__proto__ is an own property", Src: `const v = await new Response('{"__proto__":{"x":1}}').json();
			return [Object.getPrototypeOf(v) === Object.prototype, Object.keys(v)]`, Want: `[true,["__proto__"]]`},
		{Name: "not JSON", Src: `try { await new Response('{"a":1,}').json(); } catch (e) { return e instanceof SyntaxError; }`, Want: `true`},
		{Name: "empty body", Src: `try { await new Response('').json(); } catch (e) { return e instanceof SyntaxError; }`, Want: `true`},
		{Name: "no body", Src: `try { await new Response().json(); } catch (e) { return e instanceof SyntaxError; }`, Want: `true`},
		{Name: "deep", Src: `const v = await new Response('['.repeat(20000) + ']'.repeat(20000)).json(); return Array.isArray(v)`, Want: `true`},
	})
}
