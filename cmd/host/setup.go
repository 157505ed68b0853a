package main

// Setting a plugin up: load, gather config, ask in a terminal, log in,
// activate, save what worked.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"host/bindings/plugin"
	"host/jsrt"
	"host/schema"
)

// maxTries is how often a user in a terminal may retry a refused token.
const maxTries = 3

// activate loads the plugin, sets it up (asking in a terminal for what is
// missing, up to maxTries when the plugin refuses its token), activates it
// and saves what the user supplied. On error nothing is left running and
// nothing that failed is saved.
func activate(ctx context.Context, sess *session, o *runOptions) (*plugin.Plugin, error) {
	o.Path = sess.resolve(o.Path)
	p, err := loadOwned(ctx, sess, o, o.Path)
	if err != nil {
		return nil, err
	}
	trace("loaded")
	ok := false
	defer func() {
		if !ok {
			p.Close()
		}
	}()
	in := plugin.Inputs{Set: o.Set, LookupEnv: o.IO.LookupEnv}
	setup, err := p.Setup(ctx, in)
	if err != nil {
		return nil, setupError(err)
	}
	trace("setup")
	if o.ForceLogin {
		// host auth login: ask for the token fields again (what --set or
		// the environment supplies counts as the new answer).
		for _, f := range setup.Fields {
			if f.Auth && f.Source == plugin.FromSaved {
				f.Value, f.Source = nil, plugin.Unset
			}
		}
	}
	pr := o.IO.Prompter
	loggedIn := false
	for try := 1; ; try++ {
		if missing := setup.Missing(); len(missing) > 0 {
			if pr == nil {
				return nil, missingError(p, missing)
			}
			if err := ask(pr, p, setup, missing); err != nil {
				return nil, err
			}
		}
		if !loggedIn {
			if o.ForceLogin && p.Auth != nil && p.Auth.OAuth2 != nil {
				err = loginOAuth(ctx, o, p, setup)
			} else {
				err = ensureLogin(ctx, o, p, setup)
			}
			if err != nil {
				return nil, err
			}
			loggedIn = true
		}
		err = p.Activate(ctx, setup)
		trace("activated")
		if err == nil {
			break
		}
		var ve *schema.ValidationError
		var ae *plugin.ActivateError
		switch {
		case errors.As(err, &ve):
			if pr == nil {
				return nil, &exitError{code: ExitUsage, err: fmt.Errorf("plugin %s: invalid configuration:\n%s", p.ID, indent(schema.FormatIssues(ve.Issues)))}
			}
			pr.Say("The configuration is not valid:\n%s", indent(schema.FormatIssues(ve.Issues)))
			forget(setup, issueKeys(ve.Issues))
		case errors.As(err, &ae):
			if pr == nil || try >= maxTries || !hasAuthFields(setup) || hostFailure(err) {
				return nil, err
			}
			pr.Say("%s", o.IO.Masker.Mask(errorText(err)))
			pr.Say("Please try again (%d of %d).", try+1, maxTries)
			forget(setup, authKeys(setup))
		default:
			return nil, err
		}
		// A failed activation may have left timers or state: start afresh.
		p.Close()
		np, err := loadPlugin(ctx, sess.host, o.Path)
		if err != nil {
			return nil, err
		}
		p = np
		if setup, err = carry(ctx, p, in, setup); err != nil {
			return nil, err
		}
	}
	if err := setup.Save(ctx); err != nil {
		_ = deactivate(p)
		return nil, err
	}
	trace("saved")
	ok = true
	return p, nil
}

// carry moves what the user already answered into a fresh setup.
func carry(ctx context.Context, p *plugin.Plugin, in plugin.Inputs, old *plugin.Setup) (*plugin.Setup, error) {
	s, err := p.Setup(ctx, in)
	if err != nil {
		return nil, setupError(err)
	}
	for _, of := range old.Fields {
		if f, ok := s.Field(of.Key); ok {
			switch of.Source {
			case plugin.FromPrompt:
				f.Value, f.Source = of.Value, of.Source
			case plugin.Unset:
				if f.Source != plugin.FromDefault {
					// The user was asked again for a saved value that failed.
					f.Value, f.Source = nil, plugin.Unset
				}
			}
		}
	}
	return s, nil
}

func setupError(err error) error {
	var ie *plugin.InputError
	if errors.As(err, &ie) {
		return &exitError{code: ExitUsage, err: err}
	}
	return err
}

// ask asks for the missing fields, grouped by section in schema order.
func ask(pr Prompter, p *plugin.Plugin, s *plugin.Setup, missing []*plugin.Field) error {
	sections := []string{}
	bySection := map[string][]*plugin.Field{}
	for _, f := range missing {
		sec := f.Section
		if sec == "" {
			sec = "Settings"
		}
		if _, ok := bySection[sec]; !ok {
			sections = append(sections, sec)
		}
		bySection[sec] = append(bySection[sec], f)
	}
	for _, sec := range sections {
		pr.Section(fmt.Sprintf("%s: %s", p.Name, sec))
		// Fields of this section that use their default are shown, so the
		// user sees what will be used and how to change it.
		for _, f := range s.Fields {
			fsec := f.Section
			if fsec == "" {
				fsec = "Settings"
			}
			if fsec == sec && f.Source == plugin.FromDefault && !f.Secret {
				pr.Say("%s: %v (default; change with --set %s=...)", f.Label, f.Value, f.Key)
			}
		}
		for _, f := range bySection[sec] {
			q := Question{Title: f.Label, Key: f.Key, HelpText: f.HelpText, HelpURL: f.HelpURL, Secret: f.Secret, Options: f.Options}
			if f.HasDefault {
				q.Default = fmt.Sprint(f.Default)
			}
			for {
				answer, err := pr.Ask(q)
				if err != nil {
					if errors.Is(err, io.EOF) {
						return &exitError{code: ExitUsage, err: fmt.Errorf("setup of %s cancelled; nothing was saved", p.Name)}
					}
					return err
				}
				if answer == "" {
					if q.Default != "" {
						break
					}
					pr.Say("%s is required.", f.Label)
					continue
				}
				if err := s.Supply(f.Key, answer); err != nil {
					pr.Say("%s: %v", f.Label, err)
					continue
				}
				break
			}
		}
	}
	return nil
}

// missingError names each missing field and both ways to supply it.
func missingError(p *plugin.Plugin, missing []*plugin.Field) error {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin %s needs configuration that was not supplied (no terminal to ask in):", p.ID)
	for _, f := range missing {
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

func hasAuthFields(s *plugin.Setup) bool { return len(authKeys(s)) > 0 }

func authKeys(s *plugin.Setup) []string {
	var keys []string
	for _, f := range s.Fields {
		if f.Auth {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

func issueKeys(issues []schema.Issue) []string {
	seen := map[string]bool{}
	var keys []string
	for _, is := range issues {
		if len(is.Path) == 0 {
			continue
		}
		if k, ok := is.Path[0].(string); ok && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// forget clears fields so they are asked again.
func forget(s *plugin.Setup, keys []string) {
	for _, k := range keys {
		if f, ok := s.Field(k); ok {
			f.Value, f.Source = nil, plugin.Unset
		}
	}
}

// hostFailure reports whether onActivate failed on something the host
// reported (a network error, a timeout, the keyring), not on the plugin
// refusing its token: asking for the token again would not help.
func hostFailure(err error) bool {
	je, ok := jsrt.AsJSError(err)
	return ok && strings.HasPrefix(je.Code, "ERR_")
}

func errorText(err error) string {
	if je, ok := jsrt.AsJSError(err); ok {
		return je.Message
	}
	return err.Error()
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}
