package keyringtest_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"

	"host/bindings/secrets/keyringtest"
)

func TestSessionStoresAndLooksUp(t *testing.T) {
	s := keyringtest.Start(t)
	if got := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); got != s.Address {
		t.Fatalf("DBUS_SESSION_BUS_ADDRESS = %q, want the session's %q", got, s.Address)
	}
	if _, err := s.Lookup("keyringtest", "nobody"); !errors.Is(err, keyringtest.ErrNotFound) {
		t.Fatalf("Lookup of a missing item: err = %v, want ErrNotFound", err)
	}
	if err := s.Store("keyringtest", "someone", "fake-token-123"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Lookup("keyringtest", "someone")
	if err != nil || got != "fake-token-123" {
		t.Fatalf("Lookup = %q, %v; want the stored fake token", got, err)
	}
	// The keyring lives in the session's temp HOME, not the user's.
	if _, err := os.Stat(filepath.Join(s.Dir, "home", ".local", "share", "keyrings", "login.keyring")); err != nil {
		t.Fatalf("login keyring not in the session dir: %v", err)
	}
}

func TestBusOnlyHasNoSecretService(t *testing.T) {
	s, err := keyringtest.New(keyringtest.Options{NoSecretService: true})
	keyringtest.Need(t, s, err)
	defer s.Close()
	conn, err := dbus.Connect(s.Address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&has); err != nil {
		t.Fatal(err)
	}
	if has {
		t.Fatal("org.freedesktop.secrets has an owner on a bus-only session")
	}
	// Activation is off: a call to the name fails instead of starting a daemon.
	err = conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").Call("org.freedesktop.DBus.Peer.Ping", 0).Err
	if err == nil || !strings.Contains(err.Error(), "org.freedesktop.secrets") {
		t.Fatalf("calling the Secret Service on a bus-only session: err = %v, want ServiceUnknown", err)
	}
}

func TestCloseRemovesEverything(t *testing.T) {
	env, stop, err := keyringtest.StartEnv()
	if err != nil {
		keyringtest.Need(t, nil, err)
	}
	if len(env) != 1 || !strings.HasPrefix(env[0], "DBUS_SESSION_BUS_ADDRESS=unix:path=") {
		t.Fatalf("env = %q", env)
	}
	sock := strings.TrimPrefix(strings.SplitN(env[0], ",", 2)[0], "DBUS_SESSION_BUS_ADDRESS=unix:path=")
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("bus socket: %v", err)
	}
	stop()
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("bus socket still there after stop: %v", err)
	}
	stop() // twice is fine
}
