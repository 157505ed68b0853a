// Package cmdutil is what every command of `host` is built from: the
// Factory (IO streams, data dir, secret backend, HTTP client, browser
// opener, the process guards), the Command type and its one flag parser
// with the flag groups commands share, and the one error and exit-code
// format.
package cmdutil

import (
	"errors"
	"fmt"
	"net/http"
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

// SecretBackend picks where secrets live: f.Secrets when set, else the OS
// keyring unless the user explicitly opted in to the encrypted file (mode
// "file" from --secrets, or HOST_SECRETS=file). There is no silent
// fallback to anything else.
func (f *Factory) SecretBackend(mode, dataDir string) (secrets.Backend, error) {
	if f.Secrets != nil {
		return f.Secrets, nil
	}
	if mode == "" {
		mode, _ = f.IO.LookupEnv("HOST_SECRETS")
	}
	switch strings.ToLower(mode) {
	case "", "keyring":
		return secrets.NewOSKeyring(), nil
	case "file":
		pass, ok := f.IO.LookupEnv(secrets.PassphraseEnv)
		if !ok || pass == "" {
			if f.IO.Prompter == nil {
				return nil, WithExit(ExitUsage, fmt.Errorf("the encrypted secrets file needs a passphrase: set %s or run in a terminal to be asked", secrets.PassphraseEnv))
			}
			answer, err := f.IO.Prompter.Ask(Question{Title: "Passphrase for the encrypted secrets file", Key: "passphrase", Secret: true,
				HelpText: "It protects " + filepath.Join(dataDir, secrets.FileName) + "; the same passphrase opens it next time."})
			if err != nil {
				return nil, err
			}
			pass = answer
		}
		f.IO.Masker.Add(pass)
		return secrets.OpenFile(filepath.Join(dataDir, secrets.FileName), []byte(pass))
	default:
		return nil, Usagef("--secrets %q: use keyring (the OS keyring, the default) or file (an encrypted file in the data dir)", mode)
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
