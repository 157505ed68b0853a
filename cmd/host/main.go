// Command host runs TypeScript plugins and guides their users through auth
// setup. This package is the only one that prints, reads a terminal,
// handles signals or exits; everything it does for a plugin goes through
// the bindings.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
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
	startupGC()
	// Signals first: starting the helpers below first can leave this
	// goroutine waiting for a P behind them.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	io := Std(ctx.Done())
	go guardMemory()
	go guardSignal(ctx)
	startupHelpers(os.Args[1:])
	trace("pre-run")
	code := Run(ctx, os.Args[1:], io)
	if code != ExitOK && ctx.Err() != nil {
		return ExitInterrupted // Ctrl-C (or SIGTERM) ended the command
	}
	return code
}
