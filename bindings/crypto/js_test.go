package crypto_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"host/bindings/internal/jstest"
)

func TestCrypto(t *testing.T) {
	jstest.RunCases(t, []jstest.Case{
		{Name: "setup", Src: rfc4231, Want: `undefined`},
		{Name: "RFC 4231 sign",
			Src:  `const out = []; for (const c of rfc4231) { const k = await hmacKey(c.key); const sig = await crypto.subtle.sign("HMAC", k, fromHex(c.data)); out.push(sig instanceof ArrayBuffer && hex(sig) === c.mac) } return out`,
			Want: `[true,true,true,true,true,true]`},
		{Name: "RFC 4231 verify",
			Src:  `const out = []; for (const c of rfc4231) { const k = await hmacKey(c.key, { name: "SHA-256" }); out.push(await crypto.subtle.verify({ name: "hmac" }, k, fromHex(c.mac), fromHex(c.data))) } return out`,
			Want: `[true,true,true,true,true,true]`},
		{Name: "RFC 4231 verify rejects tampered signatures and data",
			Src: `const out = []; for (const c of rfc4231) {
					const k = await hmacKey(c.key); const sig = fromHex(c.mac); sig[5] ^= 1;
					out.push(await crypto.subtle.verify("HMAC", k, sig, fromHex(c.data)));
					out.push(await crypto.subtle.verify("HMAC", k, fromHex(c.mac), fromHex(c.data + "00")));
					out.push(await crypto.subtle.verify("HMAC", k, fromHex(c.mac).subarray(1), fromHex(c.data)));
				} return out.every((x) => x === false)`,
			Want: `true`},
		{Name: "RFC 4231 case 2 with SHA-1, SHA-384, SHA-512",
			Src: `const d = new TextEncoder().encode("what do ya want for nothing?"); const out = [];
				for (const h of ["SHA-1", "SHA-384", "SHA-512"]) out.push(hex(await crypto.subtle.sign("HMAC", await hmacKey("4a656665", h), d)));
				return out`,
			Want: `["effcdf6ae5eb2fa2d27416d5f184df9c259a7c79","af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649","164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"]`},
		{Name: "sign over a string key and message, as request signers do",
			Src: `const enc = new TextEncoder(); const k = await crypto.subtle.importKey("raw", enc.encode("Jefe"), { name: "HMAC", hash: { name: "SHA-256" } }, false, ["sign"]);
				return hex(await crypto.subtle.sign({ name: "HMAC" }, k, enc.encode("what do ya want for nothing?")))`,
			Want: `"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"`},
		{Name: "CryptoKey",
			Src: `const k = await hmacKey("0102", "sha-256", ["verify", "sign", "verify"]); k.usages.push("encrypt"); k.algorithm.name = "x";
				const c = structuredClone(k);
				return [k.type, k.extractable, k.usages.length, String(k), c !== k, c.algorithm, c.usages, await crypto.subtle.verify("HMAC", c, await crypto.subtle.sign("HMAC", k, new Uint8Array(1)), new Uint8Array(1))]`,
			Want: `["secret",false,3,"[object CryptoKey]",true,{"name":"HMAC","hash":{"name":"SHA-256"},"length":16},["verify","sign"],true]`},
		{Name: "SHA-256 of abc and the empty string",
			Src:  `const e = new TextEncoder(); return [hex(await crypto.subtle.digest("SHA-256", e.encode("abc"))), hex(await crypto.subtle.digest({ name: "sha-256" }, new Uint8Array(0)))]`,
			Want: `["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]`},
		{Name: "SHA-1, SHA-384, SHA-512 of abc",
			Src:  `const d = new TextEncoder().encode("abc"); const out = []; for (const h of ["SHA-1", "SHA-384", "SHA-512"]) out.push(hex(await crypto.subtle.digest(h, d.buffer))); return out`,
			Want: `["a9993e364706816aba3e25717850c26c9cd0d89d","cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7","ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"]`},
		{Name: "large digest runs off the loop",
			Src:  `const big = new Uint8Array(3 << 20).fill(97); const p = crypto.subtle.digest("SHA-256", big); big.fill(0); return hex(await p)`,
			Want: `"` + sha256Of3MiBOfA + `"`},
		{Name: "large HMAC runs off the loop",
			Src:  `const big = new Uint8Array(3 << 20).fill(97); const k = await hmacKey("4a656665"); const s = await crypto.subtle.sign("HMAC", k, big); return [await crypto.subtle.verify("HMAC", k, s, big), hex(s) === hex(await crypto.subtle.sign("HMAC", k, big.subarray(0, 10)))]`,
			Want: `[true,false]`},
		{Name: "digest of an unsupported algorithm",
			Src: `await crypto.subtle.digest("MD5", new Uint8Array(1))`,
			Err: "NotSupportedError: crypto.subtle.digest: algorithm 'MD5' is not supported by host; available: SHA-1, SHA-256, SHA-384, SHA-512"},
		{Name: "unsupported algorithms say what host has",
			Src: `await crypto.subtle.encrypt({ name: "AES-CBC", iv: new Uint8Array(16) }, null, new Uint8Array(1))`,
			Err: "NotSupportedError: crypto.subtle.encrypt: algorithm 'AES-CBC' is not supported by host; available: AES-GCM, RSA-OAEP"},
		{Name: "failures reject, not throw",
			Src:  `const p = crypto.subtle.generateKey({ name: "X448" }, true, ["sign"]); return [p instanceof Promise, await p.catch((e) => e.name)]`,
			Want: `[true,"NotSupportedError"]`},
		{Name: "importKey with another algorithm",
			Src: `await crypto.subtle.importKey("raw", new Uint8Array(16), { name: "AES-KW" }, false, ["wrapKey"])`,
			Err: "NotSupportedError: crypto.subtle.importKey: algorithm 'AES-KW' is not supported by host; available: HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA, Ed25519, RSA-OAEP, ECDH, AES-GCM, HKDF, PBKDF2"},
		{Name: "importKey with a format the key does not have",
			Src: `await crypto.subtle.importKey("spki", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])`,
			Err: "NotSupportedError: crypto.subtle.importKey: format 'spki' is not for HMAC keys; use 'raw' or 'jwk'"},
		{Name: "importKey errors",
			Src: `const bad = async (...a) => { try { await crypto.subtle.importKey(...a); return "ok" } catch (e) { return e.name } };
				return [await bad("raw", new Uint8Array(4), { name: "HMAC" }, false, ["sign"]),
					await bad("raw", new Uint8Array(4), { name: "HMAC", hash: "SHA-256" }, false, ["encrypt"]),
					await bad("raw", new Uint8Array(4), { name: "HMAC", hash: "SHA-256" }, false, []),
					await bad("raw", new Uint8Array(0), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
					await bad("raw", new Uint8Array(4), { name: "HMAC", hash: "MD5" }, false, ["sign"]),
					await bad("raw", "not bytes", { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
					await bad("raw", new Uint8Array(4), { name: "HMAC", hash: "SHA-256", length: 64 }, false, ["sign"])]`,
			Want: `["TypeError","SyntaxError","SyntaxError","DataError","NotSupportedError","TypeError","DataError"]`},
		{Name: "sign errors",
			Src: `const k = await hmacKey("01", "SHA-256", ["verify"]); const bad = async (...a) => { try { await crypto.subtle.sign(...a); return "ok" } catch (e) { return e.name + ": " + e.message } };
				return [await bad("HMAC", k, new Uint8Array(1)), await bad("HMAC", {}, new Uint8Array(1)), await bad("RSA-OAEP", k, new Uint8Array(1)), await bad("HMAC", await hmacKey("01"), "text")]`,
			Want: `["InvalidAccessError: crypto.subtle.sign: key.usages does not permit this operation (the key allows: verify)","TypeError: Failed to execute 'sign' on 'SubtleCrypto': parameter 2 is not of type 'CryptoKey'.","NotSupportedError: crypto.subtle.sign: algorithm 'RSA-OAEP' is not supported by host; available: HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA, Ed25519","TypeError: Failed to execute 'sign' on 'SubtleCrypto': parameter 3 is not of type '(ArrayBuffer or ArrayBufferView)'."]`},
		{Name: "randomUUID",
			Src: `const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/; const seen = new Set();
				for (let i = 0; i < 1000; i++) { const u = crypto.randomUUID(); if (!re.test(u)) return u; seen.add(u) } return seen.size`,
			Want: `1000`},
		{Name: "getRandomValues fills in place",
			Src: `const a = new Uint32Array(64); const r = crypto.getRandomValues(a); const b = crypto.getRandomValues(new BigUint64Array(2));
				return [r === a, a.some((x) => x !== 0), new Set(a).size > 60, typeof b[0], crypto.getRandomValues(new Uint8Array(65536)).length]`,
			Want: `[true,true,true,"bigint",65536]`},
		{Name: "getRandomValues over 65536 bytes",
			Src:  `try { crypto.getRandomValues(new Uint32Array(16385)) } catch (e) { return [e.name, e.code, e instanceof DOMException, e.message] }`,
			Want: `["QuotaExceededError",22,true,"Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (65540) exceeds the number of bytes of entropy available via this API (65536)."]`},
		{Name: "getRandomValues of a float array",
			Src:  `const r = []; for (const a of [new Float64Array(1), new DataView(new ArrayBuffer(1)), [1, 2]]) { try { crypto.getRandomValues(a) } catch (e) { r.push(e.name) } } return r`,
			Want: `["TypeMismatchError","TypeMismatchError","TypeMismatchError"]`},
		{Name: "crypto objects",
			Src:  `return [crypto instanceof Crypto, crypto.subtle instanceof SubtleCrypto, String(crypto), String(crypto.subtle)]`,
			Want: `[true,true,"[object Crypto]","[object SubtleCrypto]"]`},
		{Name: "no constructing",
			Src: `new CryptoKey()`,
			Err: "TypeError: Illegal constructor"},
	}, installs...)
}

// sha256Of3MiBOfA is SHA-256 of 3 MiB of "a" (computed by Go in init).
var sha256Of3MiBOfA = func() string {
	data := make([]byte, 3<<20)
	for i := range data {
		data[i] = 'a'
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}()

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
