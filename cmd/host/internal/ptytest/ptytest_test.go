//go:build linux

package ptytest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTerm: the command has a terminal (stdin is a tty), hidden input
// typed after a prompt reaches it unshown, and everything it showed
// before it exited is there after Wait.
func TestTerm(t *testing.T) {
	p := Start(t, exec.Command("sh", "-c", `[ -t 0 ] && echo tty; stty -echo; printf 'word> ' >/dev/tty; read w; stty echo; echo "got ${#w}" >/dev/tty; echo out; echo err >&2; exit 3`))
	p.WaitShown("word> ", 1)
	p.Type("fake-word")
	if code := p.Wait(); code != 3 {
		t.Fatalf("exit %d, stderr %q", code, p.Stderr())
	}
	if got := p.Shown(); !strings.HasSuffix(got, "got 9\r\n") || strings.Contains(got, "fake-word") {
		t.Errorf("the terminal showed %q", got)
	}
	if p.Stdout() != "tty\nout\n" || p.Stderr() != "err\n" {
		t.Errorf("stdout %q, stderr %q", p.Stdout(), p.Stderr())
	}
}
