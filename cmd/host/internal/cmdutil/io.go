package cmdutil

import (
	"fmt"
	"io"
	"os"
	"strings"

	"host/bindings/mask"
)

// IO is everything a command reads and writes; tests replace it.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// LookupEnv reads the environment (an empty variable is unset).
	LookupEnv func(string) (string, bool)
	// Prompter asks the user; nil when there is no terminal.
	Prompter Prompter
	// Getwd is the working directory (positions are shown relative to it).
	Getwd func() (string, error)
	// OpenBrowser opens a URL for the OAuth login; nil means $BROWSER or
	// the platform's opener (Factory.Browser).
	OpenBrowser func(url string) error
	// ErrTTY says Err is a terminal: live progress lines are shown there.
	ErrTTY bool
	// Masker hides every secret the host has seen in what it prints; the
	// factory creates one when nil.
	Masker *mask.Masker
}

// LookupEnvNonEmpty is os.LookupEnv treating an empty variable as unset,
// so `HOST_CONFIG_TOKEN= host run ...` supplies nothing.
func LookupEnvNonEmpty(k string) (string, bool) {
	v, ok := os.LookupEnv(k)
	return v, ok && v != ""
}

// Prompter asks the user for one value. Tests replace it; package
// terminal has the real one.
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

// Confirm asks question with y/N. yes answers it; without a terminal
// nothing is asked and the error (exit 2) says how to accept.
func Confirm(f *Factory, yes bool, question, refused string) error {
	if yes {
		return nil
	}
	p := f.IO.Prompter
	if p == nil {
		return WithExit(ExitUsage, fmt.Errorf("%s: host asks before this and there is no terminal to ask (%s above); run it again with --yes to accept", refused, strings.ToLower(question[:1])+strings.TrimSuffix(question[1:], "?")))
	}
	answer, err := p.Ask(Question{Title: question + " [y/N]", Key: "confirm", Optional: true})
	if err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("%s: you declined", refused)
}
