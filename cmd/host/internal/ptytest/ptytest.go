//go:build linux

// Package ptytest runs a command on a pseudo-terminal for a test: the
// terminal is its stdin and controlling terminal (so host has a prompter),
// what the terminal shows is recorded for the test to wait on, and what
// the test types reaches the command as a user's keys would.
package ptytest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"host/internal/hosttest"
)

// Open opens a pseudo-terminal pair: the controller (the test's end) and
// the terminal (a process's stdin and controlling terminal). Both are
// closed when the test ends.
func Open(t testing.TB) (controller, tty *os.File) {
	t.Helper()
	c, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetPointerInt(int(c.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(int(c.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tt, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); tt.Close() })
	return c, tt
}

// Term is a pseudo-terminal a command runs on.
type Term struct {
	t   testing.TB
	cmd *exec.Cmd
	// TTY is the terminal's end a command gets (its stdin; its stdout or
	// stderr too when the test points them at it before Start).
	TTY        *os.File
	controller *os.File

	mu     sync.Mutex
	screen bytes.Buffer
	stdout bytes.Buffer
	stderr bytes.Buffer
	waited bool
	read   chan struct{} // closed once the controller reads no more
}

// New opens a terminal for a command to Start on: for a test that sets
// the terminal up first (SetSize) or points the command's stdout or
// stderr at TTY.
func New(t testing.TB) *Term {
	t.Helper()
	p := &Term{t: t, read: make(chan struct{})}
	p.controller, p.TTY = Open(t)
	return p
}

// Start starts cmd on a new terminal (New, then Term.Start).
func Start(t testing.TB, cmd *exec.Cmd) *Term {
	t.Helper()
	p := New(t)
	p.Start(cmd)
	return p
}

// SetSize sets the terminal's size (rows, columns).
func (p *Term) SetSize(rows, cols uint16) {
	p.t.Helper()
	if err := unix.IoctlSetWinsize(int(p.TTY.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols}); err != nil {
		p.t.Fatal(err)
	}
}

// Start starts cmd with the terminal as its stdin and controlling
// terminal, in a session of its own. A nil cmd.Stdout or cmd.Stderr is
// kept for Stdout and Stderr; set them (or take a pipe) first to keep them
// elsewhere. A command the test did not Wait for is killed when the test
// ends.
func (p *Term) Start(cmd *exec.Cmd) {
	p.t.Helper()
	p.cmd = cmd
	cmd.Stdin = p.TTY
	if cmd.Stdout == nil {
		cmd.Stdout = lockedWriter{&p.mu, &p.stdout}
	}
	if cmd.Stderr == nil {
		cmd.Stderr = lockedWriter{&p.mu, &p.stderr}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() {
		p.mu.Lock()
		waited := p.waited
		p.mu.Unlock()
		if !waited {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	go func() {
		defer close(p.read)
		b := make([]byte, 4096)
		for {
			n, err := p.controller.Read(b)
			p.mu.Lock()
			p.screen.Write(b[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(b)
}

// Shown is what the terminal has shown so far.
func (p *Term) Shown() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.String()
}

// Stdout is what the command wrote to its stdout so far (when Start kept it).
func (p *Term) Stdout() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

// Stderr is what the command wrote to its stderr so far (when Start kept it).
func (p *Term) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// WaitShown waits (a minute at most, a margin no loaded machine eats)
// until the terminal has shown sub n times; it fails the test otherwise.
func (p *Term) WaitShown(sub string, n int) {
	p.t.Helper()
	hosttest.WaitFor(p.t, time.Minute, fmt.Sprintf("the terminal to show %q %d time(s)", sub, n),
		func() bool { return strings.Count(p.Shown(), sub) >= n },
		func() string { return fmt.Sprintf("the terminal showed %q; stderr %q", p.Shown(), p.Stderr()) })
}

// WaitMatch waits (a minute at most) until what the terminal has shown
// matches re, and returns it; it fails the test otherwise, showing the
// screen's end.
func (p *Term) WaitMatch(re string) string {
	p.t.Helper()
	rx := regexp.MustCompile(re)
	var s string
	hosttest.WaitFor(p.t, time.Minute, fmt.Sprintf("the terminal to show %q", re), func() bool {
		s = p.Shown()
		return rx.MatchString(s)
	}, func() string { return fmt.Sprintf("its end:\n%q", s[max(0, len(s)-3000):]) })
	return s
}

// Type types line and Enter (a newline).
func (p *Term) Type(line string) { p.Send(line + "\n") }

// Send types s as it is (keys, "\r" for Enter in raw mode).
func (p *Term) Send(s string) {
	p.t.Helper()
	if _, err := p.controller.Write([]byte(s)); err != nil {
		p.t.Fatal(err)
	}
}

// Wait waits for the command to end (killed after two minutes: a command
// that never ends fails its test, not go test's limit) and returns its
// exit code (-1: it did not exit by itself). Shown then holds all the
// command showed.
func (p *Term) Wait() int {
	stuck := time.AfterFunc(2*time.Minute, func() { _ = p.cmd.Process.Kill() })
	err := p.cmd.Wait()
	stuck.Stop()
	p.mu.Lock()
	p.waited = true
	p.mu.Unlock()
	// The command's end of the terminal closed, the controller reads what
	// is left, then an error (bounded: a process the command started may
	// still hold the terminal).
	p.TTY.Close()
	select {
	case <-p.read:
	case <-time.After(5 * time.Second):
	}
	return ExitCode(err)
}

// ExitCode is a finished command's exit code: 0, its code, or -1 when it
// did not exit by itself (or did not run).
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
