package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"

	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/bindings/secrets"
)

const authUsage = `Usage: host auth login|status|logout [flags] PLUGIN.ts

  login    run the plugin's login: the OAuth2 flow in the browser, or for
           token plugins ask for the token fields again; then save
  status   show which secret fields and tokens are set (never their values),
           the token's expiry and scopes
  logout   delete every secret of the plugin from the secret backend

Login flags (also taken by 'host run' and 'host call'):
  --no-browser           do not open a browser: print the URL and wait
  --auth-timeout 5m      how long to wait for the browser
  --device               use the device authorization grant (RFC 8628) when
                         the plugin declares auth.deviceAuthorizationUrl
  --paste                also accept the redirected URL pasted on stdin (for
                         a browser on another machine)
Other flags as for 'host run' (--set, --data-dir, --connect-to).
`

// DefaultAuthTimeout bounds the wait for the browser.
const DefaultAuthTimeout = 5 * time.Minute

// authFlags are the login flags.
type authFlags struct {
	NoBrowser   bool
	AuthTimeout time.Duration
	Device      bool
	Paste       bool
}

func (a *authFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&a.NoBrowser, "no-browser", false, "")
	fs.DurationVar(&a.AuthTimeout, "auth-timeout", DefaultAuthTimeout, "")
	fs.BoolVar(&a.Device, "device", false, "")
	fs.BoolVar(&a.Paste, "paste", false, "")
}

// roundDuration shows seconds for long waits, milliseconds for short ones.
func roundDuration(d time.Duration) time.Duration {
	if d >= 10*time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

func tokenSummary(t *oauth.Token) string {
	var parts []string
	if len(t.Scopes) > 0 {
		parts = append(parts, "scopes: "+strings.Join(t.Scopes, " "))
	}
	if !t.Expiry.IsZero() {
		parts = append(parts, "token expires in "+time.Until(t.Expiry).Round(time.Second).String())
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// browser returns the function that opens a URL: the injected one, else
// $BROWSER (a colon-separated list of commands, %s for the URL, as
// xdg-open reads it), else the platform's opener.
func (io *IO) browser() func(url string) error {
	if io.OpenBrowser != nil {
		return io.OpenBrowser
	}
	return func(url string) error {
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

func authCmd(ctx context.Context, args []string, io *IO) error {
	if len(args) == 0 {
		return usagef("auth: which action? usage: host auth login|status|logout PLUGIN.ts")
	}
	action, rest := args[0], args[1:]
	o := &runOptions{IO: io, Once: true}
	pos, err := parseCommand("auth", authUsage, rest, io, o, func(fs *flag.FlagSet) { o.Auth.register(fs) })
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("auth %s: usage: host auth %s [flags] PLUGIN.ts", action, action)
	}
	o.Path = pos[0]
	switch action {
	case "login":
		return authLogin(ctx, o)
	case "status":
		return authStatus(ctx, o)
	case "logout":
		return authLogout(ctx, o)
	default:
		return usagef("auth: unknown action %q; use login, status or logout", action)
	}
}

// authLogin runs the login even when one is stored: OAuth2 plugins go
// through the flow, token plugins are asked for their token fields again,
// and the plugin is activated once to check what was entered.
func authLogin(ctx context.Context, o *runOptions) error {
	sess, err := openSession(o)
	if err != nil {
		return err
	}
	defer sess.close()
	o.session = sess
	o.ForceLogin = true
	p, err := activate(ctx, sess, o)
	if err != nil {
		return err
	}
	if err := deactivate(p); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Err, "%s is set up.\n", p.Name)
	return nil
}

func authStatus(ctx context.Context, o *runOptions) error {
	sess, p, done, err := openOwned(ctx, o, o.Path)
	if err != nil {
		return err
	}
	defer done()
	s, err := p.Setup(ctx, plugin.Inputs{})
	if err != nil {
		return setupError(err)
	}
	out := o.IO.Out
	fmt.Fprintf(out, "%s (id %s)\n", p.Name, p.ID)
	var rows []string
	for _, f := range s.Fields {
		state := "not set"
		switch {
		case f.Source == plugin.FromSaved && f.Secret:
			state = "set (in the " + sess.host.Secrets.Name() + ")"
		case f.Source == plugin.FromSaved:
			state = "set"
		case f.Source == plugin.FromDefault:
			state = "default"
		}
		kind := ""
		if f.Secret {
			kind = " [secret]"
		}
		rows = append(rows, fmt.Sprintf("  %-24s %s", f.Key+kind, state))
	}
	sort.Strings(rows)
	if len(rows) > 0 {
		fmt.Fprintln(out, "config:")
		for _, r := range rows {
			fmt.Fprintln(out, r)
		}
	}
	if p.Auth != nil && p.Auth.OAuth2 != nil {
		sc, err := p.SecretScope()
		if err != nil {
			return err
		}
		t, err := oauth.Load(ctx, sc)
		switch {
		case errors.Is(err, secrets.ErrNotFound):
			fmt.Fprintf(out, "oauth2: not logged in (run `host auth login %s`)\n", o.Path)
		case err != nil:
			return err
		default:
			fmt.Fprintln(out, "oauth2: logged in")
			fmt.Fprintf(out, "  %-24s set\n", oauth.AccessTokenKey)
			if t.RefreshToken != "" {
				fmt.Fprintf(out, "  %-24s set\n", oauth.RefreshTokenKey)
			} else {
				fmt.Fprintf(out, "  %-24s not set\n", oauth.RefreshTokenKey)
			}
			if t.Expiry.IsZero() {
				fmt.Fprintf(out, "  %-24s never\n", "expires")
			} else if d := time.Until(t.Expiry); d > 0 {
				fmt.Fprintf(out, "  %-24s %s (in %s)\n", "expires", t.Expiry.Local().Format(time.RFC3339), d.Round(time.Second))
			} else {
				fmt.Fprintf(out, "  %-24s %s (expired; refreshed on next use)\n", "expires", t.Expiry.Local().Format(time.RFC3339))
			}
			fmt.Fprintf(out, "  %-24s %s\n", "scopes", strings.Join(t.Scopes, " "))
		}
	}
	return nil
}

func authLogout(ctx context.Context, o *runOptions) error {
	sess, p, done, err := openOwned(ctx, o, o.Path)
	if err != nil {
		return err
	}
	defer done()
	if err := p.Logout(ctx); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Err, "Logged out of %s: its secrets were deleted from the %s.\n", p.Name, sess.host.Secrets.Name())
	return nil
}
