package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"host/internal/hosttest"
	"host/jsrt"
	"host/schema"
)

const toolsPlugin = `export default definePlugin({
  tools: {
    add: {
      description: 'Adds two numbers',
      input: z.object({ a: z.number(), b: z.number().default(1), items: z.array(z.object({ name: z.string() })).optional() }),
      run: async (input, ctx) => ({ sum: input.a + input.b, plugin: ctx.id }),
    },
    echo: { description: 'Echoes', run: (input) => input },
    nothing: { description: 'Returns undefined', run: () => {} },
    fails: {
      description: 'Throws',
      run: async () => {
        await Promise.resolve();
        throw new Error('tool broke');
      },
    },
    hang: { description: 'Never settles', run: () => new Promise(() => {}) },
  },
});`

func activeTools(t testing.TB) *Plugin {
	t.Helper()
	h, _ := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "tools/plugin.ts", toolsPlugin))
	t.Cleanup(func() { _ = p.Deactivate(context.Background()) })
	return p
}

func TestTools(t *testing.T) {
	p := activeTools(t)
	var names []string
	for _, tl := range p.Tools() {
		names = append(names, tl.Name+":"+tl.Description)
	}
	if got := strings.Join(names, ","); got != "add:Adds two numbers,echo:Echoes,fails:Throws,hang:Never settles,nothing:Returns undefined" {
		t.Errorf("tools = %s", got)
	}
	js, err := p.Tools()[0].InputSchema()
	if err != nil || !strings.Contains(string(js), `"a":{"type":"number"}`) {
		t.Errorf("add input schema = %s, %v", js, err)
	}
	ctx := context.Background()
	tests := []struct {
		tool, in, want, wantErr string
	}{
		{"add", `{"a": 2}`, `{"sum":3,"plugin":"tools"}`, ""},
		{"add", `{"a": 2, "b": 5, "extra": true}`, `{"sum":7,"plugin":"tools"}`, ""},
		{"echo", `{"x":[1,"two",null]}`, `{"x":[1,"two",null]}`, ""},
		{"echo", ``, `{}`, ""},
		{"nothing", `{}`, `null`, ""},
		{"add", `{"a": "2"}`, "", "a: Expected number, received string"},
		{"add", `{"a": 1, "items": [{"name": "x"}, {"name": 3}]}`, "", "items[1].name: Expected string, received number"},
		{"add", `{"a":`, "", "the input is not valid JSON"},
		{"fails", `{}`, "", "tool fails failed: tools/plugin.ts:14:15: tool broke"},
		{"missing", `{}`, "", `plugin tools has no tool "missing"; its tools: add, echo, fails, hang, nothing`},
	}
	for _, tt := range tests {
		out, err := p.CallTool(ctx, tt.tool, json.RawMessage(tt.in))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s(%s): err %v, want %q", tt.tool, tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || string(out.Content) != tt.want {
			t.Errorf("%s(%s) = %v, %v; want %s", tt.tool, tt.in, out, err, tt.want)
		}
	}
	_, err = p.CallTool(ctx, "add", json.RawMessage(`{"a":"x"}`))
	var ve *schema.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("validation error type %T", err)
	}
	_, err = p.CallTool(ctx, "fails", nil)
	var te *ToolError
	je, _ := jsrt.AsJSError(err)
	if !errors.As(err, &te) || je == nil || je.Position() != "tools/plugin.ts:14:15" {
		t.Errorf("tool error = %v", err)
	}
}

// TestToolsConcurrent calls tools from many goroutines at once, each with
// its own timeout: the hanging calls time out, the others all succeed.
func TestToolsConcurrent(t *testing.T) {
	p := activeTools(t)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%50 == 0 {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
				defer cancel()
				if _, err := p.CallTool(ctx, "hang", nil); !errors.Is(err, context.DeadlineExceeded) {
					errs <- fmt.Errorf("hang: %v, want deadline exceeded", err)
				}
				return
			}
			out, err := p.CallTool(context.Background(), "add", json.RawMessage(fmt.Sprintf(`{"a":%d,"b":0}`, i)))
			if err != nil || string(out.Content) != fmt.Sprintf(`{"sum":%d,"plugin":"tools"}`, i) {
				errs <- fmt.Errorf("add %d: %v %v", i, out, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkCallTool(b *testing.B) {
	p := activeTools(b)
	ctx := context.Background()
	in := json.RawMessage(`{"a":1}`)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.CallTool(ctx, "echo", in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}

func TestLoopNoOverlapBackoffAndStop(t *testing.T) {
	h, l := newHost(t)
	h.LoopMinBackoff = 2 * time.Millisecond
	var mu sync.Mutex
	var waits []string
	h.onLoopWait = func(next time.Duration, err error) {
		mu.Lock()
		waits = append(waits, fmt.Sprintf("%v:%v", next, err != nil))
		mu.Unlock()
	}
	path := writePlugin(t, h, "looper/plugin.ts", `let running = 0, runs = 0, overlaps = 0;
export default definePlugin({
  loop: {
    every: 10,
    run: async (ctx) => {
      if (running++) overlaps++;
      runs++;
      try {
        if (runs <= 4) throw new Error('flaky ' + runs);
        // A slow run, longer than the interval: the next must not start.
        await new Promise((resolve) => {
          const t = setTimeout(resolve, 25);
          ctx.signal.addEventListener('abort', () => { clearTimeout(t); console.log('run aborted after', runs, 'runs, overlaps', overlaps); resolve(undefined); });
        });
        if (runs === 6) console.log('slow runs done');
      } finally {
        running--;
      }
    },
  },
});`)
	ctx := context.Background()
	p := loadActive(t, h, path)
	p.StartLoop()
	// Wait (bounded, not timed) until the loop has recovered and done two
	// slow runs.
	hosttest.WaitFor(t, time.Minute, "two slow runs after the recovery", func() bool {
		return strings.Contains(l.String(), "slow runs done")
	}, l.String)
	if err := p.Deactivate(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got := strings.Join(waits, " ")
	mu.Unlock()
	// Restarts after 2ms, 4ms, 8ms, then capped at the 10ms interval;
	// after that the runs succeed (and the loop sleeps its interval).
	if got != "2ms:true 4ms:true 8ms:true 10ms:true" {
		t.Errorf("waits = %s", got)
	}
	logs := l.String()
	if !strings.Contains(logs, "looper error loop failed: looper/plugin.ts:9:30: flaky 1 (restarting in 2ms)") {
		t.Errorf("failure log missing position or backoff:\n%s", logs)
	}
	if !strings.Contains(logs, "overlaps 0") {
		t.Errorf("runs overlapped or the last run was not aborted:\n%s", logs)
	}
}

func TestRunLoopOnce(t *testing.T) {
	h, l := newHost(t)
	path := writePlugin(t, h, "once/plugin.ts", `export default definePlugin({
  loop: { every: '1h', run: async (ctx) => { await ctx.store.set('ran', true); console.log('ran once'); } },
});`)
	ctx := context.Background()
	p := loadActive(t, h, path)
	defer p.Close()
	if err := p.RunLoopOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if every, ok := p.HasLoop(); !ok || every != time.Hour {
		t.Errorf("HasLoop = %v, %v", every, ok)
	}
	if err := p.Deactivate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := l.String(); got != "once info ran once" {
		t.Errorf("log = %q", got)
	}
}

const sdkToolsPlugin = `export default definePlugin({
  tools: [
    {
      name: 'hello',
      description: 'Says hello',
      parameters: z.object({ name: z.string() }),
      annotations: { readOnly: true, approval: 'never' },
      execute: async (params, ctx) => ({ content: 'Hello, ' + params.name + '!' }),
    },
    {
      name: 'report',
      description: 'A structured result with an artifact',
      parameters: z.object({}),
      annotations: { sideEffects: true, approval: 'always' },
      execute: async () => ({ content: { rows: 2 }, artifacts: [{ name: 'a.txt', mimeType: 'text/plain', content: btoa('hi') }] }),
    },
    { name: 'refuse', description: 'An error result', parameters: z.object({}), execute: async () => ({ content: 'not allowed', isError: true }) },
    { name: 'plain', description: 'Not a ToolResult', parameters: z.object({}), execute: async () => [1, 2] },
    { name: 'broken', description: 'A bad ToolResult', parameters: z.object({}), execute: async () => ({ content: 'x', isError: 'yes' }) },
  ],
});`

func TestSDKTools(t *testing.T) {
	h, _ := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "sdk/plugin.ts", sdkToolsPlugin))
	defer p.Deactivate(context.Background())
	ctx := context.Background()
	tools := p.Tools()
	if len(tools) != 5 || tools[1].Name != "hello" {
		t.Fatalf("tools = %+v", tools)
	}
	if ro, ok := tools[1].Annotations.IsReadOnly(); !ro || !ok || tools[1].Annotations.Approval != "never" {
		t.Errorf("hello annotations = %+v", tools[1].Annotations)
	}
	if ro, ok := tools[4].Annotations.IsReadOnly(); ro || !ok || tools[4].Annotations.Approval != "always" {
		t.Errorf("report annotations = %+v", tools[4].Annotations)
	}
	r, err := p.CallTool(ctx, "hello", json.RawMessage(`{"name":"Ada"}`))
	if err != nil || r.Text() != "Hello, Ada!" || r.IsError {
		t.Errorf("hello = %+v, %v", r, err)
	}
	// report is marked approval: 'always': the user allows it once.
	allow := CallOptions{Approve: func(context.Context, ApprovalRequest) (Approval, error) { return AllowOnce, nil }}
	r, err = p.CallToolWith(ctx, "report", nil, allow)
	if err != nil || string(r.Content) != `{"rows":2}` || len(r.Artifacts) != 1 || r.Artifacts[0] != (Artifact{Name: "a.txt", MimeType: "text/plain", Content: "aGk="}) {
		t.Errorf("report = %+v, %v", r, err)
	}
	r, err = p.CallTool(ctx, "refuse", nil)
	if err != nil || !r.IsError || r.Text() != "not allowed" {
		t.Errorf("refuse = %+v, %v", r, err)
	}
	r, err = p.CallTool(ctx, "plain", nil)
	if err != nil || string(r.Content) != `[1,2]` {
		t.Errorf("plain = %+v, %v", r, err)
	}
	_, err = p.CallTool(ctx, "broken", nil)
	var re *ToolResultError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "isError must be true or false") {
		t.Errorf("broken = %v", err)
	}
}

func TestSDKToolDefinitionErrors(t *testing.T) {
	h, _ := newHost(t)
	for _, tt := range []struct{ src, want string }{
		{`tools: [{ name: 'a', description: '', parameters: z.object({}), execute: async () => ({ content: '' }) }, { name: 'a', description: '', parameters: z.object({}), execute: async () => ({ content: '' }) }]`,
			`tools[1]: the tool name "a" is already used by tools[0]; tool names must be unique within a plugin`},
		{`tools: [{ name: 'a b', description: '', parameters: z.object({}), execute: async () => ({ content: '' }) }]`, `the tool name "a b" must be`},
		{`tools: [{ name: 'a', description: '', parameters: z.object({}), run: async () => 1 }]`, `tools[0] has an unknown key "run"`},
		{`tools: [{ name: 'a', description: '', parameters: z.object({}), annotations: { approval: 'maybe' }, execute: async () => 1 }]`, `tools[0].annotations.approval must be 'always', 'suggest' or 'never'`},
		{`tools: [{ description: 'x', execute: async () => 1 }]`, `tools[0].name must be a string, got undefined`},
	} {
		path := writePlugin(t, h, "bad/plugin.ts", "export default definePlugin({ "+tt.src+" });")
		_, err := Load(context.Background(), h, path)
		var de *DefinitionError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\n got %v\nwant %s", tt.src, err, tt.want)
		}
	}
}
