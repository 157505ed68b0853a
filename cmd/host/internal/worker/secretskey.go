package worker

import (
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/serve"
)

// useSecretsKey reads the serve's key of the encrypted secrets file from
// file descriptor fd (serve.SecretsKeyFDFlag; 0: the serve passed none)
// and closes it; f's sessions then open the file with the key, without
// deriving it from the passphrase (serve/secretskey.go). Without it (none
// passed, or unreadable) the file is opened with the passphrase as
// before. done clears the key: call it once no session opens any more.
func useSecretsKey(f *cmdutil.Factory, fd int) (done func()) {
	if fd == 0 {
		return func() {}
	}
	key, err := serve.ReadSecretsKey(fd)
	if err != nil {
		return func() {}
	}
	f.SecretsKey = key
	return func() { clear(key) }
}
