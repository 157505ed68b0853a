package terminal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"host/bindings/oauth"
	"host/bindings/setup"
	"host/cmd/host/internal/cmdutil"
)

// --paste: the address the browser ended on (on another machine) is
// pasted here. On a terminal the typed text is not echoed: one live line
// shows the wait and what has been pasted so far in words ("an address of
// 127.0.0.1:PORT with code and state: press Enter"), never its code or
// state (nor anything pasted by mistake). A paste that is not such an
// address, or one from another login, says why and is asked again; the
// login goes on waiting. Without a terminal, lines are read from stdin.

// pastePrompt is the line asking for the address.
const pastePrompt = "On another machine? Paste the address your browser ends up on (http://127.0.0.1:.../callback?...) here and press Enter:"

// startPaste reads pasted addresses for the login st until the login ends
// or stop is called; what stop returns to is the terminal as it was.
// what names the wait on the live line ("the browser").
func startPaste(ctx context.Context, f *cmdutil.Factory, s *setup.Session, st *setup.Login, what string) (stop func()) {
	io := f.IO
	in, _ := io.In.(*os.File)
	t, _ := io.LookupEnv("TERM")
	if in != nil && io.ErrTTY && t != "dumb" && term.IsTerminal(int(in.Fd())) {
		// The echo goes off before the prompt shows, so an address pasted
		// the moment it appears is never echoed (it holds the code).
		if raw, err := openKeys(in); err == nil {
			fmt.Fprintln(io.Err, pastePrompt)
			return pasteLive(ctx, f, s, st, what, raw)
		}
	}
	fmt.Fprintln(io.Err, pastePrompt)
	go func() { // lines, echoed by the terminal if there is one
		sc := bufio.NewScanner(io.In)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			if again, why := pasteOutcome(s.Paste(ctx, line)); again {
				fmt.Fprintf(io.Err, "%s\nPaste it again and press Enter:\n", io.Masker.Mask(why))
				continue
			}
			return
		}
	}()
	return WaitIndicator(io, what, st.Deadline)
}

// pasteOutcome says whether a paste's result asks for another paste, and
// why in the user's words.
func pasteOutcome(err error) (again bool, why string) {
	switch {
	case errors.Is(err, oauth.ErrStateMismatch):
		return true, "That address is not from this login (state does not match); paste the one from this login."
	case errors.Is(err, oauth.ErrNotRedirect):
		return true, "That is not the address the browser ended on: copy the whole address from the browser's address bar (it starts with http://127.0.0.1 and contains code= and state=)."
	}
	return false, ""
}

// keys is a terminal reading key by key without echo (keyInput).
type keys interface {
	// next returns the bytes typed since the last call, waiting up to
	// wait; none when nothing was typed.
	next(wait time.Duration) ([]byte, error)
	// restore puts the terminal back as it was.
	restore()
}

// pasteLive runs the live line and reads keys until the login ends (a
// paste that took it, or stop).
func pasteLive(ctx context.Context, f *cmdutil.Factory, s *setup.Session, st *setup.Login, what string, k keys) (stop func()) {
	io := f.IO
	var (
		mu      sync.Mutex
		typed   []byte
		state   string // "" or what happens to the last Enter ("checking ...")
		done    = make(chan struct{})
		stopped = make(chan struct{})
	)
	width := func() int {
		if fd, ok := io.Err.(interface{ Fd() uintptr }); ok {
			if w, _, err := term.GetSize(int(fd.Fd())); err == nil && w > 10 {
				return w
			}
		}
		return 80
	}
	frames := []rune(`|/-\`)
	frame := 0
	draw := func() { // with mu held
		left := time.Until(st.Deadline).Round(time.Second)
		if left < 0 {
			left = 0
		}
		line := fmt.Sprintf("%c %s (waiting for %s: %s left)", frames[frame%len(frames)], describePaste(string(typed), state), what, left)
		frame++
		if w := width() - 1; utf8.RuneCountInString(line) > w {
			line = string([]rune(line)[:w-1]) + "…"
		}
		fmt.Fprintf(io.Err, "\r%s\x1b[K", line)
	}
	say := func(text string) { // a line of its own above the live line; with mu held
		fmt.Fprintf(io.Err, "\r\x1b[K%s\n", io.Masker.Mask(text))
		draw()
	}
	go func() {
		defer close(stopped)
		defer k.restore()
		tick := time.Now()
		esc := 0 // 1: after ESC, 2: inside ESC [ ...
		for {
			select {
			case <-done:
				mu.Lock()
				fmt.Fprint(io.Err, "\r\x1b[K")
				mu.Unlock()
				return
			default:
			}
			b, err := k.next(100 * time.Millisecond)
			mu.Lock()
			if err != nil {
				say("host: cannot read the pasted address: " + err.Error())
				mu.Unlock()
				<-done
				return
			}
			enter := false
			for _, c := range b {
				if esc > 0 { // an escape sequence (an arrow key): skipped
					if esc == 1 && c != '[' && c != 'O' || esc == 2 && c >= 0x40 && c <= 0x7e {
						esc = 0
					} else {
						esc = 2
					}
					continue
				}
				switch {
				case c == 0x1b:
					esc = 1
				case c == '\r' || c == '\n':
					enter = len(typed) > 0
				case c == 0x7f || c == 0x08: // backspace
					if len(typed) > 0 {
						_, n := utf8.DecodeLastRune(typed)
						typed = typed[:len(typed)-n]
					}
				case c == 0x15: // Ctrl-U
					typed = typed[:0]
				case c >= 0x20 || c == '\t':
					typed = append(typed, c)
				}
				if enter {
					break
				}
			}
			if enter {
				text := strings.TrimSpace(string(typed))
				typed = typed[:0]
				state = "checking the address..."
				draw()
				mu.Unlock()
				again, why := pasteOutcome(s.Paste(ctx, text))
				mu.Lock()
				state = ""
				if !again {
					mu.Unlock()
					<-done // the login ended: its result is the session's
					mu.Lock()
					fmt.Fprint(io.Err, "\r\x1b[K")
					mu.Unlock()
					return
				}
				say(why + " Paste it again and press Enter.")
			}
			if len(b) > 0 || time.Since(tick) >= 200*time.Millisecond {
				tick = time.Now()
				draw()
			}
			mu.Unlock()
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done); <-stopped }) }
}

// plainPath and plainCode report the paths and error codes a live line
// may show: a redirect's (/callback, access_denied), not text pasted by
// mistake. (Plain functions: a package-level regexp is compiled at init,
// for every command.)
func plainPath(s string) bool {
	return len(s) <= 40 && strings.IndexFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("/_.-", r))
	}) < 0
}

func plainCode(s string) bool {
	return len(s) >= 1 && len(s) <= 40 && strings.IndexFunc(s, func(r rune) bool { return !('a' <= r && r <= 'z' || r == '_') }) < 0
}

// describePaste says what typed holds so far, in words: never its query
// values (the code, the state) nor text that is no address.
func describePaste(typed, state string) string {
	if state != "" {
		return state
	}
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "paste the address and press Enter"
	}
	u, err := url.Parse(typed)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Sprintf("%d characters pasted: not an address yet", utf8.RuneCountInString(typed))
	}
	q := u.Query()
	where := u.Scheme + "://" + u.Host // never userinfo
	if plainPath(u.Path) {
		where += u.Path
	}
	switch {
	case q.Get("error") != "":
		if e := q.Get("error"); plainCode(e) {
			return fmt.Sprintf("%s with error=%s: press Enter", where, e)
		}
		return where + " with an error: press Enter"
	case q.Get("code") == "" && q.Get("state") == "":
		return where + " without code= and state= yet"
	case q.Get("code") == "":
		return where + " with a state, without code= yet"
	case q.Get("state") == "":
		return where + " with a code, without state= yet"
	}
	return where + " with a code and a state: press Enter"
}
