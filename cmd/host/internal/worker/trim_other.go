//go:build !linux

package worker

import "runtime/debug"

// trimMemory gives the heap's free pages back to the system.
func trimMemory() { debug.FreeOSMemory() }
