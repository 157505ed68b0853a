package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"host/jsrt"
)

// ToolPolicy is the user's choice per tool of one plugin, kept beside its
// config in <data dir>/plugins/<id>/tools.json (never secrets): a
// disabled tool is neither listed (ListedTools) nor callable; an
// always-allowed tool marked approval: 'always' runs without asking.
type ToolPolicy struct {
	Disabled    []string `json:"disabled,omitempty"`
	AlwaysAllow []string `json:"alwaysAllow,omitempty"`
}

// The marks SetToolMark takes.
const (
	MarkDisabled    = "disabled"
	MarkEnabled     = "enabled" // clears disabled
	MarkAlwaysAllow = "always-allow"
	MarkAsk         = "ask" // clears always-allow
)

// IsDisabled reports whether tool is disabled.
func (p ToolPolicy) IsDisabled(tool string) bool { return slices.Contains(p.Disabled, tool) }

// IsAlwaysAllowed reports whether tool runs without asking.
func (p ToolPolicy) IsAlwaysAllowed(tool string) bool { return slices.Contains(p.AlwaysAllow, tool) }

func toolPolicyPath(dataDir, id string) string {
	return filepath.Join(filepath.Dir(configPath(dataDir, id)), "tools.json")
}

// ReadToolPolicy reads plugin id's tool policy; none saved is the empty
// policy.
func ReadToolPolicy(dataDir, id string) (ToolPolicy, error) {
	var pol ToolPolicy
	path := toolPolicyPath(dataDir, id)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return pol, nil
	}
	if err != nil {
		return pol, fmt.Errorf("reading the tool policy of plugin %s: %w", id, err)
	}
	if err := json.Unmarshal(data, &pol); err != nil {
		return pol, jsrt.WithHint(fmt.Errorf("the tool policy %s is not valid JSON: %v", path, err),
			"fix or delete the file (deleting enables every tool and asks again before tools marked approval: 'always')")
	}
	return pol, nil
}

// SetToolMark records mark (MarkDisabled, MarkEnabled, MarkAlwaysAllow,
// MarkAsk) for tool in plugin id's policy, written atomically.
func SetToolMark(dataDir, id, tool, mark string) error {
	pol, err := ReadToolPolicy(dataDir, id)
	if err != nil {
		return err
	}
	set := func(list []string, on bool) []string {
		list = slices.DeleteFunc(list, func(s string) bool { return s == tool })
		if on {
			list = append(list, tool)
			sort.Strings(list)
		}
		return list
	}
	switch mark {
	case MarkDisabled, MarkEnabled:
		pol.Disabled = set(pol.Disabled, mark == MarkDisabled)
	case MarkAlwaysAllow, MarkAsk:
		pol.AlwaysAllow = set(pol.AlwaysAllow, mark == MarkAlwaysAllow)
	default:
		return fmt.Errorf("unknown tool mark %q", mark)
	}
	if err := writeJSONAtomic(toolPolicyPath(dataDir, id), pol); err != nil {
		return fmt.Errorf("saving the tool policy of plugin %s: %w", id, err)
	}
	return nil
}

// ToolPolicy is the plugin's tool policy as saved now.
func (p *Plugin) ToolPolicy() (ToolPolicy, error) { return ReadToolPolicy(p.host.DataDir, p.ID) }

// ListedTools are the tools to offer callers: Tools without those the
// user disabled. An unreadable policy lists none (and says why).
func (p *Plugin) ListedTools() ([]Tool, error) {
	pol, err := p.ToolPolicy()
	if err != nil {
		return nil, err
	}
	out := make([]Tool, 0, len(p.tools))
	for _, t := range p.tools {
		if !pol.IsDisabled(t.Name) {
			out = append(out, t)
		}
	}
	return out, nil
}

// ToolDisabledError is a call of a tool the user disabled: Code
// ERR_TOOL_DISABLED. It is also a typed hint: the CLI and the MCP server
// say which command enables the tool again.
type ToolDisabledError struct{ Plugin, Tool string }

func (e *ToolDisabledError) Error() string {
	return fmt.Sprintf("tool %s of plugin %s is disabled by the user; it runs again once the user enables it", e.Tool, e.Plugin)
}

// Code is the error's code.
func (e *ToolDisabledError) Code() string { return "ERR_TOOL_DISABLED" }

// Approval is the user's answer to ApprovalRequest.
type Approval string

// The answers.
const (
	AllowOnce   Approval = "allow-once"
	AlwaysAllow Approval = "always-allow"
	Deny        Approval = "deny"
)

// ApprovalRequest is what the user is asked before a tool marked
// approval: 'always' runs: the plugin, the tool, and its input as JSON
// with every secret host knows masked.
type ApprovalRequest struct {
	Plugin, PluginName, Tool, Description string
	Input                                 string
}

// ApprovalError is a call of a tool marked approval: 'always' that did not
// run: the user denied it (Denied), or nobody could be asked (Reason says
// why). Code ERR_APPROVAL_DENIED or ERR_APPROVAL_REQUIRED. Not denied, it
// is also a typed hint: the CLI and the MCP server say how to run or allow
// the tool.
type ApprovalError struct {
	Plugin, Tool string
	Denied       bool
	Reason       string
}

func (e *ApprovalError) Error() string {
	if e.Denied {
		return fmt.Sprintf("tool %s of plugin %s did not run: the user denied it", e.Tool, e.Plugin)
	}
	why := "nobody can be asked here"
	if e.Reason != "" {
		why = e.Reason
	}
	return fmt.Sprintf("tool %s of plugin %s needs the user's approval before each run (approval: 'always'), and %s; it did not run. Call it where the user can answer (a client with form elicitation, or a terminal), or have the user allow it for good",
		e.Tool, e.Plugin, why)
}

// Code is the error's code.
func (e *ApprovalError) Code() string {
	if e.Denied {
		return "ERR_APPROVAL_DENIED"
	}
	return "ERR_APPROVAL_REQUIRED"
}

// gate is what the user's policy says before tool runs with input: a
// disabled tool is refused; one marked approval: 'always' and not always
// allowed is asked about through opts.Approve (an "always" answer is
// recorded), refused without it.
func (p *Plugin) gate(ctx context.Context, tool *Tool, input json.RawMessage, opts *CallOptions) error {
	pol, err := p.ToolPolicy()
	if err != nil {
		return err
	}
	if pol.IsDisabled(tool.Name) {
		return &ToolDisabledError{Plugin: p.ID, Tool: tool.Name}
	}
	if tool.Annotations.Approval != "always" || pol.IsAlwaysAllowed(tool.Name) {
		return nil
	}
	if opts == nil || opts.Approve == nil {
		return &ApprovalError{Plugin: p.ID, Tool: tool.Name}
	}
	text := string(input)
	if p.host.Masker != nil {
		text = p.host.Masker.Mask(text)
	}
	a, err := opts.Approve(ctx, ApprovalRequest{Plugin: p.ID, PluginName: p.Name, Tool: tool.Name, Description: tool.Description, Input: text})
	if err != nil {
		var ae *ApprovalError
		if errors.As(err, &ae) {
			return err
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return &ApprovalError{Plugin: p.ID, Tool: tool.Name, Reason: err.Error()}
	}
	switch a {
	case AllowOnce:
		return nil
	case AlwaysAllow:
		return SetToolMark(p.host.DataDir, p.ID, tool.Name, MarkAlwaysAllow)
	}
	return &ApprovalError{Plugin: p.ID, Tool: tool.Name, Denied: true}
}

// SetToolMark records mark for tool in the plugin's policy (see the
// function SetToolMark).
func (p *Plugin) SetToolMark(tool, mark string) error {
	return SetToolMark(p.host.DataDir, p.ID, tool, mark)
}
