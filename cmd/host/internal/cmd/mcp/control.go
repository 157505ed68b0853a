package mcp

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"

	"host/bindings/store"
	"host/cmd/host/internal/control"
	"host/cmd/host/internal/mcpserver"
)

// controlHandler is host mcp's control channel (control.MCPName(pid),
// beside the serve's): what `host data --clear` asks a running host mcp.
//
//	GET  /status                  -> [{id, name, state}] the plugins it serves
//	POST /cleared {plugin, kind}  -> {} (its MCP clients subscribed to the
//	                                 plugin's inbox hear it changed)
//
// Until the plugins have started (ready closed), both wait: a plugin
// still activating is using its store, and is not listed yet.
func controlHandler(local *mcpserver.Local, ready <-chan struct{}) http.Handler {
	mux := http.NewServeMux()
	wait := func(w http.ResponseWriter, r *http.Request) bool {
		select {
		case <-ready:
			return true
		case <-r.Context().Done():
			control.WriteErr(w, http.StatusServiceUnavailable, &control.RemoteError{Kind: "call", Message: "host mcp is still starting its plugins"})
			return false
		}
	}
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		if !wait(w, r) {
			return
		}
		type plugin struct {
			ID    string `json:"id"`
			Name  string `json:"name,omitempty"`
			State string `json:"state"`
		}
		out := []plugin{}
		for _, p := range local.Plugins() {
			out = append(out, plugin{ID: p.ID, Name: p.Name, State: string(p.State)})
		}
		control.WriteJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("POST /cleared", func(w http.ResponseWriter, r *http.Request) {
		if !wait(w, r) {
			return
		}
		var req control.Cleared
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			control.WriteErr(w, http.StatusBadRequest, &control.RemoteError{Kind: "call", Message: "bad request: " + err.Error()})
			return
		}
		if !slices.ContainsFunc(local.Plugins(), func(p mcpserver.PluginInfo) bool { return p.ID == req.Plugin }) {
			control.WriteErr(w, http.StatusNotFound, &control.RemoteError{Kind: "not found", Message: "host mcp does not serve " + req.Plugin})
			return
		}
		if req.Kind == string(store.KindInbox) {
			local.NotifyMessages(req.Plugin)
		}
		control.WriteJSON(w, http.StatusOK, struct{}{})
	})
	return mux
}

// serveControl opens host mcp's control channel in dataDir and answers it
// until stop is called; the error says why it could not (host mcp then
// runs without one, as a serve does on Windows).
func serveControl(ctx context.Context, dataDir string, local *mcpserver.Local, ready <-chan struct{}) (stop func(), err error) {
	ln, err := control.Listen(dataDir, control.MCPName(os.Getpid()))
	if err != nil {
		return func() {}, err
	}
	return control.Serve(ctx, ln, controlHandler(local, ready)), nil
}
