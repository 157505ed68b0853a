package jsrt

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// engineCases are TypeScript expressions (awaited) and the JSON of what
// Node 22 gives for them; each is bundled and run as a plugin's code is.
var engineCases = []struct{ name, expr, want string }{
	{"asyncIterator is a symbol", `typeof Symbol.asyncIterator`, `"symbol"`},
	{"for await over a library iterator", `(async () => {
		const lib = { [Symbol.asyncIterator]() { let i = 0; return { next: async () => ({ done: i >= 3, value: i++ }) }; } };
		const out: number[] = [];
		for await (const x of lib) out.push(x);
		return out;
	})()`, `[0,1,2]`},
	{"for await over an async generator", `(async () => {
		async function* gen() { yield 'a'; yield 'b'; }
		const out: string[] = [];
		for await (const x of gen()) out.push(x);
		return [out.join(''), typeof gen()[Symbol.asyncIterator]];
	})()`, `["ab","function"]`},
	{"class fields named get set async static", `(() => {
		class A { get = 1; set = 2; async = 3; static = 4; static get = 5; #p = 6; p() { return this.#p; } }
		const a = new A();
		return [a.get, a.set, a.async, a.static, (A as any).get, a.p()];
	})()`, `[1,2,3,4,5,6]`},
	{"unicode property escapes", `[/\p{L}/u.test('a'), /^\p{Lu}+$/u.test('ÄB'), /\p{L}/u.test('1'), new RegExp('\\p{Script=Greek}', 'u').test('α'), /[\p{N}]/u.test('٣'), /\P{L}/u.test('a'), /\p{L}/.test('p{L}')]`, `[true,true,false,true,true,false,true]`},
	{"a routed regexp is still a RegExp", `(() => { const r = /\p{L}+/gu; return [r instanceof RegExp, r.constructor === RegExp, 'ab1cd'.match(r), 'x'.replace(new RegExp('\\p{L}', 'u'), 'y')]; })()`, `[true,true,["ab","cd"],"y"]`},
	{"Object.groupBy", `Object.groupBy([1, 2, 3, 4], (n) => (n % 2 ? 'odd' : 'even'))`, `{"odd":[1,3],"even":[2,4]}`},
	{"Map.groupBy", `[...Map.groupBy([1, 2, 3], (n) => n > 1)]`, `[[false,[1]],[true,[2,3]]]`},
	{"Promise.withResolvers", `(async () => { const { promise, resolve } = Promise.withResolvers<number>(); setTimeout(() => resolve(7), 1); return await promise; })()`, `7`},
	{"Array.fromAsync", `(async () => { async function* g() { yield 1; yield 2; } return [await Array.fromAsync(g()), await Array.fromAsync([Promise.resolve(3), 4], (x: number) => x * 2)]; })()`, `[[1,2],[6,8]]`},
	{"isWellFormed toWellFormed", `['ab'.isWellFormed(), 'a\uD800'.isWellFormed(), 'a\uD800b'.toWellFormed(), '😀'.isWellFormed()]`, `[true,false,"a�b",true]`},
	{"Error.captureStackTrace", `(() => { const o: any = { message: 'boom', name: 'MyError' }; Error.captureStackTrace(o); return [typeof o.stack, o.stack.split('\n')[0]]; })()`, `["string","MyError: boom"]`},
	{"WeakRef and FinalizationRegistry", `(() => { const t = {}; const r = new WeakRef(t); const f = new FinalizationRegistry(() => {}); f.register(t, 1); return [r.deref() === t, f.unregister(t)]; })()`, `[true,false]`},
}

func TestEngineBuiltins(t *testing.T) {
	var src strings.Builder
	for i, c := range engineCases {
		fmt.Fprintf(&src, "export const c%d = async () => JSON.stringify(await (%s));\n", i, c.expr)
	}
	dir := writeTree(t, map[string]string{"main.ts": src.String()})
	b, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir, GlobalName: "__m"})
	if err != nil {
		t.Fatal(err)
	}
	rt := New(Options{})
	t.Cleanup(rt.Close)
	if err := rt.RunBundle(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	for i, c := range engineCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := call(t, rt, fmt.Sprintf("c%d", i))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%s\n got %v\nwant %s", c.expr, got, c.want)
			}
		})
	}
}

// A backtracking regexp (lookahead sends it to regexp2, which cannot be
// interrupted) ends with the script timeout, not hours later.
func TestRegexpBacktrackingEndsWithTimeout(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.ts": "const s = 'a'.repeat(40) + 'b';\nwhile (true) /^(?=a)(a+)+$/.test(s);\n"})
	b, err := Build(BuildOptions{Entry: filepath.Join(dir, "main.ts"), WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	rt := New(Options{Timeout: 200 * time.Millisecond})
	t.Cleanup(rt.Close)
	start := time.Now()
	err = rt.RunBundle(t.Context(), b)
	if err == nil || !strings.Contains(err.Error(), "main.ts:2:") || !strings.Contains(err.Error(), "ran longer than 200ms") {
		t.Errorf("err = %v, want the timeout at main.ts:2", err)
	}
	if d := time.Since(start); d > RegexpMatchTimeout+2*time.Second {
		t.Errorf("took %v", d)
	}
}
