package worker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/guard"
	"host/cmd/host/internal/serve"
)

// groupRun is `host worker --group NAME`: the plugins of one group of
// `host serve --group`, in this one process, each over its own MCP
// connection (a channel of serve.Mux on stdin/stdout). Each instance is
// what a worker of its own would be (runPlugin): its own session, plugin,
// MCP server and config values; they share the process, its memory cap
// and its fate (a crash or a stuck script ends them all, and the serve
// restarts the group).
func groupRun(ctx context.Context, opts *WorkerOptions) error {
	// stdout carries the frames: nothing else may write there, and nobody
	// asks.
	wio := *opts.Factory.IO
	wio.Out, wio.Prompter = wio.Err, nil
	f := opts.Factory.WithIO(&wio)
	f.Guard.SetMemoryExit(serve.ExitMemory)
	// The cap is the group's: its message names the group, not the
	// plugin that loaded last.
	f.Guard.SetPlugin("group " + opts.Group)
	// Every instance's session opens the secrets with the serve's key,
	// the last one the group's life long.
	defer useSecretsKey(f, opts.SecretsKeyFD)()
	g := &group{f: f, opts: opts, mux: serve.NewMux(os.Stdout), insts: map[int]*instance{}}
	err := g.mux.Run(os.Stdin, func(c serve.GroupControl) { g.control(ctx, c) })
	// stdin ended (the serve stops the group): every instance's channel
	// has ended with it; wait for them to deactivate (each bounded).
	g.wg.Wait()
	if err != nil {
		return fmt.Errorf("worker: group %s: %w", opts.Group, err)
	}
	return nil
}

type group struct {
	f    *cmdutil.Factory
	opts *WorkerOptions
	mux  *serve.Mux
	wg   sync.WaitGroup

	mu    sync.Mutex
	insts map[int]*instance // by channel
}

// instance is one plugin of the group, on its channel.
type instance struct {
	values chan serve.ConfigValues // its config values, once sent
	gone   chan struct{}           // closed when the serve closed its channel
	once   sync.Once
}

func (g *group) control(ctx context.Context, c serve.GroupControl) {
	switch {
	case c.Open > 0:
		g.open(ctx, c.Open, c.Path)
	case c.Config > 0:
		g.mu.Lock()
		in := g.insts[c.Config]
		g.mu.Unlock()
		if in != nil && c.Values != nil {
			select {
			case in.values <- *c.Values:
			default: // sent twice: the first stands
			}
		}
	case c.Close > 0:
		g.mu.Lock()
		in := g.insts[c.Close]
		g.mu.Unlock()
		if in != nil {
			in.once.Do(func() { close(in.gone) })
		}
		g.mux.CloseChannel(c.Close)
	}
}

// open starts an instance of the plugin at path on channel ch; once it
// has ended (deactivated), the serve is told (Closed).
func (g *group) open(ctx context.Context, ch int, path string) {
	in := &instance{values: make(chan serve.ConfigValues, 1), gone: make(chan struct{})}
	g.mu.Lock()
	if g.insts[ch] != nil {
		g.mu.Unlock()
		return // a channel is opened once
	}
	g.insts[ch] = in
	g.mu.Unlock()
	r := g.mux.Channel(ch)
	t := &mcp.IOTransport{Reader: r, Writer: g.mux.Writer(ch)}
	// Its own factory copy: what the session records process-wide for
	// one plugin (the plugin a memory stop is blamed on) stays the
	// group's.
	fi := *g.f
	fi.Guard = guard.New(int(cmdutil.ExitFailure))
	opts := *g.opts
	opts.Path = path
	values := func() (serve.ConfigValues, error) {
		select {
		case v := <-in.values:
			return v, nil
		case <-in.gone:
			return serve.ConfigValues{}, errors.New("worker: stopped before its config values came")
		case <-ctx.Done():
			return serve.ConfigValues{}, ctx.Err()
		}
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		err := runPlugin(ctx, &fi, &opts, path, t, values)
		if err != nil {
			fmt.Fprintf(fi.IO.Err, "host: %s: %s\n", path, fi.IO.Masker.Mask(err.Error()))
		}
		in.once.Do(func() { close(in.gone) })
		g.mux.CloseChannel(ch)
		g.mu.Lock()
		delete(g.insts, ch)
		g.mu.Unlock()
		_ = g.mux.Control(serve.GroupControl{Closed: ch})
	}()
}
