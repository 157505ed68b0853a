package main

// host serve --http: the MCP surface over the serve's supervisor (every
// plugin in its own worker), on Streamable HTTP beside the serve.

import (
	"context"
	"fmt"

	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/serve"
)

func init() {
	var hf mcpHTTPFlags
	serveExtensions = append(serveExtensions, &serveExtension{
		flags: hf.register,
		check: hf.check,
		start: func(ctx context.Context, sup *serve.Supervisor, dataDir string, io *IO) error {
			if hf.addr == "" {
				return nil
			}
			srv := mcpserver.New(sup, mcpserver.Options{
				Version: Version,
				Masker:  io.Masker,
				Instructions: "Tools of host's plugins, named <plugin id>_<tool>. A plugin that needs setup says what to open or run; " +
					"never ask the user for a secret in the chat.",
				SetupCommand: func(id string) string { return "host setup " + id },
				OnProblem:    func(err error) { fmt.Fprintf(io.Err, "host: %s\n", io.Masker.Mask(err.Error())) },
			})
			defer srv.Close()
			return serveMCPHTTP(ctx, srv, hf, dataDir, io)
		},
	})
}
