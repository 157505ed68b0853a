package plugin

import (
	"context"
	"strings"
	"testing"
	"time"

	"host/internal/hosttest"
)

// TestSDKLoopRestarts: a loop that throws is logged with its position and
// started again after the backoff; once it reaches ctx.sleep it runs on.
func TestSDKLoopRestarts(t *testing.T) {
	h, l := newHost(t)
	h.LoopMinBackoff = time.Millisecond
	p := loadActive(t, h, writePlugin(t, h, "flaky/plugin.ts", `let starts = 0;
export default definePlugin({
  loop: async (ctx) => {
    starts++;
    if (starts < 3) throw new Error('boom ' + starts);
    console.log('running after', starts, 'starts');
    while (!ctx.signal.aborted) await ctx.sleep(60000);
  },
});`))
	p.StartLoop()
	hosttest.WaitFor(t, time.Minute, "the loop's third start", func() bool {
		return strings.Contains(l.String(), "running after 3 starts")
	}, l.String)
	if err := p.Deactivate(context.Background()); err != nil {
		t.Fatal(err)
	}
	logs := l.String()
	for _, want := range []string{
		"flaky error loop failed: flaky/plugin.ts:5:27: boom 1 (restarting in 1ms)",
		"flaky error loop failed: flaky/plugin.ts:5:27: boom 2 (restarting in 2ms)",
		"flaky info running after 3 starts",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}
