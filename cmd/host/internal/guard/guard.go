// Package guard keeps a process that runs plugin code in bounds: a memory
// cap on the Go heap and a watchdog that ends the process a few seconds
// after Ctrl-C or SIGTERM even when plugin code is stuck in a native call
// (goja cannot interrupt one, and cannot cap a runtime's memory), and
// soon after such code overruns its timeout (Stuck). Its state is one
// Guard per process, made by main and handed to commands through the
// factory.
package guard

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultMemory is a plugin's memory cap (--memory).
const DefaultMemory = 512 << 20

// DefaultGrace is how long a process may take to stop after a signal.
const DefaultGrace = 5 * time.Second

// Guard is the state of a process's guards. Its methods may be called from
// any goroutine.
type Guard struct {
	memoryCap  atomic.Int64 // bytes above which the process stops
	memoryExit atomic.Int32 // the exit code then (the worker's differs)
	grace      atomic.Int64 // the signal watchdog's grace (nanoseconds)
	plugin     atomic.Value // the id of the plugin loaded last, for the message
	failExit   int
}

// New is a guard with the default cap and grace; failExit is the exit code
// of a stop (the caller's "failure" code).
func New(failExit int) *Guard {
	g := &Guard{failExit: failExit}
	g.memoryCap.Store(DefaultMemory)
	g.memoryExit.Store(int32(failExit))
	g.grace.Store(int64(DefaultGrace))
	return g
}

// Memory is the memory cap in bytes.
func (g *Guard) Memory() int64 { return g.memoryCap.Load() }

// SetMemory sets the memory cap in bytes.
func (g *Guard) SetMemory(n int64) { g.memoryCap.Store(n) }

// SetMemoryExit sets the exit code of a process over its cap.
func (g *Guard) SetMemoryExit(code int) { g.memoryExit.Store(int32(code)) }

// SetGrace sets how long after the signal the process may take to stop.
func (g *Guard) SetGrace(d time.Duration) { g.grace.Store(int64(d)) }

// SetPlugin records the plugin a stop is blamed on.
func (g *Guard) SetPlugin(id string) { g.plugin.Store(id) }

func (g *Guard) pluginName() string {
	id, _ := g.plugin.Load().(string)
	if id == "" {
		id = "code"
	}
	return id
}

// MemoryFlag is --memory: a size such as 512MiB, 1GiB, 300M or bytes.
func (g *Guard) MemoryFlag() flag.Value {
	return memoryFlag{g}
}

type memoryFlag struct{ g *Guard }

func (m memoryFlag) String() string {
	if m.g == nil {
		return ""
	}
	return FormatMiB(m.g.Memory())
}

func (m memoryFlag) Set(v string) error {
	n, err := ParseSize(v)
	if err != nil {
		return err
	}
	m.g.SetMemory(n)
	return nil
}

// FormatMiB is n bytes as "512MiB".
func FormatMiB(n int64) string { return strconv.FormatInt(n>>20, 10) + "MiB" }

// ParseSize reads a memory cap: ParseBytes, at least 32 MiB.
func ParseSize(v string) (int64, error) {
	n, err := ParseBytes(v)
	if err != nil {
		return 0, err
	}
	if n < 32<<20 {
		return 0, fmt.Errorf("%q is below the 32 MiB a plugin needs", v)
	}
	return n, nil
}

// ParseBytes reads 512MiB, 512M, 1GiB, 1G, 64KiB or a number of bytes.
func ParseBytes(v string) (int64, error) {
	s := strings.TrimSpace(v)
	mult := int64(1)
	for _, u := range []struct {
		suf string
		m   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if strings.HasSuffix(s, u.suf) {
			s, mult = strings.TrimSuffix(s, u.suf), u.m
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size (e.g. 512MiB, 1GiB)", v)
	}
	return n * mult, nil
}

// WatchMemory stops the process when the Go heap and stacks (plugin code
// recursing deep in a native call grows a stack) grow above the cap: it
// prints "host: plugin X used more than N MiB" and exits, instead of the
// runtime's "fatal error: out of memory". The GC's soft limit follows the
// cap, so garbage alone does not trip it. It polls every 50 ms, forever.
func (g *Guard) WatchMemory() {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/stacks:bytes"}}
	limit := int64(-1)
	for {
		time.Sleep(50 * time.Millisecond)
		if c := g.memoryCap.Load(); c != limit {
			limit = c
			if os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(limit)
			}
		}
		metrics.Read(samples)
		if int64(samples[0].Value.Uint64()+samples[1].Value.Uint64()) > limit {
			fmt.Fprintf(os.Stderr, "host: plugin %s used more than %d MiB; stopped (raise the cap with --memory)\n", g.pluginName(), limit>>20)
			os.Exit(int(g.memoryExit.Load()))
		}
	}
}

// WatchSignal ends the process the grace after ctx (the signal context)
// is done, for plugin code that does not stop.
func (g *Guard) WatchSignal(ctx context.Context) {
	<-ctx.Done()
	grace := time.Duration(g.grace.Load())
	time.Sleep(grace)
	fmt.Fprintf(os.Stderr, "host: plugin %s did not stop within %s of the signal; exiting\n", g.pluginName(), grace)
	os.Exit(g.failExit)
}

// Stuck ends the process for plugin code still running past its timeout
// inside a native call (jsrt.Options.OnStuck): goja cannot interrupt it,
// and nothing else would (a 3e5-deep JSON.stringify runs for minutes). It
// prints "host: plugin X: why; stopped" and exits with the failure code;
// maskedText is the error's text, masked by the caller.
func (g *Guard) Stuck(plugin, maskedText string) {
	fmt.Fprintf(os.Stderr, "host: plugin %s: %s; stopped\n", plugin, maskedText)
	os.Exit(g.failExit)
}
