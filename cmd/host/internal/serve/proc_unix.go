//go:build unix

package serve

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts a worker in its own process group, so a Ctrl-C in the
// terminal reaches only the supervisor, which stops the workers itself.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
