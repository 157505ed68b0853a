package serve

import "os/exec"

// The encrypted secrets file's key, handed to the workers.
//
// The serve opens the data dir's secrets (session.Open) before it starts
// anything; with the encrypted file (--secrets file) that derives the
// file's key from the passphrase with argon2id, most of a second of CPU
// and 64 MiB. Every worker (a plugin's, a group's, a page worker started
// for each job of the setup page) would derive it again before its
// plugins could start, and one without the passphrase in its environment
// (the user typed it at the serve's prompt) could not open the file at
// all: it has no terminal to ask in. Instead the serve keeps the derived
// key (secrets.File.Key: it opens this file alone, and only until its
// passphrase changes; it is no passphrase) and writes it to a pipe the
// worker inherits (SecretsKeyFDFlag), as the config values travel: never
// in a command line, the environment or a log. The worker reads it,
// closes the pipe and opens the file with it (secrets.OpenFileKey) and,
// should it not open the file (the passphrase changed meanwhile), derives
// the key from the passphrase as before. On Windows, which cannot hand a
// child a pipe (see config_windows.go), the worker derives it (and needs
// HOST_SECRETS_PASSPHRASE).

// SecretsKeyFDFlag is the worker's flag naming the file descriptor
// it reads the secrets file's key from (Options.SecretsKey).
const SecretsKeyFDFlag = "secrets-key-fd"

// maxSecretsKey bounds what a worker reads from the key pipe.
const maxSecretsKey = 1 << 10

// passKey hands cmd, not started yet, the serve's key of the secrets file
// (Options.SecretsKey), when it has one, over an inherited pipe; done
// closes the serve's copy of the pipe once cmd started (or failed to).
func (s *Supervisor) passKey(cmd *exec.Cmd) (done func(), err error) {
	if s.opts.SecretsKey == nil {
		return func() {}, nil
	}
	return keyPipe(cmd, s.opts.SecretsKey)
}
