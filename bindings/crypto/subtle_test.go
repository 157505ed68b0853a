package crypto_test

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"host/bindings/internal/jstest"
)

// The known-answer vectors come from Go's own source tree (the toolchain
// that builds host has them): NIST CAVP ECDSA SigVer, the PKCS #1 v2.1
// RSASSA-PSS vectors, the Ed25519 sign.input (whose first lines are RFC
// 8032's tests 1 and 2) and crypto/cipher's NIST AES-GCM table.

var goroot = sync.OnceValue(func() string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})

func vectorFile(t *testing.T, rel string) io.Reader {
	t.Helper()
	path := filepath.Join(goroot(), "src", rel)
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("test vectors: %v (they come with the Go toolchain)", err)
	}
	t.Cleanup(func() { f.Close() })
	switch filepath.Ext(path) {
	case ".bz2":
		return bzip2.NewReader(f)
	case ".gz":
		z, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	return f
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type ecdsaVector struct {
	Curve, Hash, Msg, Pub, Sig string
	OK                         bool
}

// TestECDSANISTVectors verifies the NIST CAVP SigVer vectors for P-256 and
// P-384 (every hash host has): good signatures verify, every altered one
// (message, key, R or S) does not.
func TestECDSANISTVectors(t *testing.T) {
	var vs []ecdsaVector
	var curve, hash string
	var cur map[string]string
	sc := bufio.NewScanner(vectorFile(t, "crypto/ecdsa/testdata/SigVer.rsp.bz2"))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			parts := strings.Split(strings.Trim(line, "[]"), ",")
			curve, hash = parts[0], ""
			if len(parts) == 2 && (parts[0] == "P-256" || parts[0] == "P-384") {
				hash = parts[1]
			}
			continue
		}
		k, v, ok := strings.Cut(line, " = ")
		if !ok || hash == "" || hash == "SHA-224" {
			continue
		}
		if k == "Msg" {
			cur = map[string]string{}
		}
		cur[k] = v
		if k == "Result" {
			size := 32
			if curve == "P-384" {
				size = 48
			}
			pad := func(h string) string { return strings.Repeat("0", 2*size-len(h)) + h }
			vs = append(vs, ecdsaVector{Curve: curve, Hash: hash, Msg: cur["Msg"],
				Pub: "04" + pad(cur["Qx"]) + pad(cur["Qy"]), Sig: pad(cur["R"]) + pad(cur["S"]), OK: strings.HasPrefix(v, "P")})
		}
	}
	if len(vs) < 100 {
		t.Fatalf("read %d vectors", len(vs))
	}
	rt := newRuntime(t)
	run(t, rt, testPrelude+`globalThis.bytesOf = (h) => (h ? fromHex(h) : new Uint8Array(0));`)
	got, err := run(t, rt, `const V = `+jsonOf(t, vs)+`; const out = [];
		for (const v of V) {
			const k = await crypto.subtle.importKey("raw", fromHex(v.Pub), { name: "ECDSA", namedCurve: v.Curve }, false, ["verify"]);
			out.push(await crypto.subtle.verify({ name: "ECDSA", hash: v.Hash }, k, fromHex(v.Sig), fromHex(v.Msg)));
		}
		return out`)
	if err != nil {
		t.Fatal(err)
	}
	var res []bool
	json.Unmarshal([]byte(got), &res)
	good := 0
	for i, v := range vs {
		if res[i] != v.OK {
			t.Errorf("vector %d (%s %s): verify %v, want %v", i, v.Curve, v.Hash, res[i], v.OK)
		}
		if v.OK {
			good++
		}
	}
	if good == 0 || good == len(vs) {
		t.Fatalf("%d of %d vectors are good ones", good, len(vs))
	}
}

// pssExample is one key of the PKCS #1 v2.1 RSASSA-PSS vectors and its
// signed messages.
type pssExample struct {
	JWK  map[string]string
	Sigs [][2]string // message, signature (hex)
}

func readPSSVectors(t *testing.T) []pssExample {
	var out []pssExample
	var field string
	var buf strings.Builder
	var msg string
	flush := func() {
		if field == "" || len(out) == 0 {
			field = ""
			buf.Reset()
			return
		}
		v := buf.String()
		buf.Reset()
		e := &out[len(out)-1]
		b, _ := hex.DecodeString(v)
		enc := base64.RawURLEncoding.EncodeToString(b)
		switch field {
		case "RSA modulus n:":
			e.JWK["n"] = enc
		case "RSA public exponent e:":
			e.JWK["e"] = enc
		case "RSA private exponent d:":
			e.JWK["d"] = enc
		case "Prime p:":
			e.JWK["p"] = enc
		case "Prime q:":
			e.JWK["q"] = enc
		case "p's CRT exponent dP:":
			e.JWK["dp"] = enc
		case "q's CRT exponent dQ:":
			e.JWK["dq"] = enc
		case "CRT coefficient qInv:":
			e.JWK["qi"] = enc
		case "Message to be signed:":
			msg = v
		case "Signature:":
			e.Sigs = append(e.Sigs, [2]string{msg, v})
		}
		field = ""
	}
	sc := bufio.NewScanner(vectorFile(t, "crypto/rsa/testdata/pss-vect.txt.bz2"))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "# Example") && strings.Contains(line, "RSA Key Pair"):
			flush()
			out = append(out, pssExample{JWK: map[string]string{"kty": "RSA"}})
		case strings.HasPrefix(line, "#"):
			flush()
			if strings.HasSuffix(line, ":") {
				field = strings.TrimSpace(strings.TrimPrefix(line, "#"))
			}
		case line == "":
			flush()
		default:
			if field != "" {
				buf.WriteString(strings.ReplaceAll(line, " ", ""))
			}
		}
	}
	flush()
	return out
}

// TestRSAVectors: the PKCS #1 v2.1 RSASSA-PSS signatures (SHA-1, 20-byte
// salt) verify, altered ones do not; host's own PSS signatures verify in
// Go; RSASSA-PKCS1-v1_5 signatures (deterministic) equal Go's byte for
// byte.
func TestRSAVectors(t *testing.T) {
	exs := readPSSVectors(t)
	if len(exs) != 10 || len(exs[0].Sigs) != 6 {
		t.Fatalf("read %d keys", len(exs))
	}
	exs = []pssExample{exs[0], exs[9]} // 1024 and 2048 bits
	rt := newRuntime(t)
	run(t, rt, testPrelude+`globalThis.bytesOf = (h) => (h ? fromHex(h) : new Uint8Array(0));`)
	got, err := run(t, rt, `const V = `+jsonOf(t, exs)+`; const out = [];
		for (const e of V) {
			const pub = await crypto.subtle.importKey("jwk", { kty: "RSA", n: e.JWK.n, e: e.JWK.e }, { name: "RSA-PSS", hash: "SHA-1" }, true, ["verify"]);
			for (const [m, s] of e.Sigs) {
				const sig = fromHex(s);
				out.push(await crypto.subtle.verify({ name: "RSA-PSS", saltLength: 20 }, pub, sig, fromHex(m)));
				sig[5] ^= 1;
				out.push(await crypto.subtle.verify({ name: "RSA-PSS", saltLength: 20 }, pub, sig, fromHex(m)));
			}
		}
		const priv = await crypto.subtle.importKey("jwk", V[1].JWK, { name: "RSA-PSS", hash: "SHA-256" }, false, ["sign"]);
		const pss = hex(await crypto.subtle.sign({ name: "RSA-PSS", saltLength: 32 }, priv, new TextEncoder().encode("host")));
		const v15 = await crypto.subtle.importKey("jwk", V[1].JWK, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
		const sig15 = hex(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", v15, new TextEncoder().encode("host")));
		return { out, pss, sig15 }`)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Out        []bool
		PSS, Sig15 string
	}
	json.Unmarshal([]byte(got), &res)
	if len(res.Out) != 24 {
		t.Fatalf("got %s", got)
	}
	for i, ok := range res.Out {
		if ok != (i%2 == 0) {
			t.Errorf("signature %d (altered: %v): verify %v", i/2, i%2 == 1, ok)
		}
	}
	key := rsaKeyOf(t, exs[1].JWK)
	sum := sha256.Sum256([]byte("host"))
	pss, _ := hex.DecodeString(res.PSS)
	if err := rsa.VerifyPSS(&key.PublicKey, crypto.SHA256, sum[:], pss, &rsa.PSSOptions{SaltLength: 32}); err != nil {
		t.Errorf("Go does not verify host's RSA-PSS signature: %v", err)
	}
	want, _ := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if res.Sig15 != hex.EncodeToString(want) {
		t.Errorf("RSASSA-PKCS1-v1_5 signature differs from Go's")
	}
}

func rsaKeyOf(t *testing.T, j map[string]string) *rsa.PrivateKey {
	num := func(k string) *big.Int {
		b, err := base64.RawURLEncoding.DecodeString(j[k])
		if err != nil {
			t.Fatal(err)
		}
		return new(big.Int).SetBytes(b)
	}
	key := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: num("n"), E: int(num("e").Int64())}, D: num("d"), Primes: []*big.Int{num("p"), num("q")}}
	key.Precompute()
	return key
}

// TestEd25519Vectors: signatures of the first vectors of Ed25519's
// sign.input (RFC 8032 tests 1 and 2 among them) equal the expected ones
// byte for byte, and verify.
func TestEd25519Vectors(t *testing.T) {
	type vec struct{ D, X, Msg, Sig string }
	var vs []vec
	sc := bufio.NewScanner(vectorFile(t, "crypto/ed25519/testdata/sign.input.gz"))
	for sc.Scan() && len(vs) < 32 {
		f := strings.Split(sc.Text(), ":")
		sk, _ := hex.DecodeString(f[0])
		enc := base64.RawURLEncoding.EncodeToString
		vs = append(vs, vec{D: enc(sk[:32]), X: enc(sk[32:]), Msg: f[2], Sig: f[3][:128]})
	}
	if vs[0].Sig != "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" {
		t.Fatalf("the first vector is not RFC 8032's test 1")
	}
	rt := newRuntime(t)
	run(t, rt, testPrelude+`globalThis.bytesOf = (h) => (h ? fromHex(h) : new Uint8Array(0));`)
	got, err := run(t, rt, `const V = `+jsonOf(t, vs)+`; const out = [];
		for (const v of V) {
			const k = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", d: v.D, x: v.X }, "Ed25519", false, ["sign"]);
			const p = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: v.X }, { name: "Ed25519" }, false, ["verify"]);
			const sig = hex(await crypto.subtle.sign("Ed25519", k, bytesOf(v.Msg)));
			out.push(sig === v.Sig && await crypto.subtle.verify("Ed25519", p, fromHex(sig), bytesOf(v.Msg)));
		}
		return out`)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[" + strings.TrimSuffix(strings.Repeat("true,", len(vs)), ",") + "]"; got != want {
		t.Fatalf("got %s", got)
	}
}

// TestAESGCMVectors: crypto/cipher's NIST AES-GCM table (12-byte and other
// ivs, 96- to 128-bit tags), encrypting to the expected ciphertext and tag
// and decrypting back; a changed byte fails.
func TestAESGCMVectors(t *testing.T) {
	src, err := io.ReadAll(vectorFile(t, "crypto/cipher/gcm_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(src, []byte("var aesGCMTests = "))
	end := bytes.Index(src[start:], []byte("\n}\n"))
	entry := regexp.MustCompile(`(?s)\{[^{}]*?"([0-9a-f]*)",\s*"([0-9a-f]*)",\s*"([0-9a-f]*)",\s*"([0-9a-f]*)",\s*"([0-9a-f]*)",?\s*\}`)
	var vs [][]string
	for _, m := range entry.FindAllSubmatch(src[start:start+end], -1) {
		v := make([]string, 5)
		for i := range v {
			v[i] = string(m[i+1])
		}
		if v[1] == "" {
			continue // an empty iv, which Web Crypto refuses
		}
		vs = append(vs, v)
	}
	if len(vs) < 20 {
		t.Fatalf("read %d vectors", len(vs))
	}
	rt := newRuntime(t)
	run(t, rt, testPrelude+`globalThis.bytesOf = (h) => (h ? fromHex(h) : new Uint8Array(0));`)
	got, err := run(t, rt, `const V = `+jsonOf(t, vs)+`; const out = [];
		for (const [key, iv, pt, ad, want] of V) {
			const k = await crypto.subtle.importKey("raw", fromHex(key), "AES-GCM", false, ["encrypt", "decrypt"]);
			const p = { name: "AES-GCM", iv: bytesOf(iv), tagLength: 4 * (want.length - pt.length) };
			if (ad) p.additionalData = fromHex(ad);
			const ct = await crypto.subtle.encrypt(p, k, bytesOf(pt));
			const back = hex(await crypto.subtle.decrypt(p, k, ct));
			const bad = new Uint8Array(ct.slice(0)); bad[0] ^= 1;
			const refused = await crypto.subtle.decrypt(p, k, bad).then(() => false, (e) => e.name === "OperationError");
			out.push(hex(ct) === want && back === pt && refused);
		}
		return out`)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[" + strings.TrimSuffix(strings.Repeat("true,", len(vs)), ",") + "]"; got != want {
		t.Fatalf("got %s", got)
	}
}

// TestDerive: HKDF (RFC 5869 test case 1) and PBKDF2 (RFC 6070) known
// answers, the same as Go's crypto/hkdf and crypto/pbkdf2 for other
// inputs; ECDH agrees with Go's crypto/ecdh; deriveKey makes a working
// AES key.
func TestDerive(t *testing.T) {
	rt := newRuntime(t)
	run(t, rt, testPrelude+`globalThis.bytesOf = (h) => (h ? fromHex(h) : new Uint8Array(0));`)
	salt := []byte("some salt")
	wantHKDF, _ := hkdf.Key(sha256.New, []byte("input key"), salt, "ctx", 64)
	wantPBKDF2, _ := pbkdf2.Key(sha256.New, "a password", salt, 1000, 48)
	priv, _ := ecdh.P384().GenerateKey(rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(priv.PublicKey())
	got, err := run(t, rt, fmt.Sprintf(`const enc = new TextEncoder();
		const hk = await crypto.subtle.importKey("raw", fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), "HKDF", false, ["deriveBits"]);
		const rfc5869 = hex(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: fromHex("000102030405060708090a0b0c"), info: fromHex("f0f1f2f3f4f5f6f7f8f9") }, hk, 336));
		const hk2 = await crypto.subtle.importKey("raw", enc.encode("input key"), "HKDF", false, ["deriveBits"]);
		const hkdf = hex(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: enc.encode("some salt"), info: enc.encode("ctx") }, hk2, 512));
		const pw = await crypto.subtle.importKey("raw", enc.encode("password"), "PBKDF2", false, ["deriveBits"]);
		const rfc6070 = [];
		for (const c of [1, 2, 4096]) rfc6070.push(hex(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-1", salt: enc.encode("salt"), iterations: c }, pw, 160)));
		const pw2 = await crypto.subtle.importKey("raw", enc.encode("a password"), { name: "PBKDF2" }, false, ["deriveBits", "deriveKey"]);
		const pbkdf2 = hex(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: enc.encode("some salt"), iterations: 1000 }, pw2, 384));
		const aes = await crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt: enc.encode("s"), iterations: 10 }, pw2, { name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
		const iv = new Uint8Array(12);
		const roundTrip = new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, aes, await crypto.subtle.encrypt({ name: "AES-GCM", iv }, aes, enc.encode("ok"))));
		const mine = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-384" }, true, ["deriveBits"]);
		const peer = await crypto.subtle.importKey("spki", fromHex(%q), { name: "ECDH", namedCurve: "P-384" }, true, []);
		const shared = hex(await crypto.subtle.deriveBits({ name: "ECDH", public: peer }, mine.privateKey, null));
		const mineSPKI = hex(await crypto.subtle.exportKey("spki", mine.publicKey));
		const other = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-384" }, false, ["deriveBits"]);
		const agree = hex(await crypto.subtle.deriveBits({ name: "ECDH", public: other.publicKey }, mine.privateKey, 256)) ===
			hex(await crypto.subtle.deriveBits({ name: "ECDH", public: mine.publicKey }, other.privateKey, 256));
		return { rfc5869, hkdf, rfc6070, pbkdf2, roundTrip, aesAlg: aes.algorithm, shared, mineSPKI, agree }`, hex.EncodeToString(der)))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		RFC5869, HKDF, PBKDF2, RoundTrip, Shared, MineSPKI string
		RFC6070                                            []string
		AESAlg                                             map[string]any
		Agree                                              bool
	}
	json.Unmarshal([]byte(got), &res)
	if res.RFC5869 != "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865" {
		t.Errorf("HKDF RFC 5869 case 1: %s", res.RFC5869)
	}
	if res.HKDF != hex.EncodeToString(wantHKDF) || res.PBKDF2 != hex.EncodeToString(wantPBKDF2) {
		t.Errorf("HKDF/PBKDF2 differ from Go's: %s", got)
	}
	if strings.Join(res.RFC6070, ",") != "0c60c80f961f0e71f3a9b524af6012062fe037a6,ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957,4b007901b765489abead49d926f721d065a429c1" {
		t.Errorf("PBKDF2 RFC 6070: %v", res.RFC6070)
	}
	if res.RoundTrip != "ok" || res.AESAlg["length"] != 256.0 || !res.Agree {
		t.Errorf("got %s", got)
	}
	mineDER, _ := hex.DecodeString(res.MineSPKI)
	mine, err := x509.ParsePKIXPublicKey(mineDER)
	if err != nil {
		t.Fatal(err)
	}
	mineECDH, _ := mine.(*ecdsa.PublicKey).ECDH()
	shared, _ := priv.ECDH(mineECDH)
	if res.Shared != hex.EncodeToString(shared) {
		t.Errorf("ECDH secret differs from Go's")
	}
}

// TestJWTInteropWithGo: JWTs in compact serialization (what jose makes for
// a GitHub App or a Google service account) signed by host verify with Go's
// crypto: RS256 with a PKCS #8 key, ES256 and ES384 with generated keys
// exported as spki, EdDSA; and an ES256 token Go signed verifies in host.
func TestJWTInteropWithGo(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(rsaKey)
	goEC, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	goSPKI, _ := x509.MarshalPKIXPublicKey(&goEC.PublicKey)
	b64 := base64.RawURLEncoding.EncodeToString
	signingInput := b64([]byte(`{"alg":"ES256","typ":"JWT"}`)) + "." + b64([]byte(`{"iss":"go","exp":1900000000}`))
	sum := sha256.Sum256([]byte(signingInput))
	r, s, _ := ecdsa.Sign(rand.Reader, goEC, sum[:])
	rs := make([]byte, 64)
	r.FillBytes(rs[:32])
	s.FillBytes(rs[32:])
	goToken := signingInput + "." + b64(rs)

	rt := newRuntime(t)
	run(t, rt, testPrelude)
	got, err := run(t, rt, fmt.Sprintf(`const enc = new TextEncoder();
		const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
		const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
		const jwt = async (alg, params, key) => {
			const input = b64(enc.encode(JSON.stringify({ alg, typ: "JWT" }))) + "." + b64(enc.encode(JSON.stringify({ iss: "host", iat: 1700000000 })));
			return input + "." + b64(await crypto.subtle.sign(params, key, enc.encode(input)));
		};
		const rs = await crypto.subtle.importKey("pkcs8", fromHex(%q), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
		const es = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
		const es384 = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign", "verify"]);
		const ed = await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"]);
		const goKey = await crypto.subtle.importKey("spki", fromHex(%q), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
		const [h, p, sig] = %q.split(".");
		return {
			rs256: await jwt("RS256", "RSASSA-PKCS1-v1_5", rs),
			es256: await jwt("ES256", { name: "ECDSA", hash: "SHA-256" }, es.privateKey), esPub: hex(await crypto.subtle.exportKey("spki", es.publicKey)),
			es384: await jwt("ES384", { name: "ECDSA", hash: "SHA-384" }, es384.privateKey), es384Pub: hex(await crypto.subtle.exportKey("spki", es384.publicKey)),
			eddsa: await jwt("EdDSA", "Ed25519", ed.privateKey), edPub: hex(await crypto.subtle.exportKey("raw", ed.publicKey)),
			goToken: await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, goKey, unb64(sig), enc.encode(h + "." + p)),
			goTokenChanged: await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, goKey, unb64(sig), enc.encode(h + "." + p + "x")),
		}`, hex.EncodeToString(pkcs8), hex.EncodeToString(goSPKI), goToken))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		RS256, ES256, ESPub, ES384, ES384Pub, EdDSA, EdPub string
		GoToken, GoTokenChanged                            bool
	}
	if err := json.Unmarshal([]byte(got), &res); err != nil {
		t.Fatal(err)
	}
	if !res.GoToken || res.GoTokenChanged {
		t.Errorf("Go's ES256 token: verified %v, changed one %v", res.GoToken, res.GoTokenChanged)
	}
	parts := func(tok string) (input []byte, sig []byte) {
		i := strings.LastIndexByte(tok, '.')
		sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
		if err != nil {
			t.Fatalf("%s: signature: %v", tok, err)
		}
		return []byte(tok[:i]), sig
	}
	spki := func(h string) any {
		der, _ := hex.DecodeString(h)
		k, err := x509.ParsePKIXPublicKey(der)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	in, sig := parts(res.RS256)
	sum = sha256.Sum256(in)
	if err := rsa.VerifyPKCS1v15(&rsaKey.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("RS256: %v", err)
	}
	for _, c := range []struct {
		tok, pub string
		hash     crypto.Hash
	}{{res.ES256, res.ESPub, crypto.SHA256}, {res.ES384, res.ES384Pub, crypto.SHA384}} {
		in, sig := parts(c.tok)
		h := c.hash.New()
		h.Write(in)
		n := len(sig) / 2
		if !ecdsa.Verify(spki(c.pub).(*ecdsa.PublicKey), h.Sum(nil), new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])) {
			t.Errorf("%s does not verify in Go", c.tok)
		}
	}
	in, sig = parts(res.EdDSA)
	edPub, _ := hex.DecodeString(res.EdPub)
	if !ed25519.Verify(edPub, in, sig) {
		t.Errorf("EdDSA token does not verify in Go")
	}
}

func TestSubtleKeys(t *testing.T) {
	jstest.RunCases(t, []jstest.Case{
		{Name: "RSA key pair", Src: `const { publicKey, privateKey } = await crypto.subtle.generateKey({ name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, false, ["sign", "verify"]);
			const a = publicKey.algorithm;
			return [publicKey.type, publicKey.extractable, publicKey.usages, privateKey.type, privateKey.extractable, privateKey.usages, a.name, a.modulusLength, Array.from(a.publicExponent), a.hash]`,
			Want: `["public",true,["verify"],"private",false,["sign"],"RSA-PSS",2048,[1,0,1],{"name":"SHA-256"}]`},
		{Name: "JWK export of an EC key", Src: `const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign"]);
			const j = await crypto.subtle.exportKey("jwk", privateKey);
			return [j.kty, j.crv, j.alg, j.key_ops, j.ext, j.x.length, j.y.length, j.d.length]`,
			Want: `["EC","P-384","ES384",["sign"],true,64,64,64]`},
		{Name: "JWK round trip signs the same", Src: `const kp = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
			const again = await crypto.subtle.importKey("jwk", await crypto.subtle.exportKey("jwk", kp.privateKey), { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
			const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, again, new Uint8Array([1]));
			return [new Uint8Array(sig).length, await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, kp.publicKey, sig, new Uint8Array([1]))]`,
			Want: `[64,true]`},
		{Name: "pkcs8 and spki round trip", Src: `const kp = await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"]);
			const priv = await crypto.subtle.importKey("pkcs8", await crypto.subtle.exportKey("pkcs8", kp.privateKey), "Ed25519", false, ["sign"]);
			const pub = await crypto.subtle.importKey("spki", await crypto.subtle.exportKey("spki", kp.publicKey), "Ed25519", true, ["verify"]);
			return await crypto.subtle.verify("Ed25519", pub, await crypto.subtle.sign("Ed25519", priv, new Uint8Array(3)), new Uint8Array(3))`,
			Want: `true`},
		{Name: "AES-GCM generate, export, aad", Src: `const k = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
			const iv = crypto.getRandomValues(new Uint8Array(12)); const additionalData = new Uint8Array([9]);
			const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, k, new TextEncoder().encode("secret"));
			const wrong = await crypto.subtle.decrypt({ name: "AES-GCM", iv }, k, ct).catch((e) => e.name);
			const j = await crypto.subtle.exportKey("jwk", k);
			return [k.algorithm, new Uint8Array(await crypto.subtle.exportKey("raw", k)).length, ct.byteLength, wrong, j.alg, j.kty]`,
			Want: `[{"name":"AES-GCM","length":256},32,22,"OperationError","A256GCM","oct"]`},
		{Name: "RSA-OAEP and wrapKey", Src: `const kp = await crypto.subtle.generateKey({ name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, false, ["encrypt", "decrypt", "wrapKey", "unwrapKey"]);
			const ct = await crypto.subtle.encrypt({ name: "RSA-OAEP" }, kp.publicKey, new TextEncoder().encode("hi"));
			const back = new TextDecoder().decode(await crypto.subtle.decrypt({ name: "RSA-OAEP" }, kp.privateKey, ct));
			const hk = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
			const wrapped = await crypto.subtle.wrapKey("jwk", hk, kp.publicKey, { name: "RSA-OAEP" });
			const un = await crypto.subtle.unwrapKey("jwk", wrapped, kp.privateKey, { name: "RSA-OAEP" }, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
			const same = hex(await crypto.subtle.sign("HMAC", hk, new Uint8Array(1))) === hex(await crypto.subtle.sign("HMAC", un, new Uint8Array(1)));
			return [back, same, hk.algorithm.length, kp.publicKey.usages]`,
			Want: `["hi",true,512,["encrypt","wrapKey"]]`},
		{Name: "HMAC JWK", Src: `const k = await crypto.subtle.importKey("jwk", { kty: "oct", k: "AQID", alg: "HS256" }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
			const j = await crypto.subtle.exportKey("jwk", k); return [j, k.algorithm.length]`,
			Want: `[{"kty":"oct","k":"AQID","alg":"HS256","key_ops":["sign"],"ext":true},24]`},
		{Name: "errors", Src: `const bad = (p) => p.then(() => "ok", (e) => e.name + ": " + e.message);
			const ec = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
			const pub384 = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign"])).publicKey;
			return [
				await bad(crypto.subtle.exportKey("jwk", ec.privateKey)),
				await bad(crypto.subtle.importKey("spki", await crypto.subtle.exportKey("spki", pub384), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"])),
				await bad(crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: "AA", y: "AA" }, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])),
				await bad(crypto.subtle.importKey("jwk", { kty: "oct", k: "AQID", alg: "HS512" }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"])),
				await bad(crypto.subtle.importKey("jwk", { kty: "oct", k: "AQID", ext: false }, { name: "HMAC", hash: "SHA-256" }, true, ["sign"])),
				await bad(crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, ec.publicKey, new Uint8Array(1))),
				await bad(crypto.subtle.sign({ name: "ECDSA" }, ec.privateKey, new Uint8Array(1))),
				await bad(crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-521" }, true, ["sign"])),
				await bad(crypto.subtle.generateKey({ name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([3]), hash: "SHA-256" }, true, ["sign"])),
				await bad(crypto.subtle.importKey("pkcs8", new Uint8Array(10), "Ed25519", false, ["sign"])),
				await bad(crypto.subtle.importKey("raw", new Uint8Array(10), "PBKDF2", true, ["deriveBits"])),
				await bad(crypto.subtle.generateKey({ name: "RSA-PSS", modulusLength: 16384, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign"])),
				await bad(crypto.subtle.importKey("raw", new Uint8Array(10), "PBKDF2", false, ["deriveBits"]).then((k) => crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(1), iterations: 1e9 }, k, 256))),
				await bad(crypto.subtle.importKey("jwk", { kty: "RSA", n: "AQAB", e: "AQAB" }, { name: "RSA-PSS", hash: "SHA-256" }, true, ["verify"])),
			]`,
			Want: `["InvalidAccessError: crypto.subtle.exportKey: the key is not extractable",` +
				`"DataError: crypto.subtle.importKey: the key is on curve P-384, not P-256",` +
				`"DataError: crypto.subtle.importKey: the JWK's x and y must be 32 bytes each on P-256",` +
				`"DataError: crypto.subtle.importKey: the JWK's alg is 'HS512', not 'HS256'",` +
				`"DataError: crypto.subtle.importKey: the JWK is not extractable (ext: false) but extractable was requested",` +
				`"InvalidAccessError: crypto.subtle.sign: key.usages does not permit this operation (the key allows: verify)",` +
				`"TypeError: Failed to execute 'sign' on 'SubtleCrypto': EcdsaParams: hash: Missing required member",` +
				`"NotSupportedError: crypto.subtle.generateKey: curve 'P-521' is not supported by host; available: P-256, P-384",` +
				`"NotSupportedError: crypto.subtle.generateKey: host generates RSA keys with the public exponent 65537 only ([1, 0, 1])",` +
				`"DataError: crypto.subtle.importKey: the key data is not a DER PKCS #8 private key (a PEM file's base64 between its BEGIN and END lines, decoded)",` +
				`"SyntaxError: crypto.subtle.importKey: PBKDF2 keys are imported as 'raw' and not extractable",` +
				`"OperationError: crypto.subtle.generateKey: modulusLength 16384 is not supported by host (2048 to 4096, a multiple of 8)",` +
				`"NotSupportedError: crypto.subtle.deriveBits: host runs PBKDF2 with at most 10000000 iterations, not 1000000000",` +
				`"DataError: crypto.subtle.importKey: an RSA key of 17 bits is not supported by host (1024 to 16384)"]`},
		{Name: "structuredClone keeps a key pair working", Src: `const kp = await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"]);
			const c = structuredClone(kp.privateKey);
			return [c !== kp.privateKey, c.type, c.algorithm, await crypto.subtle.verify("Ed25519", kp.publicKey, await crypto.subtle.sign("Ed25519", c, new Uint8Array(1)), new Uint8Array(1))]`,
			Want: `[true,"private",{"name":"Ed25519"},true]`},
	}, installs...)
}
