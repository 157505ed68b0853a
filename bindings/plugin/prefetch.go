package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"host/bindings/secrets"
)

// Secret config fields live in the keyring, and reading one costs a few
// D-Bus round trips. Which fields a plugin has is only known after its code
// ran, so Load remembers them (in the cache dir, names only) and the next
// Load starts reading them while the plugin's code is still loading. Setup
// uses a prefetched value only for a field that is still a secret of the
// same plugin id; anything else is read as usual.

// prefetchHint is what Load remembers about a plugin file.
type prefetchHint struct {
	ID      string   `json:"id"`
	Secrets []string `json:"secrets"`
}

func hintPath(cacheDir, entry string) string {
	abs, err := filepath.Abs(entry)
	if err != nil {
		abs = entry
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(cacheDir, "prefetch", hex.EncodeToString(sum[:12])+".json")
}

// prefetched holds keyring reads started before Setup.
type prefetched struct {
	id   string
	mu   sync.Mutex
	done chan struct{}
	vals map[string]prefetchResult
}

type prefetchResult struct {
	value string
	err   error
}

// startPrefetch begins reading the secret fields the last load of entry
// had. It returns nil when there is nothing to read.
func startPrefetch(h *Host, entry string) *prefetched {
	if h.CacheDir == "" || h.Secrets == nil {
		return nil
	}
	data, err := os.ReadFile(hintPath(h.CacheDir, entry))
	if err != nil {
		return nil
	}
	var hint prefetchHint
	if json.Unmarshal(data, &hint) != nil || len(hint.Secrets) == 0 {
		return nil
	}
	sc, err := secrets.NewScoped(h.Secrets, hint.ID)
	if err != nil {
		return nil
	}
	sc.Namespace = h.SecretsNamespace
	if h.Masker != nil {
		sc.OnValue = h.Masker.Add
	}
	pf := &prefetched{id: hint.ID, done: make(chan struct{}), vals: map[string]prefetchResult{}}
	go func() {
		defer close(pf.done)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for _, key := range hint.Secrets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := sc.GetConfig(ctx, key)
				pf.mu.Lock()
				pf.vals[key] = prefetchResult{v, err}
				pf.mu.Unlock()
			}()
		}
		wg.Wait()
	}()
	return pf
}

// get returns the prefetched read of key for plugin id, waiting for it;
// ok is false when there is none (then read it as usual).
func (pf *prefetched) get(ctx context.Context, id, key string) (value string, ok bool, err error) {
	if pf == nil || pf.id != id {
		return "", false, nil
	}
	select {
	case <-pf.done:
	case <-ctx.Done():
		return "", false, nil
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	r, found := pf.vals[key]
	if !found {
		return "", false, nil
	}
	delete(pf.vals, key) // use once: later Setups read afresh
	return r.value, true, r.err
}

// rememberSecrets records the plugin's id and secret fields for the next
// Load, when they changed.
func (p *Plugin) rememberSecrets(entry string) {
	if p.host.CacheDir == "" {
		return
	}
	hint := prefetchHint{ID: p.ID}
	for _, f := range p.configFields() {
		if f.Secret {
			hint.Secrets = append(hint.Secrets, f.Key)
		}
	}
	path := hintPath(p.host.CacheDir, entry)
	if data, err := os.ReadFile(path); err == nil {
		var old prefetchHint
		if json.Unmarshal(data, &old) == nil && old.ID == hint.ID && slices.Equal(old.Secrets, hint.Secrets) {
			return
		}
	}
	data, _ := json.Marshal(hint)
	_ = writeFileAtomic(path, data)
}
