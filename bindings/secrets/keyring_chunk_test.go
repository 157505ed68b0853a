package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"host/bindings/secrets"
)

// bigValue is a fake secret of n bytes with multi-byte runes, so parts
// split at rune boundaries.
func bigValue(n int) string {
	var sb strings.Builder
	for i := 0; sb.Len() < n; i++ {
		fmt.Fprintf(&sb, "fake-%05d-ü-🔑.", i)
	}
	return sb.String()[:n] // may end mid-rune; Chunked must keep the bytes as they are
}

// asciiValue is a fake secret of n ASCII bytes: parts of exactly Limit.
func asciiValue(n int) string { return strings.Repeat("fake-data-", n/10+1)[:n] }

func TestChunkedRealSecretService(t *testing.T) {
	s := realKeyring(t)
	c := &secrets.Chunked{Backend: secrets.NewKeyring(), Limit: 1000}
	ctx := context.Background()
	const svc, user = "host:chunk-test", "oauth_access_token"
	big := bigValue(10 << 10)

	if err := c.Set(ctx, svc, user, big); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(ctx, svc, user); err != nil || got != big {
		t.Fatalf("Get = %d bytes, %v; want the 10 KB set", len(got), err)
	}
	gen, n := lookupHead(t, s, svc, user)
	if n != 11 {
		t.Fatalf("10240 bytes in items of 1000: %d parts, want 11", n)
	}
	for i := 1; i <= n; i++ {
		part, err := s.Lookup(svc, fmt.Sprintf("%s#%s.%d", user, gen, i))
		if err != nil || len(part) > 1000 || len(part) < 997 && i < n || !utf8.ValidString(part) {
			t.Fatalf("part %d: %d bytes, %v", i, len(part), err)
		}
	}

	// Shrinking to 3 KB: new parts, the 11 old ones gone.
	mid := bigValue(3000)
	if err := c.Set(ctx, svc, user, mid); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(ctx, svc, user); err != nil || got != mid {
		t.Fatalf("Get after shrinking = %d bytes, %v", len(got), err)
	}
	for i := 1; i <= n; i++ {
		if _, err := s.Lookup(svc, fmt.Sprintf("%s#%s.%d", user, gen, i)); err == nil {
			t.Errorf("stale part %d still in the keyring", i)
		}
	}
	gen2, n2 := lookupHead(t, s, svc, user)

	// Small enough for one item: stored as is, readable with secret-tool.
	if err := c.Set(ctx, svc, user, "fake-small-token"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Lookup(svc, user); err != nil || v != "fake-small-token" {
		t.Fatalf("secret-tool lookup of a small value = %q, %v", v, err)
	}
	for i := 1; i <= n2; i++ {
		if _, err := s.Lookup(svc, fmt.Sprintf("%s#%s.%d", user, gen2, i)); err == nil {
			t.Errorf("stale part %d still in the keyring after storing a small value", i)
		}
	}

	// Delete removes the head and every part.
	if err := c.Set(ctx, svc, user, big); err != nil {
		t.Fatal(err)
	}
	gen3, n3 := lookupHead(t, s, svc, user)
	if err := c.Delete(ctx, svc, user); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, svc, user); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	for i := 1; i <= n3; i++ {
		if _, err := s.Lookup(svc, fmt.Sprintf("%s#%s.%d", user, gen3, i)); err == nil {
			t.Errorf("part %d survived Delete", i)
		}
	}
}

func lookupHead(t *testing.T, s interface {
	Lookup(string, string) (string, error)
}, svc, user string) (string, int) {
	t.Helper()
	h, err := s.Lookup(svc, user)
	if err != nil {
		t.Fatal(err)
	}
	var gen string
	var n, length int
	var sum string
	f := strings.Split(strings.TrimPrefix(h, "host-chunked:v1:"), ":")
	if len(f) == 4 {
		gen, sum = f[0], f[3]
		_, _ = fmt.Sscan(f[1], &n)
		_, _ = fmt.Sscan(f[2], &length)
	}
	if !strings.HasPrefix(h, "host-chunked:v1:") || n == 0 || sum == "" || length == 0 {
		t.Fatalf("head item = %q, want host-chunked:v1:<gen>:<n>:<len>:<sum>", h)
	}
	return gen, n
}

// platformKeyring stands in for the Windows and macOS keyrings' size
// checks as go-keyring makes them, on top of a Memory.
type platformKeyring struct {
	*secrets.Memory
	goos string
}

func (p platformKeyring) Set(ctx context.Context, service, user, value string) error {
	switch p.goos {
	case "windows":
		if len(value) > 2560 || len(service) >= 512 {
			return secrets.ErrValueTooBig
		}
	case "darwin":
		// go-keyring: add-generic-password -U -s %s -a %s -w %s\n, shell-quoted,
		// the value base64-encoded with a prefix; at most 4096 bytes.
		pw := "go-keyring-base64:" + strings.Repeat("A", (len(value)+2)/3*4)
		cmd := fmt.Sprintf("add-generic-password -U -s %s -a %s -w %s\n", shQuote(service), shQuote(user), shQuote(pw))
		if len(cmd) > 4096 {
			return secrets.ErrValueTooBig
		}
	}
	return p.Memory.Set(ctx, service, user, value)
}

// shQuote quotes like github.com/alessio/shellescape.Quote.
func shQuote(s string) string {
	safe := true
	for _, r := range s {
		if !(r == '_' || r == '@' || r == '%' || r == '+' || r == '=' || r == ':' || r == ',' || r == '.' || r == '/' || r == '-' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			safe = false
		}
	}
	if safe && s != "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

func TestChunkedPlatformLimits(t *testing.T) {
	longID := strings.Repeat("'", secrets.MaxKeyLen) // the worst name for shell quoting
	longKey := "config." + strings.Repeat("'", secrets.MaxKeyLen-7)
	jwt := "eyJhbGciOiJSUzI1NiJ9." + strings.Repeat("ZmFrZS1jbGFpbXM", 300) + ".fake-signature"
	for _, goos := range []string{"windows", "darwin"} {
		t.Run(goos, func(t *testing.T) {
			limit := secrets.DefaultLimit(goos)
			mem := secrets.NewMemory()
			plain := platformKeyring{Memory: mem, goos: goos}
			ctx := context.Background()
			// Without splitting the platform refuses a long token.
			if err := plain.Set(ctx, "host:x", "oauth_access_token", jwt); !errors.Is(err, secrets.ErrValueTooBig) {
				t.Fatalf("unsplit %d-byte token: err = %v, want ErrValueTooBig", len(jwt), err)
			}
			c := &secrets.Chunked{Backend: plain, Limit: limit}
			for _, tc := range []struct{ service, user, value string }{
				{"host:x", "oauth_access_token", jwt},
				{"host:x", "big", bigValue(10 << 10)},
				{"host:" + longID, longKey, bigValue(10 << 10)},
				{"host:" + longID, longKey, bigValue(limit)}, // exactly one item
				{"host:x", "small", "fake-token-123"},
			} {
				if err := c.Set(ctx, tc.service, tc.user, tc.value); err != nil {
					t.Fatalf("Set %d bytes under %d-byte names: %v", len(tc.value), len(tc.service)+len(tc.user), err)
				}
				if got, err := c.Get(ctx, tc.service, tc.user); err != nil || got != tc.value {
					t.Fatalf("Get = %d bytes, %v; want %d", len(got), err, len(tc.value))
				}
			}
		})
	}
}

func TestDefaultLimit(t *testing.T) {
	for goos, want := range map[string]int{"windows": 2560, "darwin": 1900, "linux": 0, "freebsd": 0} {
		if got := secrets.DefaultLimit(goos); got != want {
			t.Errorf("DefaultLimit(%q) = %d, want %d", goos, got, want)
		}
	}
	if secrets.NewOSKeyring().Name() != "keyring" {
		t.Error("NewOSKeyring is not the keyring")
	}
}

// flaky fails the calls fail selects, on top of a Memory.
type flaky struct {
	*secrets.Memory
	fail func(op, user string) bool
}

var errFlaky = errors.New("fake keyring failure")

func (f *flaky) Set(ctx context.Context, service, user, value string) error {
	if f.fail != nil && f.fail("set", user) {
		return errFlaky
	}
	return f.Memory.Set(ctx, service, user, value)
}

func (f *flaky) Delete(ctx context.Context, service, user string) error {
	if f.fail != nil && f.fail("delete", user) {
		return errFlaky
	}
	return f.Memory.Delete(ctx, service, user)
}

func TestChunkedPartialFailures(t *testing.T) {
	ctx := context.Background()
	old, next := asciiValue(5000), asciiValue(6995)+"-next"
	tests := []struct {
		name    string
		fail    func(op, user string) bool
		wantErr bool
		want    string // value read afterwards
		items   int    // items left in the backend
	}{
		{"third new part fails", func(op, u string) bool { return op == "set" && strings.HasSuffix(u, ".3") }, true, old, 1 + 5},
		{"head fails", func(op, u string) bool { return op == "set" && u == "tok" }, true, old, 1 + 5},
		{"deleting old parts fails", func(op, u string) bool { return op == "delete" }, false, next, 1 + 7 + 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &flaky{Memory: secrets.NewMemory()}
			c := &secrets.Chunked{Backend: f, Limit: 1000}
			if err := c.Set(ctx, "host:x", "tok", old); err != nil {
				t.Fatal(err)
			}
			f.fail = tt.fail
			err := c.Set(ctx, "host:x", "tok", next)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Set: err = %v, want error %t", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, errFlaky) {
				t.Fatalf("Set: err = %v, want the backend's error", err)
			}
			f.fail = nil
			if got, err := c.Get(ctx, "host:x", "tok"); err != nil || got != tt.want {
				t.Fatalf("Get after the failure = %d bytes, %v; want %d", len(got), err, len(tt.want))
			}
			if f.Len() != tt.items {
				t.Errorf("%d items in the backend, want %d", f.Len(), tt.items)
			}
		})
	}
}

func TestChunkedItemsAndShrinking(t *testing.T) {
	ctx := context.Background()
	m := secrets.NewMemory()
	c := &secrets.Chunked{Backend: m, Limit: 100}
	steps := []struct {
		value string
		items int
	}{
		{asciiValue(1000), 11},
		{asciiValue(250), 4},
		{"fake-short", 1},
		{asciiValue(101), 3},
		{bigValue(1000), 12},                     // parts end at rune boundaries, so some hold less
		{"host-chunked:v1:looks-like-a-head", 2}, // stored split, never misread
		{"", 1},
	}
	for _, s := range steps {
		if err := c.Set(ctx, "host:x", "tok", s.value); err != nil {
			t.Fatal(err)
		}
		if got, err := c.Get(ctx, "host:x", "tok"); err != nil || got != s.value {
			t.Fatalf("Get = %q, %v; want %d bytes", got, err, len(s.value))
		}
		if m.Len() != s.items {
			t.Errorf("after storing %d bytes: %d items, want %d", len(s.value), m.Len(), s.items)
		}
	}
	if err := c.Delete(ctx, "host:x", "tok"); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, "host:x", "tok"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("second Delete: %v", err)
	}
	if m.Len() != 0 {
		t.Fatalf("%d items left after Delete", m.Len())
	}
}

func TestChunkedDamage(t *testing.T) {
	ctx := context.Background()
	m := secrets.NewMemory()
	c := &secrets.Chunked{Backend: m, Limit: 100}
	if err := c.Set(ctx, "host:x", "tok", bigValue(300)); err != nil {
		t.Fatal(err)
	}
	head, _ := m.Get(ctx, "host:x", "tok")
	gen := strings.Split(strings.TrimPrefix(head, "host-chunked:v1:"), ":")[0]

	// A part replaced by something else: caught by the checksum.
	_ = m.Set(ctx, "host:x", "tok#"+gen+".2", strings.Repeat("x", 100))
	if _, err := c.Get(ctx, "host:x", "tok"); err == nil || !strings.Contains(err.Error(), "do not match") {
		t.Fatalf("tampered part: %v", err)
	}
	// A part missing.
	_ = m.Delete(ctx, "host:x", "tok#"+gen+".2")
	_, err := c.Get(ctx, "host:x", "tok")
	if err == nil || !strings.Contains(err.Error(), "part 2 of 3 is missing") || strings.Contains(err.Error(), "fake-") {
		t.Fatalf("missing part: %v", err)
	}
	// Setting it again repairs it.
	if err := c.Set(ctx, "host:x", "tok", "fake-repaired"); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Get(ctx, "host:x", "tok"); err != nil || v != "fake-repaired" {
		t.Fatalf("after repair: %q, %v", v, err)
	}
}

// Writers replacing one key at once never produce a mixed value.
func TestChunkedConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	m := secrets.NewMemory()
	c := &secrets.Chunked{Backend: m, Limit: 100}
	values := []string{bigValue(1000), strings.Repeat("fake-other-", 80)}
	var wg sync.WaitGroup
	for _, v := range values {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if err := c.Set(ctx, "host:x", "tok", v); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	stop := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if got, err := c.Get(ctx, "host:x", "tok"); err == nil && got != values[0] && got != values[1] {
				t.Errorf("read a mixed value of %d bytes", len(got))
				return
			}
		}
	}()
	wg.Wait()
	close(stop)
	<-readerDone
	got, err := c.Get(ctx, "host:x", "tok")
	if err != nil || (got != values[0] && got != values[1]) {
		t.Fatalf("final Get: %d bytes, %v", len(got), err)
	}
}

func TestChunkedLimitZeroPassesThrough(t *testing.T) {
	ctx := context.Background()
	m := secrets.NewMemory()
	c := &secrets.Chunked{Backend: m}
	v := "host-chunked:v1:deadbeef:2:10:0011223344556677"
	if err := c.Set(ctx, "host:x", "tok", v); err != nil {
		t.Fatal(err)
	}
	if raw, _ := m.Get(ctx, "host:x", "tok"); raw != v || m.Len() != 1 {
		t.Fatalf("stored %q in %d items", raw, m.Len())
	}
	if got, err := c.Get(ctx, "host:x", "tok"); err != nil || got != v {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := (&secrets.Chunked{Backend: m, Limit: 10}).Set(ctx, "host:x", "tok", "x"); err == nil {
		t.Fatal("a Limit below the minimum was accepted")
	}
}
