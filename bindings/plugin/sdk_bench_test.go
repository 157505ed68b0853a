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
// Startup.GC; GOGC in the environment wins). Reports the wall time of a
// call (wall-ms/op: the mean, as ns/op; median-wall-ms) and the process's
// CPU time (user + system) per call. The issue asks for <= 200 ms wall
// with margin.
func BenchmarkEmitMessages10k(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	h, _ := newHost(b)
	p := loadActive(b, h, writePlugin(b, h, "bench/plugin.ts", benchSDKPlugin))
	defer p.Deactivate(context.Background())
	in := json.RawMessage(`{"n":10000}`)
	var cpu time.Duration
	var walls []time.Duration
	for range b.N {
		b.StopTimer()
		if r, err := p.CallTool(context.Background(), "prepare", in); err != nil || r.Text() != "ok" {
			b.Fatal(r, err)
		}
		b.StartTimer()
		c0, t0 := processCPU(), time.Now()
		if r, err := p.CallTool(context.Background(), "emit", nil); err != nil || r.Text() != "ok" {
			b.Fatal(r, err)
		}
		walls = append(walls, time.Since(t0))
		cpu += processCPU() - c0
	}
	b.StopTimer()
	var sum time.Duration
	for _, w := range walls {
		sum += w
	}
	slices.Sort(walls)
	b.ReportMetric(float64(sum.Microseconds())/1000/float64(b.N), "wall-ms/op")
	b.ReportMetric(float64(walls[len(walls)/2].Microseconds())/1000, "median-wall-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	msgs, _ := h.Store.Plugin(p.ID).Messages(context.Background(), 0, 0)
	if len(msgs) < 10000 {
		b.Fatalf("inbox has %d messages", len(msgs))
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
