package crypto_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"host/internal/hosttest"
	"host/jsrt"
)

// joseClient is what a plugin writes with jose (npm): a GitHub App's RS256
// JWT from its PKCS #8 PEM key, an ES256 key pair, EdDSA, and verifying a
// token someone else signed.
const joseClient = `
import { SignJWT, jwtVerify, importPKCS8, importSPKI, exportSPKI, generateKeyPair, exportJWK, importJWK } from "jose";

export async function run(pkcs8: string, goToken: string, goSPKI: string) {
  const app = await importPKCS8(pkcs8, "RS256");
  const rs256 = await new SignJWT({ iss: "12345" }).setProtectedHeader({ alg: "RS256" })
    .setIssuedAt(1700000000).setExpirationTime(1900000000).sign(app);
  const es = await generateKeyPair("ES256", { extractable: true });
  const es256 = await new SignJWT({ sub: "me" }).setProtectedHeader({ alg: "ES256" }).sign(es.privateKey);
  const self = (await jwtVerify(es256, es.publicKey)).payload.sub;
  const ed = await generateKeyPair("EdDSA", { extractable: true });
  const jwk = await exportJWK(ed.publicKey);
  const edToken = await new SignJWT({ n: 1 }).setProtectedHeader({ alg: "EdDSA" }).sign(ed.privateKey);
  const edBack = (await jwtVerify(edToken, await importJWK(jwk, "EdDSA"))).payload.n;
  const go = (await jwtVerify(goToken, await importSPKI(goSPKI, "ES256"), { issuer: "go" })).payload;
  let tampered = "verified";
  try {
    await jwtVerify(goToken.slice(0, -4) + "AAAA", await importSPKI(goSPKI, "ES256"));
  } catch (e) {
    tampered = (e as Error).name;
  }
  return { rs256, es256, esPub: await exportSPKI(es.publicKey), self, edBack, jwkKty: jwk.kty, go, tampered };
}
`

// TestJoseJWT runs jose (the npm package, installed in $HOST_JOSE_DIR by
// .ci/run) on host's Web Crypto: its RS256 and ES256 tokens verify with
// Go's crypto, and it verifies a token Go signed.
func TestJoseJWT(t *testing.T) {
	dir := os.Getenv("HOST_JOSE_DIR")
	if dir == "" || !fileExists(filepath.Join(dir, "node_modules", "jose", "package.json")) {
		hosttest.Require(t, "HOST_JOSE_DIR is not set or has no jose (npm install --prefix DIR jose@6.2.17, then HOST_JOSE_DIR=DIR; .ci/run does)")
	}
	f, err := os.CreateTemp(dir, "jose-test-*.ts")
	if err != nil {
		t.Fatal(err)
	}
	entry := f.Name()
	f.WriteString(joseClient)
	f.Close()
	t.Cleanup(func() { os.Remove(entry) })
	b, err := jsrt.Build(jsrt.BuildOptions{Entry: entry, WorkDir: dir, Root: dir, GlobalName: "jose"})
	if err != nil {
		t.Fatal(err)
	}

	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	der, _ := x509.MarshalPKCS8PrivateKey(rsaKey)
	pkcs8 := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	goEC, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	spkiDER, _ := x509.MarshalPKIXPublicKey(&goEC.PublicKey)
	goSPKI := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spkiDER}))
	b64 := base64.RawURLEncoding.EncodeToString
	input := b64([]byte(`{"alg":"ES256"}`)) + "." + b64([]byte(`{"iss":"go","scope":"read"}`))
	sum := sha256.Sum256([]byte(input))
	r, s, _ := ecdsa.Sign(rand.Reader, goEC, sum[:])
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])

	rt := newRuntime(t)
	if err := rt.RunBundle(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	got, err := run(t, rt, fmt.Sprintf(`return await jose.run(%q, %q, %q)`, pkcs8, input+"."+b64(sig), goSPKI))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		RS256, ES256, ESPub, Self, JwkKty, Tampered string
		EdBack                                      int
		Go                                          map[string]string
	}
	if err := json.Unmarshal([]byte(got), &res); err != nil {
		t.Fatal(err)
	}
	if res.Self != "me" || res.EdBack != 1 || res.JwkKty != "OKP" || res.Go["scope"] != "read" || res.Tampered != "JWSSignatureVerificationFailed" {
		t.Fatalf("got %s", got)
	}
	split := func(tok string) ([]byte, []byte) {
		i := strings.LastIndexByte(tok, '.')
		sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
		if err != nil {
			t.Fatal(err)
		}
		return []byte(tok[:i]), sig
	}
	in, rsSig := split(res.RS256)
	sum = sha256.Sum256(in)
	if err := rsa.VerifyPKCS1v15(&rsaKey.PublicKey, crypto.SHA256, sum[:], rsSig); err != nil {
		t.Errorf("jose's RS256 token does not verify in Go: %v", err)
	}
	in, esSig := split(res.ES256)
	sum = sha256.Sum256(in)
	block, _ := pem.Decode([]byte(res.ESPub))
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !ecdsa.Verify(pub.(*ecdsa.PublicKey), sum[:], new(big.Int).SetBytes(esSig[:32]), new(big.Int).SetBytes(esSig[32:])) {
		t.Errorf("jose's ES256 token does not verify in Go")
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
