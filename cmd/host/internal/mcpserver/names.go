package mcpserver

import (
	"fmt"
	"sort"
	"strings"

	"host/bindings/setup"
)

// MaxToolName is the longest tool name clients accept.
const MaxToolName = 64

// ToolName is the name clients see for a plugin's tool:
// "<plugin id>_<tool>", every character outside [a-zA-Z0-9_-] replaced by
// '_' (a plugin id may hold '.'), at most MaxToolName characters. A name
// that would be longer is an error saying which one and how to fix it.
func ToolName(plugin, tool string) (string, error) {
	var b strings.Builder
	for _, r := range plugin + "_" + tool {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name := b.String()
	if len(name) > MaxToolName {
		return "", fmt.Errorf("plugin %s: tool %q: its MCP name %q is longer than %d characters; shorten the tool name or the plugin id", plugin, tool, name, MaxToolName)
	}
	return name, nil
}

// toolRef is one listed tool: which plugin and which of its tools.
type toolRef struct {
	plugin string
	state  setup.Phase
	info   Tool
}

// CollisionError is tools of two plugins (or two of one plugin) that get
// the same MCP name. Neither gets it: a plugin must not take over the name
// (and the calls, with their arguments) meant for another's tool by
// choosing an id that maps to the same name (victim.svc and victim_svc).
type CollisionError struct {
	Name          string
	First, Second string // "plugin/tool"
}

func (e *CollisionError) Error() string {
	return fmt.Sprintf("tool name %s is taken twice: by %s and by %s (MCP names are <plugin id>_<tool> with other characters as '_'); neither is listed until one of the tools or plugin ids is renamed", e.Name, e.First, e.Second)
}

// toolTable names the listed tools of plugins. A tool whose name is too
// long is left out; a name two tools map to is given to neither. Both are
// reported in errs.
func toolTable(plugins []PluginInfo) (tools map[string]toolRef, errs []error) {
	tools = map[string]toolRef{}
	clash := map[string]bool{}
	ps := append([]PluginInfo(nil), plugins...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	for _, p := range ps {
		if !p.State.Listed() {
			continue
		}
		ts := append([]Tool(nil), p.Tools...)
		sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
		for _, t := range ts {
			name, err := ToolName(p.ID, t.Name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if prev, ok := tools[name]; ok || clash[name] {
				first := prev.plugin + "/" + prev.info.Name
				if !ok {
					first = "another tool"
				}
				errs = append(errs, &CollisionError{Name: name, First: first, Second: p.ID + "/" + t.Name})
				clash[name] = true
				delete(tools, name)
				continue
			}
			tools[name] = toolRef{plugin: p.ID, state: p.State, info: t}
		}
	}
	return tools, errs
}

// CheckNames reports the naming problems of plugins' tools: names too long
// and collisions, each a clear error. `host mcp` refuses to start with one.
func CheckNames(plugins []PluginInfo) []error {
	all := make([]PluginInfo, len(plugins))
	for i, p := range plugins {
		p.State = setup.Active
		all[i] = p
	}
	_, errs := toolTable(all)
	return errs
}
