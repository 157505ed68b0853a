package serve

import (
	"os/exec"
	"syscall"
)

// setProcAttr gives a worker its own process group, so a Ctrl-C in the
// console reaches only the supervisor, which stops the workers itself.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}
