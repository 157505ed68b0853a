package call

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"host/bindings/plugin"
	"host/cmd/host/internal/cmdutil"
)

// approver asks in the terminal before a tool marked approval: 'always'
// runs: y runs it once, always records the choice (host tools ID
// --always-allow TOOL), anything else denies. Without a terminal it asks
// nothing and the tool does not run: there is deliberately no flag that
// approves such a tool for one scripted call; the user allows it for good
// with host tools instead.
func approver(f *cmdutil.Factory) func(context.Context, plugin.ApprovalRequest) (plugin.Approval, error) {
	return func(_ context.Context, r plugin.ApprovalRequest) (plugin.Approval, error) {
		p := f.IO.Prompter
		if p == nil {
			return "", &plugin.ApprovalError{Plugin: r.Plugin, Tool: r.Tool, Reason: "there is no terminal to ask in"}
		}
		fmt.Fprintf(f.IO.Err, "Tool %s of plugin %s asks for your approval before it runs.\n  arguments: %s\n", r.Tool, r.Plugin, f.IO.Masker.Mask(r.Input))
		answer, err := p.Ask(cmdutil.Question{Title: "Run it? [y/N/always]", Key: "approve", Optional: true})
		if err != nil {
			return "", errors.Join(&plugin.ApprovalError{Plugin: r.Plugin, Tool: r.Tool, Reason: "the question was not answered"}, err)
		}
		switch strings.ToLower(strings.TrimSpace(answer)) {
		case "y", "yes":
			return plugin.AllowOnce, nil
		case "always", "a":
			return plugin.AlwaysAllow, nil
		}
		return plugin.Deny, nil
	}
}
