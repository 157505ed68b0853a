// Package terminal is host in a terminal: the process's IO (a prompter on
// the controlling terminal when there is one), the setup session rendered
// as a wizard (questions by section, the login's URL or device code, the
// live wait line) and the wording of a setup that failed.
package terminal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"host/cmd/host/internal/cmdutil"
)

// Std is the process's real IO. There is a prompter only when stdin is a
// terminal; questions go to the controlling terminal (like ssh and sudo),
// so stdout and stderr stay free for output and logs. done (Ctrl-C) ends a
// question in progress.
func Std(done <-chan struct{}) *cmdutil.IO {
	std := &cmdutil.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, LookupEnv: cmdutil.LookupEnvNonEmpty, Getwd: os.Getwd,
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd()))}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		var out io.Writer = os.Stderr
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			out = tty
		}
		std.Prompter = &Prompter{In: os.Stdin, Out: out, Done: done, fd: int(os.Stdin.Fd())}
	}
	return std
}

// Prompter asks on a terminal: title, help text and URL, then a prompt;
// secret input is read without echo via golang.org/x/term.
type Prompter struct {
	In  io.Reader
	Out io.Writer
	// Done, when it closes (Ctrl-C), ends a question in progress: the
	// terminal's echo is restored and Ask returns io.EOF.
	Done <-chan struct{}
	fd   int
	br   *bufio.Reader
}

// Section prints a heading.
func (p *Prompter) Section(title string) {
	fmt.Fprintf(p.Out, "\n== %s ==\n", title)
}

// Say prints a line.
func (p *Prompter) Say(format string, args ...any) {
	fmt.Fprintf(p.Out, format+"\n", args...)
}

// Ask asks one question.
func (p *Prompter) Ask(q cmdutil.Question) (string, error) {
	fmt.Fprintf(p.Out, "\n%s\n", q.Title)
	if q.HelpText != "" {
		fmt.Fprintf(p.Out, "  %s\n", q.HelpText)
	}
	if q.HelpURL != "" {
		fmt.Fprintf(p.Out, "  Get it at: %s\n", q.HelpURL)
	}
	if len(q.Options) > 0 {
		fmt.Fprintf(p.Out, "  One of: %s\n", strings.Join(q.Options, ", "))
	}
	prompt := "> "
	switch {
	case q.Default != "":
		prompt = fmt.Sprintf("[%s] > ", q.Default)
	case q.Optional:
		prompt = "(optional) > "
	}
	var saved *term.State
	if q.Secret {
		prompt = "(input hidden) " + prompt
		saved, _ = term.GetState(p.fd)
		// The echo goes off before the prompt shows: what is typed (or
		// pasted) as soon as the prompt appears is never echoed. Where
		// that can't be done, ReadPassword turns it off as it starts.
		if restore, err := echoOff(p.fd); err == nil {
			defer restore()
		}
	}
	fmt.Fprint(p.Out, prompt)
	type answer struct {
		text string
		err  error
	}
	got := make(chan answer, 1)
	if q.Secret {
		go func() {
			b, err := term.ReadPassword(p.fd)
			got <- answer{string(b), err}
		}()
	} else {
		if p.br == nil {
			p.br = bufio.NewReader(p.In)
		}
		go func() {
			line, err := p.br.ReadString('\n')
			if errors.Is(err, io.EOF) && line != "" {
				err = nil
			}
			got <- answer{line, err}
		}()
	}
	select {
	case a := <-got:
		if q.Secret {
			fmt.Fprintln(p.Out)
		}
		if a.err != nil {
			return "", a.err
		}
		return strings.TrimSpace(a.text), nil
	case <-p.Done:
		// Ctrl-C: the read goroutine stays blocked until exit; give the
		// terminal its echo back now.
		if saved != nil {
			_ = term.Restore(p.fd, saved)
		}
		fmt.Fprintln(p.Out)
		return "", io.EOF
	}
}
