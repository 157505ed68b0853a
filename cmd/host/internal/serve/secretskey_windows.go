package serve

import (
	"errors"
	"os/exec"
)

// keyPipe: Windows cannot hand a child a pipe (see config_windows.go);
// the page worker derives the key from the passphrase.
func keyPipe(cmd *exec.Cmd, key []byte) (done func(), err error) { return func() {}, nil }

// ReadSecretsKey: no key is handed over on Windows.
func ReadSecretsKey(fd int) ([]byte, error) {
	return nil, errors.New("the secrets file's key is not handed over on Windows")
}
