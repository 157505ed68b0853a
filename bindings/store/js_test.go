package store

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"host/jsrt"
)

// newRuntime returns a runtime whose global `ctx.store` is bound to s.
func newRuntime(t *testing.T, s *Store) *jsrt.Runtime {
	t.Helper()
	// No test here is about the time limit: one a loaded machine under
	// -race cannot meet (10 MiB strings take seconds there).
	rt := jsrt.New(jsrt.Options{Timeout: 5 * time.Minute})
	t.Cleanup(rt.Close)
	err := rt.Do(t.Context(), func(vm *goja.Runtime) error {
		c := vm.NewObject()
		_ = c.Set("store", NewObject(rt, vm, s))
		return vm.Set("ctx", c)
	})
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

// await runs src as the body of an async function and returns its result
// as a string, or its rejection.
func await(t *testing.T, rt *jsrt.Runtime, src string) (string, error) {
	t.Helper()
	v, err := rt.Await(t.Context(), func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString("(async () => {\n" + src + "\n})()")
	})
	if err != nil {
		return "", err
	}
	var out string
	if err := rt.Do(t.Context(), func(vm *goja.Runtime) error { out = v.String(); return nil }); err != nil {
		t.Fatal(err)
	}
	if n := rt.Pending(); n != 0 {
		t.Errorf("%d Go calls still pending after the script settled", n)
	}
	return out, nil
}

// describeError is prepended to snippets that report a rejection as
// "name|code|message".
const describeError = `const describe = (e) => [e.name, e.code, e.message].join('|');`

func TestStoreJS(t *testing.T) {
	tests := []struct {
		name, src, want string
		seed            map[string]string // keys stored (as JSON) from Go before the run
		wantPrefix      bool              // want is a prefix of the result
	}{
		{
			name: "get missing is undefined",
			src:  `const v = await ctx.store.get('nope'); return typeof v`,
			want: "undefined",
		},
		{
			name: "spec: get<number> token_expiry set by the plugin",
			src: `await ctx.store.set('token_expiry', 1700000000000 + 3600 * 1000);
const expiry = await ctx.store.get('token_expiry');
return typeof expiry + ' ' + expiry`,
			want: "number 1700003600000",
		},
		{
			name: "value stored from Go",
			seed: map[string]string{"cfg": `{"a":[1,2,{"b":null}],"c":"ü"}`},
			src:  `const v = await ctx.store.get('cfg'); return v.a[2].b === null && v.c === 'ü' ? JSON.stringify(v) : 'wrong'`,
			want: `{"a":[1,2,{"b":null}],"c":"ü"}`,
		},
		{
			name: "round trip like JSON",
			src: `const values = [0, -0.5, 'text', '', true, false, null, [], {}, [1, 'two', [3]],
  { nested: { deep: [{ x: 1 }] } }, { skip: undefined, keep: 1 }, [undefined, () => 1],
  NaN, Infinity, new Date(0), { toJSON() { return 'custom' } }, new Map([[1, 2]]), '🎉', 'a\u0000b\n"q"'];
const out = [];
for (const [i, v] of values.entries()) {
  await ctx.store.set('k' + i, v);
  const got = await ctx.store.get('k' + i);
  const same = JSON.stringify(got) === JSON.stringify(JSON.parse(JSON.stringify(v)));
  out.push(same ? 'ok' : i + ':' + JSON.stringify(got));
}
return out.filter(x => x !== 'ok').join(',') || 'all ok'`,
			want: "all ok",
		},
		{
			name: "dates come back as strings",
			src:  `await ctx.store.set('when', { at: new Date(Date.UTC(2024, 0, 2)) }); const v = await ctx.store.get('when'); return typeof v.at + ' ' + v.at`,
			want: "string 2024-01-02T00:00:00.000Z",
		},
		{
			name: "overwrite, delete, delete missing, keys sorted",
			src: `await ctx.store.set('b', 1); await ctx.store.set('a', 1); await ctx.store.set('c', 1); await ctx.store.set('b', 2);
const r1 = await ctx.store.delete('c'); const r2 = await ctx.store.delete('never');
const keys = await ctx.store.keys();
return [Array.isArray(keys), keys.join(','), await ctx.store.get('b'), typeof await ctx.store.get('c'), typeof r1, typeof r2].join(' ')`,
			want: "true a,b 2 undefined undefined undefined",
		},
		{
			name: "keys of an empty store",
			src:  `const k = await ctx.store.keys(); return Array.isArray(k) + ' ' + k.length`,
			want: "true 0",
		},
		{
			name: "set resolves undefined",
			src:  `const r = await ctx.store.set('x', 1); return typeof r`,
			want: "undefined",
		},
		{
			name: "set undefined is a TypeError",
			src:  describeError + `try { await ctx.store.set('k', undefined) } catch (e) { return describe(e) + '|' + (await ctx.store.keys()).length }`,
			want: `TypeError|ERR_STORE_INVALID_VALUE|ctx.store.set("k"): the value is undefined, which JSON cannot store; store null instead, or call ctx.store.delete("k")|0`,
		},
		{
			name: "set function is a TypeError",
			src:  describeError + `try { await ctx.store.set('k', () => 1) } catch (e) { return describe(e) }`,
			want: `TypeError|ERR_STORE_INVALID_VALUE|ctx.store.set("k"): the value is a function, which JSON cannot store`, wantPrefix: true,
		},
		{
			name: "set symbol is a TypeError",
			src:  describeError + `try { await ctx.store.set('k', Symbol('s')) } catch (e) { return describe(e) }`,
			want: `TypeError|ERR_STORE_INVALID_VALUE|ctx.store.set("k"): the value is a symbol`, wantPrefix: true,
		},
		{
			name: "set cyclic is a TypeError",
			src:  describeError + `const o = { name: 'loop' }; o.self = o; try { await ctx.store.set('k', o) } catch (e) { return describe(e) }`,
			want: `TypeError|ERR_STORE_INVALID_VALUE|ctx.store.set("k"): the value cannot be stored as JSON: `, wantPrefix: true,
		},
		{
			name: "set bigint is a TypeError",
			src:  describeError + `try { await ctx.store.set('k', { n: 10n }) } catch (e) { return describe(e) }`,
			want: `TypeError|ERR_STORE_INVALID_VALUE|ctx.store.set("k"): the value cannot be stored as JSON: `, wantPrefix: true,
		},
		{
			name: "an error thrown by toJSON passes through",
			src:  `try { await ctx.store.set('k', { toJSON() { throw new RangeError('mine') } }) } catch (e) { return e.name + ' ' + e.message }`,
			want: "RangeError mine",
		},
		{
			name: "non-string key is a TypeError",
			src:  describeError + `try { await ctx.store.get(42) } catch (e) { return describe(e) }`,
			want: "TypeError|ERR_INVALID_ARG_TYPE|ctx.store.get: the key must be a string, got a number",
		},
		{
			name: "missing key is a TypeError",
			src:  describeError + `try { await ctx.store.delete() } catch (e) { return describe(e) }`,
			want: "TypeError|ERR_INVALID_ARG_TYPE|ctx.store.delete: the key must be a string, got undefined",
		},
		{
			name: "empty key is a TypeError",
			src:  describeError + `try { await ctx.store.set('', 1) } catch (e) { return describe(e) }`,
			want: `TypeError|ERR_STORE_INVALID_KEY|ctx.store.set(""): invalid key: the key is empty`,
		},
		{
			name: "a key with a lone surrogate is a TypeError",
			src:  `try { await ctx.store.set('a\ud800', 1) } catch (e) { return e.name + ' ' + e.code }`,
			want: "TypeError ERR_STORE_INVALID_KEY",
		},
		{
			name: "bad arguments reject instead of throwing",
			src:  `const p = ctx.store.get(null); const ok = p instanceof Promise; try { await p } catch (e) { return ok + ' ' + e.name }`,
			want: "true TypeError",
		},
		{
			name: "too large a value",
			src:  describeError + `try { await ctx.store.set('big', 'x'.repeat(2 * 1024 * 1024)) } catch (e) { return describe(e) }`,
			want: `Error|ERR_STORE_VALUE_TOO_LARGE|ctx.store.set("big"): value too large: 2.0 MiB of JSON; the limit is 1 MiB`,
		},
		{
			name: "a huge key is cut in the error",
			src:  describeError + `try { await ctx.store.set('k'.repeat(10 * 1024 * 1024), 1) } catch (e) { return describe(e) }`,
			want: `TypeError|ERR_STORE_INVALID_KEY|ctx.store.set("` + strings.Repeat("k", 40) + `..."): invalid key: the key is 10485760 bytes long; the limit is 512`,
		},
		{
			name: "a long key with multi-byte characters is cut between them",
			src:  describeError + `try { await ctx.store.get('é'.repeat(300)) } catch (e) { return describe(e) }`,
			want: `TypeError|ERR_STORE_INVALID_KEY|ctx.store.get("` + strings.Repeat("é", 20) + `..."): invalid key: the key is 600 bytes long; the limit is 512`,
		},
		{
			name: "a symbol key is a TypeError",
			src:  describeError + `try { await ctx.store.set(Symbol('k'), 1) } catch (e) { return describe(e) + '|' + (await ctx.store.keys()).length }`,
			want: "TypeError|ERR_INVALID_ARG_TYPE|ctx.store.set: the key must be a string, got a symbol|0",
		},
		{
			name: "a value nested 1000 levels deep is stored",
			src:  `let v = 'leaf'; for (let i = 0; i < 1000; i++) v = i % 2 ? [v] : { v }; await ctx.store.set('deep', v); return JSON.stringify(await ctx.store.get('deep')).length`,
			want: "4006",
		},
		{
			name: "one level more is refused",
			src:  `let v = 'leaf'; for (let i = 0; i < 1001; i++) v = i % 2 ? [v] : { v }; try { await ctx.store.set('deep', v) } catch (e) { return e.code }`,
			want: "ERR_STORE_VALUE_TOO_DEEP",
		},
		{
			name: "a value nested deeper is refused at once",
			src: describeError + `let v = 1; for (let i = 0; i < 100000; i++) v = [v];
const start = Date.now();
try { await ctx.store.set('deep', v) } catch (e) { return describe(e) + '|' + (Date.now() - start < 2000) + '|' + (await ctx.store.keys()).length }`,
			want: `TypeError|ERR_STORE_VALUE_TOO_DEEP|ctx.store.set("deep"): the value nests arrays and objects more than 1000 levels deep; store a flatter value|true|0`,
		},
		{
			name: "depth counts nesting, not size",
			src:  `const row = { a: [1, 2, { b: [3] }] }; const v = { rows: Array.from({ length: 5000 }, () => row) }; await ctx.store.set('wide', v); return (await ctx.store.get('wide')).rows.length`,
			want: "5000",
		},
		{
			name: "replacing the global JSON changes nothing",
			src:  `globalThis.JSON = { stringify() { return '"hijacked"' }, parse() { return 'hijacked' } }; await ctx.store.set('k', [1]); const v = await ctx.store.get('k'); return Array.isArray(v) + ' ' + v[0]`,
			want: "true 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTemp(t).Plugin("demo")
			for k, v := range tt.seed {
				if err := s.Set(context.Background(), k, json.RawMessage(v)); err != nil {
					t.Fatal(err)
				}
			}
			got, err := await(t, newRuntime(t, s), tt.src)
			if err != nil {
				t.Fatalf("script failed: %v", err)
			}
			if tt.wantPrefix && !strings.HasPrefix(got, tt.want) || !tt.wantPrefix && got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestStoreJSScopedAndCheck(t *testing.T) {
	db := openTemp(t)
	a, b := db.Plugin("a"), db.Plugin("b")
	b.Check = func(key string, value json.RawMessage) error {
		if strings.Contains(string(value), "fake-token") {
			return jsrt.WithHint(errors.New("the value looks like a secret"), "use ctx.secrets")
		}
		return nil
	}
	rtA, rtB := newRuntime(t, a), newRuntime(t, b)
	if _, err := await(t, rtA, `await ctx.store.set('mine', 'a')`); err != nil {
		t.Fatal(err)
	}
	got, err := await(t, rtB, `const before = (await ctx.store.keys()).join(',');
await ctx.store.set('mine', 'b');
let refused = '';
try { await ctx.store.set('tok', { t: 'fake-token-123' }) } catch (e) { refused = e.message + ' / ' + e.hint }
return [before, await ctx.store.get('mine'), refused, (await ctx.store.keys()).join(',')].join('|')`)
	if err != nil {
		t.Fatal(err)
	}
	want := `|b|ctx.store.set("tok"): the value looks like a secret / use ctx.secrets|mine`
	if got != want {
		t.Errorf("plugin b saw\n %s\nwant\n %s", got, want)
	}
	if v, _, _ := a.Get(context.Background(), "mine"); string(v) != `"a"` {
		t.Errorf("plugin a's value is %s, want \"a\"", v)
	}
}

// specGetValidToken is the spec's getValidToken, unchanged.
const specGetValidToken = `async function getValidToken(ctx: PluginContext): Promise<string> {
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
`

// TestSpecGetValidToken builds the spec's snippet with esbuild and runs it
// against a real store. ctx.secrets and refreshOAuthToken are stand-ins
// written in JS (they belong to other packages).
func TestSpecGetValidToken(t *testing.T) {
	dir := t.TempDir()
	entry := filepath.Join(dir, "plugin.ts")
	if err := os.WriteFile(entry, []byte(specGetValidToken+"export { getValidToken };\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bundle, err := jsrt.Build(jsrt.BuildOptions{Entry: entry, WorkDir: dir, GlobalName: "plugin"})
	if err != nil {
		t.Fatal(err)
	}
	const standIns = `
const secrets = new Map([['access_token', 'fake-access-old'], ['refresh_token', 'fake-refresh-old']]);
ctx.secrets = {
  async get(k) { return secrets.get(k) },
  async set(k, v) { secrets.set(k, v) },
};
globalThis.refreshed = 0;
globalThis.refreshOAuthToken = async (rt) => {
  refreshed++;
  return { access_token: 'fake-access-' + refreshed, refresh_token: 'fake-refresh-' + refreshed, expires_in: 3600 };
};`

	ctx := context.Background()
	s := openTemp(t).Plugin("spec")
	rt := newRuntime(t, s)
	if _, err := await(t, rt, standIns); err != nil {
		t.Fatal(err)
	}
	if err := rt.RunBundle(t.Context(), bundle); err != nil {
		t.Fatal(err)
	}
	call := `const t = await plugin.getValidToken(ctx); return t + ' refreshed=' + refreshed`

	// No expiry stored yet: the token is used as is.
	if got, err := await(t, rt, call); err != nil || got != "fake-access-old refreshed=0" {
		t.Fatalf("no expiry: %q, %v", got, err)
	}

	// Expired: refresh, and token_expiry becomes a number an hour ahead.
	if err := s.Set(ctx, "token_expiry", json.RawMessage(`1000`)); err != nil {
		t.Fatal(err)
	}
	before := time.Now().UnixMilli()
	if got, err := await(t, rt, call); err != nil || got != "fake-access-1 refreshed=1" {
		t.Fatalf("expired: %q, %v", got, err)
	}
	raw, ok, err := s.Get(ctx, "token_expiry")
	var expiry int64
	if err != nil || !ok || json.Unmarshal(raw, &expiry) != nil {
		t.Fatalf("token_expiry = %s, %v, %v; want a number", raw, ok, err)
	}
	if expiry < before+3600*1000 || expiry > time.Now().UnixMilli()+3600*1000 {
		t.Errorf("token_expiry = %d, want about an hour after %d", expiry, before)
	}

	// Not expired: the new token is used without refreshing.
	if got, err := await(t, rt, call); err != nil || got != "fake-access-1 refreshed=1" {
		t.Fatalf("fresh: %q, %v", got, err)
	}
}

func BenchmarkJSSetGet(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "store.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rt := jsrt.New(jsrt.Options{})
	defer rt.Close()
	ctx := context.Background()
	if err := rt.Do(ctx, func(vm *goja.Runtime) error {
		return vm.Set("store", NewObject(rt, vm, db.Plugin("bench")))
	}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
			return vm.RunString(`(async () => { await store.set('k', { at: 1700000000000, tags: ['a', 'b'] }); return (await store.get('k')).at })()`)
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestJSONReplacedBeforeCtx is a plugin whose top-level code, which runs
// before ctx.store exists, replaces JSON and its methods: the runtime
// captured its own before that code, so ctx.store still stores and reads
// real JSON.
func TestJSONReplacedBeforeCtx(t *testing.T) {
	s := openTemp(t).Plugin("demo")
	rt := jsrt.New(jsrt.Options{})
	t.Cleanup(rt.Close)
	err := rt.Do(t.Context(), func(vm *goja.Runtime) error {
		// The plugin's top-level code.
		_, err := vm.RunString(`JSON.stringify = () => '"hijacked"'; JSON.parse = () => 'hijacked';
globalThis.JSON = { stringify() { return '"hijacked"' }, parse() { return 'hijacked' } };`)
		if err != nil {
			return err
		}
		c := vm.NewObject()
		_ = c.Set("store", NewObject(rt, vm, s))
		return vm.Set("ctx", c)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := await(t, rt, `await ctx.store.set('k', { a: [1] }); const v = await ctx.store.get('k'); return typeof v + ' ' + v.a[0]`)
	if err != nil {
		t.Fatal(err)
	}
	if got != "object 1" {
		t.Errorf("the plugin read back %q, want \"object 1\"", got)
	}
	if raw, _, _ := s.Get(t.Context(), "k"); string(raw) != `{"a":[1]}` {
		t.Errorf("stored %s, want {\"a\":[1]}", raw)
	}
}
