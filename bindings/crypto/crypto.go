package crypto

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
)

// hashes are the digests crypto.subtle supports, by WebCrypto name.
var hashes = map[string]func() hash.Hash{
	"SHA-1":   sha1.New,
	"SHA-256": sha256.New,
	"SHA-384": sha512.New384,
	"SHA-512": sha512.New,
}

// digest computes the named hash of data.
func digest(name string, data []byte) []byte {
	switch name {
	case "SHA-1":
		s := sha1.Sum(data)
		return s[:]
	case "SHA-256":
		s := sha256.Sum256(data)
		return s[:]
	case "SHA-384":
		s := sha512.Sum384(data)
		return s[:]
	case "SHA-512":
		s := sha512.Sum512(data)
		return s[:]
	}
	return nil
}

// hmacKey is the secret half of a CryptoKey for HMAC. Its bytes never leave
// Go except through sign results.
type hmacKey struct {
	hash string
	key  []byte
	mac  hash.Hash // reused on the loop goroutine; nil until first use
}

// sum computes the MAC of data. reuse lets the loop goroutine reuse the
// key's hash state; other goroutines must pass false.
func (k *hmacKey) sum(data []byte, reuse bool) []byte {
	if !reuse {
		m := hmac.New(hashes[k.hash], k.key)
		m.Write(data)
		return m.Sum(nil)
	}
	if k.mac == nil {
		k.mac = hmac.New(hashes[k.hash], k.key)
	} else {
		k.mac.Reset()
	}
	k.mac.Write(data)
	return k.mac.Sum(nil)
}

// String hides the key from fmt.
func (k *hmacKey) String() string { return "HMAC key (" + k.hash + ")" }

// randomUUID returns a version 4 UUID from crypto/rand.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0F | 0x40
	b[8] = b[8]&0x3F | 0x80
	const hexDigits = "0123456789abcdef"
	var out [36]byte
	j := 0
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j] = hexDigits[x>>4]
		out[j+1] = hexDigits[x&15]
		j += 2
	}
	return string(out[:])
}
