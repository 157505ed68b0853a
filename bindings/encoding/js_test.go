package encoding

import (
	"testing"

	"host/bindings/internal/jstest"
)

func TestTextCodecs(t *testing.T) {
	jstest.RunCases(t, []jstest.Case{
		{Name: "encode non-BMP",
			Src:  `return hex(new TextEncoder().encode("a€😀𝄞"))`,
			Want: `"61e282acf09f9880f09d849e"`},
		{Name: "round trip non-BMP",
			Src:  `const s = "😀𝄞 ñ \u0000 end"; const back = new TextDecoder().decode(new TextEncoder().encode(s)); return [back === s, back.length, [...back].length]`,
			Want: `[true,12,10]`},
		{Name: "encode lone surrogate as U+FFFD",
			Src:  `return hex(new TextEncoder().encode("\uD800"))`,
			Want: `"efbfbd"`},
		{Name: "encodeInto stops before a split character",
			Src:  `const u8 = new Uint8Array(5); const r = new TextEncoder().encodeInto("a😀b", u8); return [r.read, r.written, hex(u8)]`,
			Want: `[3,5,"61f09f9880"]`},
		{Name: "encodeInto partial",
			Src:  `const u8 = new Uint8Array(4); const r = new TextEncoder().encodeInto("😀😀", u8.subarray(1)); return [r.read, r.written]`,
			Want: `[0,0]`},
		{Name: "decode replaces invalid bytes per maximal subpart",
			Src:  `return new TextDecoder().decode(fromHex("61e2826262ffc0afeda080f09f98")).replace(/\uFFFD/g, "?")`,
			Want: `"a?bb???????"`},
		{Name: "decode drops the BOM unless ignoreBOM",
			Src:  `const b = fromHex("efbbbf61"); return [new TextDecoder().decode(b), new TextDecoder("utf-8", { ignoreBOM: true }).decode(b).length]`,
			Want: `["a",2]`},
		{Name: "decode from ArrayBuffer, DataView and other views",
			Src: `const b = new TextEncoder().encode("hi!");
				return [new TextDecoder().decode(b.buffer), new TextDecoder().decode(new DataView(b.buffer, 1)), new TextDecoder().decode(b.subarray(2)), new TextDecoder().decode()]`,
			Want: `["hi!","i!","!",""]`},
		{Name: "fatal throws TypeError",
			Src:  `try { new TextDecoder("utf-8", { fatal: true }).decode(fromHex("61ff")) } catch (e) { return [e instanceof TypeError, e.code] }`,
			Want: `[true,"ERR_ENCODING_INVALID_ENCODED_DATA"]`},
		{Name: "fatal on truncated input",
			Src: `new TextDecoder("utf-8", { fatal: true }).decode(fromHex("f09f98"))`,
			Err: "TypeError: Failed to execute 'decode' on 'TextDecoder': The encoded data was not valid utf-8."},
		{Name: "stream keeps split characters",
			Src: `const d = new TextDecoder(); const b = new TextEncoder().encode("x😀y");
				return [d.decode(b.subarray(0, 2), { stream: true }), d.decode(b.subarray(2, 4), { stream: true }), d.decode(b.subarray(4)), d.decode(fromHex("f09f"), { stream: true }) + "|" + d.decode() === "|\uFFFD"]`,
			Want: `["x","","😀y",true]`},
		{Name: "labels and other encodings",
			Src: `return [new TextDecoder(" UTF8 ").encoding, new TextDecoder("latin1").encoding, new TextDecoder("windows-1252").decode(fromHex("80e9")),
				new TextDecoder("utf-16le").decode(fromHex("fffe61003dd800de")), new TextDecoder("utf-16be").decode(fromHex("0061"))]`,
			Want: `["utf-8","windows-1252","€é","a😀","a"]`},
		{Name: "unsupported label",
			Src: `new TextDecoder("shift_jis")`,
			Err: `RangeError: Failed to construct 'TextDecoder': The encoding label provided ("shift_jis") is not supported by host; available: utf-8, utf-16le, utf-16be, windows-1252`},
		{Name: "decoder properties",
			Src:  `const d = new TextDecoder("utf-8", { fatal: true }); return [d.encoding, d.fatal, d.ignoreBOM, new TextEncoder().encoding]`,
			Want: `["utf-8",true,false,"utf-8"]`},
	}, installs...)
}

func TestBase64(t *testing.T) {
	jstest.RunCases(t, []jstest.Case{
		{Name: "RFC 4648 btoa",
			Src:  `return ["", "f", "fo", "foo", "foob", "fooba", "foobar"].map(btoa)`,
			Want: `["","Zg==","Zm8=","Zm9v","Zm9vYg==","Zm9vYmE=","Zm9vYmFy"]`},
		{Name: "RFC 4648 atob",
			Src:  `return ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"].map(atob)`,
			Want: `["","f","fo","foo","foob","fooba","foobar"]`},
		{Name: "atob forgiving: whitespace and missing padding",
			Src:  `return [atob(" Zm9v\nYg "), atob("Zm9vYg"), atob("YR")]`,
			Want: `["foob","foob","a"]`},
		{Name: "Latin1 bytes",
			Src:  `const s = atob(btoa("\u00ff\u00fe\u0000\u0080")); return [btoa("\u00ff\u00fe\u0000\u0080"), Array.from(s, (c) => c.charCodeAt(0))]`,
			Want: `["//4AgA==",[255,254,0,128]]`},
		{Name: "UTF-8 via unescape(encodeURIComponent())",
			Src: `const s = "😀𝄞 ñ"; const b = btoa(unescape(encodeURIComponent(s)));
				return [b, decodeURIComponent(escape(atob(b))) === s]`,
			Want: `["8J+YgPCdhJ4gw7E=",true]`},
		{Name: "UTF-8 via TextEncoder and String.fromCharCode",
			Src: `const bytes = new TextEncoder().encode("😀𝄞"); const b = btoa(String.fromCharCode(...bytes));
				const back = new TextDecoder().decode(Uint8Array.from(atob(b), (c) => c.charCodeAt(0)));
				return [b, back]`,
			Want: `["8J+YgPCdhJ4=","😀𝄞"]`},
		{Name: "btoa outside Latin1",
			Src:  `try { btoa("😀") } catch (e) { return [e.name, e.code, e instanceof DOMException, e instanceof Error] }`,
			Want: `["InvalidCharacterError",5,true,true]`},
		{Name: "atob invalid",
			Src:  `const r = []; for (const s of ["Zm9vYg=", "Z", "Zm9v!", "Zm9vYg===", "=Zm9v"]) { try { atob(s); r.push("ok") } catch (e) { r.push(e.name) } } return r`,
			Want: `["InvalidCharacterError","InvalidCharacterError","InvalidCharacterError","InvalidCharacterError","InvalidCharacterError"]`},
		{Name: "missing argument",
			Src: `atob()`,
			Err: "TypeError"},
	}, installs...)
}
