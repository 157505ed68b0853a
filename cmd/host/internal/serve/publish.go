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
	seq   uint64 // of state (MetaSeq)
}

// Publish adds the StateURI resource to srv (which must accept resource
// subscriptions, as mcpserver's does) and returns the publisher that updates it.
func Publish(srv *mcp.Server, initial State) *Publisher {
	p := &Publisher{srv: srv, state: initial}
	srv.AddResource(&mcp.Resource{URI: StateURI, Name: "state", MIMEType: "application/json",
		Description: "the plugin's state (host serve's supervisor reads it)"},
		func(context.Context, *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			p.mu.Lock()
			st, seq := p.state, p.seq
			p.mu.Unlock()
			b, _ := json.Marshal(st)
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: StateURI, MIMEType: "application/json", Text: string(b), Meta: mcp.Meta{MetaSeq: seq}}}}, nil
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
	p.seq++
	s, seq := p.state, p.seq
	p.mu.Unlock()
	// Two updates may send in the other order than they were made: the
	// number says which is newer.
	_ = p.srv.ResourceUpdated(context.Background(), &mcp.ResourceUpdatedNotificationParams{
		URI: StateURI, Meta: mcp.Meta{MetaState: s, MetaSeq: seq},
	})
}
