package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"host/bindings/plugin"
	"host/jsrt"
)

// watchPlugin is `host run --watch`: run the plugin, and on every saved
// change to a file it imports rebuild, load and activate the new version
// first, and only then deactivate the old one. A version that fails to
// build, load or activate is reported and the old one keeps running.
// Changes that arrive while a version is being set up (a login, say) wait
// for it to finish.
func watchPlugin(ctx context.Context, o *runOptions) error {
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	showActivity(sess.host, o.IO)
	o.Path = sess.resolve(o.Path)
	w, err := jsrt.NewWatcher(o.Debounce)
	if err != nil {
		return err
	}
	defer w.Close()
	entry, err := filepath.Abs(o.Path)
	if err != nil {
		return err
	}
	errOut := o.IO.Err
	var cur *plugin.Plugin
	watchFiles := []string{entry}
	version := 0
	start := func(reason string) {
		t0 := time.Now()
		// A reload never asks (the watcher must not turn into a prompt)
		// and keeps the running version's id.
		o.reload = cur != nil
		if cur != nil {
			o.expectID = cur.ID
		}
		p, err := activate(ctx, sess, o)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			fmt.Fprintf(errOut, "host: %s\n", o.IO.Masker.Mask(reloadErrorText(err)))
			if cur != nil {
				fmt.Fprintf(errOut, "host: still running the previous version; fix the error and save\n")
			} else {
				fmt.Fprintf(errOut, "host: waiting for a change to %s\n", o.Path)
			}
			if h := jsrt.Hint(err); h != "" {
				fmt.Fprintf(errOut, "  hint: %s\n", h)
			}
			return
		}
		old := cur
		cur = p
		version++
		p.StartLoop()
		if old != nil {
			if err := deactivate(old); err != nil {
				fmt.Fprintf(errOut, "host: the previous version: %s\n", o.IO.Masker.Mask(err.Error()))
			}
		}
		watchFiles = p.Inputs
		if len(watchFiles) == 0 {
			watchFiles = []string{entry}
		}
		// Watch the new version's files before saying it is up, so a save
		// right after the message is seen.
		if err := w.Set(append(watchFiles, entry)); err != nil {
			fmt.Fprintf(errOut, "host: watching files: %s\n", o.IO.Masker.Mask(err.Error()))
		}
		fmt.Fprintf(errOut, "%s %s (version %d, %s). Watching %d file(s); Ctrl-C to stop.\n",
			p.Name, reason, version, time.Since(t0).Round(100*time.Microsecond), len(watchFiles))
		if o.Activated != nil {
			o.Activated(p)
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
				return deactivate(cur)
			}
			return nil
		case err := <-w.Errors():
			fmt.Fprintf(errOut, "host: file watcher: %s\n", o.IO.Masker.Mask(err.Error()))
		case changed := <-w.Changes():
			fmt.Fprintf(errOut, "host: %s changed, reloading\n", describeChanges(changed))
			start("reloaded")
		}
	}
}

func describeChanges(files []string) string {
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	return strings.Join(names, ", ")
}

// reloadErrorText is the message for a failed reload: build errors with the
// source line, JS errors with their mapped stack.
func reloadErrorText(err error) string {
	var bf *buildFailure
	if errors.As(err, &bf) {
		return bf.Error()
	}
	if je, ok := jsrt.AsJSError(err); ok && je.Stack != "" {
		return err.Error() + "\n" + indent(stackFrames(je.Stack))
	}
	return err.Error()
}

// stackFrames keeps the "at ..." lines of a JS stack.
func stackFrames(stack string) string {
	var out []string
	for _, ln := range strings.Split(stack, "\n") {
		if t := strings.TrimSpace(ln); strings.HasPrefix(t, "at ") {
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n")
}
