package main

import (
	"fmt"
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
				HelpText: "It protects " + filepath.Join(dataDir, "secrets.enc") + "; the same passphrase opens it next time."})
			if err != nil {
				return nil, err
			}
			pass = answer
		}
		o.IO.Masker.Add(pass)
		return secrets.OpenFile(filepath.Join(dataDir, "secrets.enc"), []byte(pass))
	default:
		return nil, usagef("--secrets %q: use keyring (the OS keyring, the default) or file (an encrypted file in the data dir)", mode)
	}
}
