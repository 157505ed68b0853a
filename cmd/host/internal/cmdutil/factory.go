// Package cmdutil is what every command of `host` is built from: the
// Factory (IO streams, data dir, secret backend, HTTP client, browser
// opener, the process guards), the Command type and its one flag parser
// with the flag groups commands share, and the one error and exit-code
// format.
package cmdutil

import (
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"host/bindings/fetch"
	"host/bindings/mask"
	"host/bindings/secrets"
	"host/cmd/host/internal/guard"
	"host/jsrt"
)

// Factory gives a command what it needs from the process. main makes one;
// tests and the demo make their own. A command reads it when it runs,
// never at construction.
type Factory struct {
	// IO is the streams, the environment, the prompter and the masker.
	IO *IO
	// Version is host's version.
	Version string
	// Guard is the process's memory cap and signal watchdog.
	Guard *guard.Guard
	// Startup are the start-up switches (HOST_STARTUP_OFF).
	Startup Startup

	// Secrets and HTTP, when set, replace the secret backend and the
	// HTTP client every session opens (the demo, tests).
	Secrets secrets.Backend
	HTTP    *http.Client
	// SecretsNamespace, when set, is the secrets namespace whatever the
	// data dir (the demo keeps to its own part of the keyring).
	SecretsNamespace string
	// SecretsKey, when set, is the encrypted secrets file's derived key
	// (secrets.File.Key) a serve handed its page worker: the file is
	// opened with it, without deriving one from the passphrase, unless it
	// no longer opens the file.
	SecretsKey []byte

	start time.Time
}

// New is the factory of a process whose streams are io.
func New(io *IO, version string) *Factory {
	if io.Masker == nil {
		io.Masker = mask.New()
	}
	return &Factory{IO: io, Version: version, Guard: guard.New(int(ExitFailure)),
		Startup: ParseStartup(os.Getenv("HOST_STARTUP_OFF")), start: time.Now()}
}

// WithIO is a copy of f whose commands use io (host mcp and the worker
// keep stdout for the protocol).
func (f *Factory) WithIO(io *IO) *Factory {
	c := *f
	c.IO = io
	return &c
}

// DataDir is the data dir: the --data-dir value when given, else
// $HOST_DATA_DIR, else the user config dir + /host.
func (f *Factory) DataDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if v, ok := f.IO.LookupEnv("HOST_DATA_DIR"); ok && v != "" {
		return v, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", jsrt.WithHint(fmt.Errorf("cannot find a data directory: %w", err), "pass --data-dir DIR")
	}
	return filepath.Join(dir, "host"), nil
}

// SecretsMode is the secret backend the flag's mode, HOST_SECRETS and the
// data dir choose: the mode when given, else HOST_SECRETS, else "file"
// when the data dir has an encrypted secrets file (the user opted in to it
// once), else "" (the OS keyring). fromFile says the last case.
func (f *Factory) SecretsMode(mode, dataDir string) (m string, fromFile bool) {
	if mode == "" {
		mode, _ = f.IO.LookupEnv("HOST_SECRETS")
	}
	if mode == "" && dataDir != "" {
		if fi, err := os.Stat(filepath.Join(dataDir, secrets.FileName)); err == nil && fi.Mode().IsRegular() {
			return "file", true
		}
	}
	return mode, false
}

// SecretBackend picks where secrets live: f.Secrets when set, else the OS
// keyring unless the user opted in to the encrypted file (mode "file"
// from --secrets, HOST_SECRETS=file, or a data dir that has one: see
// SecretsMode). There is no silent fallback to anything else.
func (f *Factory) SecretBackend(mode, dataDir string) (secrets.Backend, error) {
	if f.Secrets != nil {
		return f.Secrets, nil
	}
	mode, _ = f.SecretsMode(mode, dataDir)
	switch strings.ToLower(mode) {
	case "", "keyring":
		return secrets.NewOSKeyring(), nil
	case "file":
		path := filepath.Join(dataDir, secrets.FileName)
		if f.SecretsKey != nil {
			if pass, ok := f.IO.LookupEnv(secrets.PassphraseEnv); ok && pass != "" {
				f.IO.Masker.Add(pass)
			}
			if b, err := secrets.OpenFileKey(path, f.SecretsKey); err == nil {
				f.Trace("secrets file opened with the serve's key")
				return b, nil
			}
			// The passphrase changed since, or the file is gone: as
			// without the key.
		}
		_, statErr := os.Stat(path)
		isNew := errors.Is(statErr, fs.ErrNotExist)
		pass, ok := f.IO.LookupEnv(secrets.PassphraseEnv)
		if ok && pass != "" {
			f.IO.Masker.Add(pass)
			if isNew && len(pass) < MinPassphrase {
				return nil, WithExit(ExitUsage, fmt.Errorf("%s is too short for a new secrets file: use at least %d characters", secrets.PassphraseEnv, MinPassphrase))
			}
			b, err := secrets.OpenFile(path, []byte(pass))
			f.Trace("secrets file key derived")
			return b, err
		}
		if f.IO.Prompter == nil {
			return nil, WithExit(ExitUsage, fmt.Errorf("the encrypted secrets file needs a passphrase: set %s or run in a terminal to be asked", secrets.PassphraseEnv))
		}
		if isNew {
			return f.newPassphraseFile(path)
		}
		for try := 1; ; try++ {
			answer, err := f.IO.Prompter.Ask(Question{Title: "Passphrase for the encrypted secrets file", Key: "passphrase", Secret: true,
				HelpText: "It opens " + path + "."})
			if err != nil {
				return nil, err
			}
			f.IO.Masker.Add(answer)
			b, err := secrets.OpenFile(path, []byte(answer))
			if !errors.Is(err, secrets.ErrWrongPassphrase) || try == passphraseTries {
				return b, err
			}
			fmt.Fprintf(f.IO.Err, "host: wrong passphrase (try %d of %d)\n", try, passphraseTries)
		}
	default:
		return nil, Usagef("--secrets %q: use keyring (the OS keyring, the default) or file (an encrypted file in the data dir)", mode)
	}
}

// MinPassphrase is the shortest passphrase a new secrets file takes.
const MinPassphrase = 8

// passphraseTries is how often a passphrase is asked before giving up.
const passphraseTries = 3

// newPassphraseFile asks for the passphrase of a new secrets file twice,
// refusing a short one, and creates the file.
func (f *Factory) newPassphraseFile(path string) (secrets.Backend, error) {
	for try := 1; ; try++ {
		answer, err := f.IO.Prompter.Ask(Question{Title: "New passphrase for the encrypted secrets file", Key: "passphrase", Secret: true,
			HelpText: fmt.Sprintf("It will protect %s (at least %d characters); the same passphrase opens it next time.", path, MinPassphrase)})
		if err != nil {
			return nil, err
		}
		f.IO.Masker.Add(answer)
		var problem string
		if len(answer) < MinPassphrase {
			problem = fmt.Sprintf("too short: use at least %d characters", MinPassphrase)
		} else {
			again, err := f.IO.Prompter.Ask(Question{Title: "The same passphrase again", Key: "passphrase", Secret: true})
			if err != nil {
				return nil, err
			}
			if again == answer {
				return secrets.OpenFile(path, []byte(answer))
			}
			problem = "the two passphrases differ"
		}
		if try == passphraseTries {
			return nil, WithExit(ExitUsage, fmt.Errorf("no secrets file made: %s", problem))
		}
		fmt.Fprintf(f.IO.Err, "host: %s (try %d of %d)\n", problem, try, passphraseTries)
	}
}

// HTTPClient is the client plugins' requests go through: f.HTTP when set,
// else one following the --connect-to rules.
func (f *Factory) HTTPClient(connectTo []fetch.ConnectTo) *http.Client {
	if f.HTTP != nil {
		return f.HTTP
	}
	return fetch.NewClient(fetch.ClientOptions{ConnectTo: connectTo, UserAgent: "host/" + f.Version})
}

// Browser opens a URL: IO.OpenBrowser when set, else $BROWSER (a
// colon-separated list of commands, %s for the URL, as xdg-open reads
// it), else the platform's opener.
func (f *Factory) Browser(url string) error {
	io := f.IO
	if io.OpenBrowser != nil {
		return io.OpenBrowser(url)
	}
	if b, ok := io.LookupEnv("BROWSER"); ok && b != "" {
		var errs []error
		for _, c := range strings.Split(b, ":") {
			fields := strings.Fields(c)
			if len(fields) == 0 {
				continue
			}
			args := fields[1:]
			replaced := false
			for i, a := range args {
				if strings.Contains(a, "%s") {
					args[i] = strings.ReplaceAll(a, "%s", url)
					replaced = true
				}
			}
			if !replaced {
				args = append(args, url)
			}
			if err := startDetached(fields[0], args...); err != nil {
				errs = append(errs, err)
				continue
			}
			return nil
		}
		return errors.Join(errs...)
	}
	switch runtime.GOOS {
	case "darwin":
		return startDetached("open", url)
	case "windows":
		return startDetached("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		_, x := io.LookupEnv("DISPLAY")
		_, w := io.LookupEnv("WAYLAND_DISPLAY")
		if !x && !w {
			return errors.New("no graphical session (DISPLAY and WAYLAND_DISPLAY are unset)")
		}
		return startDetached("xdg-open", url)
	}
}

// startDetached starts a program without waiting for it (a browser may
// run for hours); its exit is reaped in the background.
// BrowserPrivate opens link, which holds a secret (a one-time token),
// without putting it on any command line, where every local user can read
// it (/proc/PID/cmdline): the browser is given a local file, readable by
// the user only, that sends it on to the link (as Jupyter does). remove
// deletes the file; call it once the link is spent or no longer wanted.
func (f *Factory) BrowserPrivate(link string) (remove func(), err error) {
	dir, err := os.MkdirTemp("", "host-open-") // 0700
	if err != nil {
		return func() {}, err
	}
	remove = func() { _ = os.RemoveAll(dir) }
	p := filepath.Join(dir, "setup.html")
	l := html.EscapeString(link)
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=` + l +
		`"><title>host setup</title></head><body><p>Opening the setup page: <a href="` + l + `">continue</a>.</p></body></html>`
	if err := os.WriteFile(p, []byte(page), 0o600); err != nil {
		remove()
		return func() {}, err
	}
	fp := filepath.ToSlash(p)
	if !strings.HasPrefix(fp, "/") {
		fp = "/" + fp // C:/... on Windows
	}
	if err := f.Browser((&url.URL{Scheme: "file", Path: fp}).String()); err != nil {
		remove()
		return func() {}, err
	}
	return remove, nil
}

func startDetached(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// Trace prints a timestamped step on stderr when HOST_TRACE is set (a
// development aid for the start-up numbers): milliseconds since the
// factory was made, or, when HOST_TRACE_T0 holds a Unix time in
// nanoseconds (the benchmarks pass the moment they started the process),
// since then.
func (f *Factory) Trace(what string) {
	if os.Getenv("HOST_TRACE") == "" {
		return
	}
	start := f.start
	if n, err := strconv.ParseInt(os.Getenv("HOST_TRACE_T0"), 10, 64); err == nil {
		start = time.Unix(0, n)
	}
	fmt.Fprintf(os.Stderr, "trace %6.1fms %s\n", float64(time.Since(start).Microseconds())/1000, what)
}
