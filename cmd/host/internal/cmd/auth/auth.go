// Package auth is `host auth login|status|logout`: log a plugin in again,
// show what of its setup is stored (never values), or forget its secrets.
package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/terminal"
)

const authUsage = `Usage: host auth login|status|logout [flags] PLUGIN.ts
       host auth status --json PLUGIN.ts

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

// NewCmdAuth is the `host auth` family.
func NewCmdAuth(f *cmdutil.Factory) *cmdutil.Command {
	cmd := cmdutil.NewCommand(f, "auth", authUsage)
	cmd.Subcommands = map[string]*cmdutil.Command{
		"login":  NewCmdLogin(f, nil),
		"status": NewCmdStatus(f, nil),
		"logout": NewCmdLogout(f, nil),
	}
	cmd.Run = func(ctx context.Context, args []string) error {
		if len(args) == 0 {
			return cmdutil.Usagef("auth: which action? usage: host auth login|status|logout PLUGIN.ts")
		}
		return cmdutil.Usagef("auth: unknown action %q; use login, status or logout", args[0])
	}
	return cmd
}

// onePlugin takes the one PLUGIN argument of `host auth ACTION`.
func onePlugin(action string, args []string, path *string) error {
	if len(args) != 1 {
		return cmdutil.Usagef("auth %s: usage: host auth %s [flags] PLUGIN.ts", action, action)
	}
	*path = args[0]
	return nil
}

// LoginOptions are `host auth login`'s flags and arguments.
type LoginOptions struct {
	Factory *cmdutil.Factory

	Path   string // the PLUGIN argument
	Plugin cmdutil.PluginFlags
	Login  cmdutil.LoginFlags
}

// NewCmdLogin is `host auth login`; runF, when set, runs instead of
// loginRun.
func NewCmdLogin(f *cmdutil.Factory, runF func(context.Context, *LoginOptions) error) *cmdutil.Command {
	opts := &LoginOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "auth login", authUsage)
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagsRun)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	opts.Login.Register(cmd.Flags)
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := opts.Plugin.Apply(); err != nil {
			return err
		}
		if err := onePlugin("login", args, &opts.Path); err != nil {
			return err
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return loginRun(ctx, opts)
	}
	return cmd
}

// loginRun runs the login even when one is stored: OAuth2 plugins go
// through the flow, token plugins are asked for their token fields again,
// and the plugin is activated once to check what was entered.
func loginRun(ctx context.Context, opts *LoginOptions) error {
	sess, err := session.Open(opts.Factory, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	p, err := terminal.Activate(ctx, sess, session.SetupArgs{Path: opts.Path, Set: opts.Plugin.Set, Adopt: opts.Plugin.Adopt,
		Login: opts.Login, ForceLogin: true, Surface: "host auth login"})
	if err != nil {
		return err
	}
	if err := session.Deactivate(p); err != nil {
		return err
	}
	fmt.Fprintf(opts.Factory.IO.Err, "%s is set up.\n", p.Name)
	return nil
}

// StatusOptions are `host auth status`'s flags and arguments.
type StatusOptions struct {
	Factory *cmdutil.Factory

	Path   string // the PLUGIN argument
	Plugin cmdutil.PluginFlags
	JSON   bool
}

// ownerFlags are the flags of the auth commands that load a plugin
// without running its setup.
const ownerFlags = cmdutil.FlagDataDir | cmdutil.FlagSecrets | cmdutil.FlagAdopt | cmdutil.FlagTimeout

// NewCmdStatus is `host auth status`; runF, when set, runs instead of
// statusRun.
func NewCmdStatus(f *cmdutil.Factory, runF func(context.Context, *StatusOptions) error) *cmdutil.Command {
	opts := &StatusOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "auth status", authUsage)
	opts.Plugin.Register(cmd.Flags, ownerFlags)
	cmd.Flags.BoolVar(&opts.JSON, "json", false, "")
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := onePlugin("status", args, &opts.Path); err != nil {
			return err
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return statusRun(ctx, opts)
	}
	return cmd
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	sess, p, done, err := session.OpenOwned(ctx, opts.Factory, &opts.Plugin, opts.Path)
	if err != nil {
		return err
	}
	defer done()
	s, err := p.Setup(ctx, plugin.Inputs{})
	if err != nil {
		return session.SetupError(err)
	}
	type fieldState struct {
		Key    string `json:"key"`
		Secret bool   `json:"secret"`
		State  string `json:"state"` // set, default, not set
	}
	type oauthState struct {
		LoggedIn     bool      `json:"loggedIn"`
		RefreshToken bool      `json:"refreshToken"`
		Expires      time.Time `json:"expires,omitzero"`
		Scopes       []string  `json:"scopes,omitempty"`
	}
	var fields []fieldState
	for _, f := range s.Fields {
		state := "not set"
		switch f.Source {
		case plugin.FromSaved:
			state = "set"
		case plugin.FromDefault:
			state = "default"
		}
		fields = append(fields, fieldState{Key: f.Key, Secret: f.Secret, State: state})
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].Key < fields[j].Key })
	var oa *oauthState
	if p.Auth != nil && p.Auth.OAuth2 != nil {
		sc, err := p.SecretScope()
		if err != nil {
			return err
		}
		t, err := oauth.Load(ctx, sc)
		switch {
		case errors.Is(err, secrets.ErrNotFound):
			oa = &oauthState{}
		case err != nil:
			return err
		default:
			oa = &oauthState{LoggedIn: true, RefreshToken: t.RefreshToken != "", Expires: t.Expiry, Scopes: t.Scopes}
		}
	}
	out := opts.Factory.IO.Out
	if opts.JSON {
		b, _ := json.MarshalIndent(map[string]any{"plugin": p.ID, "name": p.Name, "secretBackend": sess.Host.Secrets.Name(), "config": fields, "oauth2": oa}, "", "  ")
		fmt.Fprintf(out, "%s\n", b)
		return nil
	}
	fmt.Fprintf(out, "%s (id %s)\n", p.Name, p.ID)
	if len(fields) > 0 {
		fmt.Fprintln(out, "config:")
	}
	for _, f := range fields {
		state, kind := f.State, ""
		if f.Secret {
			kind = " [secret]"
			if state == "set" {
				state = "set (in the " + sess.Host.Secrets.Name() + ")"
			}
		}
		fmt.Fprintf(out, "  %-24s %s\n", f.Key+kind, state)
	}
	switch {
	case oa == nil:
	case !oa.LoggedIn:
		fmt.Fprintf(out, "oauth2: not logged in (run `host auth login %s`)\n", opts.Path)
	default:
		fmt.Fprintln(out, "oauth2: logged in")
		fmt.Fprintf(out, "  %-24s set\n", oauth.AccessTokenKey)
		if oa.RefreshToken {
			fmt.Fprintf(out, "  %-24s set\n", oauth.RefreshTokenKey)
		} else {
			fmt.Fprintf(out, "  %-24s not set\n", oauth.RefreshTokenKey)
		}
		if oa.Expires.IsZero() {
			fmt.Fprintf(out, "  %-24s never\n", "expires")
		} else if d := time.Until(oa.Expires); d > 0 {
			fmt.Fprintf(out, "  %-24s %s (in %s)\n", "expires", oa.Expires.Local().Format(time.RFC3339), d.Round(time.Second))
		} else {
			fmt.Fprintf(out, "  %-24s %s (expired; refreshed on next use)\n", "expires", oa.Expires.Local().Format(time.RFC3339))
		}
		fmt.Fprintf(out, "  %-24s %s\n", "scopes", strings.Join(oa.Scopes, " "))
	}
	return nil
}

// LogoutOptions are `host auth logout`'s flags and arguments.
type LogoutOptions struct {
	Factory *cmdutil.Factory

	Path   string // the PLUGIN argument
	Plugin cmdutil.PluginFlags
}

// NewCmdLogout is `host auth logout`; runF, when set, runs instead of
// logoutRun.
func NewCmdLogout(f *cmdutil.Factory, runF func(context.Context, *LogoutOptions) error) *cmdutil.Command {
	opts := &LogoutOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "auth logout", authUsage)
	opts.Plugin.Register(cmd.Flags, ownerFlags)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := onePlugin("logout", args, &opts.Path); err != nil {
			return err
		}
		if runF != nil {
			return runF(ctx, opts)
		}
		return logoutRun(ctx, opts)
	}
	return cmd
}

func logoutRun(ctx context.Context, opts *LogoutOptions) error {
	sess, p, done, err := session.OpenOwned(ctx, opts.Factory, &opts.Plugin, opts.Path)
	if err != nil {
		return err
	}
	defer done()
	if err := p.Logout(ctx); err != nil {
		return err
	}
	fmt.Fprintf(opts.Factory.IO.Err, "Logged out of %s: its secrets were deleted from the %s.\n", p.Name, sess.Host.Secrets.Name())
	return nil
}
