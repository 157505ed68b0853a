// Command host runs TypeScript plugins and guides their users through auth
// setup. This package is the only one that prints, reads a terminal,
// handles signals or exits; everything it does for a plugin goes through
// the bindings.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(int(mainExit()))
}

func mainExit() ExitCode {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], Std())
}
