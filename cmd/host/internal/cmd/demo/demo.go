// Package demo is `host demo`: the documents' plugins run end to end and
// offline, against built-in stand-ins (package demo, imported here as
// standin) for their API and OAuth2 provider.
package demo

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"host/bindings/fetch"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/cmd/host/internal/cmd/run"
	"host/cmd/host/internal/cmdutil"
	standin "host/cmd/host/internal/demo"
	"host/plugins"
)

const demoUsage = `Usage: host demo [--keep DIR]

Runs the documents' plugins end to end and offline:
  - the token plugin (plugins/token-auth/plugin.ts, unchanged) against an
    in-process HTTPS stand-in for api.myservice.com: a wrong token, the valid
    one, and a second run that asks nothing;
  - the OAuth2 plugin (plugins/oauth2/plugin.ts, unchanged) against a
    stand-in provider: the browser login (approved automatically), the code
    exchanged with PKCE, and a second run without a browser.
Secrets go to the OS keyring when one is reachable, in a part of it of the
demo's own (never the items of your own token-auth or oauth2 plugins), and
are removed again at the end; else to memory. The demo says which.
`

// Token is the stand-in's one valid token: an obviously fake value.
const Token = "fake-demo-token-0000"

// DemoOptions are `host demo`'s flags.
type DemoOptions struct {
	Factory *cmdutil.Factory

	Keep string // use this data dir and keep it
}

// NewCmdDemo is `host demo`; runF, when set, runs instead of demoRun.
func NewCmdDemo(f *cmdutil.Factory, runF func(context.Context, *DemoOptions) error) *cmdutil.Command {
	opts := &DemoOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "demo", demoUsage)
	cmd.Flags.StringVar(&opts.Keep, "keep", "", "use DIR as the data dir and keep it")
	cmd.Run = func(ctx context.Context, args []string) error {
		if runF != nil {
			return runF(ctx, opts)
		}
		return demoRun(ctx, opts)
	}
	return cmd
}

// step runs `host run --once` of the plugin at path with the demo's own
// streams, secret backend, HTTP client and keyring namespace.
func step(ctx context.Context, f *cmdutil.Factory, dio *cmdutil.IO, path, dataDir string, backend secrets.Backend, client *http.Client, ns string) cmdutil.ExitCode {
	df := cmdutil.New(dio, f.Version)
	df.Guard, df.Startup = f.Guard, f.Startup
	df.Secrets, df.HTTP, df.SecretsNamespace = backend, client, ns
	return cmdutil.Report(dio, run.Run(ctx, &run.RunOptions{Factory: df, Path: path, Once: true, Plugin: cmdutil.PluginFlags{DataDir: dataDir}}))
}

func demoRun(ctx context.Context, opts *DemoOptions) error {
	io := opts.Factory.IO
	keep := &opts.Keep
	work, err := os.MkdirTemp("", "host-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	dataDir := filepath.Join(work, "data")
	if *keep != "" {
		dataDir = *keep
	}
	// The demo's secrets live apart from the user's own plugins' (which
	// may have the same ids), whatever the data dir.
	ns := plugin.DataDirNamespace(dataDir) + "-demo"
	src, err := plugins.FS.ReadFile("token-auth/plugin.ts")
	if err != nil {
		return err
	}
	pluginPath := filepath.Join(work, "token-auth", "plugin.ts")
	if err := os.MkdirAll(filepath.Dir(pluginPath), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(pluginPath, src, 0o600); err != nil {
		return err
	}

	srv, err := standin.StartAPI(Token)
	if err != nil {
		return err
	}
	defer srv.Close()
	client := fetch.NewClient(fetch.ClientOptions{
		ConnectTo: []fetch.ConnectTo{{Host: "api.myservice.com", Port: "443", ToHost: "127.0.0.1", ToPort: portOf(srv.Addr())}},
		RootCAs:   srv.Pool(),
		UserAgent: "host/" + opts.Factory.Version,
	})

	// The OS keyring when it works, else memory: say which and why.
	var backend secrets.Backend
	kr := secrets.NewOSKeyring()
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	perr := kr.Probe(pctx)
	cancel()
	if perr == nil {
		backend = kr
		fmt.Fprintln(io.Out, "Secret backend: the OS keyring (Secret Service), in the demo's own items; the demo removes them at the end.")
	} else {
		backend = secrets.NewMemory()
		fmt.Fprintf(io.Out, "Secret backend: in memory, because no OS keyring is reachable here (%s).\n", io.Masker.Mask(perr.Error()))
		fmt.Fprintln(io.Out, "  `host run` itself never falls back to memory or plaintext; it says what to fix.")
	}
	fmt.Fprintf(io.Out, "Stand-in for https://api.myservice.com listening on %s\n", srv.Addr())
	fmt.Fprintf(io.Out, "Plugin: the documents' token plugin, unchanged (%s)\n\n", "plugins/token-auth/plugin.ts")

	tokenStep := func(title, token string) error {
		fmt.Fprintf(io.Out, "== %s\n", title)
		dio := &cmdutil.IO{In: io.In, Out: io.Out, Err: io.Out, Getwd: func() (string, error) { return work, nil },
			LookupEnv: func(k string) (string, bool) {
				if k == plugin.EnvName("token") && token != "" {
					return token, true
				}
				return "", false
			}}
		code := step(ctx, opts.Factory, dio, pluginPath, dataDir, backend, client, ns)
		fmt.Fprintf(io.Out, "-> exit code %d\n\n", code)
		return nil
	}
	_ = tokenStep("1. A wrong token: onActivate calls GET /me, gets 401 and throws; nothing is saved", "fake-wrong-token")
	_ = tokenStep("2. The valid token (fed as HOST_CONFIG_TOKEN): activated, the token saved as a secret", Token)
	_ = tokenStep("3. Second run, nothing supplied: nothing asked, the saved secret is used", "")

	// The OAuth2 plugin against the stand-in provider; the "browser"
	// approves on its own.
	prov, err := standin.StartProvider("my-app") // the plugin's clientId
	if err != nil {
		return err
	}
	defer prov.Close()
	oauthPath := filepath.Join(work, "oauth2", "plugin.ts")
	osrc, err := plugins.FS.ReadFile("oauth2/plugin.ts")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(oauthPath), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(oauthPath, osrc, 0o600); err != nil {
		return err
	}
	oauthStep := func(title string) {
		fmt.Fprintf(io.Out, "== %s\n", title)
		dio := &cmdutil.IO{In: io.In, Out: io.Out, Err: io.Out, Getwd: func() (string, error) { return work, nil },
			LookupEnv:   func(string) (string, bool) { return "", false },
			OpenBrowser: func(u string) error { go func() { _ = prov.Approve(u) }(); return nil }}
		code := step(ctx, opts.Factory, dio, oauthPath, dataDir, backend, prov.Client(), ns)
		fmt.Fprintf(io.Out, "-> exit code %d\n\n", code)
	}
	fmt.Fprintf(io.Out, "Stand-in OAuth2 provider for https://myservice.com listening on %s\n\n", prov.Addr())
	oauthStep("4. The documents' OAuth2 plugin, first run: browser login (auto-approved), PKCE, tokens saved")
	oauthStep("5. Second run: no browser, the saved token is used")
	fmt.Fprintf(io.Out, "The provider exchanged %d code(s) and verified the PKCE verifier.\n", prov.Exchanges())

	for _, id := range []string{"token-auth", "oauth2"} {
		sc, err := secrets.NewScoped(backend, id)
		if err != nil {
			continue
		}
		sc.Namespace = ns
		if id == "token-auth" {
			if _, gerr := sc.GetConfig(ctx, "token"); gerr == nil {
				fmt.Fprintf(io.Out, "The token is in the %s backend under service %q, user %q.\n", backend.Name(), sc.Service(), secrets.ConfigUser("token"))
			}
		}
		if backend == secrets.Backend(kr) && *keep == "" {
			_ = sc.DeleteAll(ctx)
		}
	}
	fmt.Fprintf(io.Out, "The stand-in answered GET /me %d times.\n", srv.MeCalls())
	return nil
}

func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[i+1:]
		}
	}
	return addr
}
