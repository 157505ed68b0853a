package terminal

// Setting a plugin up: a setup.Session (which decides what to ask, when to
// retry, what to save) rendered in the terminal.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/bindings/setup"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
	"host/jsrt"
	"host/schema"
)

// Activate loads the plugin a.Path names and sets it up through a
// setup.Session shown in the terminal (asking for what is missing when
// there is a terminal), activates it and saves what worked. On error
// nothing is left running and nothing that failed is saved; the caller
// deactivates the plugin returned.
func Activate(ctx context.Context, sess *session.Session, a session.SetupArgs) (*plugin.Plugin, error) {
	a.Path = sess.Resolve(a.Path)
	return Setup(ctx, sess, setup.New(sess.SetupOptions(a)), a.Login)
}

// Setup drives a setup session in the terminal until the plugin is active
// (returned; the caller deactivates it) or the setup failed (a worded
// error). It closes s.
func Setup(ctx context.Context, sess *session.Session, s *setup.Session, login cmdutil.LoginFlags) (*plugin.Plugin, error) {
	defer s.Close()
	f := sess.Factory()
	io := f.IO
	pr := io.Prompter
	shownTry := 1
	warned := false
	stopWaiting := func() {}
	defer func() { stopWaiting() }()
	for {
		step, err := s.Next(ctx)
		stopWaiting()
		stopWaiting = func() {}
		if !warned {
			warned = true
			for _, q := range s.SecretsFromFlags() {
				fmt.Fprintf(io.Err, "host: warning: --set %s puts a secret on the command line, where ps and the shell history show it; pass it as %s=... in the environment instead\n", q.Key, plugin.EnvName(q.Key))
			}
		}
		if err != nil {
			return nil, WordFailure(err)
		}
		f.Trace("step")
		switch st := step.(type) {
		case *setup.Ask:
			if st.Refusal != "" && st.Try != shownTry {
				shownTry = st.Try
				pr.Say("%s", st.Refusal)
				pr.Say("Please try again (%d of %d).", st.Try, st.MaxTries)
			}
			if err := ask(pr, s, st); err != nil {
				return nil, err
			}
		case *setup.Login:
			if err := showLogin(ctx, f, s, st, login); err != nil {
				return nil, err
			}
			what := "the browser"
			if st.Device != nil {
				what = "the approval"
			}
			if login.Paste && st.Device == nil {
				stopWaiting = startPaste(ctx, f, s, st, what) // with its live line
			} else {
				stopWaiting = WaitIndicator(io, what, st.Deadline)
			}
		case *setup.Done:
			errOut := io.Err
			if st.LoggedIn != nil {
				fmt.Fprintf(errOut, "Logged in to %s%s.\n", st.Plugin.Name, tokenSummary(st.LoggedIn))
			}
			where := backendName(sess.Host.Secrets)
			for _, q := range st.Saved {
				if sess.Host.Secrets.Name() == "memory" { // nothing is saved
					fmt.Fprintf(errOut, "Kept %s in memory for this run only (not saved).\n", q.Label)
					continue
				}
				fmt.Fprintf(errOut, "Saved %s in the %s.\n", q.Label, where)
			}
			if len(st.NotSaved) > 0 {
				var names []string
				for _, q := range st.NotSaved {
					names = append(names, q.Label)
				}
				fmt.Fprintf(errOut, "host: %s used for this run only, not saved: %s\n", strings.Join(names, ", "),
					io.Masker.Mask(unavailableText(st.Why)))
			}
			f.Trace("saved")
			return st.Plugin, nil
		}
	}
}

func tokenSummary(t *oauth.Token) string {
	var parts []string
	if len(t.Scopes) > 0 {
		parts = append(parts, "scopes: "+strings.Join(t.Scopes, " "))
	}
	if !t.Expiry.IsZero() {
		parts = append(parts, "token expires in "+time.Until(t.Expiry).Round(time.Second).String())
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// backendName is how a secret backend is named to the user.
func backendName(b secrets.Backend) string {
	if b.Name() == "keyring" {
		return "OS keyring"
	}
	if b.Name() == "file" {
		return "encrypted secrets file"
	}
	return b.Name()
}

// ask asks st's questions, grouped by section in schema order, handing
// each answer to the session as it is typed.
func ask(pr cmdutil.Prompter, s *setup.Session, st *setup.Ask) error {
	var sections []string
	bySection := map[string][]setup.Question{}
	for _, q := range st.Questions {
		if _, ok := bySection[q.Section]; !ok {
			sections = append(sections, q.Section)
		}
		bySection[q.Section] = append(bySection[q.Section], q)
	}
	for _, sec := range sections {
		title := sec
		if title == "" {
			title = "Settings"
		}
		pr.Section(fmt.Sprintf("%s: %s", st.Plugin.Name, title))
		// Fields of this section that use their default are shown, so the
		// user sees what will be used and how to change it.
		for _, d := range st.Defaulted {
			if d.Section == sec {
				pr.Say("%s: %v (default; change with --set %s=...)", d.Label, d.Default, d.Key)
			}
		}
		for _, sq := range bySection[sec] {
			for _, is := range sq.Issues {
				pr.Say("%s: %s", sq.Label, is)
			}
			q := cmdutil.Question{Title: sq.Label, Key: sq.Key, HelpText: sq.HelpText, HelpURL: sq.HelpURL, Secret: sq.Secret, Options: sq.Choices, Default: sq.Default}
			for {
				answer, err := pr.Ask(q)
				if err != nil {
					if errors.Is(err, io.EOF) {
						return cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("setup of %s cancelled; nothing was saved", st.Plugin.Name))
					}
					return err
				}
				err = s.Answer(map[string]string{sq.Key: answer})
				var ae *setup.AnswerError
				if errors.As(err, &ae) {
					if ae.Issues[sq.Key] == "required" {
						pr.Say("%s is required.", sq.Label)
					} else {
						pr.Say("%s: %s", sq.Label, ae.Issues[sq.Key])
					}
					continue
				}
				if err != nil {
					return err
				}
				break
			}
		}
	}
	return nil
}

// showLogin shows a started login: opens the browser (or prints the URL),
// or shows the device code (--paste: see startPaste).
func showLogin(ctx context.Context, f *cmdutil.Factory, s *setup.Session, st *setup.Login, login cmdutil.LoginFlags) error {
	errOut := f.IO.Err
	name := st.Plugin.Name
	if st.Reason != "" {
		fmt.Fprintf(errOut, "%s: login needed: %v\n", name, st.Reason)
	}
	if d := st.Device; d != nil {
		fmt.Fprintf(errOut, "To log in to %s, open %s and enter the code:\n\n    %s\n\n", name, d.VerificationURI, d.UserCode)
		if d.CompleteURI != "" && !login.NoBrowser {
			_ = f.Browser(d.CompleteURI)
		}
		fmt.Fprintf(errOut, "Waiting for you to approve (the code expires in %s)...\n", time.Until(d.Expires).Round(time.Second))
		return nil
	}
	opened := false
	if !login.NoBrowser {
		if err := f.Browser(st.URL); err != nil {
			fmt.Fprintf(errOut, "Could not open a browser (%s).\n", f.IO.Masker.Mask(err.Error()))
		} else {
			opened = true
		}
	}
	if opened {
		fmt.Fprintf(errOut, "Opened your browser to log in to %s. If it did not open, visit:\n", name)
	} else {
		fmt.Fprintf(errOut, "To log in to %s, open this URL in a browser:\n", name)
	}
	fmt.Fprintln(errOut, st.URL)
	fmt.Fprintf(errOut, "Waiting for the login to finish (up to %s)...\n", cmdutil.RoundDuration(time.Until(st.Deadline)))
	return nil
}

// WaitIndicator shows, on a terminal, a live line counting the wait: the
// time elapsed and the deadline. Nothing when stderr is not a terminal or
// TERM=dumb (no line rewriting there); it uses no colour (NO_COLOR holds).
// The returned stop clears the line; call it once.
func WaitIndicator(io *cmdutil.IO, what string, deadline time.Time) (stop func()) {
	if t, _ := io.LookupEnv("TERM"); !io.ErrTTY || t == "dumb" {
		return func() {}
	}
	done, finished := make(chan struct{}), make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		frames := []rune(`|/-\`)
		for i := 0; ; i++ {
			left := time.Until(deadline).Round(time.Second)
			if left < 0 {
				left = 0
			}
			fmt.Fprintf(io.Err, "\r%c Waiting for %s: %s elapsed, %s left (until %s)\x1b[K",
				frames[i%len(frames)], what, time.Since(start).Round(time.Second), left, deadline.Format("15:04:05"))
			select {
			case <-done:
				fmt.Fprint(io.Err, "\r\x1b[K")
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// WordFailure turns a session's *setup.Failure into what the CLI prints:
// the message, the exit code, a hint naming this CLI's flags.
func WordFailure(err error) error {
	var f *setup.Failure
	if !errors.As(err, &f) {
		return err
	}
	switch f.Kind {
	case setup.Missing:
		var me *setup.MissingError
		if errors.As(err, &me) {
			return missingError(me)
		}
		return cmdutil.WithExit(cmdutil.ExitUsage, f.Err)
	case setup.Invalid:
		var ve *schema.ValidationError
		if errors.As(err, &ve) {
			return cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("plugin %s: invalid configuration:\n%s", f.Plugin.ID, cmdutil.Indent(schema.FormatIssues(ve.Issues))))
		}
		return cmdutil.WithExit(cmdutil.ExitUsage, f.Err)
	case setup.BadInput:
		return session.SetupError(f.Err)
	case setup.Cancelled:
		return cmdutil.WithExit(cmdutil.ExitUsage, f.Err)
	case setup.Claimed:
		return session.ClaimError(f.Err)
	case setup.LoginNeeded:
		var te *setup.LoginTimeoutError
		switch {
		case errors.As(err, &te):
			return jsrt.WithHint(te, "run again and finish the login in the browser, or pass --auth-timeout 10m")
		case errors.Is(err, setup.ErrNoDeviceLogin):
			return cmdutil.Usagef("--device: plugin %s declares no auth.deviceAuthorizationUrl; log in with the browser instead", f.Plugin.ID)
		}
	}
	return f.Err
}

// unavailableText says why the secret backend could not save, and what
// would keep secrets next time.
func unavailableText(err error) string {
	if err == nil {
		return "the secret backend is unavailable"
	}
	s := err.Error()
	if h := cmdutil.HintText(err); h != "" {
		s += "\n  hint: " + h
	}
	return s
}

// missingError names each missing field and both ways to supply it.
func missingError(me *setup.MissingError) error {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin %s needs configuration that was not supplied (no terminal to ask in):", me.Plugin.ID)
	for _, f := range me.Fields {
		what := f.Label
		if f.Secret {
			what += ", secret"
		}
		fmt.Fprintf(&b, "\n  %s (%s): set %s=... in the environment, or pass --set %s=...", f.Key, what, plugin.EnvName(f.Key), f.Key)
		if f.HelpURL != "" {
			fmt.Fprintf(&b, "\n    get it at %s", f.HelpURL)
		}
	}
	return cmdutil.WithExit(cmdutil.ExitUsage, jsrt.WithHint(&wordedMissing{text: b.String(), me: me},
		"run host in a terminal to be asked; secrets are best passed in the environment, not on the command line"))
}

// wordedMissing is a *setup.MissingError worded for this CLI; errors.As
// still finds the fields.
type wordedMissing struct {
	text string
	me   *setup.MissingError
}

func (e *wordedMissing) Error() string { return e.text }
func (e *wordedMissing) Unwrap() error { return e.me }
