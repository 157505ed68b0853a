//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"host/internal/hosttest"
)

// ptyRun is a host command whose stdin is a fresh pseudo-terminal (its
// controlling terminal, so host has a prompter), with what the terminal
// shows recorded; stdout and stderr go to their own buffers.
type ptyRun struct {
	t          *testing.T
	cmd        *exec.Cmd
	controller *os.File
	tty        *os.File
	Stdout     bytes.Buffer
	Stderr     bytes.Buffer

	mu     sync.Mutex
	screen bytes.Buffer
}

// startPTY starts cmd on a new pseudo-terminal. Set cmd's Stdout and
// Stderr first to keep them elsewhere.
func startPTY(t *testing.T, cmd *exec.Cmd) *ptyRun {
	t.Helper()
	p := &ptyRun{t: t, cmd: cmd}
	p.controller, p.tty = openPTY(t)
	cmd.Stdin = p.tty
	if cmd.Stdout == nil {
		cmd.Stdout = &p.Stdout
	}
	if cmd.Stderr == nil {
		cmd.Stderr = &p.Stderr
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A test that fails before Wait leaves no command running (after Wait
	// this does nothing).
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	go func() {
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
	return p
}

// Shown is what the terminal has shown so far.
func (p *ptyRun) Shown() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.String()
}

// waitShown waits (a minute at most, a margin no loaded machine eats)
// until the terminal has shown n times sub; it fails the test otherwise.
func (p *ptyRun) waitShown(sub string, n int) {
	p.t.Helper()
	hosttest.WaitFor(p.t, time.Minute, fmt.Sprintf("the terminal to show %q %d time(s)", sub, n),
		func() bool { return strings.Count(p.Shown(), sub) >= n },
		func() string { return fmt.Sprintf("the terminal showed %q; stderr %q", p.Shown(), p.Stderr.String()) })
}

// Type types line and Enter.
func (p *ptyRun) Type(line string) {
	p.t.Helper()
	if _, err := p.controller.Write([]byte(line + "\n")); err != nil {
		p.t.Fatal(err)
	}
}

// Wait waits for the command to end (killed after two minutes: a command
// that never ends fails its test, not go test's limit) and returns its
// exit code (-1: it did not exit by itself).
func (p *ptyRun) Wait() int {
	stuck := time.AfterFunc(2*time.Minute, func() { _ = p.cmd.Process.Kill() })
	err := p.cmd.Wait()
	stuck.Stop()
	p.tty.Close()
	return exitCodeOf(err)
}

// exitCodeOf is a finished command's exit code: 0, its code, or -1 when
// it did not exit by itself (or did not run).
func exitCodeOf(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
