// Package doctor is `host doctor`: check the secret backend, the data dir
// and the plugins known there.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
)

const doctorUsage = `Usage: host doctor [--data-dir DIR] [--secrets keyring|file]

Checks the setup: which secret backend is in use and whether it works, the
data dir, and each plugin known there with the file that owns its id.
`

// DoctorOptions are `host doctor`'s flags.
type DoctorOptions struct {
	Factory *cmdutil.Factory

	Plugin cmdutil.PluginFlags // --data-dir, --secrets
}

// NewCmdDoctor is `host doctor`; runF, when set, runs instead of
// doctorRun.
func NewCmdDoctor(f *cmdutil.Factory, runF func(context.Context, *DoctorOptions) error) *cmdutil.Command {
	opts := &DoctorOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "doctor", doctorUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagDataDir|cmdutil.FlagSecrets)
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

func doctorRun(ctx context.Context, opts *DoctorOptions) error {
	io := opts.Factory.IO
	out := io.Out
	sess, err := session.Open(opts.Factory, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	fmt.Fprintf(out, "data dir:        %s\n", sess.Host.DataDir)
	fmt.Fprintf(out, "store:           %s\n", sess.Store.Path())
	b := sess.Host.Secrets
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	perr := secrets.Probe(pctx, b)
	if perr != nil {
		fmt.Fprintf(out, "secret backend:  %s — NOT WORKING: %v\n", b.Name(), io.Masker.Mask(perr.Error()))
		if h := cmdutil.HintText(perr); h != "" {
			fmt.Fprintf(out, "                 fix: %s\n", io.Masker.Mask(h))
		}
	} else {
		fmt.Fprintf(out, "secret backend:  %s — works (wrote, read and deleted a test item)\n", b.Name())
	}
	if _, fromFile := opts.Factory.SecretsMode(opts.Plugin.SecretsMode, sess.Host.DataDir); fromFile && opts.Factory.Secrets == nil {
		fmt.Fprintf(out, "                 (the data dir has an encrypted secrets file, %s: it is used without --secrets file)\n", secrets.FileName)
	}
	owners, err := plugin.KnownPlugins(sess.Host.DataDir)
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
				if p, err := plugin.Load(ctx, sess.Host, o.File); err == nil {
					fmt.Fprintf(out, "  %-20s permissions: %s\n", "", session.PermissionsText(p.Permissions()))
					p.Close()
				}
			}
		}
	}
	if perr != nil {
		return cmdutil.WithExit(cmdutil.ExitFailure, errors.New("the secret backend does not work; see above"))
	}
	return nil
}
