package secrets

import (
	"os"

	"github.com/godbus/dbus/v5"
)

// Prewarm connects to the D-Bus session bus that the keyring backend will
// use (go-keyring shares one connection per process), so the first secret
// read does not pay for the connection and its authentication. It does
// nothing without DBUS_SESSION_BUS_ADDRESS (the keyring call then reports
// the missing bus itself). Safe to run on its own goroutine at start-up.
func Prewarm() {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return
	}
	_, _ = dbus.SessionBus()
}
