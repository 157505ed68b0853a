package mcpauth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Introspection answers are cached so that each request of an MCP session
// does not cost a round trip to the issuer. The key is the SHA-256 of the
// token, never the token itself (a memory dump of the serve holds no usable
// token). An answer is reused until the earliest of: the token's exp, and
// the TTL after it was asked (IssuerOptions.IntrospectionCacheTTL). So a
// token revoked at the issuer is still accepted for at most that TTL; a
// token the issuer called inactive is never cached (it is asked again).

// maxCachedTokens bounds the cache: past it, expired entries are dropped,
// then arbitrary ones.
const maxCachedTokens = 4096

type introEntry struct {
	c     *claims
	until time.Time
}

// introCache is the cache of introspection answers. A nil *introCache
// caches nothing. Safe for concurrent use.
type introCache struct {
	mu  sync.Mutex
	max int
	m   map[[sha256.Size]byte]introEntry
}

func newIntroCache(max int) *introCache {
	return &introCache{max: max, m: map[[sha256.Size]byte]introEntry{}}
}

// get returns the answer cached for token, if it is still good at now.
func (c *introCache) get(token string, now time.Time) (*claims, bool) {
	if c == nil {
		return nil, false
	}
	k := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return nil, false
	}
	if !now.Before(e.until) {
		delete(c.m, k)
		return nil, false
	}
	return e.c, true
}

// put caches an active token's answer, asked at now, for up to ttl and
// never past its exp.
func (c *introCache) put(token string, cl *claims, now time.Time, ttl time.Duration) {
	if c == nil {
		return
	}
	until := now.Add(ttl)
	if cl.Expiry > 0 {
		if exp := time.Unix(cl.Expiry, 0); exp.Before(until) {
			until = exp
		}
	}
	if !now.Before(until) {
		return
	}
	k := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for k, e := range c.m {
			if !now.Before(e.until) {
				delete(c.m, k)
			}
		}
		for k := range c.m {
			if len(c.m) < c.max {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[k] = introEntry{c: cl, until: until}
}

// len is how many answers are cached.
func (c *introCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
