//go:build unix

package jsrt

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A build reads only regular files: a device or a FIFO as the entry or as
// an import is an error at once, not a read without end.
func TestBuildRegularFilesOnly(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.ts": "import x from './pipe.js';\nexport default x;\n"})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.js"), 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 3)
	go func() {
		_, err := Build(BuildOptions{Entry: "/dev/zero", WorkDir: dir})
		done <- err
	}()
	go func() {
		_, err := Build(BuildOptions{Entry: filepath.Join(dir, "pipe.js"), WorkDir: dir})
		done <- err
	}()
	go func() {
		_, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir})
		done <- err
	}()
	for range 3 {
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "is not a regular file") {
				t.Errorf("err = %v, want 'is not a regular file'", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a build is still reading a device or FIFO")
		}
	}
}
