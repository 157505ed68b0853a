//go:build !unix

package mcpserver

import (
	"io"
	"os"
)

// workerStdin is the worker's stdin (see stdin_unix.go).
func workerStdin() io.ReadCloser { return os.Stdin }
