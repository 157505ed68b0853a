package secrets_test

import (
	"os"
	"sync"
	"testing"

	"host/bindings/secrets/keyringtest"
)

// The real-keyring tests share one private Secret Service per test binary:
// go-keyring keeps one session-bus connection per process.
var (
	sessionOnce sync.Once
	session     *keyringtest.Session
	sessionErr  error
)

// realKeyring starts the shared session on first use and points this
// process at it; it skips t when the daemons are not installed (fails under
// CI=true).
func realKeyring(t *testing.T) *keyringtest.Session {
	t.Helper()
	sessionOnce.Do(func() {
		session, sessionErr = keyringtest.New(keyringtest.Options{})
		if sessionErr == nil {
			sessionErr = os.Setenv("DBUS_SESSION_BUS_ADDRESS", session.Address)
		}
	})
	return keyringtest.Need(t, session, sessionErr)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if session != nil {
		_ = session.Close()
	}
	os.Exit(code)
}
