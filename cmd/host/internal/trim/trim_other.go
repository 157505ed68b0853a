//go:build !linux

package trim

import "runtime/debug"

// Idle gives the heap's free pages back to the system.
func Idle() { debug.FreeOSMemory() }
