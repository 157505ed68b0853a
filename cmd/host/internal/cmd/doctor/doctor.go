// Package doctor is `host doctor`: check the secret backend, the data dir
// and the plugins known there.
package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	goio "io"
	"os"
	"strings"
	"time"

	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
)

const doctorUsage = `Usage: host doctor [--json] [--data-dir DIR] [--secrets keyring|file]

Checks the setup: which secret backend is in use and whether it works, the
data dir, and each plugin known there with the file that owns its id.
--json prints the same as one JSON object.
`

// DoctorOptions are `host doctor`'s flags.
type DoctorOptions struct {
	Factory *cmdutil.Factory

	Plugin cmdutil.PluginFlags // --data-dir, --secrets
	JSON   bool
}

// NewCmdDoctor is `host doctor`; runF, when set, runs instead of
// doctorRun.
func NewCmdDoctor(f *cmdutil.Factory, runF func(context.Context, *DoctorOptions) error) *cmdutil.Command {
	opts := &DoctorOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "doctor", doctorUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagDataDir|cmdutil.FlagSecrets)
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 0 {
			return cmdutil.Usagef("doctor takes no arguments")
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return doctorRun(ctx, opts)
	}
	return cmd
}

// report is what host doctor finds; --json prints it as it is.
type report struct {
	DataDir string `json:"dataDir"`
	Store   string `json:"store"`
	Secrets struct {
		Backend string `json:"backend"`
		Works   bool   `json:"works"`
		Error   string `json:"error,omitempty"`
		Fix     string `json:"fix,omitempty"`
		// FromDataDir: the data dir's encrypted file chose the backend.
		FromDataDir bool `json:"fromDataDir,omitempty"`
	} `json:"secrets"`
	Plugins []pluginReport `json:"plugins"`
}

type pluginReport struct {
	ID          string   `json:"id"`
	File        string   `json:"file,omitempty"`
	Missing     bool     `json:"missing,omitempty"`
	Permissions []string `json:"permissions,omitempty"`
}

func doctorRun(ctx context.Context, opts *DoctorOptions) error {
	io := opts.Factory.IO
	out := io.Out
	sess, err := session.Open(opts.Factory, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	var r report
	r.DataDir, r.Store = sess.Host.DataDir, sess.Store.Path()
	b := sess.Host.Secrets
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	perr := secrets.Probe(pctx, b)
	r.Secrets.Backend, r.Secrets.Works = b.Name(), perr == nil
	if perr != nil {
		r.Secrets.Error = io.Masker.Mask(perr.Error())
		r.Secrets.Fix = io.Masker.Mask(cmdutil.HintText(perr))
	}
	_, fromFile := opts.Factory.SecretsMode(opts.Plugin.SecretsMode, sess.Host.DataDir)
	r.Secrets.FromDataDir = fromFile && opts.Factory.Secrets == nil
	owners, err := plugin.KnownPlugins(sess.Host.DataDir)
	if err != nil {
		return err
	}
	r.Plugins = []pluginReport{}
	for _, o := range owners {
		pr := pluginReport{ID: o.ID, File: o.File}
		if o.File != "" {
			if _, err := os.Stat(o.File); err != nil {
				pr.Missing = true
			} else if p, err := plugin.Load(ctx, sess.Host, o.File); err == nil {
				pr.Permissions = p.Permissions().Summary()
				p.Close()
			}
		}
		r.Plugins = append(r.Plugins, pr)
	}
	if opts.JSON {
		b, _ := json.MarshalIndent(r, "", "  ")
		fmt.Fprintf(out, "%s\n", b)
	} else {
		printReport(out, &r)
	}
	if perr != nil {
		return cmdutil.WithExit(cmdutil.ExitFailure, errors.New("the secret backend does not work; see above"))
	}
	return nil
}

func printReport(out goio.Writer, r *report) {
	fmt.Fprintf(out, "data dir:        %s\n", r.DataDir)
	fmt.Fprintf(out, "store:           %s\n", r.Store)
	if !r.Secrets.Works {
		fmt.Fprintf(out, "secret backend:  %s — NOT WORKING: %v\n", r.Secrets.Backend, r.Secrets.Error)
		if r.Secrets.Fix != "" {
			fmt.Fprintf(out, "                 fix: %s\n", r.Secrets.Fix)
		}
	} else {
		fmt.Fprintf(out, "secret backend:  %s — works (wrote, read and deleted a test item)\n", r.Secrets.Backend)
	}
	if r.Secrets.FromDataDir {
		fmt.Fprintf(out, "                 (the data dir has an encrypted secrets file, %s: it is used without --secrets file)\n", secrets.FileName)
	}
	if len(r.Plugins) == 0 {
		fmt.Fprintln(out, "plugins:         none yet")
		return
	}
	fmt.Fprintln(out, "plugins:")
	for _, p := range r.Plugins {
		file := p.File
		switch {
		case file == "":
			file = "(owner not recorded)"
		case p.Missing:
			file += " (missing)"
		}
		fmt.Fprintf(out, "  %-20s %s\n", p.ID, file)
		if p.Permissions != nil {
			fmt.Fprintf(out, "  %-20s permissions: %s\n", "", strings.Join(p.Permissions, "; "))
		}
	}
}
