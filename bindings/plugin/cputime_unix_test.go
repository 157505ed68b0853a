//go:build unix

package plugin

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process used so far (user and
// system): on a shared machine it says more about a benchmark's cost than
// the wall clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
