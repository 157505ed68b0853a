package clone_test

import (
	"testing"

	"host/bindings/internal/jstest"
)

func TestStructuredClone(t *testing.T) {
	jstest.RunCases(t, []jstest.Case{
		{Name: "deep copy of common types",
			Src: `const o = { d: new Date(5), m: new Map([["k", new Set([1, 2])]]), r: /x/gi, a: [1, , 3], n: null, u: undefined,
					big: 10n, s: new String("s"), nested: { deep: [1, { x: 2 }] } };
				const c = structuredClone(o);
				return [c.d instanceof Date && c.d !== o.d, c.d.getTime(), [...c.m.get("k")], c.m.get("k") !== o.m.get("k"), c.r.source + "/" + c.r.flags,
					c.a.length, 1 in c.a, c.n, "u" in c, typeof c.big, String(c.s), c.nested.deep[1].x, c.nested !== o.nested]`,
			Want: `[true,5,[1,2],true,"x/gi",3,false,null,true,"bigint","s",2,true]`},
		{Name: "cycles and shared references",
			Src: `const a = { name: "a" }; const b = { a }; a.b = b; a.self = a; const m = new Map(); m.set("m", m);
				const c = structuredClone([a, b, a, m]);
				return [c[0] === c[2], c[0].b === c[1], c[1].a === c[0], c[0].self === c[0], c[0] !== a, c[3].get("m") === c[3]]`,
			Want: `[true,true,true,true,true,true]`},
		{Name: "typed arrays share their cloned buffer",
			Src: `const buf = new ArrayBuffer(8); const u = new Uint8Array(buf, 2, 4); u[0] = 7; const v = new DataView(buf); const f = new Float64Array(1); f[0] = 1.5;
				const c = structuredClone({ u, v, buf, f });
				return [c.u.byteOffset, c.u.length, c.u[0], c.u.buffer === c.buf, c.v.buffer === c.buf, c.buf !== buf, c.f[0]]`,
			Want: `[2,4,7,true,true,true,1.5]`},
		{Name: "errors",
			Src: `const e = new RangeError("bad", { cause: "why" }); const c = structuredClone(e); const d = structuredClone(new DOMException("m", "AbortError"));
				return [c instanceof RangeError, c.message, c.cause, d instanceof DOMException, d.name, d.code]`,
			Want: `[true,"bad","why",true,"AbortError",20]`},
		{Name: "class instances become plain objects",
			Src:  `class P { constructor() { this.x = 1 } get y() { return 2 } }; const c = structuredClone(new P()); return [c.x, c.y, Object.getPrototypeOf(c) === Object.prototype]`,
			Want: `[1,null,true]`},
		{Name: "functions throw DataCloneError",
			Src:  `try { structuredClone({ f() {} }) } catch (e) { return [e.name, e.code, e instanceof DOMException] }`,
			Want: `["DataCloneError",25,true]`},
		{Name: "symbols, weak collections, promises, platform objects",
			Src:  `const r = []; for (const v of [Symbol("s"), new WeakMap(), Promise.resolve(), new URL("https://x"), new TextEncoder()]) { try { structuredClone(v); r.push("cloned") } catch (e) { r.push(e.name) } } return r`,
			Want: `["DataCloneError","DataCloneError","DataCloneError","DataCloneError","DataCloneError"]`},
		{Name: "transfer detaches the original",
			Src:  `const buf = new Uint8Array([1, 2, 3]).buffer; const c = structuredClone({ buf }, { transfer: [buf] }); return [buf.byteLength, c.buf.byteLength, new Uint8Array(c.buf)[2]]`,
			Want: `[0,3,3]`},
		{Name: "primitives",
			Src:  `return [structuredClone(1), structuredClone("s"), structuredClone(null), structuredClone(undefined) === undefined, Number.isNaN(structuredClone(NaN))]`,
			Want: `[1,"s",null,true,true]`},
	}, installs...)
}
