//go:build linux

package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"host/cmd/host/internal/ptytest"
)

// TestLoginPasteTerminal: `host auth login --paste --no-browser` in a
// terminal (a pseudo-terminal for stdin and stderr, as a user's shell).
// What is typed is not echoed: one live line shows the wait and what the
// paste holds so far in words, never its code or state. A wrong paste says
// why and is asked again; the right one logs in.
func TestLoginPasteTerminal(t *testing.T) {
	t.Parallel()
	prov, cmd, loggedIn := pasteLogin(t)
	p := ptytest.New(t)
	// Wide enough for the live line (80 columns would cut its end).
	p.SetSize(40, 160)
	cmd.Env = append(cmd.Env, "TERM=xterm")
	cmd.Stdout, cmd.Stderr = p.TTY, p.TTY
	p.Start(cmd)
	s := p.WaitMatch(`(?m)^https://myservice\.com/oauth/authorize\?\S+`)
	authURL := regexp.MustCompile(`(?m)^https://myservice\.com/oauth/authorize\?\S+`).FindString(s)
	p.WaitMatch(`[|/\\-] paste the address and press Enter \(waiting for the browser: \d+m\d+s left\)`)

	// Text that is no address: counted, not shown; Enter says why and
	// asks again.
	p.Send("hunter2-oops")
	p.WaitMatch(`12 characters pasted: not an address yet`)
	p.Send("\r")
	p.WaitMatch(`That is not the address the browser ended on: copy the whole address.*Paste it again and press Enter\.`)

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
	p.Send(redirect[:half])
	p.WaitMatch(`http://127\.0\.0\.1:\d+/callback without code= and state= yet`)
	p.Send(redirect[half:])
	p.WaitMatch(`http://127\.0\.0\.1:\d+/callback with a code and a state: press Enter`)
	p.Send("\r")
	p.WaitMatch(`Logged in to oauth2`)
	if code := p.Wait(); code != 0 {
		t.Fatalf("exit %d after the login\n%s", code, p.Shown())
	}
	// The authorize URL printed at the start carries the state; after it
	// neither the state nor the code nor the mistaken text shows.
	final := p.Shown()
	final = final[strings.Index(final, "On another machine?"):]
	for _, secret := range []string{"hunter2", code, state} {
		if strings.Contains(final, secret) {
			t.Errorf("the terminal shows %q:\n%q", secret, final)
		}
	}
	loggedIn()
}
