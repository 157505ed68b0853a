package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"host/bindings/secrets"
	"host/bindings/secrets/keyringtest"
)

func TestKeyringRoundTrip(t *testing.T) {
	s := realKeyring(t)
	k := secrets.NewKeyring()
	ctx := context.Background()
	const svc = "host:keyring-test"

	tests := []struct {
		name, user, value string
	}{
		{"ascii", "token", "fake-token-123"},
		{"unicode", "ünïcødé-key ✓", "fake-päss-wörd-🔑-秘密"},
		{"10KB", "big", strings.Repeat("fake-0123456789-", 640)},
		{"empty", "empty", ""},
		{"newlines", "multi", "fake\nline\ttwo\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := k.Get(ctx, svc, tt.user); !errors.Is(err, secrets.ErrNotFound) {
				t.Fatalf("Get before Set: err = %v, want ErrNotFound", err)
			}
			if err := k.Set(ctx, svc, tt.user, tt.value); err != nil {
				t.Fatalf("Set: %v", err)
			}
			got, err := k.Get(ctx, svc, tt.user)
			if err != nil || got != tt.value {
				t.Fatalf("Get = %d bytes, %v; want the %d bytes set", len(got), err, len(tt.value))
			}
			// What a user sees with the desktop tools.
			looked, err := s.Lookup(svc, tt.user)
			if err != nil || looked != tt.value {
				t.Fatalf("secret-tool lookup = %d bytes, %v; want the %d bytes set", len(looked), err, len(tt.value))
			}
			if err := k.Set(ctx, svc, tt.user, "fake-replaced"); err != nil {
				t.Fatalf("Set again: %v", err)
			}
			if got, _ := k.Get(ctx, svc, tt.user); got != "fake-replaced" {
				t.Fatalf("Get after replace = %q", got)
			}
			if err := k.Delete(ctx, svc, tt.user); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := k.Get(ctx, svc, tt.user); !errors.Is(err, secrets.ErrNotFound) {
				t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
			}
			if err := k.Delete(ctx, svc, tt.user); !errors.Is(err, secrets.ErrNotFound) {
				t.Fatalf("Delete twice: err = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestKeyringReadsItemsOtherToolsStored(t *testing.T) {
	s := realKeyring(t)
	if err := s.Store("host:other-tool", "config.token", "fake-token-456"); err != nil {
		t.Fatal(err)
	}
	got, err := secrets.NewKeyring().Get(context.Background(), "host:other-tool", "config.token")
	if err != nil || got != "fake-token-456" {
		t.Fatalf("Get = %q, %v", got, err)
	}
}

func TestKeyringScopedConfigSecretVisibleToSecretTool(t *testing.T) {
	s := realKeyring(t)
	sc, err := secrets.NewScoped(secrets.NewKeyring(), "token-auth")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := sc.SetConfig(ctx, "token", "fake-token-123"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Lookup("host:token-auth", "config.token"); err != nil || got != "fake-token-123" {
		t.Fatalf("secret-tool lookup service host:token-auth username config.token = %q, %v", got, err)
	}
	if err := sc.Set(ctx, "oauth_access_token", "fake-access-789"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Lookup("host:token-auth", "oauth_access_token"); err != nil || got != "fake-access-789" {
		t.Fatalf("secret-tool lookup of a ctx.secrets key = %q, %v", got, err)
	}
	if err := sc.DeleteConfig(ctx, "token"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lookup("host:token-auth", "config.token"); err == nil {
		t.Fatal("secret-tool still finds the deleted config secret")
	}
}

func TestKeyringProbe(t *testing.T) {
	s := realKeyring(t)
	if err := secrets.NewKeyring().Probe(context.Background()); err != nil {
		t.Fatalf("Probe: %v", err)
	}
	if _, err := s.Lookup(secrets.ProbeService, "probe"); err == nil {
		t.Fatal("Probe left its item behind")
	}
}

func TestKeyringCancelledContext(t *testing.T) {
	realKeyring(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := secrets.NewKeyring().Get(ctx, "host:keyring-test", "x")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestKeyringManyConcurrentCalls(t *testing.T) {
	realKeyring(t)
	k := secrets.NewKeyring()
	ctx := context.Background()
	const n = 40 // more than the calls allowed at once: the rest queue
	errs := make(chan error, n)
	for i := range n {
		go func() {
			user := fmt.Sprintf("concurrent-%d", i)
			value := fmt.Sprintf("fake-value-%d", i)
			if err := k.Set(ctx, "host:keyring-test", user, value); err != nil {
				errs <- err
				return
			}
			got, err := k.Get(ctx, "host:keyring-test", user)
			if err == nil && got != value {
				err = fmt.Errorf("%s: got another item's value", user)
			}
			if err == nil {
				err = k.Delete(ctx, "host:keyring-test", user)
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkKeyringGet reads one small item from the real Secret Service
// (a private gnome-keyring): what the saved token costs `host run` on its
// critical path. go-keyring makes six D-Bus calls per read.
func BenchmarkKeyringGet(b *testing.B) {
	keyringtest.Shared(b)
	k := secrets.NewOSKeyring()
	ctx := context.Background()
	if err := k.Set(ctx, "host-bench", "token", "fake-bench-token-0123"); err != nil {
		b.Fatal(err)
	}
	defer k.Delete(ctx, "host-bench", "token")
	b.ResetTimer()
	for b.Loop() {
		if v, err := k.Get(ctx, "host-bench", "token"); err != nil || v != "fake-bench-token-0123" {
			b.Fatal(v, err)
		}
	}
}
