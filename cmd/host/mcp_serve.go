package main

// host serve --http: the MCP surface over the serve's supervisor (every
// plugin in its own worker), on Streamable HTTP beside the serve.

import (
	"context"
	"fmt"
	"sync"

	"host/cmd/host/internal/mcpserver"
	"host/cmd/host/internal/serve"
	"host/cmd/host/internal/setuppage"
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
				Setup:        &servePages{sup: sup},
				SetupCommand: func(id string) string { return "host setup " + id },
				OnProblem:    func(err error) { fmt.Fprintf(io.Err, "host: %s\n", io.Masker.Mask(err.Error())) },
			})
			defer srv.Close()
			return serveMCPHTTP(ctx, srv, hf, dataDir, io)
		},
	})
}

// The setup page of each running serve (setuppage.go registers it), so
// the MCP surface can send a client's user there.
var (
	pagesMu sync.Mutex
	pages   = map[*serve.Supervisor]*setuppage.Server{}
)

// registerPage records sup's setup page until the returned func is called.
func registerPage(sup *serve.Supervisor, srv *setuppage.Server) (unregister func()) {
	pagesMu.Lock()
	pages[sup] = srv
	pagesMu.Unlock()
	return func() {
		pagesMu.Lock()
		delete(pages, sup)
		pagesMu.Unlock()
	}
}

// servePages is the serve's mcpserver.SetupPages: the plugin's page on the
// serve's setup page (with a one-time token), done when a session there set
// the plugin up (the page then restarts its worker).
type servePages struct{ sup *serve.Supervisor }

func (p *servePages) StartSetup(_ context.Context, id string) (*mcpserver.SetupFlow, error) {
	pagesMu.Lock()
	srv := pages[p.sup]
	pagesMu.Unlock()
	if srv == nil {
		return nil, mcpserver.ErrNoPage // --page off
	}
	link, done, release := srv.SetupLink(id)
	return &mcpserver.SetupFlow{URL: link, Done: done, Close: release}, nil
}
