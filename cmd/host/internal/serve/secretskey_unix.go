//go:build !windows

package serve

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
)

// keyPipe gives cmd the read end of a pipe holding key (written and
// closed at once: a pipe holds far more) as its SecretsKeyFDFlag; done
// closes the serve's copy of the read end once cmd started (or failed
// to).
func keyPipe(cmd *exec.Cmd, key []byte) (done func(), err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	_, err = w.Write(key)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	cmd.ExtraFiles = append(cmd.ExtraFiles, r)
	cmd.Args = append(cmd.Args, "--"+SecretsKeyFDFlag, strconv.Itoa(2+len(cmd.ExtraFiles)))
	return func() { r.Close() }, nil
}

// ReadSecretsKey reads the key the serve wrote to file descriptor fd
// (SecretsKeyFDFlag).
func ReadSecretsKey(fd int) ([]byte, error) {
	f := os.NewFile(uintptr(fd), "secrets-key")
	if f == nil {
		return nil, fmt.Errorf("no file descriptor %d for the secrets file's key", fd)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxSecretsKey))
}
