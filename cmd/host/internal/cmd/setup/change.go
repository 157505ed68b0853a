package setup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"host/bindings/plugin"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
	"host/schema"
)

// offerChange is `host setup PLUGIN` in a terminal for a plugin that is
// set up already: it shows the settings (a secret only as saved) and asks
// which to change. change are their keys (the setup then asks each, an
// empty answer keeping it); unchanged: the user changed nothing (said so).
// For a plugin that is not set up (or does not load: the setup says why),
// nothing is asked here.
func offerChange(ctx context.Context, sess *session.Session, opts *SetupOptions) (change []string, unchanged bool, err error) {
	f := opts.Factory
	pr := f.IO.Prompter
	p, err := sess.Load(ctx, sess.Resolve(opts.Path))
	if err != nil {
		return nil, false, nil
	}
	defer p.Close()
	if err := p.Claim(ctx, sess.Resolve(opts.Path), opts.Plugin.Adopt); err != nil {
		return nil, false, nil
	}
	st, err := p.Setup(ctx, plugin.Inputs{Set: opts.Plugin.Set, LookupEnv: f.IO.LookupEnv})
	if err != nil || len(st.Missing()) > 0 || len(st.Fields) == 0 {
		return nil, false, nil
	}
	fields := st.Fields
	pr.Section(p.Name + " is set up")
	for i, fl := range fields {
		pr.Say("  %d. %s: %s", i+1, fl.Label, f.IO.Masker.Mask(shown(fl)))
	}
	for {
		answer, err := pr.Ask(cmdutil.Question{Title: "Change which settings? Their numbers or keys, separated by commas; Enter keeps them all", Key: "change", Optional: true})
		if errors.Is(err, io.EOF) {
			return nil, false, cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("setup of %s cancelled; nothing was changed", p.Name))
		}
		if err != nil {
			return nil, false, err
		}
		if strings.TrimSpace(answer) == "" {
			fmt.Fprintf(f.IO.Err, "%s is set up; nothing was changed.\n", p.Name)
			return nil, true, nil
		}
		keys, bad := pick(fields, answer)
		if bad != "" {
			pr.Say("%s is not one of the numbers or keys above.", bad)
			continue
		}
		pr.Say("Enter the new values; an empty answer keeps the current one.")
		return keys, false, nil
	}
}

// shown is a field's current value as the offer shows it.
func shown(fl *plugin.Field) string {
	switch {
	case fl.Source == plugin.Unset:
		return "not set"
	case fl.Secret && (fl.Source == plugin.FromFlag || fl.Source == plugin.FromEnv):
		return "given for this run (hidden)"
	case fl.Secret:
		return "saved (hidden)"
	case fl.Source == plugin.FromDefault:
		return schema.Text(fl.Value) + " (default)"
	case fl.Source == plugin.FromFlag || fl.Source == plugin.FromEnv:
		return schema.Text(fl.Value) + " (given for this run)"
	}
	return schema.Text(fl.Value)
}

// pick reads the user's choice: numbers from the list or keys, separated
// by commas or spaces; bad is the first it does not know.
func pick(fields []*plugin.Field, answer string) (keys []string, bad string) {
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(answer, func(r rune) bool { return r == ',' || r == ' ' }) {
		key := ""
		if n, err := strconv.Atoi(w); err == nil && n >= 1 && n <= len(fields) {
			key = fields[n-1].Key
		} else {
			for _, fl := range fields {
				if strings.EqualFold(fl.Key, w) || strings.EqualFold(fl.Label, w) {
					key = fl.Key
				}
			}
		}
		if key == "" {
			return nil, w
		}
		if !seen[key] {
			seen[key] = true
			keys = append(keys, key)
		}
	}
	return keys, ""
}
