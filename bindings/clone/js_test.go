package clone_test

import "testing"

func TestStructuredClone(t *testing.T) {
	runCases(t, []jsCase{
		{name: "deep copy of common types",
			src: `const o = { d: new Date(5), m: new Map([["k", new Set([1, 2])]]), r: /x/gi, a: [1, , 3], n: null, u: undefined,
					big: 10n, s: new String("s"), nested: { deep: [1, { x: 2 }] } };
				const c = structuredClone(o);
				return [c.d instanceof Date && c.d !== o.d, c.d.getTime(), [...c.m.get("k")], c.m.get("k") !== o.m.get("k"), c.r.source + "/" + c.r.flags,
					c.a.length, 1 in c.a, c.n, "u" in c, typeof c.big, String(c.s), c.nested.deep[1].x, c.nested !== o.nested]`,
			want: `[true,5,[1,2],true,"x/gi",3,false,null,true,"bigint","s",2,true]`},
		{name: "cycles and shared references",
			src: `const a = { name: "a" }; const b = { a }; a.b = b; a.self = a; const m = new Map(); m.set("m", m);
				const c = structuredClone([a, b, a, m]);
				return [c[0] === c[2], c[0].b === c[1], c[1].a === c[0], c[0].self === c[0], c[0] !== a, c[3].get("m") === c[3]]`,
			want: `[true,true,true,true,true,true]`},
		{name: "typed arrays share their cloned buffer",
			src: `const buf = new ArrayBuffer(8); const u = new Uint8Array(buf, 2, 4); u[0] = 7; const v = new DataView(buf); const f = new Float64Array(1); f[0] = 1.5;
				const c = structuredClone({ u, v, buf, f });
				return [c.u.byteOffset, c.u.length, c.u[0], c.u.buffer === c.buf, c.v.buffer === c.buf, c.buf !== buf, c.f[0]]`,
			want: `[2,4,7,true,true,true,1.5]`},
		{name: "errors",
			src: `const e = new RangeError("bad", { cause: "why" }); const c = structuredClone(e); const d = structuredClone(new DOMException("m", "AbortError"));
				return [c instanceof RangeError, c.message, c.cause, d instanceof DOMException, d.name, d.code]`,
			want: `[true,"bad","why",true,"AbortError",20]`},
		{name: "class instances become plain objects",
			src:  `class P { constructor() { this.x = 1 } get y() { return 2 } }; const c = structuredClone(new P()); return [c.x, c.y, Object.getPrototypeOf(c) === Object.prototype]`,
			want: `[1,null,true]`},
		{name: "functions throw DataCloneError",
			src:  `try { structuredClone({ f() {} }) } catch (e) { return [e.name, e.code, e instanceof DOMException] }`,
			want: `["DataCloneError",25,true]`},
		{name: "symbols, weak collections, promises, platform objects",
			src:  `const r = []; for (const v of [Symbol("s"), new WeakMap(), Promise.resolve(), new URL("https://x"), new TextEncoder()]) { try { structuredClone(v); r.push("cloned") } catch (e) { r.push(e.name) } } return r`,
			want: `["DataCloneError","DataCloneError","DataCloneError","DataCloneError","DataCloneError"]`},
		{name: "transfer detaches the original",
			src:  `const buf = new Uint8Array([1, 2, 3]).buffer; const c = structuredClone({ buf }, { transfer: [buf] }); return [buf.byteLength, c.buf.byteLength, new Uint8Array(c.buf)[2]]`,
			want: `[0,3,3]`},
		{name: "primitives",
			src:  `return [structuredClone(1), structuredClone("s"), structuredClone(null), structuredClone(undefined) === undefined, Number.isNaN(structuredClone(NaN))]`,
			want: `[1,"s",null,true,true]`},
	})
}
