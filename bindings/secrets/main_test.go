package secrets_test

import (
	"os"
	"testing"

	"host/bindings/secrets"
	"host/bindings/secrets/keyringtest"
	"host/internal/hosttest"
)

// realKeyring is the test binary's shared private Secret Service; it skips
// t when the daemons are not installed (fails under CI=true).
func realKeyring(t *testing.T) *keyringtest.Session { return keyringtest.Shared(t) }

func TestMain(m *testing.M) {
	// Files with a cheap KDF: the tests would spend most of their time
	// (and under -race, minutes) in argon2. TestFileRoundTripAcrossReopen
	// uses the production parameters.
	secrets.SetTestKDF(1, 8<<10) // the least a file may declare
	code := hosttest.Main(m)     // says which tests a missing prerequisite skipped
	keyringtest.CloseShared()
	os.Exit(code)
}
