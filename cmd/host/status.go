package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"host/cmd/host/internal/serve"
	"host/jsrt"
)

// serveStatus is `host status` while a serve runs for the data dir: the
// serve's view of its plugins (all, or the one pos names). handled is
// false when no serve runs (and --json was not asked).
func serveStatus(ctx context.Context, o *runOptions, pos []string, asJSON bool) (handled bool, err error) {
	io := o.IO
	c, dataDir, err := dialServe(o)
	if err != nil {
		return true, err
	}
	if c == nil {
		if asJSON {
			return true, jsrt.WithHint(fmt.Errorf("status --json: no serve is running for %s", dataDir), "start one with 'host serve PLUGIN|DIR...' (or pass its --data-dir)")
		}
		return false, nil
	}
	defer c.Close()
	states, err := c.Status(ctx)
	if err != nil {
		return true, err
	}
	if len(pos) == 1 {
		name := serveName(pos[0])
		var one []serve.State
		for _, st := range states {
			if st.ID == name || st.File == name || filepath.Dir(st.File) == name {
				one = append(one, st)
			}
		}
		if len(one) == 0 {
			return true, fmt.Errorf("the running serve has no plugin %s", pos[0])
		}
		states = one
	}
	if asJSON {
		if states == nil {
			states = []serve.State{}
		}
		b, _ := json.MarshalIndent(states, "", "  ")
		fmt.Fprintf(io.Out, "%s\n", io.Masker.Mask(string(b)))
		return true, nil
	}
	for _, st := range states {
		fmt.Fprintln(io.Out, io.Masker.Mask(st.Line()))
		if _, rest, ok := strings.Cut(st.Reason, "\n"); ok && st.Phase != serve.Active {
			fmt.Fprintln(io.Out, io.Masker.Mask(indent(rest)))
		}
		if st.Status != nil {
			b, _ := json.Marshal(st.Status)
			fmt.Fprintf(io.Out, "  status: %s\n", io.Masker.Mask(string(b)))
		}
		if len(st.Tools) > 0 {
			fmt.Fprintf(io.Out, "  tools: %s\n", strings.Join(st.Tools, ", "))
		}
		if st.MemoryBytes > 0 {
			fmt.Fprintf(io.Out, "  memory: %.1f MiB (pid %d)\n", float64(st.MemoryBytes)/(1<<20), st.PID)
		}
	}
	return true, nil
}

// dialServe connects to the serve running for o's data dir; nil when none
// runs.
func dialServe(o *runOptions) (*serve.Client, string, error) {
	dataDir := o.DataDir
	if dataDir == "" {
		var err error
		if dataDir, err = defaultDataDir(o.IO); err != nil {
			return nil, "", err
		}
	}
	c, err := serve.Dial(dataDir)
	if errors.Is(err, serve.ErrNoServe) {
		return nil, dataDir, nil
	}
	return c, dataDir, err
}

// serveName is how a running serve knows a PLUGIN argument: an absolute
// path when it names a file or directory here, else the id as given.
func serveName(arg string) string {
	if _, err := os.Stat(arg); err == nil {
		if abs, err := filepath.Abs(arg); err == nil {
			return abs
		}
	}
	return arg
}
