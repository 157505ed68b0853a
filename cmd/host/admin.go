package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"host/bindings/plugin"
	"host/bindings/secrets"
)

const configUsage = `Usage: host config show [--json] [flags] PLUGIN.ts

Shows the plugin's configuration: each field with its value and where it
comes from (saved, default, environment, --set); secret fields only as set or
not set.
`

const doctorUsage = `Usage: host doctor [--data-dir DIR] [--secrets keyring|file]

Checks the setup: which secret backend is in use and whether it works, the
data dir, and each plugin known there with the file that owns its id.
`

func configCmd(ctx context.Context, args []string, io *IO) error {
	if len(args) == 0 || args[0] != "show" {
		return usagef("config: usage: host config show [--json] PLUGIN.ts")
	}
	o := &runOptions{IO: io}
	var asJSON bool
	pos, err := parseCommand("config", configUsage, args[1:], io, o, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "") })
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("config show: usage: host config show [--json] PLUGIN.ts")
	}
	sess, p, done, err := openOwned(ctx, o, pos[0])
	if err != nil {
		return err
	}
	defer done()
	s, err := p.Setup(ctx, plugin.Inputs{Set: o.Set, LookupEnv: io.LookupEnv})
	if err != nil {
		return setupError(err)
	}
	type row struct {
		Key     string `json:"key"`
		Label   string `json:"label"`
		Section string `json:"section,omitempty"`
		Secret  bool   `json:"secret"`
		Set     bool   `json:"set"`
		Value   any    `json:"value,omitempty"`
		Source  string `json:"source,omitempty"`
	}
	var rows []row
	for _, f := range s.Fields {
		r := row{Key: f.Key, Label: f.Label, Section: f.Section, Secret: f.Secret, Set: f.Source != plugin.Unset, Source: sourceName(f.Source)}
		if !f.Secret && r.Set {
			r.Value = f.Value
		}
		rows = append(rows, r)
	}
	if asJSON {
		b, _ := json.MarshalIndent(map[string]any{"plugin": p.ID, "file": p.ConfigPath(), "fields": rows}, "", "  ")
		fmt.Fprintf(io.Out, "%s\n", b)
		return nil
	}
	fmt.Fprintf(io.Out, "%s (id %s), saved in %s\n", p.Name, p.ID, p.ConfigPath())
	if len(rows) == 0 {
		fmt.Fprintln(io.Out, "  no config fields")
	}
	for _, r := range rows {
		var shown string
		switch {
		case r.Secret && r.Set:
			shown = "set (secret, in the " + sess.host.Secrets.Name() + ")"
		case r.Secret:
			shown = "not set (secret)"
		case r.Set:
			b, _ := json.Marshal(r.Value)
			shown = string(b)
		default:
			shown = "not set"
		}
		if r.Set && r.Source != "" {
			shown += "  [" + r.Source + "]"
		}
		label := r.Key
		if r.Label != r.Key {
			label += " (" + r.Label + ")"
		}
		fmt.Fprintf(io.Out, "  %-28s %s\n", label, io.Masker.Mask(shown))
	}
	return nil
}

func doctorCmd(ctx context.Context, args []string, io *IO) error {
	o := &runOptions{IO: io}
	pos, err := parseCommand("doctor", doctorUsage, args, io, o, nil)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("doctor takes no arguments")
	}
	out := io.Out
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	fmt.Fprintf(out, "data dir:        %s\n", sess.host.DataDir)
	fmt.Fprintf(out, "store:           %s\n", sess.store.Path())
	b := sess.host.Secrets
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	perr := secrets.Probe(pctx, b)
	if perr != nil {
		fmt.Fprintf(out, "secret backend:  %s — NOT WORKING: %v\n", b.Name(), io.Masker.Mask(perr.Error()))
		if h := hintText(perr); h != "" {
			fmt.Fprintf(out, "                 fix: %s\n", io.Masker.Mask(h))
		}
	} else {
		fmt.Fprintf(out, "secret backend:  %s — works (wrote, read and deleted a test item)\n", b.Name())
	}
	owners, err := plugin.KnownPlugins(sess.host.DataDir)
	if err != nil {
		return err
	}
	if len(owners) == 0 {
		fmt.Fprintln(out, "plugins:         none yet")
	} else {
		fmt.Fprintln(out, "plugins:")
		for _, o := range owners {
			file := o.File
			switch {
			case file == "":
				file = "(owner not recorded)"
			default:
				if _, err := os.Stat(file); err != nil {
					file += " (missing)"
				}
			}
			fmt.Fprintf(out, "  %-20s %s\n", o.ID, file)
			if o.File != "" && !strings.HasSuffix(file, "(missing)") {
				if p, err := plugin.Load(ctx, sess.host, o.File); err == nil {
					fmt.Fprintf(out, "  %-20s permissions: %s\n", "", permissionsText(p.Permissions()))
					p.Close()
				}
			}
		}
	}
	if perr != nil {
		return &exitError{code: ExitFailure, err: errors.New("the secret backend does not work; see above")}
	}
	return nil
}
