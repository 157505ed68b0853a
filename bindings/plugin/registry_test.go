package plugin

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestClaimOwnerBesideSecrets: the owner is recorded in the secret backend
// too, so removing the data dir does not hand the id (and the secrets) to
// another file; corrupt records refuse the claim; another namespace (data
// dir) has records of its own.
func TestClaimOwnerBesideSecrets(t *testing.T) {
	ctx := context.Background()
	h, _ := newHost(t)
	src := "export default definePlugin({ id: 'victim' });\n"
	a := writePlugin(t, h, "a/plugin.ts", src)
	b := writePlugin(t, h, "b/plugin.ts", src)
	load := func(path string) *Plugin {
		t.Helper()
		p, err := Load(ctx, h, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}
	if err := load(a).Claim(ctx, a, false); err != nil {
		t.Fatal(err)
	}
	var ce *IDClaimedError
	if err := load(b).Claim(ctx, b, false); !errors.As(err, &ce) {
		t.Fatalf("second file: %v, want IDClaimedError", err)
	}
	// The data dir's record gone: the backend's still refuses b.
	if err := os.RemoveAll(filepath.Join(h.DataDir, "plugins")); err != nil {
		t.Fatal(err)
	}
	if err := load(b).Claim(ctx, b, false); !errors.As(err, &ce) || ce.Owner == "" {
		t.Fatalf("after the data dir was removed: %v, want IDClaimedError", err)
	}
	if err := load(a).Claim(ctx, a, false); err != nil {
		t.Fatalf("the owner after the data dir was removed: %v", err)
	}
	// A corrupt owner.json refuses.
	if err := os.WriteFile(ownerPath(h.DataDir, "victim"), []byte(`{"id":"victim"`), 0o600); err != nil {
		t.Fatal(err)
	}
	var oe *OwnerRecordError
	if err := load(a).Claim(ctx, a, false); !errors.As(err, &oe) {
		t.Fatalf("corrupt owner.json: %v, want OwnerRecordError", err)
	}
	os.Remove(ownerPath(h.DataDir, "victim"))
	// A corrupt record in the backend refuses too.
	if err := h.Secrets.Set(ctx, "host:victim", ownerUser, "relative/path.ts"); err != nil {
		t.Fatal(err)
	}
	if err := load(b).Claim(ctx, b, true); !errors.As(err, &oe) {
		t.Fatalf("corrupt backend record: %v, want OwnerRecordError", err)
	}
	// Another namespace (another data dir) knows no owner yet.
	h.SecretsNamespace = DataDirNamespace(t.TempDir())
	if err := load(b).Claim(ctx, b, false); err != nil {
		t.Fatalf("in another namespace: %v", err)
	}
	if v, err := h.Secrets.Get(ctx, "host:victim"+h.SecretsNamespace, ownerUser); err != nil || v != b {
		t.Errorf("owner recorded in the namespace = %q, %v; want %s", v, err, b)
	}
}
