package serve

// The encrypted secrets file's key, handed to page workers.
//
// The serve opens the data dir's secrets (session.Open) before it starts
// anything; with the encrypted file (--secrets file) that derives the
// file's key from the passphrase with argon2id, most of a second of CPU
// and 64 MiB. A page worker, started for each job of the setup page,
// would derive it again before the page could answer. Instead the serve
// keeps the derived key (secrets.File.Key: it opens this file alone, and
// only until its passphrase changes; it is no passphrase) and writes it
// to a pipe the page worker inherits (SecretsKeyFDFlag), as the config
// values travel: never in a command line, the environment or a log. The
// page worker opens the file with it (secrets.OpenFileKey) and, should
// it not open the file (the passphrase changed meanwhile), derives the
// key from the passphrase as before. On Windows, which cannot hand a
// child a pipe (see config_windows.go), the page worker derives it.

// SecretsKeyFDFlag is the page worker's flag naming the file descriptor
// it reads the secrets file's key from (Options.SecretsKey).
const SecretsKeyFDFlag = "secrets-key-fd"

// maxSecretsKey bounds what a worker reads from the key pipe.
const maxSecretsKey = 1 << 10
