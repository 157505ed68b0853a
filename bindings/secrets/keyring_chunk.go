package secrets

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultLimit is the largest value, in bytes, that one OS keyring item
// on goos holds through go-keyring, or 0 where there is no practical
// limit (Linux and the other Secret Service systems):
//
//   - windows: 2560, the Credential Manager's blob limit (chunks carry no
//     header, so the whole item is data);
//   - darwin: 1900. go-keyring passes the value base64-encoded (4/3 the
//     size, plus an 18-byte prefix) on one `security -i` command line of at
//     most 4096 bytes, shared with the shell-quoted service and account
//     names; 1900 bytes leave room for the longest names a plugin can have.
func DefaultLimit(goos string) int {
	switch goos {
	case "windows":
		return 2560
	case "darwin", "ios":
		return 1900
	}
	return 0
}

// NewOSKeyring returns the keyring backend the host uses: NewKeyring
// wrapped in Chunked with DefaultLimit for the running OS, so a value
// larger than one item holds (a long JWT on Windows or macOS) is split
// across items. On Linux the limit is 0 and it behaves exactly as
// NewKeyring.
func NewOSKeyring() *Chunked {
	return &Chunked{Backend: NewKeyring(), Limit: DefaultLimit(runtime.GOOS)}
}

// chunkMagic starts a head item: "host-chunked:v1:<gen>:<n>:<len>:<sum>".
const chunkMagic = "host-chunked:v1:"

// minChunkLimit is the smallest Limit Chunked accepts: a head item must
// fit in one item.
const minChunkLimit = 64

// readAttempts is how often Get re-reads a split value whose parts
// changed under it (another process replacing the value).
const readAttempts = 3

// Chunked is a Backend that splits values longer than Limit bytes across
// several items of the wrapped Backend and joins them on read. A value of
// at most Limit bytes is stored as is, so items stay readable by other
// tools (secret-tool, Keychain Access). A longer one is stored as parts
// "<user>#<gen>.1" ... "<user>#<gen>.<n>" (gen is random per write, parts
// split at UTF-8 boundaries) and a head item under user itself holding
// gen, the part count, the length and a checksum.
//
// Set writes the new parts first, then the head, then deletes the parts of
// the value it replaced, so a failure at any step leaves the previous value
// readable; at worst unreferenced parts of a failed write stay behind.
// Concurrent writers of one key never mix parts (each write has its own
// gen); the last head written wins. Get verifies length and checksum and
// re-reads when another writer replaced the value meanwhile.
//
// Limit 0 (or less) passes every call straight through. Values that start
// like a head item are always split, so they cannot be misread. Safe for
// concurrent use if the wrapped Backend is; a call makes several backend
// calls, each bounded by ctx and the backend's own timeout.
type Chunked struct {
	Backend
	Limit int
}

// Get returns the value, joining its parts when it was split.
func (c *Chunked) Get(ctx context.Context, service, user string) (string, error) {
	if c.Limit <= 0 {
		return c.Backend.Get(ctx, service, user)
	}
	var lastErr error
	for range readAttempts {
		v, retry, err := c.get(ctx, service, user)
		if !retry {
			return v, err
		}
		lastErr = err
	}
	return "", lastErr
}

// get reads once; retry reports a split value whose parts did not match
// its head (possibly replaced meanwhile).
func (c *Chunked) get(ctx context.Context, service, user string) (v string, retry bool, err error) {
	v, err = c.Backend.Get(ctx, service, user)
	if err != nil || !strings.HasPrefix(v, chunkMagic) {
		return v, false, err
	}
	h, err := parseHead(v)
	if err != nil {
		return "", false, c.damaged(service, user, err.Error())
	}
	var sb strings.Builder
	sb.Grow(h.length)
	for i := 1; i <= h.n; i++ {
		part, err := c.Backend.Get(ctx, service, partUser(user, h.gen, i))
		if errors.Is(err, ErrNotFound) {
			return "", true, c.damaged(service, user, fmt.Sprintf("part %d of %d is missing", i, h.n))
		}
		if err != nil {
			return "", false, err
		}
		sb.WriteString(part)
	}
	joined := sb.String()
	if len(joined) != h.length || checksum(joined) != h.sum {
		return "", true, c.damaged(service, user, "its parts do not match its head")
	}
	return joined, false, nil
}

// Set stores value, split when longer than Limit.
func (c *Chunked) Set(ctx context.Context, service, user, value string) error {
	if c.Limit <= 0 {
		return c.Backend.Set(ctx, service, user, value)
	}
	if c.Limit < minChunkLimit {
		return fmt.Errorf("secrets: Chunked.Limit %d is below the minimum %d", c.Limit, minChunkLimit)
	}
	old, err := c.oldHead(ctx, service, user)
	if err != nil {
		return err
	}
	if len(value) <= c.Limit && !strings.HasPrefix(value, chunkMagic) {
		if err := c.Backend.Set(ctx, service, user, value); err != nil {
			return err
		}
		c.deleteParts(ctx, service, user, old)
		return nil
	}
	h := head{n: 0, length: len(value), sum: checksum(value)}
	var g [4]byte
	if _, err := rand.Read(g[:]); err != nil {
		return err
	}
	h.gen = hex.EncodeToString(g[:])
	parts := split(value, c.Limit)
	h.n = len(parts)
	for i, p := range parts {
		if err := c.Backend.Set(ctx, service, partUser(user, h.gen, i+1), p); err != nil {
			c.deleteParts(ctx, service, user, &head{gen: h.gen, n: i})
			return err
		}
	}
	if err := c.Backend.Set(ctx, service, user, h.String()); err != nil {
		c.deleteParts(ctx, service, user, &h)
		return err
	}
	c.deleteParts(ctx, service, user, old)
	return nil
}

// Delete removes the value and its parts; ErrNotFound when there is none.
func (c *Chunked) Delete(ctx context.Context, service, user string) error {
	if c.Limit <= 0 {
		return c.Backend.Delete(ctx, service, user)
	}
	old, err := c.oldHead(ctx, service, user)
	if err != nil {
		return err
	}
	if err := c.Backend.Delete(ctx, service, user); err != nil {
		return err
	}
	c.deleteParts(ctx, service, user, old)
	return nil
}

// Probe checks the wrapped backend (see the package-level Probe).
func (c *Chunked) Probe(ctx context.Context) error { return Probe(ctx, c.Backend) }

// oldHead returns the head stored under user, nil when the item holds a
// plain value or does not exist. A damaged head counts as none: writing a
// new value repairs it.
func (c *Chunked) oldHead(ctx context.Context, service, user string) (*head, error) {
	v, err := c.Backend.Get(ctx, service, user)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	case !strings.HasPrefix(v, chunkMagic):
		return nil, nil
	}
	h, err := parseHead(v)
	if err != nil {
		return nil, nil
	}
	return &h, nil
}

// deleteParts removes the parts h names, best effort: an unreferenced part
// is harmless, and the caller's operation has already succeeded or failed
// on its own account.
func (c *Chunked) deleteParts(ctx context.Context, service, user string, h *head) {
	if h == nil {
		return
	}
	for i := 1; i <= h.n; i++ {
		_ = c.Backend.Delete(ctx, service, partUser(user, h.gen, i))
	}
}

func (c *Chunked) damaged(service, user, what string) error {
	return fmt.Errorf("%s item %q of service %q was stored in parts and %s; set it again", c.Name(), user, service, what)
}

func partUser(user, gen string, i int) string { return user + "#" + gen + "." + strconv.Itoa(i) }

type head struct {
	gen       string
	n, length int
	sum       string
}

func (h head) String() string {
	return fmt.Sprintf("%s%s:%d:%d:%s", chunkMagic, h.gen, h.n, h.length, h.sum)
}

func parseHead(v string) (head, error) {
	f := strings.Split(strings.TrimPrefix(v, chunkMagic), ":")
	if len(f) != 4 || len(f[0]) != 8 || len(f[3]) != 16 {
		return head{}, errors.New("its head is damaged")
	}
	n, err1 := strconv.Atoi(f[1])
	length, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || n < 1 || n > 10000 || length < 0 {
		return head{}, errors.New("its head is damaged")
	}
	return head{gen: f[0], n: n, length: length, sum: f[3]}, nil
}

// checksum is the first 8 bytes of SHA-256, hex. It detects mismatched
// parts; it reveals nothing the keyring item beside it does not.
func checksum(v string) string {
	s := sha256.Sum256([]byte(v))
	return hex.EncodeToString(s[:8])
}

// split cuts v into parts of at most limit bytes, at UTF-8 boundaries
// where possible.
func split(v string, limit int) []string {
	var parts []string
	for len(v) > 0 {
		end := min(limit, len(v))
		if end < len(v) {
			e := end
			for e > end-utf8.UTFMax && e > 0 && !utf8.RuneStart(v[e]) {
				e--
			}
			if e > 0 {
				end = e
			}
		}
		parts = append(parts, v[:end])
		v = v[end:]
	}
	if len(parts) == 0 {
		parts = []string{""}
	}
	return parts
}

var _ Backend = (*Chunked)(nil)
