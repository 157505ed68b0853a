package secrets_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"host/bindings/secrets"
)

func TestMemoryBackend(t *testing.T) {
	m := secrets.NewMemory()
	ctx := context.Background()
	if _, err := m.Get(ctx, "s", "u"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Get missing: %v", err)
	}
	if err := m.Set(ctx, "s", "u", "fake-1"); err != nil {
		t.Fatal(err)
	}
	if v, err := m.Get(ctx, "s", "u"); err != nil || v != "fake-1" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if _, err := m.Get(ctx, "other", "u"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("another service sees the value: %v", err)
	}
	if err := m.Delete(ctx, "s", "u"); err != nil {
		t.Fatal(err)
	}
	if err := m.Delete(ctx, "s", "u"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Delete missing: %v", err)
	}
	broken := errors.New("broken backend")
	m.FailWith(broken)
	if err := m.Set(ctx, "s", "u", "x"); !errors.Is(err, broken) {
		t.Fatalf("FailWith: %v", err)
	}
	m.FailWith(nil)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.Get(cctx, "s", "u"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ctx: %v", err)
	}
}

func TestScopedNames(t *testing.T) {
	m := secrets.NewMemory()
	ctx := context.Background()
	a, err := secrets.NewScoped(m, "token-auth")
	if err != nil {
		t.Fatal(err)
	}
	if a.Service() != "host:token-auth" {
		t.Fatalf("Service = %q", a.Service())
	}
	if u := secrets.ConfigUser("token"); u != "config.token" {
		t.Fatalf("ConfigUser = %q", u)
	}
	if err := a.Set(ctx, "api_key", "fake-key-1"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetConfig(ctx, "token", "fake-token-123"); err != nil {
		t.Fatal(err)
	}
	// Where they land in the backend.
	if v, _ := m.Get(ctx, "host:token-auth", "api_key"); v != "fake-key-1" {
		t.Fatalf("ctx.secrets key stored as %q", v)
	}
	if v, _ := m.Get(ctx, "host:token-auth", "config.token"); v != "fake-token-123" {
		t.Fatalf("config secret stored as %q", v)
	}
	// A config field and a ctx.secrets key of the same name are different items.
	if _, err := a.Get(ctx, "token"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Get(token) sees the config field: %v", err)
	}
	if v, err := a.GetConfig(ctx, "token"); err != nil || v != "fake-token-123" {
		t.Fatalf("GetConfig = %q, %v", v, err)
	}
	// Another plugin sees nothing.
	b, _ := secrets.NewScoped(m, "other-plugin")
	if ok, err := b.Has(ctx, "api_key"); err != nil || ok {
		t.Fatalf("other plugin Has(api_key) = %v, %v", ok, err)
	}
	if _, err := b.GetConfig(ctx, "token"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("other plugin GetConfig: %v", err)
	}
}

func TestScopedHasDelete(t *testing.T) {
	s, _ := secrets.NewScoped(secrets.NewMemory(), "p")
	ctx := context.Background()
	if ok, err := s.Has(ctx, "k"); err != nil || ok {
		t.Fatalf("Has before Set = %v, %v", ok, err)
	}
	_ = s.Set(ctx, "k", "")
	if ok, err := s.Has(ctx, "k"); err != nil || !ok {
		t.Fatalf("Has of an empty value = %v, %v", ok, err)
	}
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	if err := s.DeleteConfig(ctx, "k"); err != nil {
		t.Fatalf("DeleteConfig of a missing field: %v", err)
	}
}

func TestScopedBackendErrorsPassThrough(t *testing.T) {
	m := secrets.NewMemory()
	s, _ := secrets.NewScoped(m, "p")
	ue := &secrets.UnavailableError{Backend: "memory", Op: "get", Kind: secrets.ErrNoSecretService}
	m.FailWith(ue)
	ctx := context.Background()
	if _, err := s.Has(ctx, "k"); !errors.Is(err, secrets.ErrNoSecretService) {
		t.Fatalf("Has: %v", err)
	}
	if err := s.Delete(ctx, "k"); !errors.Is(err, secrets.ErrUnavailable) {
		t.Fatalf("Delete: %v", err)
	}
}

func TestKeyValidation(t *testing.T) {
	s, _ := secrets.NewScoped(secrets.NewMemory(), "p")
	ctx := context.Background()
	tests := []struct {
		key, reason string
	}{
		{"", "must not be empty"},
		{"a\nb", "control character"},
		{"tab\tkey", "control character"},
		{"nul\x00", "control character"},
		{" padded", "white space"},
		{strings.Repeat("k", secrets.MaxKeyLen+1), "longer than 128 bytes"},
		{"bad\xffutf8", "not valid UTF-8"},
	}
	for _, tt := range tests {
		for name, call := range map[string]func() error{
			"Get":       func() error { _, err := s.Get(ctx, tt.key); return err },
			"Set":       func() error { return s.Set(ctx, tt.key, "fake") },
			"Has":       func() error { _, err := s.Has(ctx, tt.key); return err },
			"Delete":    func() error { return s.Delete(ctx, tt.key) },
			"SetConfig": func() error { return s.SetConfig(ctx, tt.key, "fake") },
		} {
			err := call()
			var ie *secrets.InvalidKeyError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("%s(%q): err = %v, want InvalidKeyError mentioning %q", name, tt.key, err, tt.reason)
			}
		}
	}
	for _, ok := range []string{"token", "oauth_access_token", "config.token", "ünïcødé ✓", strings.Repeat("k", secrets.MaxKeyLen)} {
		if err := secrets.ValidateKey(ok); err != nil {
			t.Errorf("ValidateKey(%q) = %v", ok, err)
		}
	}
	if _, err := secrets.NewScoped(secrets.NewMemory(), ""); err == nil {
		t.Error("NewScoped with an empty plugin id succeeded")
	}
}

func TestScopedOnValue(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	s, _ := secrets.NewScoped(secrets.NewMemory(), "p")
	s.OnValue = func(v string) { mu.Lock(); seen = append(seen, v); mu.Unlock() }
	ctx := context.Background()
	_ = s.Set(ctx, "a", "fake-written")
	_ = s.SetConfig(ctx, "token", "fake-config")
	_, _ = s.Get(ctx, "a")
	_, _ = s.Has(ctx, "a")
	_, _ = s.Get(ctx, "missing")
	want := []string{"fake-written", "fake-config", "fake-written"}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Fatalf("OnValue saw %q, want %q", seen, want)
	}
}
