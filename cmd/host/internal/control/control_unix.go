//go:build unix

package control

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// dir is where dataDir's channels are: a directory only the user may
// enter.
func dir(dataDir string) string { return filepath.Join(dataDir, "serve") }

// socketPath is the socket of channel name.
func socketPath(dataDir, name string) string { return filepath.Join(dir(dataDir), name+".sock") }

func listen(dataDir, name string) (net.Listener, error) {
	d := dir(dataDir)
	if err := os.MkdirAll(d, 0o700); err != nil {
		return nil, fmt.Errorf("the control directory: %w", err)
	}
	if err := os.Chmod(d, 0o700); err != nil {
		return nil, fmt.Errorf("the control directory: %w", err)
	}
	path := socketPath(dataDir, name)
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, ErrRunning
	}
	_ = os.Remove(path) // a socket a process that died left behind
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

func dial(dataDir, name string) (net.Conn, error) {
	return net.DialTimeout("unix", socketPath(dataDir, name), 2*time.Second)
}

// removeStale removes the socket of channel name, which refused a
// connection (err), when process pid is gone: a host mcp that was killed
// left it. (A process binding its socket refuses for a moment too, but
// it is alive.)
func removeStale(dataDir, name string, pid int, err error) {
	if errors.Is(err, syscall.ECONNREFUSED) && errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		_ = os.Remove(socketPath(dataDir, name))
	}
}

// names are the channels of dataDir (the serve's first).
func names(dataDir string) []string {
	entries, err := os.ReadDir(dir(dataDir))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".sock"); ok && e.Type()&os.ModeSocket != 0 {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		switch {
		case a == ServeName:
			return -1
		case b == ServeName:
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}
