package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/term"
)

// Prompter asks the user for one value. Tests replace it.
type Prompter interface {
	// Section starts a group of questions with a heading.
	Section(title string)
	// Ask shows q and returns what the user typed; a secret question does
	// not echo. io.EOF means the user gave up (Ctrl-D).
	Ask(q Question) (string, error)
	// Say shows a line to the user (an error to fix, progress).
	Say(format string, args ...any)
}

// Question is one field to ask for.
type Question struct {
	Title    string // the field's label
	Key      string
	HelpText string
	HelpURL  string
	Default  string // shown and used when the answer is empty
	Secret   bool
	Options  []string // enum choices
	Optional bool
}

// TermPrompter asks on a terminal: title, help text and URL, then a prompt;
// secret input is read without echo via golang.org/x/term.
type TermPrompter struct {
	In  io.Reader
	Out io.Writer
	// Done, when it closes (Ctrl-C), ends a question in progress: the
	// terminal's echo is restored and Ask returns io.EOF.
	Done <-chan struct{}
	fd   int
	br   *bufio.Reader
}

// Section prints a heading.
func (p *TermPrompter) Section(title string) {
	fmt.Fprintf(p.Out, "\n== %s ==\n", title)
}

// Say prints a line.
func (p *TermPrompter) Say(format string, args ...any) {
	fmt.Fprintf(p.Out, format+"\n", args...)
}

// Ask asks one question.
func (p *TermPrompter) Ask(q Question) (string, error) {
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
	if q.Secret {
		prompt = "(input hidden) " + prompt
	}
	fmt.Fprint(p.Out, prompt)
	type answer struct {
		text string
		err  error
	}
	got := make(chan answer, 1)
	var saved *term.State
	if q.Secret {
		saved, _ = term.GetState(p.fd)
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
