package secrets_test

import (
	"os"
	"testing"

	"host/bindings/secrets/keyringtest"
)

// realKeyring is the test binary's shared private Secret Service; it skips
// t when the daemons are not installed (fails under CI=true).
func realKeyring(t *testing.T) *keyringtest.Session { return keyringtest.Shared(t) }

func TestMain(m *testing.M) {
	code := m.Run()
	keyringtest.CloseShared()
	os.Exit(code)
}
