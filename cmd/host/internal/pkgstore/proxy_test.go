package pkgstore

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// The proxy from the environment (HTTPS_PROXY/HTTP_PROXY) or from .npmrc
// (proxy, https-proxy) carries the registry requests; noproxy bypasses it.
func TestRegistryProxy(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.String()) // a proxy request names the whole URL
		mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"name": "left-pad", "dist-tags": map[string]string{"latest": "1.0.0"},
			"versions": map[string]any{"1.0.0": map[string]any{"name": "left-pad", "version": "1.0.0"}}})
	}))
	defer proxy.Close()
	home := t.TempDir()
	for _, tc := range []struct {
		name, npmrc string
		env         map[string]string
		via         bool
	}{
		{"HTTP_PROXY", "registry=http://registry.example.invalid/\n", map[string]string{"HTTP_PROXY": proxy.URL}, true},
		{"npmrc proxy", "registry=http://registry.example.invalid/\nproxy=" + proxy.URL + "\n", nil, true},
		{"noproxy", "registry=http://registry.example.invalid/\nproxy=" + proxy.URL + "\nnoproxy=registry.example.invalid\n", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			os.WriteFile(filepath.Join(home, ".npmrc"), []byte(tc.npmrc), 0o600)
			getenv := func(k string) string { return tc.env[k] }
			cfg, err := LoadNPMConfig(getenv, home)
			if err != nil {
				t.Fatal(err)
			}
			reg := NewRegistry(cfg, getenv, "host-test")
			_, err = reg.Packument(context.Background(), "left-pad")
			mu.Lock()
			defer mu.Unlock()
			if tc.via {
				if err != nil || len(seen) != 1 || seen[0] != "http://registry.example.invalid/left-pad" {
					t.Errorf("via the proxy: %v %v", seen, err)
				}
			} else if len(seen) != 0 || err == nil {
				t.Errorf("noproxy: the proxy saw %v (err %v)", seen, err)
			}
		})
	}
}
