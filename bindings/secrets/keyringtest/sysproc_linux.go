package keyringtest

import "syscall"

// sysProcAttr kills a daemon when the test process dies without cleanup
// (e.g. a test timeout), so no daemon outlives its test binary.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
