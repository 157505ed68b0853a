package crypto

// The asymmetric and AES keys of crypto.subtle, with Go's crypto packages:
// RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP (crypto/rsa), ECDSA and ECDH on
// P-256 and P-384 (crypto/ecdsa, crypto/ecdh), Ed25519 (crypto/ed25519),
// AES-GCM (crypto/aes, crypto/cipher), HKDF and PBKDF2 (crypto/hkdf,
// crypto/pbkdf2), keys in the raw, spki, pkcs8 and jwk formats
// (crypto/x509). crypto.js checks algorithms, usages and parameters as the
// Web Crypto standard says; these functions do the work.

import (
	"bytes"
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/dop251/goja"

	"host/jsrt"
)

// cryptoKey is the Go half of a CryptoKey other than HMAC's (hmacKey): its
// material never leaves Go except through exportKey of an extractable key.
type cryptoKey struct {
	alg    string // the Web Crypto algorithm name
	curve  string // ECDSA, ECDH: "P-256" or "P-384"
	secret []byte // AES-GCM, HKDF, PBKDF2
	pub    any    // *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey
	priv   any    // *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey
}

// String hides the key from fmt.
func (k *cryptoKey) String() string { return k.alg + " key" }

// keyType is the CryptoKey's type.
func (k *cryptoKey) keyType() string {
	switch {
	case k.priv != nil:
		return "private"
	case k.pub != nil:
		return "public"
	}
	return "secret"
}

// cryptoError is a failure that crypto.js turns into a DOMException of
// that name (DataError, OperationError, NotSupportedError, ...).
type cryptoError struct{ name, msg string }

func (e *cryptoError) Error() string { return e.msg }

func dataError(format string, args ...any) error {
	return &cryptoError{"DataError", fmt.Sprintf(format, args...)}
}

func operationError(format string, args ...any) error {
	return &cryptoError{"OperationError", fmt.Sprintf(format, args...)}
}

// namedCurve is the curve of WebCrypto's namedCurve (nil when unknown).
// A function, not a map made at init: elliptic.P256() sets up every NIST
// curve on first use, for every command.
func namedCurve(name string) elliptic.Curve {
	switch name {
	case "P-256":
		return elliptic.P256()
	case "P-384":
		return elliptic.P384()
	}
	return nil
}

var cryptoHashes = map[string]crypto.Hash{
	"SHA-1": crypto.SHA1, "SHA-256": crypto.SHA256, "SHA-384": crypto.SHA384, "SHA-512": crypto.SHA512,
}

// isRSA, isEC: the algorithms whose keys are RSA or elliptic-curve keys.
func isRSA(alg string) bool {
	return alg == "RSASSA-PKCS1-v1_5" || alg == "RSA-PSS" || alg == "RSA-OAEP"
}

func isEC(alg string) bool { return alg == "ECDSA" || alg == "ECDH" }

// importKey reads key material in format ("raw", "spki", "pkcs8"; "jwk"
// takes the JWK's JSON) for alg (curve for ECDSA/ECDH).
func importKey(alg, format string, data []byte, curve string) (*cryptoKey, error) {
	k := &cryptoKey{alg: alg, curve: curve}
	switch format {
	case "raw":
		switch {
		case alg == "AES-GCM":
			if n := len(data); n != 16 && n != 24 && n != 32 {
				return nil, dataError("an AES key must be 16, 24 or 32 bytes, not %d", n)
			}
			k.secret = append([]byte(nil), data...)
		case alg == "HKDF" || alg == "PBKDF2":
			k.secret = append([]byte(nil), data...)
		case isEC(alg):
			pub, err := ecdsa.ParseUncompressedPublicKey(namedCurve(curve), data)
			if err != nil {
				return nil, dataError("not an uncompressed %s public key (0x04, then X and Y)", curve)
			}
			k.pub = pub
		case alg == "Ed25519":
			if len(data) != ed25519.PublicKeySize {
				return nil, dataError("an Ed25519 public key must be 32 bytes, not %d", len(data))
			}
			k.pub = ed25519.PublicKey(append([]byte(nil), data...))
		default:
			return nil, &cryptoError{"NotSupportedError", "format 'raw' is not for " + alg + " keys; use 'spki', 'pkcs8' or 'jwk'"}
		}
	case "spki":
		pub, err := x509.ParsePKIXPublicKey(data)
		if err != nil {
			return nil, dataError("the key data is not a DER SubjectPublicKeyInfo (spki) public key")
		}
		k.pub = pub
	case "pkcs8":
		priv, err := x509.ParsePKCS8PrivateKey(data)
		if err != nil {
			return nil, dataError("the key data is not a DER PKCS #8 private key (a PEM file's base64 between its BEGIN and END lines, decoded)")
		}
		signer, ok := priv.(crypto.Signer)
		if !ok {
			return nil, dataError("the PKCS #8 key (%T) is not an RSA, P-256, P-384 or Ed25519 key", priv)
		}
		k.priv = priv
		k.pub = signer.Public()
	case "jwk":
		if err := k.fromJWK(data); err != nil {
			return nil, err
		}
	default:
		return nil, &cryptoError{"NotSupportedError", "unknown key format " + format}
	}
	return k, k.check()
}

// check makes sure the key material is of the algorithm's kind (an spki or
// pkcs8 key can be anything).
func (k *cryptoKey) check() error {
	pub := k.pub
	if k.secret != nil {
		return nil
	}
	switch p := pub.(type) {
	case *rsa.PublicKey:
		if !isRSA(k.alg) {
			return dataError("the key is an RSA key, not a %s key", k.alg)
		}
		if n := p.N.BitLen(); n < 1024 || n > 16384 {
			return dataError("an RSA key of %d bits is not supported by host (1024 to 16384)", n)
		}
	case *ecdsa.PublicKey:
		if !isEC(k.alg) {
			return dataError("the key is an elliptic-curve key, not a %s key", k.alg)
		}
		if p.Curve != namedCurve(k.curve) {
			return dataError("the key is on curve %s, not %s", p.Curve.Params().Name, k.curve)
		}
	case ed25519.PublicKey:
		if k.alg != "Ed25519" {
			return dataError("the key is an Ed25519 key, not a %s key", k.alg)
		}
	default:
		return dataError("unsupported key type %T", pub)
	}
	return nil
}

// jwk is a JSON Web Key's key material (RFC 7517, 7518, 8037).
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	K   string `json:"k,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	D   string `json:"d,omitempty"`
	P   string `json:"p,omitempty"`
	Q   string `json:"q,omitempty"`
	DP  string `json:"dp,omitempty"`
	DQ  string `json:"dq,omitempty"`
	QI  string `json:"qi,omitempty"`
}

var b64 = base64.RawURLEncoding

func (j *jwk) bytes(name, v string) ([]byte, error) {
	if v == "" {
		return nil, dataError("the JWK has no %q member", name)
	}
	b, err := b64.DecodeString(v)
	if err != nil {
		return nil, dataError("the JWK's %q member is not base64url", name)
	}
	return b, nil
}

func (j *jwk) int(name, v string) (*big.Int, error) {
	b, err := j.bytes(name, v)
	if err != nil {
		return nil, err
	}
	return new(big.Int).SetBytes(b), nil
}

func (k *cryptoKey) fromJWK(data []byte) error {
	var j jwk
	if err := json.Unmarshal(data, &j); err != nil {
		return dataError("the JWK is not a JSON object of strings: %v", err)
	}
	want := map[bool]string{true: "RSA"}[isRSA(k.alg)]
	switch {
	case isEC(k.alg):
		want = "EC"
	case k.alg == "Ed25519":
		want = "OKP"
	case k.secret == nil && want == "":
		want = "oct"
	}
	if j.Kty != want {
		return dataError("a %s key needs a JWK with kty %q, not %q", k.alg, want, j.Kty)
	}
	switch want {
	case "oct":
		b, err := j.bytes("k", j.K)
		if err != nil {
			return err
		}
		nk, err := importKey(k.alg, "raw", b, "")
		if err != nil {
			return err
		}
		*k = *nk
	case "RSA":
		n, err := j.int("n", j.N)
		if err != nil {
			return err
		}
		e, err := j.int("e", j.E)
		if err != nil {
			return err
		}
		if !e.IsInt64() || e.Int64() > 1<<31-1 {
			return dataError("the JWK's exponent is too large")
		}
		pub := &rsa.PublicKey{N: n, E: int(e.Int64())}
		k.pub = pub
		if err := k.check(); err != nil {
			return err // before the private key's costly checks
		}
		if j.D == "" {
			return nil
		}
		priv := &rsa.PrivateKey{PublicKey: *pub}
		for _, f := range []struct {
			name, v string
			dst     **big.Int
		}{{"d", j.D, &priv.D}, {"p", j.P, nil}, {"q", j.Q, nil}} {
			x, err := j.int(f.name, f.v)
			if err != nil {
				return err
			}
			if f.dst != nil {
				*f.dst = x
			} else {
				priv.Primes = append(priv.Primes, x)
			}
		}
		if err := priv.Validate(); err != nil {
			return dataError("the JWK is not a valid RSA private key: %v", err)
		}
		priv.Precompute()
		k.priv = priv
	case "EC":
		if j.Crv != k.curve {
			return dataError("the JWK's curve is %q, not %q", j.Crv, k.curve)
		}
		x, err := j.bytes("x", j.X)
		if err != nil {
			return err
		}
		y, err := j.bytes("y", j.Y)
		if err != nil {
			return err
		}
		size := (namedCurve(k.curve).Params().BitSize + 7) / 8
		if len(x) != size || len(y) != size {
			return dataError("the JWK's x and y must be %d bytes each on %s", size, k.curve)
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(namedCurve(k.curve), append(append([]byte{4}, x...), y...))
		if err != nil {
			return dataError("the JWK's point is not on %s", k.curve)
		}
		k.pub = pub
		if j.D == "" {
			return nil
		}
		d, err := j.bytes("d", j.D)
		if err != nil {
			return err
		}
		priv, err := ecdsa.ParseRawPrivateKey(namedCurve(k.curve), d)
		if err != nil || !priv.PublicKey.Equal(pub) {
			return dataError("the JWK's d does not belong to its x and y")
		}
		k.priv = priv
	case "OKP":
		if j.Crv != "Ed25519" {
			return dataError("the JWK's curve is %q, not \"Ed25519\"", j.Crv)
		}
		x, err := j.bytes("x", j.X)
		if err != nil {
			return err
		}
		if len(x) != ed25519.PublicKeySize {
			return dataError("the JWK's x must be 32 bytes")
		}
		k.pub = ed25519.PublicKey(x)
		if j.D == "" {
			return nil
		}
		d, err := j.bytes("d", j.D)
		if err != nil {
			return err
		}
		if len(d) != ed25519.SeedSize {
			return dataError("the JWK's d must be 32 bytes")
		}
		priv := ed25519.NewKeyFromSeed(d)
		if !priv.Public().(ed25519.PublicKey).Equal(k.pub) {
			return dataError("the JWK's d does not belong to its x")
		}
		k.priv = priv
	}
	return nil
}

// exportKey writes the key in format; "jwk" gives the JWK's key members as
// JSON (crypto.js adds alg, ext and key_ops).
func (k *cryptoKey) exportKey(format string) ([]byte, error) {
	switch format {
	case "raw":
		switch p := k.pub.(type) {
		case nil:
			if k.alg == "HKDF" || k.alg == "PBKDF2" {
				break
			}
			return append([]byte(nil), k.secret...), nil
		case *ecdsa.PublicKey:
			if k.priv == nil {
				return p.Bytes()
			}
		case ed25519.PublicKey:
			if k.priv == nil {
				return append([]byte(nil), p...), nil
			}
		}
	case "spki":
		if k.pub != nil && k.priv == nil {
			return x509.MarshalPKIXPublicKey(k.pub)
		}
	case "pkcs8":
		if k.priv != nil {
			return x509.MarshalPKCS8PrivateKey(k.priv)
		}
	case "jwk":
		return k.jwk()
	}
	return nil, &cryptoError{"InvalidAccessError", fmt.Sprintf("a %s %s key cannot be exported as '%s'", k.alg, k.keyType(), format)}
}

func (k *cryptoKey) jwk() ([]byte, error) {
	var j jwk
	enc := b64.EncodeToString
	num := func(x *big.Int) string { return enc(x.Bytes()) }
	switch p := k.pub.(type) {
	case nil:
		if k.alg == "HKDF" || k.alg == "PBKDF2" {
			return nil, &cryptoError{"InvalidAccessError", k.alg + " keys cannot be exported"}
		}
		j = jwk{Kty: "oct", K: enc(k.secret)}
	case *rsa.PublicKey:
		j = jwk{Kty: "RSA", N: num(p.N), E: num(big.NewInt(int64(p.E)))}
		if priv, ok := k.priv.(*rsa.PrivateKey); ok {
			if len(priv.Primes) != 2 {
				return nil, &cryptoError{"NotSupportedError", "a multi-prime RSA key cannot be exported as a JWK"}
			}
			j.D, j.P, j.Q = num(priv.D), num(priv.Primes[0]), num(priv.Primes[1])
			j.DP, j.DQ, j.QI = num(priv.Precomputed.Dp), num(priv.Precomputed.Dq), num(priv.Precomputed.Qinv)
		}
	case *ecdsa.PublicKey:
		b, err := p.Bytes()
		if err != nil {
			return nil, err
		}
		size := (len(b) - 1) / 2
		j = jwk{Kty: "EC", Crv: k.curve, X: enc(b[1 : 1+size]), Y: enc(b[1+size:])}
		if priv, ok := k.priv.(*ecdsa.PrivateKey); ok {
			d, err := priv.Bytes()
			if err != nil {
				return nil, err
			}
			j.D = enc(d)
		}
	case ed25519.PublicKey:
		j = jwk{Kty: "OKP", Crv: "Ed25519", X: enc(p)}
		if priv, ok := k.priv.(ed25519.PrivateKey); ok {
			j.D = enc(priv.Seed())
		}
	}
	return json.Marshal(j)
}

// generateKeyPair makes a key pair for alg. RSA keys have the exponent
// 65537 (the only one crypto/rsa generates).
func generateKeyPair(alg, curve string, modulusBits int) (pub, priv *cryptoKey, err error) {
	pub, priv = &cryptoKey{alg: alg, curve: curve}, &cryptoKey{alg: alg, curve: curve}
	switch {
	case isRSA(alg):
		key, err := rsa.GenerateKey(rand.Reader, modulusBits)
		if err != nil {
			return nil, nil, operationError("generating the RSA key failed: %v", err)
		}
		priv.priv, priv.pub, pub.pub = key, &key.PublicKey, &key.PublicKey
	case isEC(alg):
		key, err := ecdsa.GenerateKey(namedCurve(curve), rand.Reader)
		if err != nil {
			return nil, nil, operationError("generating the key failed: %v", err)
		}
		priv.priv, priv.pub, pub.pub = key, &key.PublicKey, &key.PublicKey
	case alg == "Ed25519":
		p, s, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, operationError("generating the key failed: %v", err)
		}
		priv.priv, priv.pub, pub.pub = s, p, p
	default:
		return nil, nil, &cryptoError{"NotSupportedError", "cannot generate a key pair for " + alg}
	}
	return pub, priv, nil
}

func hashOf(name string, data []byte) (crypto.Hash, []byte) {
	h := cryptoHashes[name]
	return h, digest(name, data)
}

// sign signs data with the private key k: hash and saltLength as the
// algorithm's parameters give them (hash from the key for RSA).
func (k *cryptoKey) sign(hash string, saltLength int, data []byte) ([]byte, error) {
	switch priv := k.priv.(type) {
	case *rsa.PrivateKey:
		h, sum := hashOf(hash, data)
		if k.alg == "RSA-PSS" {
			return rsa.SignPSS(rand.Reader, priv, h, sum, &rsa.PSSOptions{SaltLength: saltLength})
		}
		return rsa.SignPKCS1v15(rand.Reader, priv, h, sum)
	case *ecdsa.PrivateKey:
		_, sum := hashOf(hash, data)
		der, err := ecdsa.SignASN1(rand.Reader, priv, sum)
		if err != nil {
			return nil, operationError("signing failed: %v", err)
		}
		var rs struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(der, &rs); err != nil {
			return nil, operationError("signing failed: %v", err)
		}
		size := (priv.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		rs.R.FillBytes(out[:size])
		rs.S.FillBytes(out[size:])
		return out, nil
	case ed25519.PrivateKey:
		return ed25519.Sign(priv, data), nil
	}
	return nil, &cryptoError{"InvalidAccessError", "the key cannot sign"}
}

// verify checks sig over data with the public key k.
func (k *cryptoKey) verify(hash string, saltLength int, sig, data []byte) bool {
	switch pub := k.pub.(type) {
	case *rsa.PublicKey:
		h, sum := hashOf(hash, data)
		if k.alg == "RSA-PSS" {
			return rsa.VerifyPSS(pub, h, sum, sig, &rsa.PSSOptions{SaltLength: saltLength}) == nil
		}
		return rsa.VerifyPKCS1v15(pub, h, sum, sig) == nil
	case *ecdsa.PublicKey:
		size := (pub.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return false
		}
		_, sum := hashOf(hash, data)
		der, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])})
		return err == nil && ecdsa.VerifyASN1(pub, sum, der)
	case ed25519.PublicKey:
		return len(sig) == ed25519.SignatureSize && ed25519.Verify(pub, data, sig)
	}
	return false
}

// aesGCM encrypts (seal) or decrypts data with the AES key k.
func (k *cryptoKey) aesGCM(seal bool, iv, aad []byte, tagBits int, data []byte) ([]byte, error) {
	block, err := aes.NewCipher(k.secret)
	if err != nil {
		return nil, operationError("%v", err)
	}
	var aead cipher.AEAD
	switch {
	case len(iv) == 12:
		aead, err = cipher.NewGCMWithTagSize(block, tagBits/8)
	case tagBits == 128 && len(iv) > 0:
		aead, err = cipher.NewGCMWithNonceSize(block, len(iv))
	default:
		return nil, &cryptoError{"NotSupportedError", fmt.Sprintf("AES-GCM with a %d-byte iv and a %d-bit tag is not supported by host (a 12-byte iv takes any tag length from 96 bits; others need 128)", len(iv), tagBits)}
	}
	if err != nil {
		return nil, operationError("%v", err)
	}
	if seal {
		return aead.Seal(nil, iv, data, aad), nil
	}
	out, err := aead.Open(nil, iv, data, aad)
	if err != nil {
		return nil, operationError("the data could not be decrypted (wrong key, iv or additionalData, or the data was changed)")
	}
	return out, nil
}

// rsaOAEP encrypts with the public key or decrypts with the private one.
func (k *cryptoKey) rsaOAEP(seal bool, hash string, label, data []byte) ([]byte, error) {
	h := cryptoHashes[hash].New()
	if seal {
		out, err := rsa.EncryptOAEP(h, rand.Reader, k.pub.(*rsa.PublicKey), data, label)
		if err != nil {
			return nil, operationError("%v", err)
		}
		return out, nil
	}
	out, err := rsa.DecryptOAEP(h, nil, k.priv.(*rsa.PrivateKey), data, label)
	if err != nil {
		return nil, operationError("the data could not be decrypted")
	}
	return out, nil
}

// deriveParams are deriveBits' algorithm parameters.
type deriveParams struct {
	hash       string
	salt, info []byte
	iterations int
	public     *cryptoKey // ECDH: the peer's public key
}

// deriveBits derives bits bits (a multiple of 8 for HKDF and PBKDF2; -1
// for ECDH's whole secret) from the base key k.
func (k *cryptoKey) deriveBits(p deriveParams, bits int) ([]byte, error) {
	switch k.alg {
	case "ECDH":
		priv, err := k.priv.(*ecdsa.PrivateKey).ECDH()
		if err != nil {
			return nil, operationError("%v", err)
		}
		pub, err := p.public.pub.(*ecdsa.PublicKey).ECDH()
		if err != nil {
			return nil, operationError("%v", err)
		}
		secret, err := priv.ECDH(pub)
		if err != nil {
			return nil, operationError("%v", err)
		}
		if bits < 0 {
			return secret, nil
		}
		if bits > 8*len(secret) {
			return nil, operationError("length %d is more than the %d bits ECDH on %s gives", bits, 8*len(secret), k.curve)
		}
		out := secret[:(bits+7)/8]
		if r := bits % 8; r != 0 {
			out[len(out)-1] &= 0xff << (8 - r)
		}
		return out, nil
	case "HKDF":
		out, err := hkdf.Key(hashes[p.hash], k.secret, p.salt, string(p.info), bits/8)
		if err != nil {
			return nil, operationError("%v", err)
		}
		return out, nil
	case "PBKDF2":
		out, err := pbkdf2.Key(hashes[p.hash], string(k.secret), p.salt, p.iterations, bits/8)
		if err != nil {
			return nil, operationError("%v", err)
		}
		return out, nil
	}
	return nil, &cryptoError{"InvalidAccessError", k.alg + " keys do not derive bits"}
}

// Natives (crypto.js). They run on the loop.

// throwCrypto throws err as crypto.js expects: a DOMException named by a
// cryptoError, else an OperationError.
func (b *binding) throwCrypto(op string, err error) {
	name := "OperationError"
	if ce, ok := err.(*cryptoError); ok {
		name = ce.name
	}
	b.throwDOM(name, "crypto.subtle."+op+": "+err.Error())
}

func (b *binding) cryptoKeyOf(op string, v goja.Value) *cryptoKey {
	k, ok := v.Export().(*cryptoKey)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("Failed to execute '%s' on 'SubtleCrypto': not a key", op))
	}
	return k
}

// optBytes is a BufferSource argument that may be null or undefined.
func (b *binding) optBytes(v goja.Value) []byte {
	if goja.IsNull(v) || goja.IsUndefined(v) {
		return nil
	}
	return b.bytes(v)
}

// keyInfo is the algorithm detail crypto.js shows on a CryptoKey.
func (b *binding) keyInfo(k *cryptoKey) goja.Value {
	o := b.vm.NewObject()
	if pub, ok := k.pub.(*rsa.PublicKey); ok {
		_ = o.Set("modulusLength", pub.N.BitLen())
		_ = o.Set("publicExponent", b.vm.NewArrayBuffer(big.NewInt(int64(pub.E)).Bytes()))
	}
	if k.alg == "AES-GCM" {
		_ = o.Set("length", 8*len(k.secret))
	}
	return o
}

// keyImport(alg, format, BufferSource | JWK JSON, curve) -> [handle, type, info]
func (b *binding) keyImport(call goja.FunctionCall) goja.Value {
	alg, format := call.Argument(0).String(), call.Argument(1).String()
	var data []byte
	if format == "jwk" {
		data = []byte(call.Argument(2).String())
	} else {
		data = b.bytes(call.Argument(2))
	}
	k, err := importKey(alg, format, data, call.Argument(3).String())
	if err != nil {
		b.throwCrypto("importKey", err)
	}
	return b.vm.NewArray(k, k.keyType(), b.keyInfo(k))
}

// keyGenerate(alg, curve, modulusLength) -> Promise<[public, private, info]>
func (b *binding) keyGenerate(call goja.FunctionCall) goja.Value {
	alg, curve, bits := call.Argument(0).String(), call.Argument(1).String(), int(call.Argument(2).ToInteger())
	return b.rt.Go(func(context.Context) (any, error) {
		pub, priv, err := generateKeyPair(alg, curve, bits)
		if err != nil {
			return nil, err
		}
		return jsrt.ToJS(func(vm *goja.Runtime) (goja.Value, error) {
			return vm.NewArray(pub, priv, b.keyInfo(pub)), nil
		}), nil
	})
}

// keyExport(handle, format) -> ArrayBuffer, or the JWK's JSON for "jwk".
// HMAC keys (hmacKey) export as raw bytes or an oct JWK.
func (b *binding) keyExport(call goja.FunctionCall) goja.Value {
	format := call.Argument(1).String()
	var k *cryptoKey
	if hk, ok := call.Argument(0).Export().(*hmacKey); ok {
		k = &cryptoKey{alg: "HMAC", secret: hk.key}
	} else {
		k = b.cryptoKeyOf("exportKey", call.Argument(0))
	}
	out, err := k.exportKey(format)
	if err != nil {
		b.throwCrypto("exportKey", err)
	}
	if format == "jwk" {
		return b.vm.ToValue(string(out))
	}
	return b.arrayBuffer(out)
}

// keySign(handle, hash, saltLength, data) -> ArrayBuffer
func (b *binding) keySign(call goja.FunctionCall) goja.Value {
	k := b.cryptoKeyOf("sign", call.Argument(0))
	sig, err := k.sign(call.Argument(1).String(), int(call.Argument(2).ToInteger()), b.bytes(call.Argument(3)))
	if err != nil {
		b.throwCrypto("sign", err)
	}
	return b.arrayBuffer(sig)
}

// keyVerify(handle, hash, saltLength, signature, data) -> boolean
func (b *binding) keyVerify(call goja.FunctionCall) goja.Value {
	k := b.cryptoKeyOf("verify", call.Argument(0))
	return b.vm.ToValue(k.verify(call.Argument(1).String(), int(call.Argument(2).ToInteger()), b.bytes(call.Argument(3)), b.bytes(call.Argument(4))))
}

// aesGCM(handle, encrypt, iv, additionalData|null, tagLength, data) -> ArrayBuffer
func (b *binding) aesGCM(call goja.FunctionCall) goja.Value {
	k := b.cryptoKeyOf("encrypt", call.Argument(0))
	seal := call.Argument(1).ToBoolean()
	out, err := k.aesGCM(seal, b.bytes(call.Argument(2)), b.optBytes(call.Argument(3)), int(call.Argument(4).ToInteger()), b.bytes(call.Argument(5)))
	if err != nil {
		b.throwCrypto(map[bool]string{true: "encrypt", false: "decrypt"}[seal], err)
	}
	return b.arrayBuffer(out)
}

// rsaOAEP(handle, encrypt, hash, label|null, data) -> ArrayBuffer
func (b *binding) rsaOAEP(call goja.FunctionCall) goja.Value {
	k := b.cryptoKeyOf("encrypt", call.Argument(0))
	seal := call.Argument(1).ToBoolean()
	out, err := k.rsaOAEP(seal, call.Argument(2).String(), b.optBytes(call.Argument(3)), b.bytes(call.Argument(4)))
	if err != nil {
		b.throwCrypto(map[bool]string{true: "encrypt", false: "decrypt"}[seal], err)
	}
	return b.arrayBuffer(out)
}

// keyDerive(handle, hash, salt|null, info|null, iterations, public|null,
// bits) -> ArrayBuffer, or a Promise of one for PBKDF2 (slow by design).
func (b *binding) keyDerive(call goja.FunctionCall) goja.Value {
	k := b.cryptoKeyOf("deriveBits", call.Argument(0))
	p := deriveParams{
		hash:       call.Argument(1).String(),
		salt:       bytes.Clone(b.optBytes(call.Argument(2))),
		info:       b.optBytes(call.Argument(3)),
		iterations: int(call.Argument(4).ToInteger()),
	}
	if v := call.Argument(5); !goja.IsNull(v) && !goja.IsUndefined(v) {
		p.public = b.cryptoKeyOf("deriveBits", v)
	}
	bits := int(call.Argument(6).ToInteger())
	if k.alg == "PBKDF2" {
		return b.rt.Go(func(context.Context) (any, error) {
			out, err := k.deriveBits(p, bits)
			if err != nil {
				return nil, err
			}
			return arrayBufferOf(out), nil
		})
	}
	out, err := k.deriveBits(p, bits)
	if err != nil {
		b.throwCrypto("deriveBits", err)
	}
	return b.arrayBuffer(out)
}
