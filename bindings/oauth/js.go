package oauth

import (
	"context"
	"net/http"

	"github.com/dop251/goja"

	"host/jsrt"
)

// InstallRefresh defines the global refreshOAuthToken(refreshToken) on vm
// (see oauth.d.ts): it calls Refresh with cfg and client off the loop,
// through rt.Go, and resolves to { access_token, refresh_token,
// expires_in, token_type } — refresh_token being the one passed in when
// the provider does not rotate, expires_in a number of seconds (0 when the
// provider gave none). A refused refresh token rejects with code
// ERR_OAUTH_LOGIN_NEEDED; a non-string or empty argument with a TypeError.
// It stores nothing: the plugin decides where the new tokens go. Call on
// rt's loop goroutine; vm must be rt's runtime.
func InstallRefresh(rt *jsrt.Runtime, vm *goja.Runtime, cfg Config, client *http.Client) error {
	return installRefreshFunc(rt, vm, func(ctx context.Context, tok string) (*Token, error) {
		return Refresh(ctx, cfg, client, tok)
	})
}

// installRefreshFunc defines refreshOAuthToken on top of refresh.
func installRefreshFunc(rt *jsrt.Runtime, vm *goja.Runtime, refresh func(ctx context.Context, tok string) (*Token, error)) error {
	return vm.Set("refreshOAuthToken", jsrt.Safe(vm, "refreshOAuthToken", func(call goja.FunctionCall) goja.Value {
		arg := call.Argument(0)
		rtok, ok := arg.Export().(string)
		if !ok || rtok == "" {
			what := "an empty string"
			if !ok {
				what = jsrt.TypeNameWithArticle(arg)
			}
			return jsrt.Rejected(vm, jsrt.WithCode(jsrt.TypeErrorf("refreshOAuthToken: refreshToken must be a non-empty string, got %s", what), "ERR_INVALID_ARG_TYPE"))
		}
		return rt.Go(func(ctx context.Context) (any, error) {
			t, err := refresh(ctx, rtok)
			if err != nil {
				return nil, err
			}
			var toJS jsrt.ToJS = func(vm *goja.Runtime) (goja.Value, error) {
				o := vm.NewObject()
				for _, kv := range []struct {
					k string
					v any
				}{
					{"access_token", t.AccessToken},
					{"refresh_token", t.RefreshToken},
					{"expires_in", t.ExpiresIn},
					{"token_type", t.TokenType},
				} {
					if err := o.Set(kv.k, kv.v); err != nil {
						return nil, err
					}
				}
				return o, nil
			}
			return toJS, nil
		})
	}))
}
