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
// is the stored one, the answer is the Keeper's fresh token: refreshed
// through the single flight and the cross-process lock when it is due,
// else the stored pair as it is (rotating the refresh token behind the
// host's back would strand the host's copy). Any other refresh token is
// sent to the provider as is; if the provider refuses it while the host
// holds a valid token of the same plugin, that token is returned. The
// result's ExpiresIn is the remaining lifetime in seconds.
func (k *Keeper) RefreshWith(ctx context.Context, refreshToken string) (*Token, error) {
	s := k.scope()
	stored, err := Load(ctx, s)
	if err == nil && stored.RefreshToken == refreshToken {
		t, err := k.Fresh(ctx)
		if err != nil {
			return nil, err
		}
		return withRemaining(t), nil
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
