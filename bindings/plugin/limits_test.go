package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

const ratePlugin = `export default definePlugin({
  id: 'ID',
  tools: [
    { name: 'messages', description: 'emits messages one at a time until refused', parameters: z.object({ from: z.number(), batch: z.number() }),
      execute: async ({ from, batch }, ctx) => {
        for (let i = from; ; i += batch) {
          try {
            if (batch === 1) await ctx.emitMessage({ source: 's' + i, channel: 'c', content: 'm' + i })
            else await ctx.emitMessages(Array.from({ length: batch }, (_, j) => ({ source: 's' + (i + j), channel: 'c', content: 'm' })))
          } catch (e) { return { content: (i - from) + ' ' + e.code + ' ' + e.message } }
        }
      } },
    { name: 'batch', description: 'emits n messages in one call', parameters: z.object({ from: z.number(), n: z.number() }),
      execute: async ({ from, n }, ctx) => {
        await ctx.emitMessages(Array.from({ length: n }, (_, j) => ({ source: 's' + (from + j), channel: 'c', content: 'm' })));
        return { content: 'ok' };
      } },
    { name: 'events', description: 'emits events until refused', parameters: z.object({}),
      execute: async (_p, ctx) => {
        for (let i = 0; ; i++) {
          try { await ctx.emitEvent('tick', { i }) } catch (e) { return { content: i + ' ' + e.code + ' ' + e.message } }
        }
      } },
    { name: 'big', description: 'emits an event of n MiB', parameters: z.object({ mib: z.number() }),
      execute: async ({ mib }, ctx) => {
        try { await ctx.emitEvent('big', { s: 'x'.repeat(mib * 1024 * 1024 - 100) }); return { content: 'ok' } } catch (e) { return { content: e.code + ' ' + e.message } }
      } },
  ],
})`

// fakeClock is the rate table's clock in tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestEmitRateLimits: on a real runtime and store file, a plugin emitting
// messages as fast as it can is refused at the 601st of a minute with
// ERR_RATE_LIMIT and a message saying what to do; the 600 accepted are all
// in its inbox and the refused one is not; a batch that does not fit is
// refused whole; another plugin is not affected; a minute later it emits
// again. Events stop at 300 the same way.
func TestEmitRateLimits(t *testing.T) {
	t.Parallel() // the longest tests here (seconds), beside each other
	h, _ := newHost(t)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	h.rates.now = clock.now
	hog := loadActive(t, h, writePlugin(t, h, "hog.ts", strings.Replace(ratePlugin, "ID", "hog", 1)))
	defer hog.Close()
	other := loadActive(t, h, writePlugin(t, h, "other.ts", strings.Replace(ratePlugin, "ID", "other", 1)))
	defer other.Close()
	ctx := context.Background()
	call := func(p *Plugin, tool string, args map[string]any) string {
		t.Helper()
		b, _ := json.Marshal(args)
		r, err := p.CallTool(ctx, tool, b)
		if err != nil {
			t.Fatalf("%s %s: %v", p.ID, tool, err)
		}
		return r.Text()
	}
	inbox := func(id string) int {
		t.Helper()
		ms, err := h.Store.Plugin(id).Messages(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(ms)
	}
	want := "600 ERR_RATE_LIMIT ctx.emitMessage: refused: a plugin may emit 600 messages a minute, and this one has; nothing of this call was kept, what was emitted before is; retry in 1m0s, or emit less often (batches: one ctx.emitMessages call counts once)"
	if got := call(hog, "messages", map[string]any{"from": 0, "batch": 1}); got != want {
		t.Errorf("messages:\n got %s\nwant %s", got, want)
	}
	if n := inbox("hog"); n != 600 {
		t.Errorf("hog's inbox holds %d messages, want the 600 accepted", n)
	}
	// 30 s on, a batch is refused whole, saying when there is room.
	clock.add(30 * time.Second)
	want = "0 ERR_RATE_LIMIT ctx.emitMessages: refused: a plugin may emit 600 messages a minute, and this one has; nothing of this call was kept, what was emitted before is; retry in 30s, or emit less often (batches: one ctx.emitMessages call counts once)"
	if got := call(hog, "messages", map[string]any{"from": 1000, "batch": 10}); got != want {
		t.Errorf("batch:\n got %s\nwant %s", got, want)
	}
	if n := inbox("hog"); n != 600 {
		t.Errorf("after the refused batch hog's inbox holds %d, want 600", n)
	}
	// Another plugin has its own budget: 600 calls of 2 messages.
	if got := call(other, "messages", map[string]any{"from": 0, "batch": 2}); !strings.HasPrefix(got, "1200 ERR_RATE_LIMIT ctx.emitMessages:") {
		t.Errorf("other plugin: %s", got)
	}
	// A minute after the first ones, the window has room again; a batch
	// of 5,000 is one call of the 600.
	clock.add(31 * time.Second)
	if got := call(hog, "batch", map[string]any{"from": 2000, "n": 5000}); got != "ok" {
		t.Errorf("a batch of 5000: %s", got)
	}
	if got := call(hog, "messages", map[string]any{"from": 10000, "batch": 1}); !strings.HasPrefix(got, "599 ERR_RATE_LIMIT") {
		t.Errorf("a minute later: %s", got)
	}
	if n := inbox("hog"); n != 600+5000+599 {
		t.Errorf("hog's inbox holds %d messages, want %d", n, 600+5000+599)
	}
	want = "300 ERR_RATE_LIMIT ctx.emitEvent: refused: a plugin may emit 300 events a minute, and this one has; nothing of this call was kept, what was emitted before is; retry in 1m0s, or emit less often (fewer events)"
	if got := call(hog, "events", map[string]any{}); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	evs, err := h.Store.Plugin("hog").Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 300 || string(evs[299].Payload) != `{"i":299}` {
		t.Errorf("hog's events: %d, want the 300 accepted", len(evs))
	}
}

// TestEmitPayloadLimit: an event of 9 MiB is kept (over a store value's
// 1 MiB, within the SDK host's 10 MiB); one of 11 MiB is refused with
// ERR_STORE_VALUE_TOO_LARGE saying the limit.
func TestEmitPayloadLimit(t *testing.T) {
	h, _ := newHost(t)
	h.Timeout = 5 * time.Minute // not about the limit: 9 MiB takes seconds under -race on a busy machine
	p := loadActive(t, h, writePlugin(t, h, "big.ts", strings.Replace(ratePlugin, "ID", "big", 1)))
	defer p.Close()
	ctx := context.Background()
	for _, c := range []struct {
		mib  int
		want string
	}{
		{9, "ok"},
		{11, "ERR_STORE_VALUE_TOO_LARGE store: add event: value too large: 11.0 MiB of JSON; the limit is 10 MiB"},
	} {
		r, err := p.CallTool(ctx, "big", json.RawMessage(fmt.Sprintf(`{"mib":%d}`, c.mib)))
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Text(); got != c.want {
			t.Errorf("%d MiB:\n got %s\nwant %s", c.mib, got, c.want)
		}
	}
	evs, err := h.Store.Plugin("big").Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Errorf("%d events kept, want the 9 MiB one", len(evs))
	}
}
