package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/plugin"
)

// The choices of the approval form (its "decision" field).
const (
	approveOnce   = "Allow once"
	approveAlways = "Always allow"
	approveDeny   = "Deny"
)

// approvalSchema is the form asked before a tool marked approval:
// 'always' runs: one required choice.
var approvalSchema = json.RawMessage(`{"type":"object","properties":{"decision":{"type":"string","title":"Run this tool?","enum":["` +
	approveOnce + `","` + approveAlways + `","` + approveDeny + `"]}},"required":["decision"]}`)

// approver asks the user through the client's form elicitation (elicit)
// before a tool marked approval: 'always' runs: the tool, its plugin and
// its input (masked by the plugin layer, and again here). Declining,
// cancelling or any other answer is Deny.
func (l *Local) approver(elicit func(context.Context, *mcp.ElicitParams) (*mcp.ElicitResult, error)) func(context.Context, plugin.ApprovalRequest) (plugin.Approval, error) {
	return func(ctx context.Context, r plugin.ApprovalRequest) (plugin.Approval, error) {
		name := r.PluginName
		if name == "" {
			name = r.Plugin
		}
		msg := fmt.Sprintf("host asks before tool %q of plugin %q (%s) runs.\nIts arguments: %s", r.Tool, name, r.Plugin, l.masker.Mask(r.Input))
		if r.Description != "" {
			msg += "\nWhat the plugin says it does: " + l.masker.Mask(r.Description)
		}
		var schema any
		_ = json.Unmarshal(approvalSchema, &schema)
		res, err := elicit(ctx, &mcp.ElicitParams{Mode: "form", Message: msg, RequestedSchema: schema})
		if err != nil {
			return "", fmt.Errorf("the client could not ask the user: %w", err)
		}
		if res.Action != "accept" {
			return plugin.Deny, nil
		}
		switch d, _ := res.Content["decision"].(string); d {
		case approveOnce:
			return plugin.AllowOnce, nil
		case approveAlways:
			return plugin.AlwaysAllow, nil
		}
		return plugin.Deny, nil
	}
}
