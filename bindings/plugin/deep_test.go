package plugin

import (
	"context"
	"errors"
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
