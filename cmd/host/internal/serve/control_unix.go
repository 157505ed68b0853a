//go:build unix

package serve

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// socketPath is the control socket of dataDir, in a directory only the
// user may enter.
func socketPath(dataDir string) string { return filepath.Join(dataDir, "serve", "control.sock") }

func listen(dataDir string) (net.Listener, error) {
	dir := filepath.Dir(socketPath(dataDir))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("the control directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("the control directory: %w", err)
	}
	path := socketPath(dataDir)
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, ErrRunning
	}
	_ = os.Remove(path) // a socket a serve that died left behind
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("the control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("the control socket: %w", err)
	}
	return ln, nil
}

func dial(dataDir string) (net.Conn, error) {
	return net.DialTimeout("unix", socketPath(dataDir), 2*time.Second)
}
