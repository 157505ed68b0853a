// Package worker is `host worker`, the hidden command `host serve` runs
// once per plugin. It is an MCP server over stdio for exactly one plugin,
// and serves the plugin's state as the resource of the state protocol
// (see package serve). It never asks: a plugin that needs setup or a
// login waits in that state until the serve starts a new worker after
// `host setup`. With --group (host serve --group) it runs the plugins of
// one group instead, each as its own MCP server on a channel of its
// stdio (group.go).
package worker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/plugin"
	"host/bindings/setup"
	"host/bindings/store"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/serve"
	"host/cmd/host/internal/session"
	"host/cmd/host/internal/surface"
	"host/cmd/host/internal/trim"
)

const workerUsage = `Usage: host worker [flags] PLUGIN.ts

Internal: runs one plugin as an MCP server on stdin/stdout for 'host serve'.
Flags as for 'host run'.
`

// workerStopWait bounds the plugin's deactivation when the serve stops the
// worker (the serve kills it a little later).
const workerStopWait = 4 * time.Second

// WorkerOptions are `host worker`'s flags and argument (the serve passes
// its own: see serve's workerArgs).
type WorkerOptions struct {
	Factory *cmdutil.Factory

	Path   string // the plugin file
	Plugin cmdutil.PluginFlags
	// Shared: the serve runs several plugins, so config values from the
	// environment or --set must name this plugin (plugin.Inputs.Shared).
	Shared bool
	// ConfigFD, when not 0, is the file descriptor the serve writes this
	// plugin's config values to once the worker has said its id
	// (serve.ConfigFDFlag).
	ConfigFD int
	// quiet, in a worker of one plugin, trims it once active and after
	// work (not in a group's worker: its members share one process).
	quiet *quietTrimmer
	// Page, when set, makes this a page worker for the plugin with this
	// id (serve.PageFlag): the setup page's work instead of running the
	// plugin.
	Page string
	// SecretsKeyFD, when not 0, is the file descriptor the worker reads
	// the encrypted secrets file's key from (serve.SecretsKeyFDFlag).
	SecretsKeyFD int
	// Group, when set, makes this a group worker (serve.GroupFlag): the
	// plugins the serve opens on its channels, no PLUGIN argument (see
	// group.go).
	Group string
}

// NewCmdWorker is `host worker`; runF, when set, runs instead of
// workerRun.
func NewCmdWorker(f *cmdutil.Factory, runF func(context.Context, *WorkerOptions) error) *cmdutil.Command {
	opts := &WorkerOptions{Factory: f}
	cmd := cmdutil.NewCommand(f, "worker", workerUsage)
	cmd.Hidden = true
	opts.Plugin.Register(cmd.Flags, cmdutil.FlagsRun)
	cmd.Flags.Var(f.Guard.MemoryFlag(), "memory", "")
	cmd.Flags.BoolVar(&opts.Shared, "shared", false, "")
	cmd.Flags.IntVar(&opts.ConfigFD, serve.ConfigFDFlag, 0, "")
	cmd.Flags.StringVar(&opts.Page, serve.PageFlag, "", "")
	cmd.Flags.IntVar(&opts.SecretsKeyFD, serve.SecretsKeyFDFlag, 0, "")
	cmd.Flags.StringVar(&opts.Group, serve.GroupFlag, "", "")
	cmd.Run = func(ctx context.Context, args []string) error {
		if err := opts.Plugin.Apply(); err != nil {
			return err
		}
		if opts.Group != "" && len(args) == 0 {
			if runF != nil {
				return runF(ctx, opts)
			}
			return groupRun(ctx, opts)
		}
		if len(args) != 1 {
			return cmdutil.Usagef("worker: one plugin, got %d", len(args))
		}
		opts.Path = args[0]
		if runF != nil {
			return runF(ctx, opts)
		}
		return workerRun(ctx, opts)
	}
	return cmd
}

func workerRun(ctx context.Context, opts *WorkerOptions) error {
	if opts.Page != "" {
		return pageRun(ctx, opts)
	}
	// stdout carries MCP: nothing else may write there, and nobody asks.
	wio := *opts.Factory.IO
	wio.Out, wio.Prompter = wio.Err, nil
	f := opts.Factory.WithIO(&wio)
	f.Guard.SetMemoryExit(serve.ExitMemory)
	defer useSecretsKey(f, opts.SecretsKeyFD)()
	var values func() (serve.ConfigValues, error)
	if opts.ConfigFD != 0 {
		values = func() (serve.ConfigValues, error) { return readConfigFD(opts.ConfigFD) }
	}
	opts.quiet = newQuietTrimmer(f.Trace)
	go opts.quiet.run(ctx)
	return runPlugin(ctx, f, opts, opts.Path, &mcp.StdioTransport{}, values)
}

// runPlugin serves the plugin at path as an MCP server on t until t ends
// (the serve closed it), then deactivates it. values, when not nil, gives
// the plugin's config values once it has said its id (blocking until the
// serve sends them).
func runPlugin(ctx context.Context, f *cmdutil.Factory, opts *WorkerOptions, path string, t mcp.Transport, values func() (serve.ConfigValues, error)) error {
	io := f.IO
	sess, err := session.Open(f, &opts.Plugin)
	if err != nil {
		return err
	}
	defer sess.Close()
	// Plugin code its timeout interrupted that still runs a grace later is
	// inside a native call goja cannot stop (JSON.stringify of a deep
	// value...): only ending the worker frees the runtime, and the serve
	// restarts it. jsrt's watchdog tells, armed by each entry into plugin
	// code, so an idle worker polls nothing.
	sess.Host.OnStuck = func(id string, _ error) {
		fmt.Fprintf(io.Err, "host: plugin %s did not stop at its %s timeout (stuck in a native call); stopped\n", io.Masker.Mask(id), sess.Host.Timeout)
		os.Exit(serve.ExitStuck)
	}
	path = sess.Resolve(path)
	// The worker is the MCP surface (package mcpserver) over one plugin of
	// this process, plus the state resource of the serve's protocol.
	local := surface.Local(sess)
	pub := &workerPub{local: local}
	prevStatus := sess.Host.OnStatus
	sess.Host.OnStatus = func(id string, st store.Status) {
		if prevStatus != nil {
			prevStatus(id, st)
		}
		pub.pub.Update(func(s *serve.State) { s.Status = st })
	}
	srv := mcpserver.New(local, mcpserver.Options{Name: "host-worker", Version: f.Version, Masker: io.Masker,
		SetupCommand: func(id string) string { return "host setup " + id }, TagCalls: true})
	defer srv.Close()
	pub.pub = serve.Publish(srv.MCP(), serve.State{ID: plugin.DefaultID(path), File: path, Phase: setup.Starting})
	started := make(chan *plugin.Plugin, 1)
	go func() { started <- start(ctx, sess, opts, path, pub, values) }()
	f.Trace("worker serving")
	runErr := srv.RunWorker(ctx, t) // the serve's forwarded calls beside the SDK
	// The serve closed stdin (or a signal came): deactivate, bounded.
	var p *plugin.Plugin
	select {
	case p = <-started:
	case <-time.After(workerStopWait):
	}
	if p != nil {
		dctx, cancel := context.WithTimeout(context.Background(), workerStopWait)
		defer cancel()
		if err := p.Deactivate(dctx); err != nil {
			return err
		}
	}
	if runErr != nil && !errors.Is(runErr, context.Canceled) && !errors.Is(runErr, mcp.ErrConnectionClosed) {
		return runErr
	}
	return nil
}

// start drives the plugin's setup session without asking (as `host mcp`
// does): it loads the plugin, gathers its config (saved, secrets, the
// environment, --set, the values the serve sends), activates it and saves
// what worked. Where the session ends is the plugin's state
// (setup.StateOf), published; it returns the plugin when it is active.
func start(ctx context.Context, sess *session.Session, opts *WorkerOptions, path string, pub *workerPub, values func() (serve.ConfigValues, error)) *plugin.Plugin {
	f := sess.Factory()
	io := f.IO
	// The serve's values arrive once the worker has said its id
	// (OnClaimed): the session reads its inputs through these.
	set := map[string]string{}
	for k, v := range opts.Plugin.Set {
		set[k] = v
	}
	lookup := io.LookupEnv
	so := sess.SetupOptions(session.SetupArgs{Path: path, Adopt: opts.Plugin.Adopt, Shared: opts.Shared, Surface: "host serve"})
	so.Inputs.Set = set
	so.Inputs.LookupEnv = func(name string) (string, bool) { return lookup(name) }
	so.Interactive, so.NoLogin = false, true
	so.OnClaimed = func(ctx context.Context, p *plugin.Plugin) error {
		f.Trace("worker loaded")
		listed, _ := p.ListedTools() // without the tools the user disabled
		pub.pub.Update(func(s *serve.State) {
			s.ID, s.Name, s.Files, s.Loaded, s.Tools = p.ID, p.Name, p.Inputs, true, nil
			for _, t := range listed {
				s.Tools = append(s.Tools, t.Name)
			}
		})
		if values == nil {
			return nil
		}
		in, err := configInputs(values, plugin.Inputs{Set: set, LookupEnv: lookup})
		if err != nil {
			return err
		}
		for k, v := range in.Set {
			set[k] = v
		}
		lookup = in.LookupEnv
		return nil
	}
	s := setup.New(so)
	defer s.Close()
	step, err := s.Next(ctx)
	state := setup.StateOf(step, err, io.Masker)
	p := s.Plugin()
	done, ok := step.(*setup.Done)
	if !ok || err != nil {
		pub.set(p, state, opts.Shared)
		return nil
	}
	p = done.Plugin
	if done.Why != nil {
		fmt.Fprintf(io.Err, "host: %s: not saved: %s\n", p.ID, io.Masker.Mask(done.Why.Error()))
	}
	p.StartLoop()
	pub.set(p, state, opts.Shared)
	f.Trace("worker active")
	// Idle from here on, most likely: keep the worker small.
	if q := opts.quiet; q != nil {
		time.AfterFunc(500*time.Millisecond, q.trim)
	} else { // a group's member
		time.AfterFunc(500*time.Millisecond, func() { trim.Idle(); f.Trace("worker trimmed") })
	}
	return p
}

// quietCheck is how often an active worker looks whether it worked
// (allocated more than busyBytes) and then went quiet.
// A worker is trimmed at most every trimEvery (a plugin whose timer
// works every few seconds is not trimmed, at a few ms of CPU, each time).
const (
	quietCheck = 2 * time.Second
	busyBytes  = 1 << 10
	trimEvery  = 10 * time.Second
)

// quietTrimmer trims a worker once its plugin is active and again each
// time it goes quiet after work (a tool call, a plugin's timer): answering
// maps the code it ran and leaves garbage, and an idle worker kept them,
// 6.3 -> 14.1 MiB PSS after one call (issue 23 §3). Work is told by the
// heap's allocations (read without allocating): an idle worker allocates
// nothing and is left alone.
type quietTrimmer struct {
	trace func(string)
	mu    sync.Mutex
	m     []metrics.Sample
	last  uint64 // the allocations at the last look or trim
	busy  bool   // worked since the last trim
	at    time.Time
}

func newQuietTrimmer(trace func(string)) *quietTrimmer {
	q := &quietTrimmer{trace: trace, m: []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}}
	q.last = q.allocs()
	return q
}

func (q *quietTrimmer) allocs() uint64 {
	metrics.Read(q.m)
	return q.m[0].Value.Uint64()
}

// trim trims the worker now.
func (q *quietTrimmer) trim() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.trimLocked()
}

func (q *quietTrimmer) trimLocked() {
	trim.Idle()
	q.trace("worker trimmed")
	q.last, q.busy, q.at = q.allocs(), false, time.Now()
}

// run looks every quietCheck until ctx ends: work since the last look
// makes the worker busy; a busy worker quiet since the last look is
// trimmed.
func (q *quietTrimmer) run(ctx context.Context) {
	t := time.NewTicker(quietCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		q.mu.Lock()
		now := q.allocs()
		worked := now-q.last > busyBytes
		q.last = now
		switch {
		case worked:
			q.busy = true
		case q.busy && time.Since(q.at) >= trimEvery:
			q.trimLocked()
		}
		q.mu.Unlock()
	}
}

// workerPub tells both the MCP surface (mcpserver.Local) and the serve
// (the state resource) where the plugin stands.
type workerPub struct {
	local *mcpserver.Local
	pub   *serve.Publisher
}

func (w *workerPub) set(p *plugin.Plugin, st setup.State, shared bool) {
	var fields []serve.Field
	need := &mcpserver.SetupNeeded{Login: st.Phase == setup.NeedsLogin}
	for _, q := range st.Fields {
		id := w.pub.State().ID
		if p != nil {
			id = p.ID
		}
		fields = append(fields, serve.Field{Key: q.Key, Label: q.Label, Secret: q.Secret, Env: envName(shared, id, q.Key)})
		need.Fields = append(need.Fields, q.Key)
	}
	switch {
	case p == nil:
		w.local.PutFailed(w.pub.State().ID, "", st.Reason)
	case st.Phase == setup.NeedsSetup || st.Phase == setup.NeedsLogin:
		w.local.Put(p, st.Phase, st.Reason, need)
	default:
		w.local.Put(p, st.Phase, st.Reason, nil)
	}
	w.pub.Update(func(s *serve.State) { s.Phase, s.Kind, s.Reason, s.Fields = st.Phase, st.Kind, st.Reason, fields })
}

// envName is the variable that supplies field key of plugin id: named for
// the plugin when the serve runs several.
func envName(shared bool, id, key string) string {
	if shared {
		return plugin.ScopedEnvName(id, key)
	}
	return plugin.EnvName(key)
}

// readConfigFD reads the config values the serve writes to file
// descriptor fd (serve.ConfigFDFlag).
func readConfigFD(fd int) (serve.ConfigValues, error) {
	f := os.NewFile(uintptr(fd), "config")
	if f == nil {
		return serve.ConfigValues{}, fmt.Errorf("worker: no file descriptor %d for its config values", fd)
	}
	defer f.Close()
	cv, err := serve.ReadConfig(f)
	if err != nil {
		return cv, fmt.Errorf("worker: reading its config values from the serve: %w", err)
	}
	return cv, nil
}

// configInputs adds the config values the serve sends (values: this
// plugin's only; it has none in the environment) to in.
func configInputs(values func() (serve.ConfigValues, error), in plugin.Inputs) (plugin.Inputs, error) {
	cv, err := values()
	if err != nil {
		return in, err
	}
	set := map[string]string{}
	for k, v := range in.Set {
		set[k] = v
	}
	for k, v := range cv.Set {
		set[k] = v
	}
	env := in.LookupEnv
	in.Set = set
	in.LookupEnv = func(name string) (string, bool) {
		if v, ok := cv.Env[name]; ok {
			return v, true
		}
		if env == nil {
			return "", false
		}
		return env(name)
	}
	return in, nil
}
