package plugin

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"host/bindings/secrets"
)

// countingBackend counts reads.
type countingBackend struct {
	secrets.Backend
	gets atomic.Int64
}

func (c *countingBackend) Get(ctx context.Context, service, user string) (string, error) {
	c.gets.Add(1)
	return c.Backend.Get(ctx, service, user)
}

// TestSecretsPrefetchedWhileLoading: the second Load of a plugin starts
// reading its secret fields before Setup asks; Setup gets the same values.
func TestSecretsPrefetchedWhileLoading(t *testing.T) {
	h, _ := newHost(t)
	cb := &countingBackend{Backend: secrets.NewMemory()}
	h.Secrets = cb
	h.CacheDir = filepath.Join(t.TempDir(), "cache")
	path := writePlugin(t, h, "pf/plugin.ts", `export default definePlugin({
  configSchema: z.object({ token: z.string().secret(), key: z.string().secret().optional() }),
});`)
	ctx := context.Background()
	sc, _ := secrets.NewScoped(cb, "pf")
	_ = sc.SetConfig(ctx, "token", "fake-token-pf")

	p, err := Load(ctx, h, path) // first load: nothing known yet
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if n := cb.gets.Load(); n != 0 {
		t.Fatalf("first Load read %d secrets, want 0", n)
	}

	p, err = Load(ctx, h, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	deadline := time.Now().Add(5 * time.Second)
	for cb.gets.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := cb.gets.Load(); n != 2 {
		t.Fatalf("second Load started %d reads before Setup, want 2 (token and key)", n)
	}
	s, err := p.Setup(ctx, Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := s.Field("token")
	key, _ := s.Field("key")
	if tok.Value != "fake-token-pf" || tok.Source != FromSaved || key.Source != Unset {
		t.Errorf("token %+v key %+v", tok, key)
	}
	if n := cb.gets.Load(); n != 2 {
		t.Errorf("Setup read again (%d reads), want the prefetched values used", n)
	}
	// A second Setup reads afresh.
	if _, err := p.Setup(ctx, Inputs{}); err != nil {
		t.Fatal(err)
	}
	if n := cb.gets.Load(); n != 4 {
		t.Errorf("%d reads after a second Setup, want 4", n)
	}
}
