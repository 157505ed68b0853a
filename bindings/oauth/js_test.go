package oauth_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"host/bindings/oauth"
	"host/bindings/oauth/oauthtest"
	"host/bindings/secrets"
	"host/bindings/store"
	"host/jsrt"
)

// specPlugin holds the documents' getValidToken and onActivate code
// unchanged, exported for the test.
const specPlugin = `
async function getValidToken(ctx: PluginContext): Promise<string> {
let token = await ctx.secrets.get('access_token');
const expiry = await ctx.store.get<number>('token_expiry');
if (!token || (expiry && Date.now() > expiry)) {
const refreshToken = await ctx.secrets.get('refresh_token');
if (!refreshToken) throw new Error('No refresh token — re-authenticate');
const result = await refreshOAuthToken(refreshToken);
await ctx.secrets.set('access_token', result.access_token);
await ctx.secrets.set('refresh_token', result.refresh_token);
await ctx.store.set('token_expiry', Date.now() + result.expires_in * 1000);
token = result.access_token;
}
return token;
}

const onActivate = async (ctx) => {
const accessToken = await ctx.secrets.get('oauth_access_token');
if (!accessToken) {
throw new Error('Not authenticated. Complete OAuth setup first.');
}
return accessToken;
};

export const run = (src: string) => (new Function('ctx', 'getValidToken', 'onActivate', 'return (async () => {' + src + '})()'))(globalThis.ctx, getValidToken, onActivate);
`

// jsEnv is a runtime with the spec code loaded, ctx.secrets on s and
// ctx.store on a real database file, and refreshOAuthToken for cfg.
type jsEnv struct {
	rt *jsrt.Runtime
	st *store.Store
}

func newJSEnv(t *testing.T, cfg oauth.Config, client *http.Client, s *secrets.Scoped) *jsEnv {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plugin.ts"), []byte(specPlugin), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := jsrt.Build(jsrt.BuildOptions{Entry: filepath.Join(dir, "plugin.ts"), WorkDir: dir, GlobalName: "__m"})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	e := &jsEnv{rt: jsrt.New(jsrt.Options{}), st: db.Plugin(s.PluginID)}
	t.Cleanup(e.rt.Close)
	err = e.rt.Do(t.Context(), func(vm *goja.Runtime) error {
		if err := oauth.InstallRefresh(e.rt, vm, cfg, client); err != nil {
			return err
		}
		c := vm.NewObject()
		_ = c.Set("secrets", secrets.NewObject(e.rt, vm, s))
		_ = c.Set("store", store.NewObject(e.rt, vm, e.st))
		return vm.Set("ctx", c)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.rt.RunBundle(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	return e
}

// run evaluates src as an async function body; it returns the result as a
// string or the rejection.
func (e *jsEnv) run(t *testing.T, src string) (string, error) {
	t.Helper()
	v, err := e.rt.Await(t.Context(), func(vm *goja.Runtime) (goja.Value, error) {
		fn, _ := goja.AssertFunction(vm.Get("__m").ToObject(vm).Get("run"))
		return fn(goja.Undefined(), vm.ToValue(src))
	})
	if err != nil {
		return "", err
	}
	var out string
	_ = e.rt.Do(t.Context(), func(*goja.Runtime) error { out = v.String(); return nil })
	return out, nil
}

func TestRefreshOAuthTokenWithSpecGetValidToken(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{})
	s := memScope(t, "oauth2-refresh")
	_, r1 := p.Issue("read write")
	_ = s.Set(t.Context(), "refresh_token", r1)
	e := newJSEnv(t, *cfg, p.Client(), s)

	tok, err := e.run(t, `return await getValidToken(ctx)`)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := s.Get(t.Context(), "refresh_token")
	stored, _ := s.Get(t.Context(), "access_token")
	if !p.ValidAccess(tok) || stored != tok || r2 == r1 || !p.ValidRefresh(r2) {
		t.Errorf("getValidToken did not store the refreshed, rotated pair")
	}
	if exp, err := e.run(t, `const e = await ctx.store.get('token_expiry'); return String(e - Date.now() > 3590e3 && e - Date.now() <= 3600e3)`); err != nil || exp != "true" {
		t.Errorf("token_expiry not about an hour ahead: %v %v", exp, err)
	}
	if again, err := e.run(t, `return await getValidToken(ctx)`); err != nil || again != tok || p.RefreshCount() != 1 {
		t.Errorf("second call: %v, %d refreshes; want the same token and no refresh", err, p.RefreshCount())
	}
	// Expired per the store: refreshed again with the rotated token.
	if _, err := e.run(t, `await ctx.store.set('token_expiry', Date.now() - 1000); return await getValidToken(ctx)`); err != nil || p.RefreshCount() != 2 {
		t.Errorf("after expiry: %v, %d refreshes, want 2", err, p.RefreshCount())
	}
}

func TestRefreshOAuthTokenJS(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{NoRotate: true, ExpiresIn: 90})
	_, r1 := p.Issue("read")
	e := newJSEnv(t, *cfg, p.Client(), memScope(t, "oauth2-refresh"))
	tests := []struct {
		name, src, want string
	}{
		{"result shape, no rotation keeps the refresh token",
			`const r = await refreshOAuthToken('` + r1 + `');
return [typeof r.access_token, r.refresh_token === '` + r1 + `', r.expires_in, typeof r.expires_in, r.token_type].join(',')`,
			"string,true,90,number,Bearer"},
		{"not a string", `try { await refreshOAuthToken(42) } catch (e) { return e.name + ': ' + e.message }`,
			"TypeError: refreshOAuthToken: refreshToken must be a non-empty string, got a number"},
		{"empty", `try { await refreshOAuthToken('') } catch (e) { return e.name + ' ' + e.code }`,
			"TypeError ERR_INVALID_ARG_TYPE"},
		{"refused", `try { await refreshOAuthToken('fake-unknown-refresh') } catch (e) { return [e.code, e.message, e.hint].join(' | ') }`,
			"ERR_OAUTH_LOGIN_NEEDED | oauth: login needed: the provider refused the refresh token (invalid_grant) | log in to the plugin again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.run(t, tc.src)
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v\nwant %q", got, err, tc.want)
			}
		})
	}
	if n := e.rt.Pending(); n != 0 {
		t.Errorf("%d Go calls pending", n)
	}
}

func TestFreshBackendServesSpecOnActivate(t *testing.T) {
	p, cfg := provider(t, oauthtest.Options{})
	raw := secrets.NewMemory()
	keeperScope, _ := secrets.NewScoped(raw, "oauth2")
	k := oauth.NewKeeper(*cfg, p.Client(), keeperScope, t.TempDir())
	pluginScope, _ := secrets.NewScoped(oauth.NewFreshBackend(raw, k), "oauth2")
	e := newJSEnv(t, *cfg, p.Client(), pluginScope)

	_, err := e.run(t, `return await onActivate(ctx)`)
	if err == nil || !strings.Contains(err.Error(), "Not authenticated. Complete OAuth setup first.") {
		t.Fatalf("not logged in: %v, want the spec's own error", err)
	}
	old := seed(t, p, keeperScope, time.Hour, -time.Minute)
	tok, err := e.run(t, `return await onActivate(ctx)`)
	if err != nil || tok == old.AccessToken || !p.ValidAccess(tok) {
		t.Fatalf("onActivate got a stale or invalid token (%v)", err)
	}
	// Other keys and other plugins pass through.
	_ = pluginScope.Set(t.Context(), "api_key", "fake-key")
	if got, err := e.run(t, `return await ctx.secrets.get('api_key')`); err != nil || got != "fake-key" {
		t.Errorf("api_key: %q %v", got, err)
	}
	p.RevokeAll()
	_ = oauth.Save(t.Context(), keeperScope, &oauth.Token{AccessToken: "fake-access-old", RefreshToken: old.RefreshToken, TokenType: "Bearer", Expiry: time.Now().Add(-time.Second)})
	got, err := e.run(t, `try { await ctx.secrets.get('oauth_access_token') } catch (e) { return e.code }`)
	if err != nil || got != "ERR_OAUTH_LOGIN_NEEDED" {
		t.Errorf("refused refresh: %q %v", got, err)
	}
}
