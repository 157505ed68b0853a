//go:build linux

package main

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"host/internal/hosttest"
)

// TestLoginPasteTerminal: `host auth login --paste --no-browser` in a
// terminal (a pseudo-terminal for stdin and stderr, as a user's shell).
// What is typed is not echoed: one live line shows the wait and what the
// paste holds so far in words, never its code or state. A wrong paste says
// why and is asked again; the right one logs in.
func TestLoginPasteTerminal(t *testing.T) {
	t.Parallel()
	prov, cmd, loggedIn := pasteLogin(t)
	ctl, tty := openPTY(t)
	// Wide enough for the live line (80 columns would cut its end).
	if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: 160}); err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(cmd.Env, "TERM=xterm")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var exitErr error
	exited := make(chan struct{})
	go func() { exitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
	var mu sync.Mutex
	var screen strings.Builder
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := ctl.Read(b)
			mu.Lock()
			screen.Write(b[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	// wait returns the screen once re matches it (a minute: a loaded
	// machine's margin).
	wait := func(re string) string {
		t.Helper()
		rx := regexp.MustCompile(re)
		var s string
		hosttest.WaitFor(t, time.Minute, fmt.Sprintf("the terminal to show %q", re), func() bool {
			mu.Lock()
			s = screen.String()
			mu.Unlock()
			return rx.MatchString(s)
		}, func() string { return fmt.Sprintf("its end:\n%q", s[max(0, len(s)-3000):]) })
		return s
	}
	typeText := func(s string) {
		t.Helper()
		if _, err := ctl.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	s := wait(`(?m)^https://myservice\.com/oauth/authorize\?\S+`)
	authURL := regexp.MustCompile(`(?m)^https://myservice\.com/oauth/authorize\?\S+`).FindString(s)
	wait(`[|/\\-] paste the address and press Enter \(waiting for the browser: \d+m\d+s left\)`)

	// Text that is no address: counted, not shown; Enter says why and
	// asks again.
	typeText("hunter2-oops")
	wait(`12 characters pasted: not an address yet`)
	typeText("\r")
	wait(`That is not the address the browser ended on: copy the whole address.*Paste it again and press Enter\.`)

	redirect, err := prov.RedirectOnly(strings.TrimSpace(authURL))
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.Parse(redirect)
	code, state := q.Query().Get("code"), q.Query().Get("state")
	if code == "" || state == "" {
		t.Fatalf("redirect %q has no code or state", redirect)
	}
	// Half of it, then the rest: the live line follows.
	half := strings.Index(redirect, "code=")
	typeText(redirect[:half])
	wait(`http://127\.0\.0\.1:\d+/callback without code= and state= yet`)
	typeText(redirect[half:])
	wait(`http://127\.0\.0\.1:\d+/callback with a code and a state: press Enter`)
	typeText("\r")
	wait(`Logged in to oauth2`)
	select {
	case <-exited:
		if exitErr != nil {
			t.Fatalf("exit: %v\n%s", exitErr, wait(``))
		}
	case <-time.After(time.Minute):
		t.Fatal("host did not exit after the login")
	}
	// The authorize URL printed at the start carries the state; after it
	// neither the state nor the code nor the mistaken text shows.
	final := wait(``)
	final = final[strings.Index(final, "On another machine?"):]
	for _, secret := range []string{"hunter2", code, state} {
		if strings.Contains(final, secret) {
			t.Errorf("the terminal shows %q:\n%q", secret, final)
		}
	}
	loggedIn()
}
