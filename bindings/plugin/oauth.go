package plugin

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"host/bindings/console"
	"host/bindings/oauth"
	"host/bindings/secrets"
	"host/jsrt"
)

// HintSupplyClientID is the hint kind of a missing OAuth client id: the CLI
// says how to supply the clientId config field.
const HintSupplyClientID jsrt.HintKind = "supply-client-id"

// OAuthState is where an oauth2 plugin stands before activation.
type OAuthState int

// The states.
const (
	OAuthNone        OAuthState = iota // not an oauth2 plugin
	OAuthReady                         // a token is stored and fresh
	OAuthNotLoggedIn                   // no token stored: run the login
	OAuthLoginNeeded                   // the stored refresh token was refused
)

// oauthState holds the plugin's OAuth machinery, built once the config
// (which may hold the clientId) is known.
type oauthState struct {
	mu          sync.Mutex
	cfg         oauth.Config
	keeper      *oauth.Keeper
	loginNeeded error
}

// OAuthConfig resolves the oauth2 declaration with the client id from
// auth.clientId, else from the config field clientId. It fails when the
// plugin is not oauth2 or no client id is known.
func (p *Plugin) OAuthConfig(s *Setup) (oauth.Config, error) {
	if p.Auth == nil || p.Auth.OAuth2 == nil {
		return oauth.Config{}, fmt.Errorf("plugin %s does not use OAuth2", p.ID)
	}
	a := p.Auth.OAuth2
	cfg := oauth.Config{
		AuthorizationURL:       a.AuthorizationURL,
		TokenURL:               a.TokenURL,
		DeviceAuthorizationURL: a.DeviceAuthorizationURL,
		ClientID:               a.ClientID,
		Scopes:                 a.Scopes,
		PKCE:                   a.PKCE,
		RedirectPort:           a.RedirectPort,
	}
	if cfg.ClientID == "" && s != nil {
		if f, ok := s.Field("clientId"); ok && f.Source != Unset {
			cfg.ClientID = fmt.Sprint(f.Value)
		}
	}
	if cfg.ClientID == "" {
		return cfg, jsrt.WithHintKind(fmt.Errorf("plugin %s: no OAuth client id: auth.clientId is not set and the clientId config field is empty", p.ID),
			HintSupplyClientID, "supply the clientId config field")
	}
	return cfg, nil
}

// oauthSetup builds the Keeper for s's config (once).
func (p *Plugin) oauthSetup(s *Setup) (*oauthState, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oauth != nil {
		return p.oauth, nil
	}
	cfg, err := p.OAuthConfig(s)
	if err != nil {
		return nil, err
	}
	sc, err := p.secrets()
	if err != nil {
		return nil, err
	}
	st := &oauthState{cfg: cfg}
	k := oauth.NewKeeper(cfg, p.host.HTTP, sc, p.host.DataDir)
	k.OnLoginNeeded = func(err error) {
		st.mu.Lock()
		st.loginNeeded = err
		st.mu.Unlock()
		p.host.log(console.Entry{Plugin: p.ID, Level: console.Error,
			Message: fmt.Sprintf("login needed: %v; log in to %s again", err, p.Name)})
	}
	k.OnRefresh = func(t *oauth.Token) {
		if m := p.host.Masker; m != nil {
			m.Add(t.AccessToken)
			m.Add(t.RefreshToken)
		}
	}
	st.keeper = k
	p.oauth = st
	return st, nil
}

// OAuthStatus checks the stored token, refreshing it when it is about to
// expire. It reports OAuthNone for plugins without oauth2.
func (p *Plugin) OAuthStatus(ctx context.Context, s *Setup) (OAuthState, *oauth.Token, error) {
	if p.Auth == nil || p.Auth.OAuth2 == nil {
		return OAuthNone, nil, nil
	}
	st, err := p.oauthSetup(s)
	if err != nil {
		return OAuthNone, nil, err
	}
	t, err := st.keeper.Fresh(ctx)
	switch {
	case err == nil:
		return OAuthReady, t, nil
	case errors.Is(err, secrets.ErrNotFound):
		return OAuthNotLoggedIn, nil, nil
	case errors.Is(err, oauth.ErrLoginNeeded):
		return OAuthLoginNeeded, nil, err
	default:
		return OAuthNone, nil, err
	}
}

// SaveOAuthToken stores a token the login obtained (and teaches the masker).
func (p *Plugin) SaveOAuthToken(ctx context.Context, t *oauth.Token) error {
	sc, err := p.secrets()
	if err != nil {
		return err
	}
	p.host.Masker.Add(t.AccessToken)
	p.host.Masker.Add(t.RefreshToken)
	if err := oauth.Save(ctx, sc, t); err != nil {
		return err
	}
	p.mu.Lock()
	if p.oauth != nil {
		p.oauth.mu.Lock()
		p.oauth.loginNeeded = nil
		p.oauth.mu.Unlock()
	}
	p.mu.Unlock()
	return nil
}

// LoginNeeded reports the refusal that put an active plugin in the "login
// needed" state, or nil.
func (p *Plugin) LoginNeeded() error {
	p.mu.Lock()
	st := p.oauth
	p.mu.Unlock()
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.loginNeeded
}

// Logout deletes every secret of the plugin (config secret fields,
// ctx.secrets keys, OAuth tokens).
func (p *Plugin) Logout(ctx context.Context) error {
	sc, err := p.secrets()
	if err != nil {
		return err
	}
	if err := sc.DeleteAll(ctx); err == nil {
		return nil
	}
	// A backend that cannot list: delete what the host knows of.
	var errs []error
	for _, f := range p.configFields() {
		if f.Secret {
			if err := sc.DeleteConfig(ctx, f.Key); err != nil && !errors.Is(err, secrets.ErrNotFound) {
				errs = append(errs, err)
			}
		}
	}
	if p.Auth != nil && p.Auth.OAuth2 != nil {
		if err := oauth.Delete(ctx, sc); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// secretsForContext is the Scoped behind ctx.secrets: for oauth2 plugins
// reads of oauth_access_token go through the Keeper, so they are fresh.
func (p *Plugin) secretsForContext(s *Setup) (*secrets.Scoped, error) {
	sc, err := p.secrets()
	if err != nil {
		return nil, err
	}
	traced := *sc
	traced.Backend = &tracingBackend{Backend: sc.Backend, tr: &p.tracer}
	if p.Auth == nil || p.Auth.OAuth2 == nil {
		return &traced, nil
	}
	st, err := p.oauthSetup(s)
	if err != nil {
		return nil, err
	}
	traced.Backend = oauth.NewFreshBackend(traced.Backend, st.keeper)
	return &traced, nil
}

// installRefresh defines refreshOAuthToken for oauth2 plugins. On the loop.
func (p *Plugin) installRefresh(vm *goja.Runtime, s *Setup) error {
	if p.Auth == nil || p.Auth.OAuth2 == nil {
		return nil
	}
	st, err := p.oauthSetup(s)
	if err != nil {
		return err
	}
	return oauth.InstallKeeperRefresh(p.rt, vm, st.keeper)
}

// refreshStub is refreshOAuthToken in plugins without an oauth2 block.
func refreshStub(vm *goja.Runtime) func(goja.FunctionCall) goja.Value {
	return func(goja.FunctionCall) goja.Value {
		jsrt.Throw(vm, jsrt.TypeErrorf("refreshOAuthToken is only available to plugins whose auth.type is 'oauth2'"))
		return nil
	}
}
