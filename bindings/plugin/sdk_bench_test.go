package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"testing"
	"time"
)

const benchSDKPlugin = `let batch = 0;
let msgs = [];
export default definePlugin({
  tools: [
    { name: 'prepare', description: '', parameters: z.object({ n: z.number() }), execute: async ({ n }) => {
      batch++;
      msgs = [];
      for (let i = 0; i < n; i++) {
        msgs.push({ source: 'github:issue:o/r#' + i + ':' + batch, channel: 'o/r', content: '[#' + i + '] An issue title (open)\nAuthor: ada',
          sender: { id: 'ada', name: 'Ada' }, metadata: { type: 'github_issue', number: i } });
      }
      return { content: 'ok' };
    } },
    { name: 'emit', description: '', parameters: z.object({}), execute: async (_p, ctx) => {
      await ctx.emitMessages(msgs);
      return { content: 'ok' };
    } },
    { name: 'spin', description: '', parameters: z.object({ n: z.number() }), execute: async ({ n }, ctx) => {
      for (let i = 0; i < n; i++) await ctx.sleep(0);
      return { content: 'ok' };
    } },
  ],
});`

// BenchmarkEmitMessages10k is one ctx.emitMessages of 10,000 new messages
// (built in JS before the timer runs), stored in a real database file,
// with the collector paced as in host's processes (GOGC 400: cmdutil's
// Startup.GC; GOGC in the environment wins). Each iteration makes two
// calls, alternating which goes first: host's (the store writes each part
// while the loop reads the next) and, as the yardstick, the same call
// handing the store all messages once read (emitAfterRead, host before
// it wrote parts). Reports the wall time of host's call (wall-ms/op, the
// mean; median-wall-ms), the yardstick's (after-read-wall-ms, median),
// the median of the pairwise ratio (host/after-read-wall) and the
// process's CPU time per call of host's. The issue asks for <= 200 ms wall
// with margin.
func BenchmarkEmitMessages10k(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	// One host and database file for each way, so that both inboxes grow
	// alike (10,000 messages an iteration).
	h, _ := newHost(b)
	p := loadActive(b, h, writePlugin(b, h, "bench/plugin.ts", benchSDKPlugin))
	defer p.Deactivate(context.Background())
	ah, _ := newHost(b)
	ah.emitAfterRead = true
	ap := loadActive(b, ah, writePlugin(b, ah, "bench/plugin.ts", benchSDKPlugin))
	defer ap.Deactivate(context.Background())
	in := json.RawMessage(`{"n":10000}`)
	call := func(p *Plugin, timed bool) (wall, cpu time.Duration) {
		b.StopTimer()
		if r, err := p.CallTool(context.Background(), "prepare", in); err != nil || r.Text() != "ok" {
			b.Fatal(r, err)
		}
		if timed {
			b.StartTimer()
			defer b.StopTimer()
		}
		c0, t0 := processCPU(), time.Now()
		if r, err := p.CallTool(context.Background(), "emit", nil); err != nil || r.Text() != "ok" {
			b.Fatal(r, err)
		}
		return time.Since(t0), processCPU() - c0
	}
	var cpu, sum, acpu time.Duration // of host's calls; the yardstick's CPU
	var walls, after []time.Duration
	var ratios []float64
	b.ResetTimer()
	for i := range b.N {
		var w, a, c, ac time.Duration
		if i%2 == 0 {
			w, c = call(p, true)
			a, ac = call(ap, false)
		} else {
			a, ac = call(ap, false)
			w, c = call(p, true)
		}
		sum, cpu, acpu = sum+w, cpu+c, acpu+ac
		walls, after = append(walls, w), append(after, a)
		ratios = append(ratios, float64(w)/float64(a))
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2].Microseconds()) / 1000
	}
	slices.Sort(ratios)
	b.ReportMetric(float64(sum.Microseconds())/1000/float64(b.N), "wall-ms/op")
	b.ReportMetric(median(walls), "median-wall-ms")
	b.ReportMetric(median(after), "after-read-wall-ms")
	b.ReportMetric(ratios[len(ratios)/2], "host/after-read-wall")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(acpu.Microseconds())/1000/float64(b.N), "after-read-cpu-ms")
	for _, x := range []*Plugin{p, ap} {
		if msgs, _ := x.host.Store.Plugin(x.ID).Messages(context.Background(), 0, 0); len(msgs) < 10000*b.N {
			b.Fatalf("inbox has %d messages", len(msgs))
		}
	}
}

// BenchmarkSleep0 is one iteration of a loop of `await ctx.sleep(0)` (each
// sleep yields to the runtime's event loop). The issue asks for >= 50,000
// per second, i.e. <= 20 µs each.
func BenchmarkSleep0(b *testing.B) {
	h, _ := newHost(b)
	p := loadActive(b, h, writePlugin(b, h, "bench/plugin.ts", benchSDKPlugin))
	defer p.Deactivate(context.Background())
	b.ResetTimer()
	c0 := processCPU()
	if r, err := p.CallTool(context.Background(), "spin", json.RawMessage(fmt.Sprintf(`{"n":%d}`, b.N))); err != nil || r.Text() != "ok" {
		b.Fatal(r, err)
	}
	cpu := processCPU() - c0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sleeps/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "sleeps/cpu-s")
	}
}
