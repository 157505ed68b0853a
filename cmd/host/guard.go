package main

// Guards for a process that runs plugin code: a memory cap on the Go heap
// and a watchdog that ends the process a few seconds after Ctrl-C or
// SIGTERM even when plugin code is stuck in a native call (goja cannot
// interrupt one, and cannot cap a runtime's memory).

import (
	"context"
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

var (
	// memoryCap is the heap size above which the process stops (bytes).
	memoryCap atomic.Int64
	// memoryExit is the exit code then (the worker's differs).
	memoryExit atomic.Int32
	// guardPlugin is the id of the plugin loaded last, for the message.
	guardPlugin atomic.Value
)

func init() {
	memoryCap.Store(DefaultMemory)
	memoryExit.Store(int32(ExitFailure))
}

// memoryFlag is --memory: a size such as 512MiB, 1GiB, 300M or bytes.
type memoryFlag struct{}

func (memoryFlag) String() string { return formatMiB(memoryCap.Load()) }

func (memoryFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	memoryCap.Store(n)
	return nil
}

func formatMiB(n int64) string { return strconv.FormatInt(n>>20, 10) + "MiB" }

// parseSize reads 512MiB, 512M, 1GiB, 1G, 64KiB or a number of bytes.
func parseSize(v string) (int64, error) {
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
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size (e.g. 512MiB, 1GiB)", v)
	}
	if n*mult < 32<<20 {
		return 0, fmt.Errorf("%q is below the 32 MiB a plugin needs", v)
	}
	return n * mult, nil
}

// guardMemory stops the process when the Go heap and stacks (plugin code
// recursing deep in a native call grows a stack) grow above memoryCap:
// it prints "host: plugin X used more than N MiB" and exits, instead of
// the runtime's "fatal error: out of memory". The GC's soft limit follows
// the cap, so garbage alone does not trip it. It polls every 50 ms.
func guardMemory() {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/stacks:bytes"}}
	limit := int64(-1)
	for {
		time.Sleep(50 * time.Millisecond)
		if c := memoryCap.Load(); c != limit {
			limit = c
			if os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(limit)
			}
		}
		metrics.Read(samples)
		if int64(samples[0].Value.Uint64()+samples[1].Value.Uint64()) > limit {
			id, _ := guardPlugin.Load().(string)
			if id == "" {
				id = "code"
			}
			fmt.Fprintf(os.Stderr, "host: plugin %s used more than %d MiB; stopped (raise the cap with --memory)\n", id, limit>>20)
			os.Exit(int(memoryExit.Load()))
		}
	}
}

// signalGrace is how long after Ctrl-C or SIGTERM the process may take to
// deactivate its plugins before the watchdog ends it (nanoseconds; serve
// allows more, as its workers deactivate in turn).
var signalGrace atomic.Int64

func init() { signalGrace.Store(int64(5 * time.Second)) }

// guardSignal ends the process signalGrace after ctx (the signal context)
// is done, for plugin code that does not stop.
func guardSignal(ctx context.Context) {
	<-ctx.Done()
	grace := time.Duration(signalGrace.Load())
	time.Sleep(grace)
	id, _ := guardPlugin.Load().(string)
	if id == "" {
		id = "code"
	}
	fmt.Fprintf(os.Stderr, "host: plugin %s did not stop within %s of the signal; exiting\n", id, grace)
	os.Exit(int(ExitFailure))
}
