//go:build unix

package mcpserver

import (
	"io"
	"os"
	"syscall"
)

// workerStdin is the worker's stdin read through the runtime's poller. A
// blocking read kept a thread, with its processor, in the read between
// calls: the goroutine of the call just read waited until another thread
// woke to take it (on a loaded machine, a wait in the kernel's queue on
// every call's path).
func workerStdin() io.ReadCloser {
	if err := syscall.SetNonblock(0, true); err != nil {
		return os.Stdin
	}
	if f := os.NewFile(0, "/dev/stdin"); f != nil {
		return f
	}
	return os.Stdin
}
