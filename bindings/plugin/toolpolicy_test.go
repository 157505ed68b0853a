package plugin

import (
	"context"
	"errors"
	"strings"
	"testing"

	"host/bindings/mask"
	"host/jsrt"
)

func codeOf(err error) string {
	var c jsrt.Coder
	if errors.As(err, &c) {
		return c.Code()
	}
	return ""
}

const approvalPlugin = `export default definePlugin({
  id: 'gate',
  tools: [
    { name: 'wipe', description: 'wipes', parameters: z.object({ token: z.string() }),
      annotations: { sideEffects: true, approval: 'always' }, execute: async () => ({ content: 'wiped' }) },
    { name: 'read', description: 'reads', parameters: z.object({}), execute: async () => ({ content: 'read' }) },
  ],
})`

// TestToolPolicyGate: a disabled tool is left out of ListedTools and its
// call refused with ERR_TOOL_DISABLED saying how to enable it; a tool
// marked approval: 'always' asks through CallOptions.Approve (its input
// masked), runs on Allow once, is refused on Deny, refused with
// ERR_APPROVAL_REQUIRED where nobody can be asked, and after Always allow
// runs without asking (recorded in tools.json).
func TestToolPolicyGate(t *testing.T) {
	h, _ := newHost(t)
	h.Masker = mask.New()
	p := loadActive(t, h, writePlugin(t, h, "gate.ts", approvalPlugin))
	defer p.Close()
	ctx := context.Background()
	if err := SetToolMark(h.DataDir, "gate", "read", MarkDisabled); err != nil {
		t.Fatal(err)
	}
	listed, err := p.ListedTools()
	if err != nil || len(listed) != 1 || listed[0].Name != "wipe" {
		t.Fatalf("ListedTools with read disabled: %v, %v", listed, err)
	}
	_, err = p.CallTool(ctx, "read", nil)
	if c := codeOf(err); c != "ERR_TOOL_DISABLED" || err.Error() != "tool read of plugin gate is disabled by the user; it runs again once the user enables it" {
		t.Fatalf("disabled call: %v", err)
	}
	if err := SetToolMark(h.DataDir, "gate", "read", MarkEnabled); err != nil {
		t.Fatal(err)
	}
	if r, err := p.CallTool(ctx, "read", nil); err != nil || r.Text() != "read" {
		t.Fatalf("enabled again: %v %v", r, err)
	}

	in := []byte(`{"token":"fake-secret-value-123"}`)
	h.Masker.Add("fake-secret-value-123")
	var asked []ApprovalRequest
	answer := func(a Approval) CallOptions {
		return CallOptions{Approve: func(_ context.Context, r ApprovalRequest) (Approval, error) {
			asked = append(asked, r)
			return a, nil
		}}
	}
	if r, err := p.CallToolWith(ctx, "wipe", in, answer(AllowOnce)); err != nil || r.Text() != "wiped" {
		t.Fatalf("allow once: %v %v", r, err)
	}
	if len(asked) != 1 || asked[0].Tool != "wipe" || asked[0].Plugin != "gate" || strings.Contains(asked[0].Input, "fake-secret") {
		t.Fatalf("asked %+v", asked)
	}
	_, err = p.CallToolWith(ctx, "wipe", in, answer(Deny))
	if c := codeOf(err); c != "ERR_APPROVAL_DENIED" || err.Error() != "tool wipe of plugin gate did not run: the user denied it" {
		t.Fatalf("deny: %v", err)
	}
	_, err = p.CallTool(ctx, "wipe", in)
	var ae *ApprovalError
	if !errors.As(err, &ae) || ae.Denied || !strings.Contains(err.Error(), "it did not run") || strings.Contains(err.Error(), "host ") {
		t.Fatalf("nobody to ask: %v", err)
	}
	if c := codeOf(err); c != "ERR_APPROVAL_REQUIRED" {
		t.Fatalf("nobody to ask: code %q", c)
	}
	if _, err := p.CallToolWith(ctx, "wipe", in, answer(AlwaysAllow)); err != nil {
		t.Fatal(err)
	}
	pol, err := p.ToolPolicy()
	if err != nil || !pol.IsAlwaysAllowed("wipe") {
		t.Fatalf("policy after always allow: %+v %v", pol, err)
	}
	n := len(asked)
	if r, err := p.CallTool(ctx, "wipe", in); err != nil || r.Text() != "wiped" || len(asked) != n {
		t.Fatalf("always allowed: %v %v (asked %d times)", r, err, len(asked)-n)
	}
}
