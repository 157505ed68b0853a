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

// ApprovalMeta is the _meta key of an approval's form elicitation: the
// question as data (a plugin.ApprovalRequest), for a client that relays
// it and asks the user its own way (the serve's supervisor, which asks
// through `host call`'s terminal). An answer's _meta under ApprovalMeta
// holds {"unavailable": reason} when nobody could be asked.
const ApprovalMeta = "host/approval"

// ApprovalOf is the approval question a form elicitation carries (see
// ApprovalMeta), ok false for any other elicitation.
func ApprovalOf(p *mcp.ElicitParams) (r plugin.ApprovalRequest, ok bool) {
	if p == nil || p.Meta == nil {
		return r, false
	}
	v, found := p.Meta[ApprovalMeta]
	if !found {
		return r, false
	}
	b, err := json.Marshal(v)
	if err != nil || json.Unmarshal(b, &r) != nil || r.Plugin == "" || r.Tool == "" {
		return plugin.ApprovalRequest{}, false
	}
	return r, true
}

// ApprovalReply is the answer to an approval elicitation: a's choice, or,
// when nobody could be asked (unavailable, a reason), a cancel that says
// so (the tool is then refused with that reason, never as denied).
func ApprovalReply(a plugin.Approval, unavailable string) *mcp.ElicitResult {
	if unavailable != "" {
		return &mcp.ElicitResult{Action: "cancel", Meta: mcp.Meta{ApprovalMeta: map[string]any{"unavailable": unavailable}}}
	}
	d := approveDeny
	switch a {
	case plugin.AllowOnce:
		d = approveOnce
	case plugin.AlwaysAllow:
		d = approveAlways
	}
	return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"decision": d}}
}

// approver asks the user through the client's form elicitation (elicit)
// before a tool marked approval: 'always' runs: the tool, its plugin and
// its input (masked by the plugin layer, and again here). Declining,
// cancelling or any other answer is Deny; an answer saying nobody could
// be asked (ApprovalReply) refuses the tool with its reason.
func (l *Local) approver(elicit func(context.Context, *mcp.ElicitParams) (*mcp.ElicitResult, error)) func(context.Context, plugin.ApprovalRequest) (plugin.Approval, error) {
	return func(ctx context.Context, r plugin.ApprovalRequest) (plugin.Approval, error) {
		name := r.PluginName
		if name == "" {
			name = r.Plugin
		}
		r.Input = l.masker.Mask(r.Input)
		r.Description = l.masker.Mask(r.Description)
		msg := fmt.Sprintf("host asks before tool %q of plugin %q (%s) runs.\nIts arguments: %s", r.Tool, name, r.Plugin, r.Input)
		if r.Description != "" {
			msg += "\nWhat the plugin says it does: " + r.Description
		}
		var schema any
		_ = json.Unmarshal(approvalSchema, &schema)
		res, err := elicit(ctx, &mcp.ElicitParams{Mode: "form", Message: msg, RequestedSchema: schema, Meta: mcp.Meta{ApprovalMeta: r}})
		if err != nil {
			return "", fmt.Errorf("the client could not ask the user: %w", err)
		}
		if m, ok := res.Meta[ApprovalMeta].(map[string]any); ok {
			if why, _ := m["unavailable"].(string); why != "" {
				return "", &plugin.ApprovalError{Plugin: r.Plugin, Tool: r.Tool, Reason: why}
			}
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
