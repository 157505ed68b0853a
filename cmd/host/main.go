// Command host runs TypeScript plugins and guides their users through auth
// setup. Package main is the process: signals, the factory, the guards,
// the root command and the exit code. The commands live in
// internal/cmd/<name> (each an options struct, a NewCmdX constructor and
// a run function), the factory and flag parser in internal/cmdutil.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/root"
	"host/cmd/host/internal/terminal"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "0.1.0-dev"

func main() {
	os.Exit(int(mainExit()))
}

func mainExit() cmdutil.ExitCode {
	// HOST_CPUPROFILE=file writes a CPU profile of this run (a development
	// aid for the start-up, reload and MCP numbers); a serve's workers,
	// which inherit it, write theirs to file.worker-PID.
	if path := os.Getenv("HOST_CPUPROFILE"); path != "" {
		if len(os.Args) > 1 && os.Args[1] == "worker" {
			path += fmt.Sprintf(".worker-%d", os.Getpid())
		}
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	// Signals first: starting the helpers below first can leave this
	// goroutine waiting for a P behind them.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := cmdutil.New(terminal.Std(ctx.Done()), Version)
	f.Trace("main")
	// The collector's pace before the memory guard, which lowers the
	// limit when --memory asks for less.
	f.Startup.GC()
	go f.Guard.WatchMemory()
	go f.Guard.WatchSignal(ctx)
	args := os.Args[1:]
	first := ""
	if len(args) > 0 {
		first = args[0]
	}
	f.Startup.Helpers(first, f.Trace)
	f.Trace("pre-run")
	code := root.Run(ctx, f, args)
	f.TraceMemory()
	if code != cmdutil.ExitOK && ctx.Err() != nil {
		return cmdutil.ExitInterrupted // Ctrl-C (or SIGTERM) ended the command
	}
	return code
}
