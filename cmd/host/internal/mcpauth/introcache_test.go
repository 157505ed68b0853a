package mcpauth

import (
	"bytes"
	"testing"
	"time"
)

// TestIntroCache: an answer is kept until the earlier of the TTL and the
// token's exp, under the token's hash (never the token), and the cache
// stays within its bound; a nil cache keeps nothing.
func TestIntroCache(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	yes := true
	c := newIntroCache(3)
	c.put("fake-token-a", &claims{Active: &yes}, now, 30*time.Second)
	c.put("fake-token-b", &claims{Active: &yes, Expiry: now.Add(10 * time.Second).Unix()}, now, 30*time.Second)
	c.put("fake-token-c", &claims{Active: &yes, Expiry: now.Unix()}, now, 30*time.Second) // expired: not kept
	if c.len() != 2 {
		t.Fatalf("%d entries, want 2", c.len())
	}
	for k := range c.m {
		if bytes.Contains(k[:], []byte("fake-token")) {
			t.Fatal("the cache key holds the token")
		}
	}
	at := func(d time.Duration, tok string) bool { _, ok := c.get(tok, now.Add(d)); return ok }
	if !at(9*time.Second, "fake-token-b") || at(10*time.Second, "fake-token-b") {
		t.Error("b's answer is not bounded by its exp")
	}
	if !at(29*time.Second, "fake-token-a") || at(30*time.Second, "fake-token-a") {
		t.Error("a's answer is not bounded by the TTL")
	}
	for _, tok := range []string{"fake-1", "fake-2", "fake-3", "fake-4"} {
		c.put(tok, &claims{Active: &yes}, now, time.Minute)
	}
	if c.len() > 3 {
		t.Errorf("%d entries past the bound of 3", c.len())
	}
	var none *introCache
	none.put("fake-token-a", &claims{Active: &yes}, now, time.Minute)
	if _, ok := none.get("fake-token-a", now); ok {
		t.Error("a nil cache answered")
	}
}

// TestMetadataURLs: RFC 8414 §3.1's path insertion, then OpenID Connect
// discovery's places.
func TestMetadataURLs(t *testing.T) {
	for issuer, want := range map[string][]string{
		"https://as.example":         {"https://as.example/.well-known/oauth-authorization-server", "https://as.example/.well-known/openid-configuration"},
		"https://as.example/":        {"https://as.example/.well-known/oauth-authorization-server", "https://as.example/.well-known/openid-configuration"},
		"https://as.example/tenant1": {"https://as.example/.well-known/oauth-authorization-server/tenant1", "https://as.example/.well-known/openid-configuration/tenant1", "https://as.example/tenant1/.well-known/openid-configuration"},
	} {
		got := metadataURLs(issuer)
		if len(got) != len(want) {
			t.Errorf("%s: %v", issuer, got)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: %v, want %v", issuer, got, want)
				break
			}
		}
	}
}
