package web

import "testing"

func TestURLClass(t *testing.T) {
	runCases(t, []jsCase{
		{name: "relative with base",
			src:  `return new URL("../c?x=1#h", "https://api.example.com/a/b/").href`,
			want: `"https://api.example.com/a/c?x=1#h"`},
		{name: "getters",
			src: `const u = new URL("https://me:pw@Example.com:8443/p/q?a=1#f");
				return [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash]`,
			want: `["https://me:pw@example.com:8443/p/q?a=1#f","https://example.com:8443","https:","me","pw","example.com:8443","example.com","8443","/p/q","?a=1","#f"]`},
		{name: "default port dropped",
			src:  `return [new URL("https://x:443/").href, new URL("http://x:80").port, new URL("http://x:8080").port]`,
			want: `["https://x/","","8080"]`},
		{name: "spaces percent-encoded in path and query",
			src:  `return new URL("https://x/a b/c?q=d e&f").href`,
			want: `"https://x/a%20b/c?q=d%20e&f"`},
		{name: "IPv6 host",
			src:  `const u = new URL("http://[2001:DB8:0:0::1]:8080/"); return [u.host, u.hostname, u.port]`,
			want: `["[2001:db8::1]:8080","[2001:db8::1]","8080"]`},
		{name: "non-BMP characters in path",
			src:  `return new URL("https://x/😀𝄞").pathname`,
			want: `"/%F0%9F%98%80%F0%9D%84%9E"`},
		{name: "setters",
			src: `const u = new URL("https://example.com/a");
				u.protocol = "http"; u.hostname = "other.test"; u.port = "8080"; u.pathname = "/b c";
				u.search = "x=1"; u.hash = "top"; u.username = "me"; u.password = "p@ss";
				return u.href`,
			want: `"http://me:p%40ss@other.test:8080/b%20c?x=1#top"`},
		{name: "host setter with port, invalid values ignored",
			src: `const u = new URL("https://example.com/");
				u.host = "h.test:9000"; const a = u.href; u.port = "99999"; u.host = "bad host"; u.protocol = "not a scheme";
				return [a, u.href]`,
			want: `["https://h.test:9000/","https://h.test:9000/"]`},
		{name: "searchParams mutation reflected in href",
			src: `const u = new URL("https://x/p?a=1#frag");
				u.searchParams.append("b", "two words");
				u.searchParams.set("a", "é&=");
				const a = u.href;
				u.searchParams.delete("a"); u.searchParams.delete("b");
				return [a, u.href, u.search]`,
			want: `["https://x/p?a=%C3%A9%26%3D&b=two+words#frag","https://x/p#frag",""]`},
		{name: "search setter reflected in searchParams",
			src: `const u = new URL("https://x/?a=1"); const p = u.searchParams;
				u.search = "?b=2&b=3"; const a = p.getAll("b");
				u.href = "https://y/?c=4"; const same = u.searchParams === p;
				return [a, p.get("c"), same, p.size]`,
			want: `[["2","3"],"4",true,1]`},
		{name: "toString and toJSON",
			src:  `const u = new URL("https://x/y"); return [String(u), JSON.stringify({u}), u.toJSON(), Object.prototype.toString.call(u)]`,
			want: `["https://x/y","{\"u\":\"https://x/y\"}","https://x/y","[object URL]"]`},
		{name: "canParse and parse",
			src:  `return [URL.canParse("https://x"), URL.canParse("nope"), URL.canParse("/p", "https://x"), URL.parse("nope"), URL.parse("/p", "https://x").href]`,
			want: `[true,false,true,null,"https://x/p"]`},
		{name: "invalid URL is a TypeError without the input in the message",
			src:  `try { new URL("/relative?token=fake-token-123") } catch (e) { return [e instanceof TypeError, e.message, e.code, e.input] }`,
			want: `[true,"Invalid URL","ERR_INVALID_URL","/relative?token=fake-token-123"]`},
		{name: "invalid base",
			src:  `try { new URL("/p", "not a base") } catch (e) { return [e.name, e.message] }`,
			want: `["TypeError","Invalid URL"]`},
		{name: "invalid href assignment throws and keeps the URL",
			src:  `const u = new URL("https://x/"); try { u.href = "::" } catch (e) { return [e.name, u.href] }`,
			want: `["TypeError","https://x/"]`},
		{name: "URL objects and fetch-style String()",
			src:  `const u = new URL("https://x/"); u.searchParams.set("q", "a+b"); return ` + "`${u}`",
			want: `"https://x/?q=a%2Bb"`},
		{name: "createObjectURL says it is absent",
			src: `URL.createObjectURL({})`,
			err: "NotSupportedError: URL.createObjectURL is not supported by host"},
	})
}

func TestURLSearchParams(t *testing.T) {
	runCases(t, []jsCase{
		{name: "from string",
			src:  `return [...new URLSearchParams("?a=1&b=x+y&a=%E2%82%AC&c&=v&&d=%zz")]`,
			want: `[["a","1"],["b","x y"],["a","€"],["c",""],["","v"],["d","%zz"]]`},
		{name: "from object",
			src:  `return new URLSearchParams({ grant_type: "refresh_token", n: 2, "a b": "c&d" }).toString()`,
			want: `"grant_type=refresh_token&n=2&a+b=c%26d"`},
		{name: "from pairs and from another",
			src:  `const p = new URLSearchParams([["x", "1"], ["y", "2"], ["x", "3"]]); return [p.getAll("x"), new URLSearchParams(p).toString()]`,
			want: `[["1","3"],"x=1&y=2&x=3"]`},
		{name: "bad pair",
			src: `new URLSearchParams([["a", "b", "c"]])`,
			err: "TypeError"},
		{name: "methods",
			src: `const p = new URLSearchParams("a=1&b=2&a=3");
				const r = [p.get("a"), p.get("zz"), p.has("b"), p.has("a", "3"), p.has("a", "9"), p.size];
				p.set("a", "9"); r.push(p.toString());
				p.append("c", "4"); p.delete("b"); r.push(p.toString());
				p.delete("c", "nope"); r.push(p.toString());
				return r`,
			want: `["1",null,true,true,false,3,"a=9&b=2","a=9&c=4","a=9&c=4"]`},
		{name: "sort is stable by UTF-16 code units",
			src:  `const p = new URLSearchParams("z=1&b=2&a=3&b=1&\uFB03=4&😀=5"); p.sort(); return p.toString()`,
			want: `"a=3&b=2&b=1&z=1&%F0%9F%98%80=5&%EF%AC%83=4"`},
		{name: "serialization escapes",
			src:  `const p = new URLSearchParams(); p.append("k", "!'()*~-._ é&=+/?#%"); return p.toString()`,
			want: `"k=%21%27%28%29*%7E-._+%C3%A9%26%3D%2B%2F%3F%23%25"`},
		{name: "lone surrogates become U+FFFD",
			src:  `const p = new URLSearchParams(); p.append("a", "\uD800x"); return [p.get("a") === "\uFFFDx", p.toString()]`,
			want: `[true,"a=%EF%BF%BDx"]`},
		{name: "iteration",
			src: `const p = new URLSearchParams("a=1&b=2"); const out = [];
				for (const [k, v] of p) out.push(k + v);
				p.forEach((v, k) => out.push(k + ":" + v));
				return [out, [...p.keys()], [...p.values()], [...p.entries()]]`,
			want: `[["a1","b2","a:1","b:2"],["a","b"],["1","2"],[["a","1"],["b","2"]]]`},
		{name: "fetch-style body",
			src:  `return [String(new URLSearchParams({ q: "a b" })), Object.prototype.toString.call(new URLSearchParams())]`,
			want: `["q=a+b","[object URLSearchParams]"]`},
	})
}

func TestTextCodecs(t *testing.T) {
	runCases(t, []jsCase{
		{name: "encode non-BMP",
			src:  `return hex(new TextEncoder().encode("a€😀𝄞"))`,
			want: `"61e282acf09f9880f09d849e"`},
		{name: "round trip non-BMP",
			src:  `const s = "😀𝄞 ñ \u0000 end"; const back = new TextDecoder().decode(new TextEncoder().encode(s)); return [back === s, back.length, [...back].length]`,
			want: `[true,12,10]`},
		{name: "encode lone surrogate as U+FFFD",
			src:  `return hex(new TextEncoder().encode("\uD800"))`,
			want: `"efbfbd"`},
		{name: "encodeInto stops before a split character",
			src:  `const u8 = new Uint8Array(5); const r = new TextEncoder().encodeInto("a😀b", u8); return [r.read, r.written, hex(u8)]`,
			want: `[3,5,"61f09f9880"]`},
		{name: "encodeInto partial",
			src:  `const u8 = new Uint8Array(4); const r = new TextEncoder().encodeInto("😀😀", u8.subarray(1)); return [r.read, r.written]`,
			want: `[0,0]`},
		{name: "decode replaces invalid bytes per maximal subpart",
			src:  `return new TextDecoder().decode(fromHex("61e2826262ffc0afeda080f09f98")).replace(/\uFFFD/g, "?")`,
			want: `"a?bb???????"`},
		{name: "decode drops the BOM unless ignoreBOM",
			src:  `const b = fromHex("efbbbf61"); return [new TextDecoder().decode(b), new TextDecoder("utf-8", { ignoreBOM: true }).decode(b).length]`,
			want: `["a",2]`},
		{name: "decode from ArrayBuffer, DataView and other views",
			src: `const b = new TextEncoder().encode("hi!");
				return [new TextDecoder().decode(b.buffer), new TextDecoder().decode(new DataView(b.buffer, 1)), new TextDecoder().decode(b.subarray(2)), new TextDecoder().decode()]`,
			want: `["hi!","i!","!",""]`},
		{name: "fatal throws TypeError",
			src:  `try { new TextDecoder("utf-8", { fatal: true }).decode(fromHex("61ff")) } catch (e) { return [e instanceof TypeError, e.code] }`,
			want: `[true,"ERR_ENCODING_INVALID_ENCODED_DATA"]`},
		{name: "fatal on truncated input",
			src: `new TextDecoder("utf-8", { fatal: true }).decode(fromHex("f09f98"))`,
			err: "TypeError: Failed to execute 'decode' on 'TextDecoder': The encoded data was not valid utf-8."},
		{name: "stream keeps split characters",
			src: `const d = new TextDecoder(); const b = new TextEncoder().encode("x😀y");
				return [d.decode(b.subarray(0, 2), { stream: true }), d.decode(b.subarray(2, 4), { stream: true }), d.decode(b.subarray(4)), d.decode(fromHex("f09f"), { stream: true }) + "|" + d.decode() === "|\uFFFD"]`,
			want: `["x","","😀y",true]`},
		{name: "labels and other encodings",
			src: `return [new TextDecoder(" UTF8 ").encoding, new TextDecoder("latin1").encoding, new TextDecoder("windows-1252").decode(fromHex("80e9")),
				new TextDecoder("utf-16le").decode(fromHex("fffe61003dd800de")), new TextDecoder("utf-16be").decode(fromHex("0061"))]`,
			want: `["utf-8","windows-1252","€é","a😀","a"]`},
		{name: "unsupported label",
			src: `new TextDecoder("shift_jis")`,
			err: `RangeError: Failed to construct 'TextDecoder': The encoding label provided ("shift_jis") is not supported by host; available: utf-8, utf-16le, utf-16be, windows-1252`},
		{name: "decoder properties",
			src:  `const d = new TextDecoder("utf-8", { fatal: true }); return [d.encoding, d.fatal, d.ignoreBOM, new TextEncoder().encoding]`,
			want: `["utf-8",true,false,"utf-8"]`},
	})
}

func TestBase64(t *testing.T) {
	runCases(t, []jsCase{
		{name: "RFC 4648 btoa",
			src:  `return ["", "f", "fo", "foo", "foob", "fooba", "foobar"].map(btoa)`,
			want: `["","Zg==","Zm8=","Zm9v","Zm9vYg==","Zm9vYmE=","Zm9vYmFy"]`},
		{name: "RFC 4648 atob",
			src:  `return ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"].map(atob)`,
			want: `["","f","fo","foo","foob","fooba","foobar"]`},
		{name: "atob forgiving: whitespace and missing padding",
			src:  `return [atob(" Zm9v\nYg "), atob("Zm9vYg"), atob("YR")]`,
			want: `["foob","foob","a"]`},
		{name: "Latin1 bytes",
			src:  `const s = atob(btoa("\u00ff\u00fe\u0000\u0080")); return [btoa("\u00ff\u00fe\u0000\u0080"), Array.from(s, (c) => c.charCodeAt(0))]`,
			want: `["//4AgA==",[255,254,0,128]]`},
		{name: "UTF-8 via unescape(encodeURIComponent())",
			src: `const s = "😀𝄞 ñ"; const b = btoa(unescape(encodeURIComponent(s)));
				return [b, decodeURIComponent(escape(atob(b))) === s]`,
			want: `["8J+YgPCdhJ4gw7E=",true]`},
		{name: "UTF-8 via TextEncoder and String.fromCharCode",
			src: `const bytes = new TextEncoder().encode("😀𝄞"); const b = btoa(String.fromCharCode(...bytes));
				const back = new TextDecoder().decode(Uint8Array.from(atob(b), (c) => c.charCodeAt(0)));
				return [b, back]`,
			want: `["8J+YgPCdhJ4=","😀𝄞"]`},
		{name: "btoa outside Latin1",
			src:  `try { btoa("😀") } catch (e) { return [e.name, e.code, e instanceof DOMException, e instanceof Error] }`,
			want: `["InvalidCharacterError",5,true,true]`},
		{name: "atob invalid",
			src:  `const r = []; for (const s of ["Zm9vYg=", "Z", "Zm9v!", "Zm9vYg===", "=Zm9v"]) { try { atob(s); r.push("ok") } catch (e) { r.push(e.name) } } return r`,
			want: `["InvalidCharacterError","InvalidCharacterError","InvalidCharacterError","InvalidCharacterError","InvalidCharacterError"]`},
		{name: "missing argument",
			src: `atob()`,
			err: "TypeError"},
	})
}

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

// RFC 4231 HMAC-SHA-256 test cases 1-4, 6 and 7 (case 5 is truncation).
const rfc4231 = `
globalThis.rfc4231 = [
  { key: "0b".repeat(20), data: hex(new TextEncoder().encode("Hi There")), mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
  { key: hex(new TextEncoder().encode("Jefe")), data: hex(new TextEncoder().encode("what do ya want for nothing?")), mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
  { key: "aa".repeat(20), data: "dd".repeat(50), mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
  { key: "0102030405060708090a0b0c0d0e0f10111213141516171819", data: "cd".repeat(50), mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
  { key: "aa".repeat(131), data: hex(new TextEncoder().encode("Test Using Larger Than Block-Size Key - Hash Key First")), mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
  { key: "aa".repeat(131), data: hex(new TextEncoder().encode("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")), mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
];
globalThis.hmacKey = (keyHex, hash = "SHA-256", usages = ["sign", "verify"]) =>
  crypto.subtle.importKey("raw", fromHex(keyHex), { name: "HMAC", hash }, false, usages);
`

func TestCrypto(t *testing.T) {
	runCases(t, []jsCase{
		{name: "setup", src: rfc4231, want: `undefined`},
		{name: "RFC 4231 sign",
			src:  `const out = []; for (const c of rfc4231) { const k = await hmacKey(c.key); const sig = await crypto.subtle.sign("HMAC", k, fromHex(c.data)); out.push(sig instanceof ArrayBuffer && hex(sig) === c.mac) } return out`,
			want: `[true,true,true,true,true,true]`},
		{name: "RFC 4231 verify",
			src:  `const out = []; for (const c of rfc4231) { const k = await hmacKey(c.key, { name: "SHA-256" }); out.push(await crypto.subtle.verify({ name: "hmac" }, k, fromHex(c.mac), fromHex(c.data))) } return out`,
			want: `[true,true,true,true,true,true]`},
		{name: "RFC 4231 verify rejects tampered signatures and data",
			src: `const out = []; for (const c of rfc4231) {
					const k = await hmacKey(c.key); const sig = fromHex(c.mac); sig[5] ^= 1;
					out.push(await crypto.subtle.verify("HMAC", k, sig, fromHex(c.data)));
					out.push(await crypto.subtle.verify("HMAC", k, fromHex(c.mac), fromHex(c.data + "00")));
					out.push(await crypto.subtle.verify("HMAC", k, fromHex(c.mac).subarray(1), fromHex(c.data)));
				} return out.every((x) => x === false)`,
			want: `true`},
		{name: "RFC 4231 case 2 with SHA-1, SHA-384, SHA-512",
			src: `const d = new TextEncoder().encode("what do ya want for nothing?"); const out = [];
				for (const h of ["SHA-1", "SHA-384", "SHA-512"]) out.push(hex(await crypto.subtle.sign("HMAC", await hmacKey("4a656665", h), d)));
				return out`,
			want: `["effcdf6ae5eb2fa2d27416d5f184df9c259a7c79","af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649","164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"]`},
		{name: "sign over a string key and message, as request signers do",
			src: `const enc = new TextEncoder(); const k = await crypto.subtle.importKey("raw", enc.encode("Jefe"), { name: "HMAC", hash: { name: "SHA-256" } }, false, ["sign"]);
				return hex(await crypto.subtle.sign({ name: "HMAC" }, k, enc.encode("what do ya want for nothing?")))`,
			want: `"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"`},
		{name: "CryptoKey",
			src: `const k = await hmacKey("0102", "sha-256", ["verify", "sign", "verify"]); k.usages.push("encrypt"); k.algorithm.name = "x";
				const c = structuredClone(k);
				return [k.type, k.extractable, k.usages.length, String(k), c !== k, c.algorithm, c.usages, await crypto.subtle.verify("HMAC", c, await crypto.subtle.sign("HMAC", k, new Uint8Array(1)), new Uint8Array(1))]`,
			want: `["secret",false,3,"[object CryptoKey]",true,{"name":"HMAC","hash":{"name":"SHA-256"},"length":16},["verify","sign"],true]`},
		{name: "SHA-256 of abc and the empty string",
			src:  `const e = new TextEncoder(); return [hex(await crypto.subtle.digest("SHA-256", e.encode("abc"))), hex(await crypto.subtle.digest({ name: "sha-256" }, new Uint8Array(0)))]`,
			want: `["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]`},
		{name: "SHA-1, SHA-384, SHA-512 of abc",
			src:  `const d = new TextEncoder().encode("abc"); const out = []; for (const h of ["SHA-1", "SHA-384", "SHA-512"]) out.push(hex(await crypto.subtle.digest(h, d.buffer))); return out`,
			want: `["a9993e364706816aba3e25717850c26c9cd0d89d","cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7","ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"]`},
		{name: "large digest runs off the loop",
			src:  `const big = new Uint8Array(3 << 20).fill(97); const p = crypto.subtle.digest("SHA-256", big); big.fill(0); return hex(await p)`,
			want: `"` + sha256Of3MiBOfA + `"`},
		{name: "large HMAC runs off the loop",
			src:  `const big = new Uint8Array(3 << 20).fill(97); const k = await hmacKey("4a656665"); const s = await crypto.subtle.sign("HMAC", k, big); return [await crypto.subtle.verify("HMAC", k, s, big), hex(s) === hex(await crypto.subtle.sign("HMAC", k, big.subarray(0, 10)))]`,
			want: `[true,false]`},
		{name: "digest of an unsupported algorithm",
			src: `await crypto.subtle.digest("MD5", new Uint8Array(1))`,
			err: "NotSupportedError: crypto.subtle.digest: algorithm 'MD5' is not supported by host; available: SHA-1, SHA-256, SHA-384, SHA-512"},
		{name: "unsupported algorithms say what host has",
			src: `await crypto.subtle.encrypt({ name: "AES-CBC", iv: new Uint8Array(16) }, null, new Uint8Array(1))`,
			err: "NotSupportedError: crypto.subtle.encrypt: algorithm 'AES-CBC' is not supported by host; available: AES-GCM, RSA-OAEP"},
		{name: "failures reject, not throw",
			src:  `const p = crypto.subtle.generateKey({ name: "X448" }, true, ["sign"]); return [p instanceof Promise, await p.catch((e) => e.name)]`,
			want: `[true,"NotSupportedError"]`},
		{name: "importKey with another algorithm",
			src: `await crypto.subtle.importKey("raw", new Uint8Array(16), { name: "AES-KW" }, false, ["wrapKey"])`,
			err: "NotSupportedError: crypto.subtle.importKey: algorithm 'AES-KW' is not supported by host; available: HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA, Ed25519, RSA-OAEP, ECDH, AES-GCM, HKDF, PBKDF2"},
		{name: "importKey with a format the key does not have",
			src: `await crypto.subtle.importKey("spki", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])`,
			err: "NotSupportedError: crypto.subtle.importKey: format 'spki' is not for HMAC keys; use 'raw' or 'jwk'"},
		{name: "importKey errors",
			src: `const bad = async (...a) => { try { await crypto.subtle.importKey(...a); return "ok" } catch (e) { return e.name } };
				return [await bad("raw", new Uint8Array(4), { name: "HMAC" }, false, ["sign"]),
					await bad("raw", new Uint8Array(4), { name: "HMAC", hash: "SHA-256" }, false, ["encrypt"]),
					await bad("raw", new Uint8Array(4), { name: "HMAC", hash: "SHA-256" }, false, []),
					await bad("raw", new Uint8Array(0), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
					await bad("raw", new Uint8Array(4), { name: "HMAC", hash: "MD5" }, false, ["sign"]),
					await bad("raw", "not bytes", { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
					await bad("raw", new Uint8Array(4), { name: "HMAC", hash: "SHA-256", length: 64 }, false, ["sign"])]`,
			want: `["TypeError","SyntaxError","SyntaxError","DataError","NotSupportedError","TypeError","DataError"]`},
		{name: "sign errors",
			src: `const k = await hmacKey("01", "SHA-256", ["verify"]); const bad = async (...a) => { try { await crypto.subtle.sign(...a); return "ok" } catch (e) { return e.name + ": " + e.message } };
				return [await bad("HMAC", k, new Uint8Array(1)), await bad("HMAC", {}, new Uint8Array(1)), await bad("RSA-OAEP", k, new Uint8Array(1)), await bad("HMAC", await hmacKey("01"), "text")]`,
			want: `["InvalidAccessError: crypto.subtle.sign: key.usages does not permit this operation (the key allows: verify)","TypeError: Failed to execute 'sign' on 'SubtleCrypto': parameter 2 is not of type 'CryptoKey'.","NotSupportedError: crypto.subtle.sign: algorithm 'RSA-OAEP' is not supported by host; available: HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA, Ed25519","TypeError: Failed to execute 'sign' on 'SubtleCrypto': parameter 3 is not of type '(ArrayBuffer or ArrayBufferView)'."]`},
		{name: "randomUUID",
			src: `const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/; const seen = new Set();
				for (let i = 0; i < 1000; i++) { const u = crypto.randomUUID(); if (!re.test(u)) return u; seen.add(u) } return seen.size`,
			want: `1000`},
		{name: "getRandomValues fills in place",
			src: `const a = new Uint32Array(64); const r = crypto.getRandomValues(a); const b = crypto.getRandomValues(new BigUint64Array(2));
				return [r === a, a.some((x) => x !== 0), new Set(a).size > 60, typeof b[0], crypto.getRandomValues(new Uint8Array(65536)).length]`,
			want: `[true,true,true,"bigint",65536]`},
		{name: "getRandomValues over 65536 bytes",
			src:  `try { crypto.getRandomValues(new Uint32Array(16385)) } catch (e) { return [e.name, e.code, e instanceof DOMException, e.message] }`,
			want: `["QuotaExceededError",22,true,"Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (65540) exceeds the number of bytes of entropy available via this API (65536)."]`},
		{name: "getRandomValues of a float array",
			src:  `const r = []; for (const a of [new Float64Array(1), new DataView(new ArrayBuffer(1)), [1, 2]]) { try { crypto.getRandomValues(a) } catch (e) { r.push(e.name) } } return r`,
			want: `["TypeMismatchError","TypeMismatchError","TypeMismatchError"]`},
		{name: "crypto objects",
			src:  `return [crypto instanceof Crypto, crypto.subtle instanceof SubtleCrypto, String(crypto), String(crypto.subtle)]`,
			want: `[true,true,"[object Crypto]","[object SubtleCrypto]"]`},
		{name: "no constructing",
			src: `new CryptoKey()`,
			err: "TypeError: Illegal constructor"},
	})
}

// sha256Of3MiBOfA is SHA-256 of 3 MiB of "a" (computed by Go in init).
var sha256Of3MiBOfA = func() string {
	data := make([]byte, 3<<20)
	for i := range data {
		data[i] = 'a'
	}
	const hexDigits = "0123456789abcdef"
	sum := digest("SHA-256", data)
	out := make([]byte, 0, 64)
	for _, b := range sum {
		out = append(out, hexDigits[b>>4], hexDigits[b&15])
	}
	return string(out)
}()

// TestDeclarations checks that web.d.ts declares every global Install
// defines, so `host types --no-dom` covers them.
func TestDeclarations(t *testing.T) {
	rt := newRuntime(t)
	got, err := run(t, rt, `
		const names = ["URL", "URLSearchParams", "TextEncoder", "TextDecoder", "atob", "btoa", "structuredClone",
			"DOMException", "crypto", "Crypto", "SubtleCrypto", "CryptoKey"];
		return names.filter((n) => typeof globalThis[n] === "undefined")`)
	if err != nil || got != "[]" {
		t.Fatalf("globals missing: %s %v", got, err)
	}
	for _, decl := range []string{
		"declare var URL:", "declare var URLSearchParams:", "declare var TextEncoder:", "declare var TextDecoder:",
		"declare function atob(", "declare function btoa(", "declare function structuredClone<",
		"declare var DOMException:", "declare var crypto: Crypto;", "declare var Crypto:", "declare var SubtleCrypto:",
		"declare var CryptoKey:", "type BufferSource =",
	} {
		if !contains(DTS, decl) {
			t.Errorf("web.d.ts lacks %q", decl)
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
