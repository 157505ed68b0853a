package main

// What this package's tests call: the CLI's types by their short names,
// a command line run in process, and `host run` with a test's own secret
// backend and HTTP client.

import (
	"context"
	"net"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/secrets"
	"host/cmd/host/internal/cmd/call"
	"host/cmd/host/internal/cmd/run"
	"host/cmd/host/internal/cmdutil"
	"host/cmd/host/internal/root"
)

type (
	IO       = cmdutil.IO
	ExitCode = cmdutil.ExitCode
	Question = cmdutil.Question
	Prompter = cmdutil.Prompter
)

const (
	ExitOK      = cmdutil.ExitOK
	ExitFailure = cmdutil.ExitFailure
	ExitUsage   = cmdutil.ExitUsage
)

// Run runs one command line in process with io's streams.
func Run(ctx context.Context, args []string, io *IO) ExitCode {
	return root.Run(ctx, cmdutil.New(io, Version), args)
}

// runWith is `host run` in process with io's streams, the secret backend
// and the HTTP client given (nil: the real ones).
func runWith(ctx context.Context, io *IO, backend secrets.Backend, client *http.Client, o *run.RunOptions) error {
	f := cmdutil.New(io, Version)
	f.Secrets, f.HTTP = backend, client
	o.Factory = f
	return run.Run(ctx, o)
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// resultText is what `host call` prints for a worker's result.
func resultText(res *mcp.CallToolResult) string { return call.ResultText(res) }
