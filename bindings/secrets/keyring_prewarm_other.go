//go:build !linux

package secrets

// Prewarm does nothing where the keyring is not reached over D-Bus.
func Prewarm() {}
