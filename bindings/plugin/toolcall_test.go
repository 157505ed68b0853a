package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"host/internal/hosttest"
)

const callPlugin = `export default definePlugin({
  id: 'calls',
  tools: {
    wait: { description: 'waits until cancelled', run: (input, ctx) => new Promise((resolve, reject) => {
      ctx.signal.addEventListener('abort', () => { ctx.log.info('aborted: ' + ctx.signal.reason.message); reject(ctx.signal.reason) });
      ctx.log.info('waiting for the signal');
    }) },
    count: { description: 'reports progress', run: async (input, { progress }) => {
      for (let i = 1; i <= 3; i++) progress({ progress: i, total: 3, message: 'step ' + i });
      return 'counted';
    } },
    ask: { description: 'asks the user', input: z.object({}), run: async (input, ctx) => {
      const a = await ctx.elicit({ message: 'Your name?', schema: z.object({ name: z.string() }) });
      return a.action + ':' + (a.content ? a.content.name : '');
    } },
    askSecret: { description: 'asks for a secret', run: async (input, ctx) => {
      try { await ctx.elicit({ message: 'token?', schema: z.object({ token: z.string().secret() }) }); return 'asked' } catch (e) { return e.message }
    } },
  },
})
`

func TestCallToolWithCancelAbortsSignal(t *testing.T) {
	h, logs := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "calls.ts", callPlugin))
	defer p.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := p.CallToolWith(ctx, "wait", nil, CallOptions{})
		done <- err
	}()
	hosttest.WaitFor(t, time.Minute, "the tool to run", func() bool { return strings.Contains(logs.String(), "waiting for the signal") },
		logs.String)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled call did not return")
	}
	hosttest.WaitFor(t, time.Minute, "the tool's signal to be aborted", func() bool {
		return strings.Contains(logs.String(), "aborted: the call was cancelled")
	}, logs.String)
}

func TestCallToolWithProgressAndElicit(t *testing.T) {
	h, _ := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "calls.ts", callPlugin))
	defer p.Close()
	ctx := context.Background()
	var got []Progress
	out, err := p.CallToolWith(ctx, "count", nil, CallOptions{Progress: func(pr Progress) { got = append(got, pr) }})
	if err != nil || string(out.Content) != `"counted"` {
		t.Fatalf("count = %+v, %v", out, err)
	}
	if len(got) != 3 || got[2] != (Progress{Progress: 3, Total: 3, Message: "step 3"}) {
		t.Fatalf("progress = %+v", got)
	}
	var asked Question
	out, err = p.CallToolWith(ctx, "ask", json.RawMessage(`{}`), CallOptions{Elicit: func(_ context.Context, q Question) (Answer, error) {
		asked = q
		return Answer{Action: "accept", Content: map[string]any{"name": "Ada"}}, nil
	}})
	if err != nil || string(out.Content) != `"accept:Ada"` {
		t.Fatalf("ask = %+v, %v", out, err)
	}
	if asked.Message != "Your name?" || asked.Plugin != "calls" || string(asked.Schema) != `{"properties":{"name":{"type":"string"}},"required":["name"],"type":"object"}` {
		t.Fatalf("question = %+v", asked)
	}
	// Without a way to ask, ctx.elicit rejects and says why.
	_, err = p.CallToolWith(ctx, "ask", nil, CallOptions{})
	if err == nil || !strings.Contains(err.Error(), "does not support elicitation") {
		t.Fatalf("ask without Elicit: %v", err)
	}
	out, err = p.CallToolWith(ctx, "askSecret", nil, CallOptions{Elicit: func(context.Context, Question) (Answer, error) {
		t.Error("a secret question reached the client")
		return Answer{}, nil
	}})
	if err != nil || !strings.Contains(string(out.Content), "secrets are never asked through the client") {
		t.Fatalf("askSecret = %v, %v", out, err)
	}
}
