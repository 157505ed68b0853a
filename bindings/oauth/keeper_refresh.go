package oauth

import (
	"context"
	"errors"
	"time"

	"github.com/dop251/goja"

	"host/jsrt"
)

// RefreshWith serves a plugin's own refreshOAuthToken(refreshToken) so
// that it never forks the token lineage the host keeps. When refreshToken
// is the stored one, the refresh runs through the Keeper (single flight,
// cross-process lock, re-read, rotated pair saved), so the host's tokens
// and the plugin's stay one pair; when another process or the host already
// rotated it, the stored newer pair is returned without asking the
// provider. Any other refresh token is sent to the provider as is; if the
// provider refuses it while the host holds a valid token of the same
// plugin, that token is returned. The result's ExpiresIn is the remaining
// lifetime in seconds.
func (k *Keeper) RefreshWith(ctx context.Context, refreshToken string) (*Token, error) {
	s := k.scope()
	stored, err := Load(ctx, s)
	if err == nil && stored.RefreshToken == refreshToken {
		ch := k.group.DoChan("refresh", func() (any, error) {
			d := k.RefreshTimeout
			if d <= 0 {
				d = DefaultRefreshTimeout
			}
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d)
			defer cancel()
			return k.forceLocked(wctx, refreshToken)
		})
		select {
		case r := <-ch:
			if r.Err != nil {
				return nil, r.Err
			}
			return withRemaining(r.Val.(*Token)), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	t, err := Refresh(ctx, k.Config, k.Client, refreshToken)
	if err == nil {
		return t, nil
	}
	if errors.Is(err, ErrLoginNeeded) {
		if ft, ferr := k.Fresh(ctx); ferr == nil {
			return withRemaining(ft), nil
		}
	}
	return nil, err
}

// forceLocked refreshes the stored pair if its refresh token is still rt.
func (k *Keeper) forceLocked(ctx context.Context, rt string) (*Token, error) {
	s := k.scope()
	if k.LockPath != "" {
		unlock, err := lockFile(ctx, k.LockPath)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	t, err := Load(ctx, s)
	if err != nil {
		return nil, err
	}
	if t.RefreshToken != rt && !t.NeedsRefresh(time.Now()) {
		return t, nil // rotated meanwhile: the newer pair is the answer
	}
	nt, scoped, err := refresh(ctx, k.Config, k.Client, t.RefreshToken, s.PluginID)
	if err != nil {
		if errors.Is(err, ErrLoginNeeded) && k.OnLoginNeeded != nil {
			k.OnLoginNeeded(err)
		}
		return nil, err
	}
	if !scoped && len(t.Scopes) > 0 {
		nt.Scopes = t.Scopes
	}
	k.remember(nil)
	if err := save(ctx, s, nt, nt.RefreshToken == t.RefreshToken); err != nil {
		return nil, err
	}
	k.remember(nt)
	if k.OnRefresh != nil {
		k.OnRefresh(nt)
	}
	return nt, nil
}

func withRemaining(t *Token) *Token {
	c := *t
	if !c.Expiry.IsZero() {
		c.ExpiresIn = int64(time.Until(c.Expiry) / time.Second)
		if c.ExpiresIn < 0 {
			c.ExpiresIn = 0
		}
	}
	return &c
}

// InstallKeeperRefresh defines refreshOAuthToken like InstallRefresh, but
// through k.RefreshWith, so a plugin refreshing on its own keeps one token
// lineage with the host. Call on rt's loop goroutine.
func InstallKeeperRefresh(rt *jsrt.Runtime, vm *goja.Runtime, k *Keeper) error {
	return installRefreshFunc(rt, vm, func(ctx context.Context, tok string) (*Token, error) {
		return k.RefreshWith(ctx, tok)
	})
}
