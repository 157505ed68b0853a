package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"host/bindings/secrets"
)

// DefaultRefreshTimeout bounds one refresh-and-save of a Keeper.
const DefaultRefreshTimeout = 30 * time.Second

// LockPath is the file a Keeper locks while it refreshes the tokens of
// pluginID: <dataDir>/plugins/<id>/oauth.lock (the id path-escaped).
func LockPath(dataDir, pluginID string) string {
	return filepath.Join(dataDir, "plugins", url.PathEscape(pluginID), "oauth.lock")
}

// Keeper keeps one plugin's stored OAuth tokens fresh. Fresh refreshes
// once when the access token has expired or is in the last 10 % of its
// lifetime (at most the last 60 s): one refresh at a time inside the
// process (single flight) and, through a lock file, across processes;
// after taking the lock it re-reads the stored tokens, so a refresh token
// another host process already spent is never sent again. It saves the
// new pair with Save. It remembers the last token it loaded or saved, so
// a Fresh that needs no refresh reads one keyring item (the access token)
// instead of three.
//
// Set the fields before the first Fresh and do not change them after.
// Fresh is safe for concurrent use.
type Keeper struct {
	Config Config
	Client *http.Client // nil: http.DefaultClient
	// Secrets is the plugin's scope on the real backend (a FreshBackend
	// is unwrapped, so reads here never recurse into Fresh).
	Secrets *secrets.Scoped
	// LockPath is the cross-process lock file (see LockPath); "" locks
	// only within this process.
	LockPath string
	// RefreshTimeout bounds one refresh-and-save; 0 means
	// DefaultRefreshTimeout. A refresh, once sent, runs to the end and is
	// saved even if the caller's ctx ends: the provider may already have
	// retired the old refresh token.
	RefreshTimeout time.Duration
	// OnRefresh, when set, is called after a refreshed token was saved,
	// on the goroutine that refreshed. It must not block.
	OnRefresh func(t *Token)
	// OnLoginNeeded, when set, is called once each time the provider
	// refuses a stored refresh token (the host puts the plugin in its
	// "login needed" state), on the goroutine that refreshed. It must not
	// block. Fresh keeps returning the error without asking the provider
	// again until the stored refresh token changes.
	OnLoginNeeded func(err error)

	group singleflight.Group

	mu         sync.Mutex
	refusedFP  string // fingerprint of the refresh token the provider refused
	refusedErr error
	known      *Token // the last token loaded or saved, for a one-read Fresh
}

// NewKeeper returns a Keeper for the plugin s belongs to, locking
// LockPath(dataDir, s.PluginID) (no file lock when dataDir is "").
func NewKeeper(cfg Config, client *http.Client, s *secrets.Scoped, dataDir string) *Keeper {
	k := &Keeper{Config: cfg, Client: client, Secrets: s}
	if dataDir != "" {
		k.LockPath = LockPath(dataDir, s.PluginID)
	}
	return k
}

// Fresh returns the stored token, refreshed first when NeedsRefresh says
// so. Errors: not logged in matches secrets.ErrNotFound; a refused refresh
// (or an expired token without refresh token) matches ErrLoginNeeded; a
// failed refresh of a token that has not expired yet is not an error (the
// still-valid token is returned and the next call tries again); otherwise
// *EndpointError, *ProviderError or a backend error. It blocks on the
// secret backend, the lock and the token endpoint; ctx bounds the wait,
// not a refresh already sent.
func (k *Keeper) Fresh(ctx context.Context) (*Token, error) {
	s := k.scope()
	t, err := k.load(ctx, s)
	if err != nil {
		return nil, err
	}
	if !t.NeedsRefresh(time.Now()) {
		return t, nil
	}
	ch := k.group.DoChan("refresh", func() (any, error) {
		d := k.RefreshTimeout
		if d <= 0 {
			d = DefaultRefreshTimeout
		}
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d)
		defer cancel()
		return k.refreshLocked(wctx, s)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*Token), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("oauth: waiting for the token refresh: %w", ctx.Err())
	}
}

// load is Load with one keyring read in the common case: when the stored
// access token is the one the Keeper last loaded or saved, its metadata
// and refresh token are known (Save writes the access token after the
// refresh token, so a changed pair always shows as a changed access
// token). The result is a copy.
func (k *Keeper) load(ctx context.Context, s *secrets.Scoped) (*Token, error) {
	access, err := s.Get(ctx, AccessTokenKey)
	if err != nil {
		k.remember(nil)
		return nil, loadErr(err)
	}
	k.mu.Lock()
	known := k.known
	k.mu.Unlock()
	if known != nil && known.AccessToken == access {
		c := *known
		return &c, nil
	}
	t, err := Load(ctx, s)
	if err == nil && !t.uncommitted {
		k.remember(t)
	}
	return t, err
}

func (k *Keeper) remember(t *Token) {
	var c *Token
	if t != nil {
		cp := *t
		c = &cp
	}
	k.mu.Lock()
	k.known = c
	k.mu.Unlock()
}

// refreshLocked runs under the single flight: lock, re-read, refresh,
// save.
func (k *Keeper) refreshLocked(ctx context.Context, s *secrets.Scoped) (*Token, error) {
	if k.LockPath != "" {
		unlock, err := secrets.LockFile(ctx, k.LockPath)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("oauth: waiting for another host process to finish refreshing: %w", ctx.Err())
			}
			return nil, fmt.Errorf("oauth: refresh: %w", err)
		}
		defer unlock()
	}
	t, err := Load(ctx, s)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if !t.NeedsRefresh(now) {
		return t, nil // another process refreshed while we waited for the lock
	}
	if t.RefreshToken == "" {
		if t.Expired(now) {
			return nil, loginNeeded(s.PluginID, "the access token has expired and there is no refresh token", nil)
		}
		return t, nil
	}
	fp := fingerprint(t.RefreshToken)
	k.mu.Lock()
	refused := k.refusedErr
	if k.refusedFP != fp {
		refused = nil
	}
	k.mu.Unlock()
	if refused != nil {
		return nil, refused
	}
	nt, scoped, err := refresh(ctx, k.Config, k.Client, t.RefreshToken, s.PluginID)
	if err != nil {
		if errors.Is(err, ErrLoginNeeded) {
			k.mu.Lock()
			k.refusedFP, k.refusedErr = fp, err
			k.mu.Unlock()
			if k.OnLoginNeeded != nil {
				k.OnLoginNeeded(err)
			}
			return nil, err
		}
		if !t.Expired(now) {
			return t, nil // still valid; try again on the next read
		}
		return nil, err
	}
	if !scoped && len(t.Scopes) > 0 {
		nt.Scopes = t.Scopes
	}
	k.remember(nil)
	if err := save(ctx, s, nt, nt.RefreshToken == t.RefreshToken); err != nil {
		return nil, withHintKind(err, HintLoginAgain, "the refreshed tokens could not be stored; check the secret store, then log in to the plugin again if it reports that a login is needed")
	}
	k.remember(nt)
	if k.OnRefresh != nil {
		k.OnRefresh(nt)
	}
	return nt, nil
}

// scope is k.Secrets with any FreshBackend unwrapped.
func (k *Keeper) scope() *secrets.Scoped {
	s := k.Secrets
	for {
		fb, ok := s.Backend.(*FreshBackend)
		if !ok {
			return s
		}
		c := *s
		c.Backend = fb.Backend
		s = &c
	}
}

// FreshBackend is a secrets.Backend that serves the Keeper's plugin's
// oauth_access_token through Keeper.Fresh, so ctx.secrets.get(
// 'oauth_access_token') always yields a fresh token (undefined when not
// logged in; a rejection with code ERR_OAUTH_LOGIN_NEEDED when the refresh
// was refused). Every other call goes to the wrapped Backend unchanged.
// Safe for concurrent use.
type FreshBackend struct {
	secrets.Backend
	Keeper *Keeper
}

// NewFreshBackend wraps b for k's plugin.
func NewFreshBackend(b secrets.Backend, k *Keeper) *FreshBackend {
	return &FreshBackend{Backend: b, Keeper: k}
}

// Get returns a fresh access token for the Keeper's plugin's
// AccessTokenKey, else what the wrapped backend returns.
func (f *FreshBackend) Get(ctx context.Context, service, user string) (string, error) {
	if user == AccessTokenKey && f.Keeper != nil && f.Keeper.Secrets != nil && service == f.Keeper.Secrets.Service() {
		t, err := f.Keeper.Fresh(ctx)
		if err != nil {
			return "", err
		}
		return t.AccessToken, nil
	}
	return f.Backend.Get(ctx, service, user)
}

var _ secrets.Backend = (*FreshBackend)(nil)
