package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/dop251/goja"

	"host/bindings/zod"
	"host/jsrt"
	"host/schema"
)

// Tool is one entry of the plugin's `tools`.
type Tool struct {
	Name        string
	Description string
	Input       *schema.Schema // nil when the tool takes no input
}

// InputSchema is the tool's input as JSON Schema (an empty object schema
// when the tool takes no input).
func (t Tool) InputSchema() (json.RawMessage, error) {
	if t.Input == nil {
		return json.RawMessage(`{"type":"object","properties":{}}`), nil
	}
	return t.Input.JSONSchema()
}

// Tools lists the plugin's tools sorted by name. It is read at load, so it
// works before activation.
func (p *Plugin) Tools() []Tool {
	out := make([]Tool, len(p.tools))
	copy(out, p.tools)
	return out
}

// ToolError is a tool that threw or rejected: Err is usually a
// *jsrt.JSError with the position in the plugin's source.
type ToolError struct {
	Tool string
	Err  error
}

func (e *ToolError) Error() string { return fmt.Sprintf("tool %s failed: %v", e.Tool, e.Err) }
func (e *ToolError) Unwrap() error { return e.Err }

// UnknownToolError names a tool the plugin does not have.
type UnknownToolError struct {
	Plugin, Tool string
	Known        []string
}

func (e *UnknownToolError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("plugin %s has no tools (asked for %q)", e.Plugin, e.Tool)
	}
	return fmt.Sprintf("plugin %s has no tool %q; its tools: %s", e.Plugin, e.Tool, strings.Join(e.Known, ", "))
}

// ErrNotActive is returned when a tool is called on a plugin that is not
// active.
var ErrNotActive = errors.New("the plugin is not active")

// CallTool runs tool name with input (JSON; nil or empty means {}) on the
// active plugin and returns its result as JSON ("null" for undefined).
// Input that does not match the tool's schema is a
// *schema.ValidationError; a throwing tool a *ToolError. Safe to call from
// many goroutines at once; each call is bounded by its ctx (and by the
// plugin's script timeout while JS runs).
func (p *Plugin) CallTool(ctx context.Context, name string, input json.RawMessage) (json.RawMessage, error) {
	var tool *Tool
	for i := range p.tools {
		if p.tools[i].Name == name {
			tool = &p.tools[i]
		}
	}
	if tool == nil {
		known := make([]string, 0, len(p.tools))
		for _, t := range p.tools {
			known = append(known, t.Name)
		}
		return nil, &UnknownToolError{Plugin: p.ID, Tool: name, Known: known}
	}
	if !p.Active() {
		return nil, ErrNotActive
	}
	if len(input) == 0 {
		input = json.RawMessage("{}")
	}
	if !json.Valid(input) {
		return nil, &InputError{Problems: []string{fmt.Sprintf("tool %s: the input is not valid JSON", name)}}
	}
	var out json.RawMessage
	var runErr error
	v, err := p.rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		in, err := parseJSON(vm, string(input))
		if err != nil {
			return nil, &InputError{Problems: []string{fmt.Sprintf("tool %s: the input is not valid JSON: %v", name, err)}}
		}
		if tool.Input != nil {
			parsed, issues := zod.Validate(vm, tool.Input, in)
			if len(issues) > 0 {
				return nil, &schema.ValidationError{Issues: issues}
			}
			in = parsed
		}
		t := p.def.Get("tools").ToObject(vm).Get(name).ToObject(vm)
		run, _ := goja.AssertFunction(t.Get("run"))
		res, err := run(t, in, p.ctxObj)
		if err != nil {
			runErr = err
			return nil, err
		}
		return res, nil
	})
	if err != nil {
		var ve *schema.ValidationError
		var ie *InputError
		if errors.As(err, &ve) || errors.As(err, &ie) {
			return nil, err
		}
		if _, ok := jsrt.AsJSError(err); ok || runErr != nil {
			return nil, &ToolError{Tool: name, Err: err}
		}
		return nil, err
	}
	err = p.rt.Do(ctx, func(vm *goja.Runtime) error {
		s, err := stringifyJSON(vm, v)
		if err != nil {
			return fmt.Errorf("tool %s returned a value that is not JSON: %w", name, err)
		}
		out = json.RawMessage(s)
		return nil
	})
	if err != nil {
		return nil, &ToolError{Tool: name, Err: err}
	}
	return out, nil
}

// readTools fills p.tools from the definition. On the loop; the definition
// was checked by readDefinition.
func (p *Plugin) readTools(vm *goja.Runtime) {
	v := p.def.Get("tools")
	if v == nil || goja.IsUndefined(v) {
		return
	}
	to := v.ToObject(vm)
	for _, name := range to.Keys() {
		t := to.Get(name).ToObject(vm)
		tool := Tool{Name: name}
		if d := t.Get("description"); d != nil && !goja.IsUndefined(d) {
			tool.Description = d.String()
		}
		if in := t.Get("input"); in != nil && !goja.IsUndefined(in) {
			tool.Input, _ = zod.SchemaOf(in)
		}
		p.tools = append(p.tools, tool)
	}
	sort.Slice(p.tools, func(i, j int) bool { return p.tools[i].Name < p.tools[j].Name })
}

func parseJSON(vm *goja.Runtime, s string) (goja.Value, error) {
	js := vm.Get("JSON").ToObject(vm)
	parse, _ := goja.AssertFunction(js.Get("parse"))
	return parse(js, vm.ToValue(s))
}

func stringifyJSON(vm *goja.Runtime, v goja.Value) (string, error) {
	if v == nil || goja.IsUndefined(v) {
		return "null", nil
	}
	js := vm.Get("JSON").ToObject(vm)
	stringify, _ := goja.AssertFunction(js.Get("stringify"))
	r, err := stringify(js, v)
	if err != nil {
		return "", err
	}
	if r == nil || goja.IsUndefined(r) {
		return "null", nil
	}
	return r.String(), nil
}
