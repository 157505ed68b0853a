package encoding

import "testing"

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
