package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

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
	Annotations ToolAnnotations

	// loop-only
	fn     goja.Callable
	this   goja.Value
	legacy bool // host's older form: `run` returns the content itself
}

// InputSchema is the tool's input as JSON Schema, the form describing what
// a caller may send (zod's io: "input": defaulted parameters optional); an
// empty object schema when the tool takes no input.
func (t Tool) InputSchema() (json.RawMessage, error) {
	if t.Input == nil {
		return json.RawMessage(`{"type":"object","properties":{}}`), nil
	}
	// Repeated object schemas once under $defs: smaller, and what the
	// conformance suite's json-schema-2020-12 scenario looks for.
	js, err := t.Input.ExportJSONSchema(schema.ExportOptions{Input: true, Share: true})
	if err != nil || t.Input.Kind() == schema.KindObject {
		return js, err
	}
	// A record, a union of objects or z.any(): MCP wants an object schema.
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		return nil, err
	}
	if _, ok := m["type"]; !ok {
		m["type"] = "object"
	}
	return json.Marshal(m)
}

// objectLike reports whether a tool's parameters schema accepts objects
// only (or anything): any z type whose input can be a tool's arguments.
func objectLike(s *schema.Schema) bool {
	switch s.Kind() {
	case schema.KindObject, schema.KindRecord, schema.KindAny:
		return true
	case schema.KindUnion:
		for _, v := range s.Variants() {
			if !objectLike(v) {
				return false
			}
		}
		return len(s.Variants()) > 0
	}
	return false
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
// active plugin and returns its result, with the secrets the host knows
// masked. A tool that resolves to something other than a ToolResult has
// it as Content (null for undefined); a malformed ToolResult is a
// *ToolResultError.
// Input that does not match the tool's schema is a
// *schema.ValidationError; a throwing tool a *ToolError. Safe to call from
// many goroutines at once; each call is bounded by its ctx (and by the
// plugin's script timeout while JS runs).
func (p *Plugin) CallTool(ctx context.Context, name string, input json.RawMessage) (*ToolResult, error) {
	return p.callTool(ctx, name, input, nil)
}

func (p *Plugin) callTool(ctx context.Context, name string, input json.RawMessage, opts *CallOptions) (*ToolResult, error) {
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
	if err := p.gate(ctx, tool, input, opts); err != nil {
		return nil, err
	}
	var out string
	var runErr error
	var end atomic.Pointer[func()] // ends the call's ctx; set on the loop
	defer func() {
		if f := end.Load(); f != nil {
			(*f)()
		}
	}()
	// The value is made JSON on the loop as soon as it settles (in the
	// same trip to the loop when the tool awaited nothing).
	err, strErr := p.rt.AwaitThen(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		in, err := p.rt.ParseJSON(string(input))
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
		cctx, endCall, err := p.callContext(vm, ctx, opts)
		if err != nil {
			return nil, err
		}
		end.Store(&endCall)
		res, err := tool.fn(tool.this, in, cctx)
		if err != nil {
			runErr = err
			return nil, err
		}
		return res, nil
	}, func(vm *goja.Runtime, v goja.Value) error {
		s, err := stringifyJSON(p.rt, v)
		var le *jsrt.LimitError
		if errors.As(err, &le) {
			return fmt.Errorf("it returned %w", err)
		}
		if err != nil {
			return fmt.Errorf("tool %s returned a value that is not JSON: %w", name, err)
		}
		out = p.host.Masker.Mask(s)
		return nil
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
	if strErr != nil {
		return nil, &ToolError{Tool: name, Err: strErr}
	}
	if tool.legacy {
		return &ToolResult{Content: json.RawMessage(out)}, nil
	}
	r, err := parseToolResult(name, out)
	if err != nil {
		return nil, err
	}
	for i := range r.Artifacts {
		r.Artifacts[i].URL = p.host.Masker.Mask(r.Artifacts[i].URL)
	}
	return r, nil
}

// toolNameRE is what a tool name may be: what MCP clients accept.
var toolNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`) })

// readTools checks the definition's tools and fills p.tools. The SDK's
// form is an array of { name, description, parameters, annotations?,
// execute }; host's older form, an object of { description, input?, run }
// by name, is read into the same Tools. On the loop.
func (p *Plugin) readTools(vm *goja.Runtime, v goja.Value, bad func(string, ...any)) {
	o, ok := v.(*goja.Object)
	if !ok || goja.IsNull(v) {
		bad("tools must be an array of { name, description, parameters, execute(params, ctx) }, got %s", jsrt.TypeNameWithArticle(v))
		return
	}
	type entry struct {
		path string
		obj  *goja.Object
		name string
	}
	var entries []entry
	legacy := o.ClassName() != "Array"
	if legacy {
		for _, name := range o.Keys() {
			t, ok := o.Get(name).(*goja.Object)
			if !ok {
				bad("tools.%s must be an object { description, run(input, ctx) }", name)
				continue
			}
			entries = append(entries, entry{"tools." + name, t, name})
		}
	} else {
		n := int(o.Get("length").ToInteger())
		for i := 0; i < n; i++ {
			path := fmt.Sprintf("tools[%d]", i)
			t, ok := o.Get(strconv.Itoa(i)).(*goja.Object)
			if !ok {
				bad("%s must be an object { name, description, parameters, execute(params, ctx) }", path)
				continue
			}
			nv := t.Get("name")
			name, ok := exportString(nv)
			if !ok {
				bad("%s.name must be a string, got %s", path, jsrt.TypeNameWithArticle(nv))
				continue
			}
			entries = append(entries, entry{path, t, name})
		}
	}
	seen := map[string]string{}
	for _, e := range entries {
		t := e.obj
		tool := Tool{Name: e.name, legacy: legacy, this: t}
		if !toolNameRE().MatchString(e.name) {
			bad("%s: the tool name %q must be 1-128 characters of a-z, A-Z, 0-9, '_', '-' or '.'", e.path, e.name)
		} else if first, dup := seen[e.name]; dup {
			bad("%s: the tool name %q is already used by %s; tool names must be unique within a plugin", e.path, e.name, first)
		}
		seen[e.name] = e.path
		fnKey, inKey, known := "execute", "parameters", []string{"name", "description", "parameters", "annotations", "execute"}
		if legacy {
			fnKey, inKey, known = "run", "input", []string{"description", "input", "run"}
		}
		for _, k := range t.Keys() {
			if !slices.Contains(known, k) {
				bad("%s has an unknown key %q; known keys: %s", e.path, k, strings.Join(known, ", "))
			}
		}
		if fn, ok := goja.AssertFunction(t.Get(fnKey)); ok {
			tool.fn = fn
		} else {
			bad("%s.%s must be a function", e.path, fnKey)
		}
		if in := t.Get(inKey); in != nil && !goja.IsUndefined(in) {
			if s, ok := zod.SchemaOf(in); !ok {
				bad("%s.%s must be a z schema, usually z.object({...})", e.path, inKey)
			} else if !objectLike(s) {
				bad("%s.%s must describe an object (z.object, z.record, a union of objects): a tool's arguments are one JSON object", e.path, inKey)
			} else if _, err := s.InputJSONSchema(); err != nil {
				// A tool's input is a JSON Schema its callers read: a type
				// JSON cannot carry (a Date, a Map...) cannot be one.
				bad("%s.%s cannot be a tool's input schema: %v; take the value as text (e.g. z.string().datetime() for a date) and convert it in the tool", e.path, inKey, err)
			} else {
				tool.Input = s
			}
		}
		if d := t.Get("description"); d != nil && !goja.IsUndefined(d) {
			if s, ok := exportString(d); ok {
				tool.Description = s
			} else {
				bad("%s.description must be a string", e.path)
			}
		}
		if a := t.Get("annotations"); !legacy && a != nil && !goja.IsUndefined(a) {
			tool.Annotations = readAnnotations(a, e.path+".annotations", bad)
		}
		p.tools = append(p.tools, tool)
	}
	sort.SliceStable(p.tools, func(i, j int) bool { return p.tools[i].Name < p.tools[j].Name })
}

func readAnnotations(v goja.Value, path string, bad func(string, ...any)) ToolAnnotations {
	var a ToolAnnotations
	o, ok := v.(*goja.Object)
	if !ok || goja.IsNull(v) {
		bad("%s must be an object { sideEffects?, readOnly?, approval? }", path)
		return a
	}
	for _, k := range o.Keys() {
		x := o.Get(k).Export()
		switch k {
		case "sideEffects", "readOnly":
			b, ok := x.(bool)
			if !ok {
				bad("%s.%s must be true or false", path, k)
				continue
			}
			if k == "sideEffects" {
				a.SideEffects = &b
			} else {
				a.ReadOnly = &b
			}
		case "approval":
			s, _ := x.(string)
			if s != "always" && s != "suggest" && s != "never" {
				bad("%s.approval must be 'always', 'suggest' or 'never'", path)
				continue
			}
			a.Approval = s
		default:
			bad("%s has an unknown key %q; known keys: sideEffects, readOnly, approval", path, k)
		}
	}
	return a
}

func exportString(v goja.Value) (string, bool) {
	if v == nil {
		return "", false
	}
	s, ok := v.Export().(string)
	return s, ok
}

// stringifyJSON turns a plugin's value into JSON text with the runtime's
// own JSON.stringify, refusing at once (a *jsrt.LimitError) a value nested
// deeper than jsrt.MaxJSONDepth or larger than its size bounds (one that
// repeats a shared object, too), which stringify would take seconds to
// forever on. undefined becomes null. On the loop.
func stringifyJSON(rt *jsrt.Runtime, v goja.Value) (string, error) {
	return stringifyJSONDepth(rt, v, jsrt.MaxJSONDepth)
}

// stringifyJSONDepth is stringifyJSON refusing a value nested more than
// max levels deep.
func stringifyJSONDepth(rt *jsrt.Runtime, v goja.Value, max int) (string, error) {
	s, ok, err := rt.StringifyJSON(v, jsrt.JSONLimits{Depth: max})
	if err != nil {
		return "", err
	}
	if !ok {
		return "null", nil
	}
	return s, nil
}
