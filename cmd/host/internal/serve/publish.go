package serve

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Publisher is the worker's side of the state protocol: it serves StateURI
// on an MCP server and notifies subscribers of every change. Safe for
// concurrent use.
type Publisher struct {
	srv   *mcp.Server
	mu    sync.Mutex
	state State
}

// Publish adds the StateURI resource to srv (which must accept resource
// subscriptions, as mcpserver's does) and returns the publisher that updates it.
func Publish(srv *mcp.Server, initial State) *Publisher {
	p := &Publisher{srv: srv, state: initial}
	srv.AddResource(&mcp.Resource{URI: StateURI, Name: "state", MIMEType: "application/json",
		Description: "the plugin's state (host serve's supervisor reads it)"},
		func(context.Context, *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			b, _ := json.Marshal(p.State())
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: StateURI, MIMEType: "application/json", Text: string(b)}}}, nil
		})
	return p
}

// State is the current state.
func (p *Publisher) State() State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// Update changes the state with fn and notifies the subscribers.
func (p *Publisher) Update(fn func(*State)) {
	p.mu.Lock()
	fn(&p.state)
	s := p.state
	p.mu.Unlock()
	_ = p.srv.ResourceUpdated(context.Background(), &mcp.ResourceUpdatedNotificationParams{
		URI: StateURI, Meta: mcp.Meta{MetaState: s},
	})
}
