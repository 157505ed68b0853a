package main

// Setting a plugin up: a setup.Session (which decides what to ask, when to
// retry, what to save) rendered in the terminal.

import (
	"bufio"
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
	"host/cmd/host/internal/ui"
	"host/jsrt"
	"host/schema"
)

// activate loads the plugin and sets it up through a setup.Session shown
// in the terminal (asking for what is missing when there is a terminal),
// activates it and saves what worked. On error nothing is left running and
// nothing that failed is saved.
func activate(ctx context.Context, sess *session, o *runOptions) (*plugin.Plugin, error) {
	o.Path = sess.resolve(o.Path)
	o.session = sess
	return terminalSetup(ctx, setup.New(o.setupOptions(sess)), o)
}

// setupOptions is the setup.Session for o's plugin and flags.
func (o *runOptions) setupOptions(sess *session) setup.Options {
	return setup.Options{
		Host:        sess.host,
		Path:        o.Path,
		Adopt:       o.Adopt,
		Inputs:      plugin.Inputs{Set: o.Set, LookupEnv: o.IO.LookupEnv},
		Interactive: o.IO.Prompter != nil && !o.reload,
		ForceLogin:  o.ForceLogin,
		ExpectID:    o.expectID,
		Login: setup.LoginOptions{
			Device:  o.Auth.Device,
			Timeout: o.Auth.AuthTimeout,
			Flow:    oauth.FlowOptions{Client: sess.host.HTTP, Page: ui.CallbackPage},
			OnDeviceRetry: func(err error, next time.Duration) {
				why := err.Error()
				if ee := (*oauth.EndpointError)(nil); errors.As(err, &ee) {
					why = fmt.Sprintf("%s: %v", ee.URL, ee.Err)
				}
				fmt.Fprintf(o.IO.Err, "Could not check the login (%s); still waiting, next try in %s.\n", o.IO.Masker.Mask(why), next.Round(time.Second))
			},
		},
		Load: func(ctx context.Context, h *plugin.Host, path string) (*plugin.Plugin, error) {
			p, err := loadPlugin(ctx, h, path)
			if err == nil {
				showWarnings(o.IO, p)
			}
			return p, err
		},
		Trace: trace,
	}
}

// terminalSetup drives a setup session in the terminal until the plugin is
// active (returned; the caller deactivates it) or the setup failed (a
// worded error). It closes s. `host setup` and `host run` use it.
func terminalSetup(ctx context.Context, s *setup.Session, o *runOptions) (*plugin.Plugin, error) {
	defer s.Close()
	pr := o.IO.Prompter
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
				fmt.Fprintf(o.IO.Err, "host: warning: --set %s puts a secret on the command line, where ps and the shell history show it; pass it as %s=... in the environment instead\n", q.Key, plugin.EnvName(q.Key))
			}
		}
		if err != nil {
			return nil, o.wordFailure(err)
		}
		trace("step")
		switch st := step.(type) {
		case *setup.Ask:
			if st.Refusal != "" && st.Try != shownTry {
				shownTry = st.Try
				pr.Say("%s", st.Refusal)
				pr.Say("Please try again (%d of %d).", st.Try, st.MaxTries)
			}
			if err := askTerminal(pr, s, st); err != nil {
				return nil, err
			}
		case *setup.Login:
			if err := showLogin(ctx, s, st, o); err != nil {
				return nil, err
			}
			what := "the browser"
			if st.Device != nil {
				what = "the approval"
			}
			stopWaiting = waitIndicator(o.IO, what, st.Deadline)
		case *setup.Done:
			errOut := o.IO.Err
			if st.LoggedIn != nil {
				fmt.Fprintf(errOut, "Logged in to %s%s.\n", st.Plugin.Name, tokenSummary(st.LoggedIn))
			}
			where := backendName(o.session.host.Secrets)
			for _, q := range st.Saved {
				fmt.Fprintf(errOut, "Saved %s in the %s.\n", q.Label, where)
			}
			if len(st.NotSaved) > 0 {
				var names []string
				for _, q := range st.NotSaved {
					names = append(names, q.Label)
				}
				fmt.Fprintf(errOut, "host: %s used for this run only, not saved: %s\n", strings.Join(names, ", "),
					o.IO.Masker.Mask(unavailableText(st.Why)))
			}
			trace("saved")
			return st.Plugin, nil
		}
	}
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

// askTerminal asks st's questions, grouped by section in schema order,
// handing each answer to the session as it is typed.
func askTerminal(pr Prompter, s *setup.Session, st *setup.Ask) error {
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
			q := Question{Title: sq.Label, Key: sq.Key, HelpText: sq.HelpText, HelpURL: sq.HelpURL, Secret: sq.Secret, Options: sq.Choices, Default: sq.Default}
			for {
				answer, err := pr.Ask(q)
				if err != nil {
					if errors.Is(err, io.EOF) {
						return &exitError{code: ExitUsage, err: fmt.Errorf("setup of %s cancelled; nothing was saved", st.Plugin.Name)}
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
// or shows the device code; with --paste it reads a pasted address.
func showLogin(ctx context.Context, s *setup.Session, st *setup.Login, o *runOptions) error {
	errOut := o.IO.Err
	name := st.Plugin.Name
	if st.Reason != "" {
		fmt.Fprintf(errOut, "%s: login needed: %v\n", name, st.Reason)
	}
	if d := st.Device; d != nil {
		fmt.Fprintf(errOut, "To log in to %s, open %s and enter the code:\n\n    %s\n\n", name, d.VerificationURI, d.UserCode)
		if d.CompleteURI != "" && !o.Auth.NoBrowser {
			_ = o.IO.browser()(d.CompleteURI)
		}
		fmt.Fprintf(errOut, "Waiting for you to approve (the code expires in %s)...\n", time.Until(d.Expires).Round(time.Second))
		return nil
	}
	opened := false
	if !o.Auth.NoBrowser {
		if err := o.IO.browser()(st.URL); err != nil {
			fmt.Fprintf(errOut, "Could not open a browser (%s).\n", o.IO.Masker.Mask(err.Error()))
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
	if o.Auth.Paste {
		fmt.Fprintf(errOut, "On another machine? Paste the address your browser ends up on (http://127.0.0.1:.../callback?...) here and press Enter:\n")
		go func() {
			sc := bufio.NewScanner(o.IO.In)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" {
					continue
				}
				err := s.Paste(ctx, line)
				if errors.Is(err, oauth.ErrStateMismatch) {
					fmt.Fprintf(errOut, "That address is not from this login (state does not match); paste the one from this login.\n")
					continue
				}
				return
			}
		}()
	}
	fmt.Fprintf(errOut, "Waiting for the login to finish (up to %s)...\n", roundDuration(time.Until(st.Deadline)))
	return nil
}

// waitIndicator shows, on a terminal, a live line counting the wait: the
// time elapsed and the deadline. Nothing when stderr is not a terminal or
// TERM=dumb (no line rewriting there); it uses no colour (NO_COLOR holds).
// The returned stop clears the line; call it once.
func waitIndicator(io *IO, what string, deadline time.Time) (stop func()) {
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

// wordFailure turns a session's *setup.Failure into what the CLI prints:
// the message, the exit code, a hint naming this CLI's flags.
func (o *runOptions) wordFailure(err error) error {
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
		return &exitError{code: ExitUsage, err: f.Err}
	case setup.Invalid:
		var ve *schema.ValidationError
		if errors.As(err, &ve) {
			return &exitError{code: ExitUsage, err: fmt.Errorf("plugin %s: invalid configuration:\n%s", f.Plugin.ID, indent(schema.FormatIssues(ve.Issues)))}
		}
		return &exitError{code: ExitUsage, err: f.Err}
	case setup.BadInput:
		return setupError(f.Err)
	case setup.Cancelled:
		return &exitError{code: ExitUsage, err: f.Err}
	case setup.Claimed:
		return claimError(f.Err)
	case setup.LoginNeeded:
		var te *setup.LoginTimeoutError
		switch {
		case errors.As(err, &te):
			return jsrt.WithHint(te, "run again and finish the login in the browser, or pass --auth-timeout 10m")
		case errors.Is(err, setup.ErrNoDeviceLogin):
			return usagef("--device: plugin %s declares no auth.deviceAuthorizationUrl; log in with the browser instead", f.Plugin.ID)
		}
	}
	return f.Err
}

// claimError words a refused claim on a plugin id: exit 2, and how to
// adopt the id or pick another.
func claimError(err error) error {
	var ce *plugin.IDClaimedError
	if errors.As(err, &ce) {
		return &exitError{code: ExitUsage, err: jsrt.WithHint(ce,
			fmt.Sprintf("if %s is meant to replace it, run it once with --adopt; otherwise give it its own id: definePlugin({ id: '...' })", baseName(ce.File)))}
	}
	var oe *plugin.OwnerRecordError
	if errors.As(err, &oe) {
		return &exitError{code: ExitUsage, err: jsrt.WithHint(oe,
			"if you know which file owns the id, delete the record and run that file once with --adopt")}
	}
	return &exitError{code: ExitUsage, err: err}
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// unavailableText says why the secret backend could not save, and what
// would keep secrets next time.
func unavailableText(err error) string {
	if err == nil {
		return "the secret backend is unavailable"
	}
	s := err.Error()
	if h := hintText(err); h != "" {
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
	return &exitError{code: ExitUsage, err: jsrt.WithHint(errors.New(b.String()),
		"run host in a terminal to be asked; secrets are best passed in the environment, not on the command line")}
}

func setupError(err error) error {
	var ie *plugin.InputError
	if errors.As(err, &ie) {
		return &exitError{code: ExitUsage, err: inputError(ie)}
	}
	return err
}

// inputError words bad config input with where it came from: --set KEY or
// HOST_CONFIG_KEY.
func inputError(ie *plugin.InputError) error {
	if len(ie.Fields) == 0 {
		return ie
	}
	lines := make([]string, 0, len(ie.Fields))
	for _, f := range ie.Fields {
		from := "--set " + f.Key
		if f.From == plugin.FromEnv {
			from = plugin.EnvName(f.Key)
		}
		if f.Unknown {
			lines = append(lines, fmt.Sprintf("%s: no config field %q (fields: %s)", from, f.Key, strings.Join(f.Known, ", ")))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s: %s: %v", from, f.Key, f.Err))
	}
	return errors.New(strings.Join(lines, "\n"))
}

// sourceName is how the CLI names where a value came from.
func sourceName(s plugin.Source) string {
	if s == plugin.FromFlag {
		return "--set"
	}
	return string(s)
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
