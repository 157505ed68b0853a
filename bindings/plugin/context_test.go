package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"host/bindings/store"
	"host/internal/hosttest"
)

const sdkContextPlugin = `import { definePlugin, z } from '@hivemind-os/plugin-sdk';
export default definePlugin({
  configSchema: z.object({}),
  tools: [
    { name: 'run', description: 'runs a snippet', parameters: z.object({ what: z.string() }),
      execute: async ({ what }, ctx) => ({ content: await snippets[what](ctx) }) },
  ],
});
const snippets = {
  log: async (ctx) => { ctx.logger.info('synced', { count: 3, repo: 'o/r', note: 'two words' }); ctx.logger.debug('plain'); return 'ok'; },
  messages: async (ctx) => {
    await ctx.emitMessage({ source: 'a', channel: 'c', content: 'first', sender: { id: 'u1', name: 'Ada' } });
    await ctx.emitMessages([{ source: 'a', channel: 'c', content: 'dup' }, { source: 'b', channel: 'c', content: 'second', metadata: { n: 2 } }]);
    return 'ok';
  },
  badMessage: async (ctx) => { try { await ctx.emitMessages([{ source: 'x', channel: 'c', content: 'ok' }, { channel: 'c', content: 'no source' }]); return 'accepted'; } catch (e) { return e.name + ': ' + e.message; } },
  event: async (ctx) => { await ctx.emitEvent('issue.opened', { number: 7 }); return 'ok'; },
  status: async (ctx) => { await ctx.updateStatus({ state: 'syncing', message: 'half', progress: 0.5 }); return 'ok'; },
  badStatus: async (ctx) => { try { await ctx.updateStatus({ state: 'happy' }); return 'accepted'; } catch (e) { return e.message; } },
  notify: async (ctx) => { await ctx.notify({ title: 'New issue', body: '#7 opened' }); return 'ok'; },
  sleep: async (ctx) => { const t = Date.now(); await ctx.sleep(0); await ctx.sleep(20); return Date.now() - t >= 20 ? 'slept' : 'too short'; },
  host: async (ctx) => JSON.stringify([ctx.pluginId, ctx.id, typeof ctx.host.version, ctx.host.platform, ctx.host.capabilities.includes('messages'), await ctx.connectors.list(), await ctx.personas.list(), ctx.http.fetch === fetch]),
  missing: async (ctx) => JSON.stringify([await ctx.secrets.get('nope'), await ctx.store.get('nope')]),
  files: async (ctx) => {
    await ctx.dataDir.writeFile('notes/a.txt', 'hello');
    await ctx.dataDir.writeFile('b.bin', new Uint8Array([104, 105]));
    await ctx.dataDir.mkdir('empty/deep');
    const out = [await ctx.dataDir.readFile('notes/a.txt'), await ctx.dataDir.readFile('b.bin'), await ctx.dataDir.readDir(''), await ctx.dataDir.exists('notes/a.txt'), await ctx.dataDir.exists('nope')];
    await ctx.dataDir.remove('notes');
    out.push(await ctx.dataDir.exists('notes/a.txt'));
    out.push((await ctx.dataDir.resolve('x.txt')).endsWith('/data/x.txt'));
    return JSON.stringify(out);
  },
  escapes: async (ctx) => {
    const out = [];
    for (const p of ['../config.json', '/etc/passwd', 'a/../../x', 'out/secret', 'out']) {
      try { await ctx.dataDir.readFile(p); out.push(p + ': read'); } catch (e) { out.push(p + ': ' + e.code); }
    }
    try { await ctx.dataDir.writeFile('out/new.txt', 'x'); out.push('write: done'); } catch (e) { out.push('write: ' + e.code); }
    return out.join('\n');
  },
  schedule: async (ctx) => {
    let runs = 0;
    await new Promise((resolve) => ctx.schedule({ id: 't', intervalSeconds: 0.01, handler: async () => { if (++runs === 3) { await ctx.unschedule('t'); resolve(); } } }));
    return 'ran ' + runs;
  },
};`

func sdkContext(t *testing.T) (*Plugin, *logs, *Host) {
	t.Helper()
	h, l := newHost(t)
	var mu sync.Mutex
	var got []string
	h.OnMessages = func(id string, msgs []store.Message) {
		mu.Lock()
		for _, m := range msgs {
			got = append(got, id+":"+m.Content)
		}
		mu.Unlock()
	}
	p := loadActive(t, h, writePlugin(t, h, "sdkctx/plugin.ts", sdkContextPlugin))
	t.Cleanup(func() { _ = p.Deactivate(context.Background()) })
	return p, l, h
}

func runSnippet(t *testing.T, p *Plugin, what string) string {
	t.Helper()
	r, err := p.CallTool(context.Background(), "run", json.RawMessage(`{"what":"`+what+`"}`))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return r.Text()
}

func TestSDKContext(t *testing.T) {
	p, l, h := sdkContext(t)
	ctx := context.Background()
	runSnippet(t, p, "log")
	if !strings.Contains(l.String(), `sdkctx info synced count=3 note="two words" repo=o/r`) {
		t.Errorf("logger line:\n%s", l)
	}
	runSnippet(t, p, "messages")
	msgs, _ := h.Store.Plugin("sdkctx").Messages(ctx, 0, 0)
	if len(msgs) != 2 || msgs[0].Content != "first" || msgs[1].Content != "second" || string(msgs[1].Metadata) != `{"n":2}` || msgs[0].Sender.Name != "Ada" {
		t.Errorf("inbox = %+v", msgs)
	}
	if got := runSnippet(t, p, "badMessage"); got != "TypeError: ctx.emitMessages: msgs[1].source is required (a string)" {
		t.Errorf("badMessage = %q", got)
	}
	runSnippet(t, p, "event")
	evs, _ := h.Store.Plugin("sdkctx").Events(ctx, 0, 0)
	if len(evs) != 1 || evs[0].Type != "issue.opened" || string(evs[0].Payload) != `{"number":7}` {
		t.Errorf("events = %+v", evs)
	}
	runSnippet(t, p, "status")
	st, ok, _ := h.Store.Plugin("sdkctx").Status(ctx)
	if !ok || st.State != "syncing" || st.Message != "half" || st.Progress == nil || *st.Progress != 0.5 {
		t.Errorf("status = %+v", st)
	}
	if got := runSnippet(t, p, "badStatus"); !strings.Contains(got, "state must be one of connected, connecting, disconnected, error, syncing") {
		t.Errorf("badStatus = %q", got)
	}
	runSnippet(t, p, "notify")
	if !strings.Contains(l.String(), "sdkctx info notification: New issue: #7 opened") {
		t.Errorf("notify line:\n%s", l)
	}
	if got := runSnippet(t, p, "sleep"); got != "slept" {
		t.Errorf("sleep = %q", got)
	}
	if got := runSnippet(t, p, "host"); got != `["sdkctx","sdkctx","string","`+Platform()+`",true,[],[],true]` {
		t.Errorf("host = %s", got)
	}
	if got := runSnippet(t, p, "missing"); got != `[null,null]` {
		t.Errorf("missing = %s", got)
	}
	if got := runSnippet(t, p, "files"); got != `["hello","hi",["b.bin","empty","notes"],true,false,false,true]` {
		t.Errorf("files = %s", got)
	}
	if got := runSnippet(t, p, "schedule"); got != "ran 3" {
		t.Errorf("schedule = %s", got)
	}
}

func TestDataDirEscapes(t *testing.T) {
	p, _, h := sdkContext(t)
	outside := filepath.Join(h.DataDir, "outside")
	if err := os.MkdirAll(outside, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("not yours"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(p.DataDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(p.DataDir(), "out")); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"../config.json: ERR_DATADIR_ESCAPE",
		"/etc/passwd: ERR_DATADIR_ESCAPE",
		"a/../../x: ERR_DATADIR_ESCAPE",
		"out/secret: ERR_DATADIR_ESCAPE",
		"out: ERR_DATADIR_ESCAPE",
		"write: ERR_DATADIR_ESCAPE",
	}, "\n")
	if got := runSnippet(t, p, "escapes"); got != want {
		t.Errorf("escapes:\n%s\nwant\n%s", got, want)
	}
	if _, err := os.Stat(filepath.Join(outside, "new.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a write through the link reached outside: %v", err)
	}
}

const sleepLoopPlugin = `let n = 0;
export default definePlugin({
  tools: [{ name: 'count', description: '', parameters: z.object({}), execute: async () => ({ content: String(n) }) }],
  loop: async (ctx) => {
    while (!ctx.signal.aborted) {
      n++;
      await ctx.sleep(60000);
    }
  },
});`

// TestSDKLoopStopsAtOnce: a loop sleeping a minute stops as soon as the
// plugin deactivates (ctx.sleep rejects), and --once runs one iteration.
func TestSDKLoopStopsAtOnce(t *testing.T) {
	h, l := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "sleeper/plugin.ts", sleepLoopPlugin))
	if err := p.RunLoopOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.Close()
	p = loadActive(t, h, writePlugin(t, h, "sleeper/plugin.ts", sleepLoopPlugin))
	p.StartLoop()
	var count string
	hosttest.WaitFor(t, time.Minute, "the loop's first run (count 1)", func() bool {
		r, err := p.CallTool(context.Background(), "count", nil)
		if err != nil {
			count = err.Error()
			return false
		}
		count = r.Text()
		return count == "1"
	}, func() string { return "count " + count })
	start := time.Now()
	if err := p.Deactivate(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The loop sleeps a minute; a loaded machine still stops far sooner.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("deactivating took %s; ctx.sleep should end at once", d)
	}
	if strings.Contains(l.String(), "error") {
		t.Errorf("a stopped loop is not an error:\n%s", l)
	}
}

// TestSleepEndsWithTheCall: a tool call's own signal (aborted when its
// caller gives up) ends a ctx.sleep in that tool at once.
func TestSleepEndsWithTheCall(t *testing.T) {
	h, _ := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "napper/plugin.ts", `let outcome = 'none';
export default definePlugin({
  tools: [
    { name: 'nap', description: '', parameters: z.object({}), execute: async (_p, ctx) => {
      try { await ctx.sleep(60000); outcome = 'slept'; } catch (e) { outcome = e.name + ': ' + e.message; }
      return { content: outcome };
    } },
    { name: 'outcome', description: '', parameters: z.object({}), execute: async () => ({ content: outcome }) },
  ],
});`))
	defer p.Deactivate(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := p.CallToolWith(ctx, "nap", nil, CallOptions{}); err == nil {
		t.Fatal("the call outlived its context")
	}
	var outcome string
	hosttest.WaitFor(t, time.Minute, "the sleep to end with the call", func() bool {
		r, err := p.CallTool(context.Background(), "outcome", nil)
		if err != nil {
			t.Fatal(err)
		}
		outcome = r.Text()
		return outcome != "none"
	}, func() string { return "outcome " + outcome })
	if outcome != "AbortError: the call was cancelled" || time.Since(start) > 5*time.Second {
		t.Errorf("outcome = %q after %s", outcome, time.Since(start))
	}
}

// TestContextLimits: what would make the host slow or big is refused with
// a clear error.
func TestContextLimits(t *testing.T) {
	h, _ := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "limits/plugin.ts", `export default definePlugin({
  tools: [{ name: 'try', description: '', parameters: z.object({}), execute: async (_p, ctx) => {
    let deep = {};
    for (let i = 0; i < 100000; i++) deep = { d: deep };
    const self = {}; self.self = self;
    const out = [];
    for (const [name, f] of [
      ['deep metadata', () => ctx.emitMessage({ source: 's', channel: 'c', content: 'x', metadata: deep })],
      ['cyclic payload', () => ctx.emitEvent('e', self)],
      ['deep toJSON metadata', () => ctx.emitMessage({ source: 's', channel: 'c', content: 'x', metadata: { toJSON: () => deep } })],
      ['cyclic metadata', () => ctx.emitMessage({ source: 's', channel: 'c', content: 'x', metadata: self })],
      ['too many', () => ctx.emitMessages(new Array(100001).fill({ source: 's', channel: 'c', content: 'x' }))],
      ['long status', () => ctx.updateStatus({ state: 'error', message: 'x'.repeat(5000) })],
    ]) {
      try { await f(); out.push(name + ': accepted'); } catch (e) { out.push(name + ': ' + e.message); }
    }
    ctx.logger.info('deep data', { deep, self });
    return { content: out.join('\n') };
  } }],
});`))
	defer p.Deactivate(context.Background())
	start := time.Now()
	r, err := p.CallTool(context.Background(), "try", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"deep metadata: ctx.emitMessage: msg.metadata nests more than 64 levels deep",
		"cyclic payload: ctx.emitEvent(\"e\", payload): payload nests more than 64 levels deep (or refers to itself)",
		"deep toJSON metadata: ctx.emitMessage: msg.metadata nests more than 64 levels deep",
		"cyclic metadata: ctx.emitMessage: msg.metadata nests more than 64 levels deep (or refers to itself)",
		"too many: ctx.emitMessages: 100001 messages in one call; the limit is 100000",
		"long status: ctx.updateStatus: message must be a string of at most 4096 bytes",
	} {
		if !strings.Contains(r.Text(), want) {
			t.Errorf("lacks %q:\n%s", want, r.Text())
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}

// TestEmitMessagesInParts: a batch read in several parts (emitPart, each
// part's metadata one JSON walk) fails or stores as one: the error names
// the first bad message in order (a metadata error before a later missing
// field), a getter that throws stores nothing, and a source repeated in
// another part is stored once.
func TestEmitMessagesInParts(t *testing.T) {
	h, _ := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "parts/plugin.ts", `const many = (n, f) => Array.from({ length: n }, (_, i) => f(i, { source: 's' + i, channel: 'c', content: 'x' + i, metadata: { i } }));
export default definePlugin({
  tools: [{ name: 'try', description: '', parameters: z.object({}), execute: async (_p, ctx) => {
    const self = {}; self.self = self;
    const out = [];
    for (const [name, msgs] of [
      ['metadata first', many(1200, (i, m) => (i === 700 ? { ...m, metadata: self } : i === 900 ? { source: m.source, channel: 'c' } : m))],
      ['field', many(1200, (i, m) => (i === 1100 ? { source: m.source, channel: 'c' } : m))],
      ['getter', many(1200, (i, m) => (i === 600 ? { ...m, get content() { throw new Error('no content'); } } : m))],
      ['good', many(1200, (i, m) => (i === 1050 ? { ...m, source: 's0' } : m))],
    ]) {
      try { await ctx.emitMessages(msgs); out.push(name + ': stored'); } catch (e) { out.push(name + ': ' + e.message); }
    }
    return { content: out.join('\n') };
  } }],
});`))
	defer p.Deactivate(context.Background())
	r, err := p.CallTool(context.Background(), "try", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"metadata first: ctx.emitMessages: msgs[700].metadata nests more than 64 levels deep (or refers to itself)",
		"field: ctx.emitMessages: msgs[1100].content is required (a string)",
		"getter: no content",
		"good: stored",
	} {
		if !strings.Contains(r.Text(), want) {
			t.Errorf("lacks %q:\n%s", want, r.Text())
		}
	}
	msgs, err := h.Store.Plugin(p.ID).Messages(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1199 || msgs[0].Source != "s0" || msgs[0].Content != "x0" || string(msgs[1198].Metadata) != `{"i":1199}` {
		t.Fatalf("inbox: %d messages, first %+v", len(msgs), msgs[0])
	}
}
