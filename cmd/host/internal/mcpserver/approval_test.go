package mcpserver

import (
	"encoding/json"
	"testing"

	"host/bindings/plugin"
)

// TestApprovalAnnotations: approval 'suggest' and 'always' make a tool
// that is not read-only destructiveHint (so the client asks), also beside
// sideEffects: true; a read-only tool stays readOnlyHint; a tool that
// declares nothing has no annotations (MCP's defaults).
func TestApprovalAnnotations(t *testing.T) {
	yes := true
	for _, c := range []struct {
		a    plugin.ToolAnnotations
		want string
	}{
		{plugin.ToolAnnotations{}, `null`},
		{plugin.ToolAnnotations{Approval: "suggest"}, `{"destructiveHint":true,"idempotentHint":false,"readOnlyHint":false}`},
		{plugin.ToolAnnotations{Approval: "always", SideEffects: &yes}, `{"destructiveHint":true,"idempotentHint":false,"readOnlyHint":false}`},
		{plugin.ToolAnnotations{Approval: "never"}, `null`},
		{plugin.ToolAnnotations{Approval: "suggest", ReadOnly: &yes}, `{"idempotentHint":false,"readOnlyHint":true}`},
	} {
		b, _ := json.Marshal(annotationsOf(plugin.Tool{Name: "t", Annotations: c.a}))
		if string(b) != c.want {
			t.Errorf("%+v: %s, want %s", c.a, b, c.want)
		}
	}
}
