package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"host/cmd/host/internal/serve"
)

const setupUsage = `Usage: host setup [flags] PLUGIN

Completes a plugin's setup in the terminal: asks for the missing config and
token fields (or runs the OAuth2 login), checks them by activating the
plugin once, and saves them. When a serve runs for the data dir, the serve
then starts the plugin with the new setup (the other plugins untouched).

PLUGIN is the plugin's id as 'host status' shows it, or its file.
With --browser the setup happens on host's local setup page instead: a
loopback page for this plugin (the form of its settings, "Save and test",
"Connect" for OAuth2) opens in the browser, and host waits until it is
done (at most --auth-timeout).

Flags: as for 'host run' (--set, --data-dir, --connect-to, --no-browser,
--device, --paste, ...), and --browser.
`

func setupCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io, Once: true}
	var browser bool
	pos, err := parseCommand("setup", setupUsage, args, io, o, func(fs *flag.FlagSet) {
		o.Auth.register(fs)
		fs.BoolVar(&browser, "browser", false, "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("setup: usage: host setup [flags] PLUGIN")
	}
	o.Path = pos[0]
	c, _, err := dialServe(o)
	if err != nil {
		return err
	}
	var id string
	if c != nil {
		defer c.Close()
		// The serve knows the plugin by id; set up its file.
		states, err := c.Status(ctx)
		if err != nil {
			return err
		}
		name := serveName(o.Path)
		for _, st := range states {
			if st.ID == name || st.File == name {
				id, o.Path = st.ID, st.File
			}
		}
	}
	if browser {
		return setupInBrowser(ctx, o, c, id)
	}
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	p, err := activate(ctx, sess, o)
	if err != nil {
		sess.close()
		return err
	}
	derr := deactivate(p)
	sess.close()
	if derr != nil {
		return derr
	}
	if id == "" {
		fmt.Fprintf(io.Err, "%s is set up.\n", p.Name)
		return nil
	}
	fmt.Fprintf(io.Err, "%s is set up; starting it in the running serve...\n", p.Name)
	st, _, err := c.Reload(ctx, id)
	if err != nil {
		return err
	}
	if st.Phase != serve.Active {
		return errors.New(io.Masker.Mask(st.Line()))
	}
	fmt.Fprintln(io.Err, io.Masker.Mask(st.Line()))
	return nil
}
