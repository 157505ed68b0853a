package secrets_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"

	"host/bindings/secrets"
	"host/jsrt"
)

// runJS runs src as the body of an async function with `ctx.secrets` bound
// to s and returns what it returns, as a string, or its rejection.
func runJS(t *testing.T, s *secrets.Scoped, src string) (string, error) {
	t.Helper()
	rt := jsrt.New(jsrt.Options{})
	t.Cleanup(rt.Close)
	ctx := t.Context()
	err := rt.Do(ctx, func(vm *goja.Runtime) error {
		c := vm.NewObject()
		_ = c.Set("secrets", secrets.NewObject(rt, vm, s))
		return vm.Set("ctx", c)
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString("(async () => {\n" + src + "\n})()")
	})
	if err != nil {
		return "", err
	}
	var out string
	if err := rt.Do(ctx, func(vm *goja.Runtime) error { out = v.String(); return nil }); err != nil {
		t.Fatal(err)
	}
	if n := rt.Pending(); n != 0 {
		t.Errorf("%d Go calls still pending after the script settled", n)
	}
	return out, nil
}

func TestSecretsJS(t *testing.T) {
	tests := []struct {
		name, src, want string
		seed            map[string]string // ctx.secrets keys stored before the run
	}{
		{
			name: "get missing is undefined",
			src:  `const v = await ctx.secrets.get('nope'); return typeof v`,
			want: "undefined",
		},
		{
			name: "spec: not authenticated check",
			src: `const accessToken = await ctx.secrets.get('oauth_access_token');
if (!accessToken) {
throw new Error('Not authenticated. Complete OAuth setup first.');
}
return accessToken`,
			seed: map[string]string{"oauth_access_token": "fake-access-1"},
			want: "fake-access-1",
		},
		{
			name: "spec: secret storage snippet",
			src: `const newToken = 'fake-refresh-2'; let seen = [];
// Store a secret
await ctx.secrets.set('refresh_token', newToken);
// Read a secret
const token = await ctx.secrets.get('access_token');
// Check existence
if (await ctx.secrets.has('api_key')) { seen.push('has api_key') }
// Delete
await ctx.secrets.delete('old_token');
return [token, await ctx.secrets.get('refresh_token'), await ctx.secrets.has('old_token'), ...seen].join(',')`,
			seed: map[string]string{"access_token": "fake-access-3", "api_key": "fake-key", "old_token": "fake-old"},
			want: "fake-access-3,fake-refresh-2,false,has api_key",
		},
		{
			name: "set resolves undefined, has and delete",
			src: `const r = await ctx.secrets.set('k', 'fake-v');
const before = await ctx.secrets.has('k');
const d = await ctx.secrets.delete('k');
const again = await ctx.secrets.delete('k');
return [typeof r, before, await ctx.secrets.has('k'), typeof d, typeof again, typeof await ctx.secrets.get('k')].join(',')`,
			want: "undefined,true,false,undefined,undefined,undefined",
		},
		{
			name: "unicode and empty values",
			src: `await ctx.secrets.set('ü-key ✓', 'fake-🔑-秘密'); await ctx.secrets.set('empty', '');
return [await ctx.secrets.get('ü-key ✓'), JSON.stringify(await ctx.secrets.get('empty')), await ctx.secrets.has('empty')].join(',')`,
			want: `fake-🔑-秘密,"",true`,
		},
		{
			name: "methods return promises",
			src: `const ps = [ctx.secrets.get('a'), ctx.secrets.set('a', 'fake'), ctx.secrets.has('a'), ctx.secrets.delete('a'), ctx.secrets.set('a', 1)];
const kinds = ps.map(p => p instanceof Promise);
await Promise.allSettled(ps);
return kinds.join(',')`,
			want: "true,true,true,true,true",
		},
		{
			name: "non-string value is a TypeError",
			src:  `try { await ctx.secrets.set('k', 123) } catch (e) { return [e instanceof TypeError, e.message, e.code].join(' | ') }`,
			want: "true | ctx.secrets.set: the value must be a string, got a number | ERR_INVALID_ARG_TYPE",
		},
		{
			name: "object value is a TypeError",
			src:  `try { await ctx.secrets.set('k', {token: 'x'}) } catch (e) { return e.name + ': ' + e.message }`,
			want: "TypeError: ctx.secrets.set: the value must be a string, got an object",
		},
		{
			name: "missing value is a TypeError",
			src:  `try { await ctx.secrets.set('k') } catch (e) { return e.name + ': ' + e.message }`,
			want: "TypeError: ctx.secrets.set: the value must be a string, got undefined",
		},
		{
			name: "non-string key is a TypeError",
			src:  `try { await ctx.secrets.get(42) } catch (e) { return e.name + ': ' + e.message }`,
			want: "TypeError: ctx.secrets.get: the key must be a string, got a number",
		},
		{
			name: "symbol key is a TypeError, not its description",
			src: `const r = [];
for (const call of [() => ctx.secrets.set(Symbol('k'), 'fake-v'), () => ctx.secrets.get(Symbol('k')), () => ctx.secrets.has(Symbol.iterator), () => ctx.secrets.delete(Symbol('k'))]) {
  try { await call(); r.push('resolved') } catch (e) { r.push(e.name + ': ' + e.message) }
}
return r.join(' | ')`,
			want: "TypeError: ctx.secrets.set: the key must be a string, got a symbol | TypeError: ctx.secrets.get: the key must be a string, got a symbol | " +
				"TypeError: ctx.secrets.has: the key must be a string, got a symbol | TypeError: ctx.secrets.delete: the key must be a string, got a symbol",
		},
		{
			name: "symbol value is a TypeError",
			src:  `try { await ctx.secrets.set('k', Symbol('fake-v')) } catch (e) { return e.name + ': ' + e.message + ' | ' + String(await ctx.secrets.has('k')) }`,
			want: "TypeError: ctx.secrets.set: the value must be a string, got a symbol | false",
		},
		{
			name: "String object key is a TypeError",
			src:  `try { await ctx.secrets.get(new String('k')) } catch (e) { return e.name + ': ' + e.message }`,
			want: "TypeError: ctx.secrets.get: the key must be a string, got an object",
		},
		{
			name: "empty key is a TypeError with a code",
			src:  `try { await ctx.secrets.has('') } catch (e) { return [e.name, e.message, e.code].join(' | ') }`,
			want: `TypeError | ctx.secrets.has: invalid secret key "": must not be empty | ERR_SECRET_INVALID_KEY`,
		},
		{
			name: "a long key is cut between characters",
			src:  `try { await ctx.secrets.get('a' + 'é'.repeat(100)) } catch (e) { return e.message }`,
			want: `ctx.secrets.get: invalid secret key "a` + strings.Repeat("é", 19) + `...": longer than 128 bytes`,
		},
		{
			name: "a key with a lone surrogate is refused, not read as U+FFFD",
			src: `const r = [];
for (const call of [() => ctx.secrets.set('k\uD800', 'fake-v'), () => ctx.secrets.get('k\uDC00'), () => ctx.secrets.has('\uD800k'), () => ctx.secrets.delete('k\uD800')]) {
  try { await call(); r.push('resolved') } catch (e) { r.push(e.name + ' ' + e.code) }
}
r.push(String(await ctx.secrets.get('k\uFFFD')));
return r.join(' | ')`,
			seed: map[string]string{"k\uFFFD": "fake-other"},
			want: "TypeError ERR_SECRET_INVALID_KEY | TypeError ERR_SECRET_INVALID_KEY | TypeError ERR_SECRET_INVALID_KEY | TypeError ERR_SECRET_INVALID_KEY | fake-other",
		},
		{
			name: "the lone surrogate error says what is wrong",
			src:  `try { await ctx.secrets.set('k\uD800', 'fake-v') } catch (e) { return e.message }`,
			want: "ctx.secrets.set: invalid secret key \"k\uFFFD\": not well-formed Unicode (it has a lone surrogate)",
		},
		{
			name: "a well-formed U+FFFD and astral characters are fine",
			src:  `await ctx.secrets.set('k\uFFFD\u{1F511}', 'fake-v'); return await ctx.secrets.get('k\uFFFD\u{1F511}')`,
			want: "fake-v",
		},
		{
			name: "control characters in a key",
			src:  `try { await ctx.secrets.delete('a\nb') } catch (e) { return e.name + ': ' + e.message }`,
			want: `TypeError: ctx.secrets.delete: invalid secret key "a\nb": contains a control character`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := secrets.NewScoped(secrets.NewMemory(), "js-test")
			for k, v := range tt.seed {
				if err := s.Set(context.Background(), k, v); err != nil {
					t.Fatal(err)
				}
			}
			got, err := runJS(t, s, tt.src)
			if err != nil {
				t.Fatalf("script failed: %v", err)
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSecretsJSBackendUnavailable(t *testing.T) {
	m := secrets.NewMemory()
	m.FailWith(jsrt.WithHint(&secrets.UnavailableError{Backend: "keyring", Op: "get", Kind: secrets.ErrNoSecretService,
		Reason: "org.freedesktop.secrets is not provided"}, "start a Secret Service provider"))
	s, _ := secrets.NewScoped(m, "js-test")
	for _, call := range []string{`get('token')`, `set('token', 'fake-v')`, `has('token')`, `delete('token')`} {
		t.Run(call, func(t *testing.T) {
			got, err := runJS(t, s, `try { await ctx.secrets.`+call+`; return 'resolved' } catch (e) { return [e.name, e.code, e.hint, e.message].join(' | ') }`)
			if err != nil {
				t.Fatal(err)
			}
			method := call[:strings.IndexByte(call, '(')]
			want := `Error | ERR_SECRET_NO_SECRET_SERVICE | start a Secret Service provider | ctx.secrets.` + method +
				`("token"): keyring get: no Secret Service on the D-Bus session bus: org.freedesktop.secrets is not provided`
			if got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestSecretsJSRejectionIsAJSError(t *testing.T) {
	s, _ := secrets.NewScoped(secrets.NewMemory(), "js-test")
	_, err := runJS(t, s, `await ctx.secrets.set('k', null)`)
	je, ok := jsrt.AsJSError(err)
	if !ok || je.Name != "TypeError" || je.Code != "ERR_INVALID_ARG_TYPE" {
		t.Fatalf("err = %#v", err)
	}
}

func TestSecretsJSOnValue(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	s, _ := secrets.NewScoped(secrets.NewMemory(), "js-test")
	s.OnValue = func(v string) { mu.Lock(); seen = append(seen, v); mu.Unlock() }
	if err := s.SetConfig(context.Background(), "token", "fake-config-1"); err != nil {
		t.Fatal(err)
	}
	seen = nil
	if _, err := runJS(t, s, `await ctx.secrets.set('a', 'fake-a'); await ctx.secrets.get('a'); await ctx.secrets.has('a')`); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(seen, ",") != "fake-a,fake-a" {
		t.Fatalf("OnValue saw %q", seen)
	}
}

func TestSecretsJSRealKeyring(t *testing.T) {
	sess := realKeyring(t)
	s, _ := secrets.NewScoped(secrets.NewKeyring(), "js-real")
	got, err := runJS(t, s, `await ctx.secrets.set('oauth_refresh_token', 'fake-refresh-9');
const missing = await ctx.secrets.get('never-set');
return [await ctx.secrets.get('oauth_refresh_token'), typeof missing, await ctx.secrets.has('oauth_refresh_token')].join(',')`)
	if err != nil {
		t.Fatal(err)
	}
	if got != "fake-refresh-9,undefined,true" {
		t.Fatalf("got %s", got)
	}
	if v, err := sess.Lookup("host:js-real", "oauth_refresh_token"); err != nil || v != "fake-refresh-9" {
		t.Fatalf("secret-tool lookup = %q, %v", v, err)
	}
	if _, err := runJS(t, s, `await ctx.secrets.delete('oauth_refresh_token')`); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Lookup("host:js-real", "oauth_refresh_token"); err == nil {
		t.Fatal("secret-tool still finds the deleted secret")
	}
}
