package main

// Setup through the AI client for `host mcp`: an OAuth2 plugin's login is
// a URL elicitation to the provider's authorization page (host's loopback
// redirect takes the code); a plugin set up in a terminal meanwhile is
// picked up. Token plugins are set up on host's local setup page, which the
// setup-page issue builds (until then the client is told what to run).

import (
	"context"
	"fmt"
	"sync"
	"time"

	"host/bindings/oauth"
	"host/bindings/plugin"
	"host/cmd/host/internal/mcpserver"
)

// mcpSetup is host mcp's mcpserver.SetupPages.
type mcpSetup struct {
	o       *runOptions
	local   *mcpserver.Local
	timeout time.Duration

	mu      sync.Mutex
	plugins map[string]*plugin.Plugin
	busy    map[string]bool // a setup of the plugin is activating it
}

func newMCPSetup(o *runOptions, local *mcpserver.Local, plugins []*plugin.Plugin) *mcpSetup {
	m := &mcpSetup{o: o, local: local, timeout: 15 * time.Minute, plugins: map[string]*plugin.Plugin{}, busy: map[string]bool{}}
	for _, p := range plugins {
		m.plugins[p.ID] = p
	}
	return m
}

// StartSetup implements mcpserver.SetupPages.
func (m *mcpSetup) StartSetup(ctx context.Context, id string) (*mcpserver.SetupFlow, error) {
	m.mu.Lock()
	p := m.plugins[id]
	m.mu.Unlock()
	if p == nil {
		return nil, fmt.Errorf("unknown plugin %s", id)
	}
	// Set up in a terminal since? Then it just activates.
	s, err := p.Setup(ctx, plugin.Inputs{Set: m.o.Set, LookupEnv: m.o.IO.LookupEnv})
	if err != nil {
		return nil, err
	}
	if len(s.Missing()) == 0 {
		st, _, _ := p.OAuthStatus(ctx, s)
		if st == plugin.OAuthNone || st == plugin.OAuthReady {
			if err := m.activate(ctx, p); err != nil {
				return nil, err
			}
			return nil, mcpserver.ErrReady
		}
	}
	if p.Auth == nil || p.Auth.OAuth2 == nil || len(s.Missing()) > 0 {
		return nil, mcpserver.ErrNoPage
	}
	cfg, err := p.OAuthConfig(s)
	if err != nil {
		return nil, err
	}
	flow, err := oauth.Start(ctx, cfg, oauth.FlowOptions{Client: m.o.session.host.HTTP})
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(context.Background(), m.timeout)
	done := make(chan error, 1)
	go func() {
		tok, err := flow.Wait(wctx)
		if err == nil {
			err = p.SaveOAuthToken(wctx, tok)
		}
		if err == nil {
			fmt.Fprintf(m.o.IO.Err, "Logged in to %s.\n", p.Name)
			err = m.activate(wctx, p)
		}
		done <- err
	}()
	var once sync.Once
	return &mcpserver.SetupFlow{URL: flow.AuthURL(), Done: done, Close: func() {
		once.Do(func() { cancel(); _ = flow.Close() })
	}}, nil
}

// activate activates p (once at a time) and tells local its new state.
func (m *mcpSetup) activate(ctx context.Context, p *plugin.Plugin) error {
	m.mu.Lock()
	if m.busy[p.ID] {
		m.mu.Unlock()
		return fmt.Errorf("plugin %s is being set up by another call; try again in a moment", p.ID)
	}
	m.busy[p.ID] = true
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.busy, p.ID)
		m.mu.Unlock()
	}()
	if p.Active() {
		return nil
	}
	st, reason, need := activateForMCP(ctx, m.o, p)
	m.local.Put(p, st, reason, need)
	if st != mcpserver.Active {
		return fmt.Errorf("plugin %s is %s: %s", p.ID, st, m.o.IO.Masker.Mask(reason))
	}
	fmt.Fprintf(m.o.IO.Err, "%s is active.\n", p.Name)
	return nil
}

var _ mcpserver.SetupPages = (*mcpSetup)(nil)
