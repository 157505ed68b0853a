package plugin

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

const deepPlugin = `const deep = () => { let v = 1; for (let i = 0; i < 100000; i++) v = [v]; return v };
const message = async (f) => { try { await f(); return 'accepted' } catch (e) { return e.name + ': ' + e.message } };
export default definePlugin({
  id: 'deep',
  tools: {
    result: { description: 'returns a deep value', run: async () => deep() },
    sample: { description: 'samples with a deep argument', run: (input, ctx) => message(() => ctx.sample({ prompt: 'hi', extra: deep() })) },
    elicit: { description: 'asks with a deep JSON schema', run: (input, ctx) => message(() => ctx.elicit({ message: 'hi', schema: { type: 'object', properties: { a: deep() } } })) },
  },
})
`

// TestDeepValuesRefusedAtOnce: a 100000-deep value a plugin hands host as
// JSON (a tool's result, ctx.sample's and ctx.elicit's arguments) is
// refused at once; goja's JSON.stringify would hold the loop for about a
// minute, past the call's context.
func TestDeepValuesRefusedAtOnce(t *testing.T) {
	h, _ := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "deep.ts", deepPlugin))
	defer p.Close()
	call := func(tool string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := p.CallToolWith(ctx, tool, nil, CallOptions{})
		if err != nil {
			return "", err
		}
		return string(out.Content), nil
	}
	const want = "a value nested more than 1000 levels deep (arrays and objects); send flatter data"
	_, err := call("result")
	var te *ToolError
	if !errors.As(err, &te) || err.Error() != "tool result failed: it returned "+want {
		t.Errorf("result: %v", err)
	}
	for tool, prefix := range map[string]string{"sample": "ctx.sample: ", "elicit": "ctx.elicit: schema is not JSON: "} {
		got, err := call(tool)
		if err != nil || got != `"TypeError: `+prefix+want+`"` {
			t.Errorf("%s = %s, %v", tool, got, err)
		}
	}
}

const sharedPlugin = `const shared = () => { let v = { x: 1 }; for (let i = 0; i < 60; i++) v = { a: v, b: v }; return v };
const message = async (f) => { try { await f(); return 'accepted' } catch (e) { return e.name + ': ' + e.message } };
const msg = (metadata) => ({ source: 's:1', channel: 'c', content: 'hi', metadata });
export default definePlugin({
  id: 'shared',
  tools: {
    result: { description: 'returns a shared value', run: async () => shared() },
    sample: { description: '', run: (input, ctx) => message(() => ctx.sample({ prompt: 'hi', extra: shared() })) },
    elicit: { description: '', run: (input, ctx) => message(() => ctx.elicit({ message: 'hi', schema: { type: 'object', properties: { a: shared() } } })) },
    event: { description: '', run: (input, ctx) => message(() => ctx.emitEvent('e', { v: shared() })) },
    metadata: { description: '', run: (input, ctx) => message(() => ctx.emitMessage(msg({ v: shared() }))) },
    store: { description: '', run: (input, ctx) => message(() => ctx.store.set('k', shared())) },
    log: { description: '', run: (input, ctx) => { ctx.logger.info('shared', { v: shared() }); console.log(shared()); return 'logged' } },
    throws: { description: '', run: () => { throw shared() } },
  },
})
`

// TestSharedValuesRefusedAtOnce: a value that repeats a shared object
// sixty times (2^60 members when walked) is refused as too large on every
// path where host turns a plugin's value into JSON, before it is walked.
// The deadline is far past what a refusal needs: the test waits on the
// refusal, it does not time it.
func TestSharedValuesRefusedAtOnce(t *testing.T) {
	h, l := newHost(t)
	p := loadActive(t, h, writePlugin(t, h, "shared.ts", sharedPlugin))
	defer p.Close()
	call := func(tool string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := p.CallToolWith(ctx, tool, nil, CallOptions{})
		if err != nil {
			return "", err
		}
		return string(out.Content), nil
	}
	const tooLarge = "a value too large: more than 2000000 members or 64 MiB as JSON"
	_, err := call("result")
	var te *ToolError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "tool result failed: it returned "+tooLarge) {
		t.Errorf("result: %v", err)
	}
	for tool, prefix := range map[string]string{
		"sample":   "ctx.sample: ",
		"elicit":   "ctx.elicit: schema is not JSON: ",
		"event":    `ctx.emitEvent(\"e\", payload): `,
		"metadata": "ctx.emitMessage: msg.metadata: ",
		"store":    `ctx.store.set(\"k\"): `,
	} {
		got, err := call(tool)
		if err != nil || !strings.HasPrefix(got, `"TypeError: `+prefix+tooLarge) {
			t.Errorf("%s = %s, %v", tool, got, err)
		}
	}
	if got, err := call("log"); err != nil || got != `"logged"` {
		t.Errorf("log = %s, %v\n%s", got, err, l)
	}
	if _, err := call("throws"); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("throws: %v", err)
	}
}

// TestSharedConfigDefaultRefused: a configSchema default that repeats a
// shared object is refused at load with its position (host copies and
// shows defaults; a walk of it would never end).
func TestSharedConfigDefaultRefused(t *testing.T) {
	h, _ := newHost(t)
	src := `const shared = () => { let v = { x: 1 }; for (let i = 0; i < 60; i++) v = { a: v, b: v }; return v };
export default definePlugin({ id: 'sc', configSchema: z.object({ y: z.record(z.string(), z.any()).default(shared()) }) })`
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err := Load(ctx, h, writePlugin(t, h, "sc.ts", src))
	if err == nil || !strings.Contains(err.Error(), "sc.ts:2:") || !strings.Contains(err.Error(), ".default(value): a value too large") {
		t.Fatalf("Load: %v", err)
	}
}
