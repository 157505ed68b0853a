// Command host runs TypeScript plugins and guides their users through auth
// setup. This package is the only one that prints, reads a terminal,
// handles signals or exits; everything it does for a plugin goes through
// the bindings.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"host/bindings/fetch"
	"host/bindings/secrets"
	"host/jsrt"
)

func main() {
	os.Exit(int(mainExit()))
}

func mainExit() ExitCode {
	trace("main")
	// HOST_CPUPROFILE=file writes a CPU profile of this run (a development
	// aid for the start-up and reload numbers).
	if path := os.Getenv("HOST_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	// A host process is short-lived or idles between plugin calls; collect
	// garbage less eagerly (goja allocates a lot per promise), bounded by a
	// soft memory limit. GOGC and GOMEMLIMIT in the environment still win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
	// Signals first: starting the helpers below first can leave this
	// goroutine waiting for a P behind them.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	io := Std(ctx.Done())
	go guardMemory()
	go guardSignal(ctx)
	// One helper goroutine (more would compete with the main one on a
	// two-core machine) prepares what the plugin needs soon: the bindings'
	// built-in JS, needed at load, then crypto/x509's system roots, needed
	// by the first HTTPS handshake.
	// A serve runs no plugin code itself, and its workers compile only
	// what their plugin uses: twenty of them start at once and compete
	// for the same cores.
	if cmd := firstArg(os.Args[1:]); cmd != "worker" && cmd != "serve" {
		go func() {
			jsrt.PrecompileAll()
			fetch.PrewarmSystemRoots()
		}()
	}
	// Connecting to the session bus is mostly waiting; do it meanwhile.
	go secrets.Prewarm()
	trace("pre-run")
	code := Run(ctx, os.Args[1:], io)
	if code != ExitOK && ctx.Err() != nil {
		return ExitInterrupted // Ctrl-C (or SIGTERM) ended the command
	}
	return code
}
