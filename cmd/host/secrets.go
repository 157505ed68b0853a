package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"host/bindings/secrets"
)

// secretBackend picks where secrets live: the OS keyring unless the user
// explicitly opted in to the encrypted file (--secrets file or
// HOST_SECRETS=file). There is no silent fallback to anything else.
func secretBackend(o *runOptions, dataDir string) (secrets.Backend, error) {
	mode := o.SecretsMode
	if mode == "" {
		mode, _ = o.IO.LookupEnv("HOST_SECRETS")
	}
	switch strings.ToLower(mode) {
	case "", "keyring":
		return secrets.NewOSKeyring(), nil
	case "file":
		pass, ok := o.IO.LookupEnv(secrets.PassphraseEnv)
		if !ok || pass == "" {
			if o.IO.Prompter == nil {
				return nil, &exitError{code: ExitUsage, err: fmt.Errorf("the encrypted secrets file needs a passphrase: set %s or run in a terminal to be asked", secrets.PassphraseEnv)}
			}
			answer, err := o.IO.Prompter.Ask(Question{Title: "Passphrase for the encrypted secrets file", Key: "passphrase", Secret: true,
				HelpText: "It protects " + filepath.Join(dataDir, secrets.FileName) + "; the same passphrase opens it next time."})
			if err != nil {
				return nil, err
			}
			pass = answer
		}
		o.IO.Masker.Add(pass)
		return secrets.OpenFile(filepath.Join(dataDir, secrets.FileName), []byte(pass))
	default:
		return nil, usagef("--secrets %q: use keyring (the OS keyring, the default) or file (an encrypted file in the data dir)", mode)
	}
}

// newPassphraseEnv supplies `host secrets passphrase` its new passphrase
// without a terminal.
const newPassphraseEnv = "HOST_SECRETS_NEW_PASSPHRASE"

const secretsUsage = `Usage: host secrets passphrase [--data-dir DIR]

Changes the passphrase of the encrypted secrets file (--secrets file) in
the data dir. Every secret in it is kept. The file is replaced atomically:
an interruption leaves it as it was, opened by the old passphrase. Other
host processes still using the old passphrase get a "wrong passphrase"
error on their next access and must be restarted with the new one.

The current passphrase comes from HOST_SECRETS_PASSPHRASE or a prompt, the
new one from HOST_SECRETS_NEW_PASSPHRASE or a prompt (asked twice).
`

func secretsCmd(ctx context.Context, args []string, io *IO) error {
	if len(args) == 0 || args[0] != "passphrase" {
		return usagef("secrets: usage: host secrets passphrase [--data-dir DIR] (see 'host help secrets')")
	}
	o := &runOptions{IO: io}
	pos, err := parseCommand("secrets", secretsUsage, args[1:], io, o, nil)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("secrets passphrase takes no arguments")
	}
	dataDir := o.DataDir
	if dataDir == "" {
		if dataDir, err = defaultDataDir(io); err != nil {
			return err
		}
	}
	path := filepath.Join(dataDir, secrets.FileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return &exitError{code: ExitUsage, err: fmt.Errorf("there is no encrypted secrets file at %s: host makes one when run with --secrets file (pass --data-dir if it is elsewhere)", path)}
	}
	o.SecretsMode = "file"
	b, err := secretBackend(o, dataDir)
	if err != nil {
		return err
	}
	f := b.(*secrets.File)
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
func askNewPassphrase(io *IO, path string) (string, error) {
	if v, ok := io.LookupEnv(newPassphraseEnv); ok {
		return v, nil
	}
	if io.Prompter == nil {
		return "", &exitError{code: ExitUsage, err: fmt.Errorf("no new passphrase: set %s or run in a terminal to be asked", newPassphraseEnv)}
	}
	q := Question{Title: "New passphrase for the encrypted secrets file", Key: "new_passphrase", Secret: true,
		HelpText: "From now on it opens " + path + "."}
	first, err := io.Prompter.Ask(q)
	if err != nil {
		return "", err
	}
	if first == "" {
		return "", &exitError{code: ExitUsage, err: errors.New("the new passphrase is empty; nothing changed")}
	}
	q.Title, q.HelpText = "The new passphrase again", ""
	again, err := io.Prompter.Ask(q)
	if err != nil {
		return "", err
	}
	if again != first {
		return "", &exitError{code: ExitUsage, err: errors.New("the two new passphrases differ; nothing changed")}
	}
	return first, nil
}
