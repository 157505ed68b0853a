package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/bindings/setup"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/terminal"
	"host/jsrt"
)

// watchRun is `host run --watch`: run the plugin, and on every saved
// change to a file it imports rebuild, load and activate the new version
// first, and only then deactivate the old one. A version that fails to
// build, load or activate is reported and the old one keeps running.
// Changes that arrive while a version is being set up (a login, say) wait
// for it to finish.
func watchRun(ctx context.Context, opts *RunOptions) error {
	io := opts.Factory.IO
	sess, err := session.Open(opts.Factory, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	showActivity(sess.Host, io)
	sess.Host.OnStuck = func(id string, err error) { opts.Factory.Guard.Stuck(id, io.Masker.Mask(err.Error())) }
	path := sess.Resolve(opts.Path)
	w, err := jsrt.NewWatcher(opts.Debounce)
	if err != nil {
		return err
	}
	defer w.Close()
	entry, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	errOut := io.Err
	var cur *plugin.Plugin
	watchFiles := []string{entry}
	version := 0
	start := func(reason string) {
		t0 := time.Now()
		// A reload never asks (the watcher must not turn into a prompt)
		// and keeps the running version's id.
		a := opts.setupArgs()
		a.Path, a.Surface = path, "host run --watch"
		if cur != nil {
			a.Reload, a.ExpectID = true, cur.ID
		}
		p, err := terminal.Activate(ctx, sess, a)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			var me *setup.MissingError
			missing := errors.As(err, &me)
			if missing && cur != nil {
				// Not an error in the code: the new version needs a value
				// nobody supplied, and a reload never asks.
				var keys []string
				for _, f := range me.Fields {
					keys = append(keys, f.Key)
				}
				fmt.Fprintf(errOut, "host: the new version of %s adds required configuration: %s\n", cur.ID, strings.Join(keys, ", "))
				for _, f := range me.Fields {
					fmt.Fprintf(errOut, "  %s (%s): stop (Ctrl-C) and run again to be asked, or set %s=... in the environment (or --set %s=...) when you start it\n",
						f.Key, f.Label, plugin.EnvName(f.Key), f.Key)
				}
				fmt.Fprintf(errOut, "host: still running the previous version\n")
				return
			}
			fmt.Fprintf(errOut, "host: %s\n", io.Masker.Mask(session.ErrorText(err)))
			// The hint as the CLI words it (with the flag), once.
			if h := cmdutil.HintText(err); h != "" {
				fmt.Fprintf(errOut, "  hint: %s\n", io.Masker.Mask(h))
			}
			switch {
			case errors.Is(err, secrets.ErrUnavailable):
				// Not the code: saving a file does not help.
				fmt.Fprintf(errOut, "host: still watching; the secret backend is checked again on the next change\n")
			case cur != nil:
				fmt.Fprintf(errOut, "host: still running the previous version; fix the error and save\n")
			default:
				fmt.Fprintf(errOut, "host: waiting for a change to %s\n", path)
			}
			return
		}
		old := cur
		cur = p
		version++
		p.StartLoop()
		if old != nil {
			if err := session.Deactivate(old); err != nil {
				fmt.Fprintf(errOut, "host: the previous version: %s\n", io.Masker.Mask(err.Error()))
			}
		}
		watchFiles = p.Inputs
		if len(watchFiles) == 0 {
			watchFiles = []string{entry}
		}
		// Watch the new version's files before saying it is up, so a save
		// right after the message is seen.
		if err := w.Set(append(watchFiles, entry)); err != nil {
			fmt.Fprintf(errOut, "host: watching files: %s\n", io.Masker.Mask(err.Error()))
		}
		fmt.Fprintf(errOut, "%s %s (version %d, %s). Watching %d file(s); Ctrl-C to stop.\n",
			p.Name, reason, version, cmdutil.RoundDuration(time.Since(t0)), len(watchFiles))
		if opts.Activated != nil {
			opts.Activated(p)
		}
	}
	if err := w.Set([]string{entry}); err != nil {
		return err
	}
	start("is active")
	for {
		select {
		case <-ctx.Done():
			if cur != nil {
				fmt.Fprintf(errOut, "stopping %s\n", cur.Name)
				return session.Deactivate(cur)
			}
			return nil
		case err := <-w.Errors():
			fmt.Fprintf(errOut, "host: file watcher: %s\n", io.Masker.Mask(err.Error()))
		case changed := <-w.Changes():
			fmt.Fprintf(errOut, "host: %s changed, reloading\n", cmdutil.DescribeChanges(changed))
			start("reloaded")
		}
	}
}
