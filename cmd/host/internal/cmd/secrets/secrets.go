// Package secrets is `host secrets`: set one secret field of a plugin
// (from a hidden prompt or stdin), and change the encrypted secrets file's
// passphrase.
package secrets

import (
	"context"
	goio "io"
	"strings"

	"errors"
	"fmt"
	"host/cmd/host/internal/session"
	"io/fs"
	"os"
	"path/filepath"

	"host/bindings/secrets"
	"host/cmd/host/internal/cmdutil"
)

// newPassphraseEnv supplies `host secrets passphrase` its new passphrase
// without a terminal.
const newPassphraseEnv = "HOST_SECRETS_NEW_PASSPHRASE"

const secretsUsage = `Usage: host secrets set [--data-dir DIR] [--secrets keyring|file] PLUGIN KEY
       host secrets passphrase [--data-dir DIR]

set: saves secret field KEY of the plugin in the secret backend, the value
from a hidden prompt in a terminal, else from stdin (one line; the newline
is dropped): never on a command line. Unset it with 'host config unset
PLUGIN KEY'.

passphrase:

Changes the passphrase of the encrypted secrets file (--secrets file) in
the data dir. Every secret in it is kept. The file is replaced atomically:
an interruption leaves it as it was, opened by the old passphrase. Other
host processes still using the old passphrase get a "wrong passphrase"
error on their next access and must be restarted with the new one.

The current passphrase comes from HOST_SECRETS_PASSPHRASE or a prompt, the
new one from HOST_SECRETS_NEW_PASSPHRASE or a prompt (asked twice).
`

// NewCmdSecrets is the `host secrets` family.
func NewCmdSecrets(f *cmdutil.Factory) *cmdutil.Command {
	cmd := cmdutil.NewCommand(f, "secrets", secretsUsage)
	cmd.Subcommands = map[string]*cmdutil.Command{"passphrase": NewCmdPassphrase(f, nil), "set": NewCmdSet(f)}
	cmd.Run = func(ctx context.Context, args []string) error {
		return cmdutil.Usagef("secrets: usage: host secrets set|passphrase ... (see 'host help secrets')")
	}
	return cmd
}

// PassphraseOptions are `host secrets passphrase`'s flags.
type PassphraseOptions struct {
	Factory *cmdutil.Factory

	DataDir string
}

// NewCmdSet is `host secrets set PLUGIN KEY`.
func NewCmdSet(f *cmdutil.Factory) *cmdutil.Command {
	var flags cmdutil.PluginFlags
	cmd := cmdutil.NewCommand(f, "secrets set", secretsUsage)
	flags.Register(cmd.Flags, cmdutil.FlagDataDir|cmdutil.FlagSecrets|cmdutil.FlagAdopt)
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 2 {
			return cmdutil.Usagef("secrets set: usage: host secrets set [flags] PLUGIN KEY (the value from a hidden prompt or stdin)")
		}
		sess, p, done, err := session.OpenOwned(ctx, f, &flags, args[0])
		if err != nil {
			return err
		}
		defer done()
		io := f.IO
		read := func() (string, error) {
			if io.Prompter != nil {
				return io.Prompter.Ask(cmdutil.Question{Title: args[1] + " of plugin " + p.ID, Key: args[1], Secret: true})
			}
			b, err := goio.ReadAll(goio.LimitReader(io.In, 1<<20))
			if err != nil {
				return "", fmt.Errorf("secrets set: reading the value from stdin: %w", err)
			}
			value := strings.TrimRight(string(b), "\r\n")
			io.Masker.Add(value)
			if value == "" {
				return "", cmdutil.Usagef("secrets set: no value (type it at the prompt, or pipe it on stdin)")
			}
			return value, nil
		}
		field, err := session.ChangeSetting(ctx, p, args[1], read, false, true)
		if err != nil {
			return err
		}
		where := map[string]string{"keyring": "OS keyring", "file": "encrypted secrets file"}[sess.Host.Secrets.Name()]
		if where == "" {
			where = sess.Host.Secrets.Name()
		}
		fmt.Fprintf(io.Err, "Saved %s of plugin %s in the %s.\n", field.Label, p.ID, where)
		return nil
	}
	return cmd
}

// NewCmdPassphrase is `host secrets passphrase`; runF, when set, runs
// instead of passphraseRun.
func NewCmdPassphrase(f *cmdutil.Factory, runF func(context.Context, *PassphraseOptions) error) *cmdutil.Command {
	opts := &PassphraseOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "secrets passphrase", secretsUsage)
	cmd.Flags.StringVar(&opts.DataDir, "data-dir", "", "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) != 0 {
			return cmdutil.Usagef("secrets passphrase takes no arguments")
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return passphraseRun(ctx, opts)
	}
	return cmd
}

func passphraseRun(ctx context.Context, opts *PassphraseOptions) error {
	io := opts.Factory.IO
	dataDir, err := opts.Factory.DataDir(opts.DataDir)
	if err != nil {
		return err
	}
	path := filepath.Join(dataDir, secrets.FileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("there is no encrypted secrets file at %s: host makes one when run with --secrets file (pass --data-dir if it is elsewhere)", path))
	}
	b, err := opts.Factory.SecretBackend("file", dataDir)
	if err != nil {
		return err
	}
	f, ok := b.(*secrets.File)
	if !ok {
		return fmt.Errorf("the secret backend is %s, not the encrypted file", b.Name())
	}
	defer f.Close()
	newPass, err := askNewPassphrase(io, path)
	if err != nil {
		return err
	}
	io.Masker.Add(newPass)
	if err := f.ChangePassphrase(ctx, []byte(newPass)); err != nil {
		return err
	}
	fmt.Fprintf(io.Err, "Changed the passphrase of %s; every secret in it is kept.\n", path)
	return nil
}

// askNewPassphrase reads the new passphrase from the environment or, in a
// terminal, asks for it twice.
func askNewPassphrase(io *cmdutil.IO, path string) (string, error) {
	if v, ok := io.LookupEnv(newPassphraseEnv); ok {
		return v, nil
	}
	if io.Prompter == nil {
		return "", cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("no new passphrase: set %s or run in a terminal to be asked", newPassphraseEnv))
	}
	q := cmdutil.Question{Title: "New passphrase for the encrypted secrets file", Key: "new_passphrase", Secret: true,
		HelpText: "From now on it opens " + path + "."}
	first, err := io.Prompter.Ask(q)
	if err != nil {
		return "", err
	}
	if first == "" {
		return "", cmdutil.WithExit(cmdutil.ExitUsage, errors.New("the new passphrase is empty; nothing changed"))
	}
	q.Title, q.HelpText = "The new passphrase again", ""
	again, err := io.Prompter.Ask(q)
	if err != nil {
		return "", err
	}
	if again != first {
		return "", cmdutil.WithExit(cmdutil.ExitUsage, errors.New("the two new passphrases differ; nothing changed"))
	}
	return first, nil
}
