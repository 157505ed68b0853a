package plugin

// What one tool call adds to the PluginContext: its own signal (aborted
// when the caller gives up, e.g. an MCP cancellation, or when the plugin
// stops), ctx.progress and ctx.elicit.

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/dop251/goja"

	"host/bindings/abort"
	"host/bindings/zod"
	"host/jsrt"
	"host/schema"
)

// Progress is one `ctx.progress({ progress, total?, message? })` of a tool.
type Progress struct {
	Progress float64
	Total    float64 // 0 when unknown
	Message  string  // masked
}

// Question is what a tool asks the user through `ctx.elicit({ message,
// schema })`: the plugin's message and MCP's requestedSchema, a flat object
// of non-secret primitive fields, made from a z.object or taken from a
// plain JSON Schema object (for what z cannot say: titled choices), both
// checked alike. The plugin's text in both is masked; the message has its
// terminal controls written out. A surface showing Message must attribute
// it to Plugin: it is the plugin's text, not host's.
type Question struct {
	Plugin  string          // the asking plugin's id
	Message string          // masked, controls written out
	Schema  json.RawMessage // {"type":"object","properties":{...},"required"?:[...]}, masked
}

// Answer is the user's reply to a Question: Action is "accept", "decline"
// or "cancel"; Content holds the fields when accepted.
type Answer struct {
	Action  string
	Content map[string]any
}

// SampleRequest is what a tool asks the client's model through
// `ctx.sample({ prompt | messages, maxTokens?, systemPrompt? })`.
type SampleRequest struct {
	Messages     []SampleMessage // the conversation so far, oldest first
	MaxTokens    int             // default 1000
	SystemPrompt string
}

// SampleMessage is one turn: Role "user" or "assistant", text only.
type SampleMessage struct {
	Role, Text string
}

// SampleReply is the model's answer.
type SampleReply struct {
	Text, Model, StopReason string
}

// CallOptions is what the caller of a tool offers it. Every field may be
// nil. The functions are called on the plugin's loop goroutine (Progress)
// or on a goroutine of their own (Elicit) and must not block the loop.
type CallOptions struct {
	// Progress receives the tool's progress reports; without it
	// ctx.progress does nothing.
	Progress func(Progress)
	// Elicit asks the user; without it ctx.elicit rejects with
	// ERR_ELICIT_UNSUPPORTED.
	Elicit func(ctx context.Context, q Question) (Answer, error)
	// Sample asks the caller's model (MCP sampling); without it
	// ctx.sample rejects with ERR_SAMPLE_UNSUPPORTED.
	Sample func(ctx context.Context, r SampleRequest) (SampleReply, error)
	// Approve asks the user before a tool marked approval: 'always' runs
	// (see ApprovalRequest); without it such a tool is refused with an
	// *ApprovalError unless the user always allows it.
	Approve func(ctx context.Context, r ApprovalRequest) (Approval, error)
}

// ErrSampleUnsupported is ctx.sample when the caller has no model to ask.
var ErrSampleUnsupported = errors.New("this caller cannot run a prompt on its model (the client does not support sampling)")

// ErrElicitUnsupported is ctx.elicit when the caller cannot ask the user.
var ErrElicitUnsupported = errors.New("this caller cannot ask the user a question (the client does not support elicitation)")

// CallToolWith is CallTool with per-call options. The tool's `ctx` is the
// plugin's PluginContext with three members of the call's own: `signal`
// (aborted when ctx ends or the plugin stops), `progress(p)` and
// `elicit(q)`.
func (p *Plugin) CallToolWith(ctx context.Context, name string, input json.RawMessage, opts CallOptions) (*ToolResult, error) {
	return p.callTool(ctx, name, input, &opts)
}

// callState is one call's part of its ctx. Loop-only.
type callState struct {
	ctx     context.Context
	opts    *CallOptions
	ctrl    *abort.Controller // made when the tool first reads ctx.signal
	signal  goja.Value
	members map[string]goja.Value // progress and elicit, once read
}

// callProto is the prototype of every call's ctx: the plugin's
// PluginContext underneath, and signal, progress and elicit, which find
// their call through `this`. Built once per PluginContext. Loop-only.
type callProto struct {
	base  *goja.Object // the PluginContext it was built over
	obj   *goja.Object
	calls map[*goja.Object]*callState
}

// callContext builds a tool call's ctx over the plugin's and returns a
// function to call when the call ends. On the loop.
func (p *Plugin) callContext(vm *goja.Runtime, ctx context.Context, opts *CallOptions) (*goja.Object, func(), error) {
	if opts == nil {
		return p.ctxObj, func() {}, nil
	}
	if p.callProto == nil || p.callProto.base != p.ctxObj {
		cp, err := p.newCallProto(vm)
		if err != nil {
			return nil, nil, err
		}
		p.callProto = cp
	}
	cp := p.callProto
	c := vm.NewObject()
	if err := c.SetPrototype(cp.obj); err != nil {
		return nil, nil, err
	}
	st := &callState{ctx: ctx, opts: opts}
	cp.calls[c] = st
	// Cancellation aborts the call's signal (when the tool has read it).
	stop := context.AfterFunc(ctx, func() { p.rt.Post(st.abortIfCancelled) })
	return c, func() {
		stop()
		p.rt.Post(func(vm *goja.Runtime) {
			// A cancelled call's signal is aborted before its ctx is let
			// go, so its abort listeners still see the call's ctx.signal
			// (the AfterFunc above may not have run yet).
			st.abortIfCancelled(vm)
			delete(cp.calls, c)
		})
	}, nil
}

// abortIfCancelled aborts the call's signal (if the tool made one) once
// the call's ctx has ended; aborting again does nothing. Loop goroutine.
func (st *callState) abortIfCancelled(vm *goja.Runtime) {
	if st.ctx.Err() != nil && st.ctrl != nil {
		st.ctrl.Abort(vm, "the call was cancelled")
	}
}

func (p *Plugin) newCallProto(vm *goja.Runtime) (*callProto, error) {
	cp := &callProto{base: p.ctxObj, obj: vm.NewObject(), calls: map[*goja.Object]*callState{}}
	if err := cp.obj.SetPrototype(p.ctxObj); err != nil {
		return nil, err
	}
	state := func(this goja.Value, name string) *callState {
		o, _ := this.(*goja.Object)
		st := cp.calls[o]
		if st == nil {
			jsrt.Throw(vm, jsrt.TypeErrorf("%s may only be used by the tool call whose ctx it is, while it runs", name))
		}
		return st
	}
	// The signal exists only if the tool reads it: most tools never do, and
	// each one listens on the plugin's signal.
	getSignal := jsrt.Safe(vm, "ctx.signal", func(call goja.FunctionCall) goja.Value {
		o, _ := call.This.(*goja.Object)
		st := cp.calls[o]
		if st == nil {
			return p.ctxObj.Get("signal")
		}
		if st.signal != nil {
			return st.signal
		}
		ctrl, err := abort.NewController(vm)
		if err != nil {
			jsrt.Throw(vm, err)
		}
		st.ctrl = ctrl
		st.abortIfCancelled(vm)
		anyFn, _ := goja.AssertFunction(vm.Get("AbortSignal").ToObject(vm).Get("any"))
		sig, err := anyFn(nil, vm.NewArray(p.ctxObj.Get("signal"), ctrl.Signal()))
		if err != nil {
			jsrt.Throw(vm, err)
		}
		st.signal = sig
		return sig
	})
	if err := cp.obj.DefineAccessorProperty("signal", vm.ToValue(getSignal), nil, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
		return nil, err
	}
	// progress and elicit are made for a call when it first reads them
	// (so `const { progress } = ctx` works too).
	member := func(name string, make func(st *callState) func(goja.FunctionCall) goja.Value) error {
		get := jsrt.Safe(vm, "ctx."+name, func(call goja.FunctionCall) goja.Value {
			st := state(call.This, "ctx."+name)
			if v, ok := st.members[name]; ok {
				return v
			}
			if st.members == nil {
				st.members = map[string]goja.Value{}
			}
			v := vm.ToValue(jsrt.Safe(vm, "ctx."+name, make(st)))
			st.members[name] = v
			return v
		})
		return cp.obj.DefineAccessorProperty(name, vm.ToValue(get), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	err := member("progress", func(st *callState) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			pr, err := readProgress(vm, call.Argument(0))
			if err != nil {
				jsrt.Throw(vm, err)
			}
			if st.opts.Progress != nil {
				pr.Message = p.host.Masker.Mask(pr.Message)
				st.opts.Progress(pr)
			}
			return goja.Undefined()
		}
	})
	if err != nil {
		return nil, err
	}
	err = member("elicit", func(st *callState) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			q, err := readQuestion(p.rt, p.host.Masker.Mask, call.Argument(0))
			if err != nil {
				return jsrt.Rejected(vm, err)
			}
			ask := st.opts.Elicit
			if ask == nil {
				return jsrt.Rejected(vm, jsrt.WithCode(ErrElicitUnsupported, "ERR_ELICIT_UNSUPPORTED"))
			}
			q.Plugin = p.ID
			ctx := st.ctx
			// The user may take minutes to answer: bounded by the call, not
			// by the per-call timeout of Go work.
			return p.rt.GoTimeout(0, func(context.Context) (any, error) {
				a, err := ask(ctx, q)
				if err != nil {
					return nil, err
				}
				out := map[string]any{"action": a.Action}
				if a.Content != nil {
					out["content"] = a.Content
				}
				return out, nil
			})
		}
	})
	if err != nil {
		return nil, err
	}
	err = member("sample", func(st *callState) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			r, err := readSample(p.rt, call.Argument(0))
			if err != nil {
				return jsrt.Rejected(vm, err)
			}
			ask := st.opts.Sample
			if ask == nil {
				return jsrt.Rejected(vm, jsrt.WithCode(ErrSampleUnsupported, "ERR_SAMPLE_UNSUPPORTED"))
			}
			for i := range r.Messages {
				r.Messages[i].Text = p.host.Masker.Mask(r.Messages[i].Text)
			}
			r.SystemPrompt = p.host.Masker.Mask(r.SystemPrompt)
			ctx := st.ctx
			return p.rt.GoTimeout(0, func(context.Context) (any, error) {
				a, err := ask(ctx, r)
				if err != nil {
					return nil, err
				}
				return map[string]any{"text": p.host.Masker.Mask(a.Text), "model": a.Model, "stopReason": a.StopReason}, nil
			})
		}
	})
	if err != nil {
		return nil, err
	}
	return cp, nil
}

// readSample reads ctx.sample's argument: { prompt } or { messages: [{
// role, content }] }, with maxTokens and systemPrompt optional. What the
// tool sends is masked: a prompt never carries a secret to the model.
func readSample(rt *jsrt.Runtime, v goja.Value) (SampleRequest, error) {
	o, ok := v.(*goja.Object)
	if !ok {
		return SampleRequest{}, jsrt.TypeErrorf("ctx.sample expects { prompt } or { messages: [{ role, content }] }, got %s", jsrt.TypeNameWithArticle(v))
	}
	text, err := stringifyJSON(rt, o)
	if err != nil {
		return SampleRequest{}, jsrt.TypeErrorf("ctx.sample: %v", err)
	}
	var in struct {
		Prompt       *string `json:"prompt"`
		Messages     []struct{ Role, Content string }
		MaxTokens    int    `json:"maxTokens"`
		SystemPrompt string `json:"systemPrompt"`
	}
	if err := json.Unmarshal([]byte(text), &in); err != nil {
		return SampleRequest{}, jsrt.TypeErrorf("ctx.sample expects { prompt: string } or { messages: [{ role: 'user' | 'assistant', content: string }] }, maxTokens a number: %v", err)
	}
	r := SampleRequest{MaxTokens: in.MaxTokens, SystemPrompt: in.SystemPrompt}
	if in.Prompt != nil {
		r.Messages = append(r.Messages, SampleMessage{Role: "user", Text: *in.Prompt})
	}
	for i, m := range in.Messages {
		if m.Role != "user" && m.Role != "assistant" {
			return r, jsrt.TypeErrorf("ctx.sample: messages[%d].role must be 'user' or 'assistant'", i)
		}
		r.Messages = append(r.Messages, SampleMessage{Role: m.Role, Text: m.Content})
	}
	if len(r.Messages) == 0 {
		return r, jsrt.TypeErrorf("ctx.sample: give a prompt or messages")
	}
	if r.MaxTokens <= 0 {
		r.MaxTokens = 1000
	}
	return r, nil
}

// readProgress reads ctx.progress's argument: a number, or
// { progress, total?, message? }.
func readProgress(vm *goja.Runtime, v goja.Value) (Progress, error) {
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "Object" {
		var pr Progress
		num := func(key string, required bool) (float64, error) {
			x := o.Get(key)
			if x == nil || goja.IsUndefined(x) {
				if required {
					return 0, jsrt.TypeErrorf("ctx.progress: progress is required, e.g. ctx.progress({ progress: 3, total: 10 })")
				}
				return 0, nil
			}
			f, ok := x.Export().(float64)
			if i, isInt := x.Export().(int64); isInt {
				f, ok = float64(i), true
			}
			if !ok {
				return 0, jsrt.TypeErrorf("ctx.progress: %s must be a number, got %s", key, jsrt.TypeNameWithArticle(x))
			}
			return f, nil
		}
		var err error
		if pr.Progress, err = num("progress", true); err != nil {
			return pr, err
		}
		if pr.Total, err = num("total", false); err != nil {
			return pr, err
		}
		if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
			pr.Message = m.String()
		}
		return pr, nil
	}
	switch x := v.Export().(type) {
	case int64:
		return Progress{Progress: float64(x)}, nil
	case float64:
		return Progress{Progress: x}, nil
	}
	return Progress{}, jsrt.TypeErrorf("ctx.progress expects { progress, total?, message? } or a number, got %s", jsrt.TypeNameWithArticle(v))
}

// readQuestion reads ctx.elicit's argument: { message, schema } with
// schema a z.object({...}) or a plain JSON Schema { type: 'object',
// properties } whose fields are strings, numbers, booleans or enums (and
// arrays of enums, MCP's multi-select), none secret; mask hides the known
// secrets in both. On the loop.
func readQuestion(rt *jsrt.Runtime, mask func(string) string, v goja.Value) (Question, error) {
	o, ok := v.(*goja.Object)
	if !ok {
		return Question{}, jsrt.TypeErrorf("ctx.elicit expects { message, schema: z.object({...}) }, got %s", jsrt.TypeNameWithArticle(v))
	}
	var q Question
	if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
		q.Message = m.String()
	}
	if q.Message == "" {
		return q, jsrt.TypeErrorf("ctx.elicit: message is required: what to ask the user")
	}
	q.Message = jsrt.CleanControls(mask(q.Message))
	var text string
	sv := o.Get("schema")
	switch s, isZod := zod.SchemaOf(sv); {
	case sv == nil || goja.IsUndefined(sv):
		text = `{"type":"object","properties":{}}`
	case isZod:
		if s.Kind() != schema.KindObject {
			return q, errElicitSchema
		}
		js, err := zodQuestionSchema(s)
		if err != nil {
			return q, err
		}
		text = string(js)
	default:
		so, isObj := sv.(*goja.Object)
		if !isObj || so.ClassName() != "Object" || so.Get("type") == nil || so.Get("type").String() != "object" {
			return q, errElicitSchema
		}
		js, err := stringifyJSON(rt, so)
		if err != nil {
			return q, jsrt.TypeErrorf("ctx.elicit: schema is not JSON: %v", err)
		}
		text = js
	}
	if err := checkQuestionSchema(text); err != nil {
		return q, err
	}
	masked := mask(text)
	if !json.Valid([]byte(masked)) {
		return q, jsrt.TypeErrorf("ctx.elicit: the schema holds one of the plugin's secrets where it cannot be hidden; leave secrets out of the question")
	}
	q.Schema = json.RawMessage(masked)
	return q, nil
}

var errElicitSchema = jsrt.TypeErrorf("ctx.elicit: schema must be a z.object({...}) of strings, numbers, booleans and enums, or a JSON Schema { type: 'object', properties }")

// zodQuestionSchema is a z.object question as MCP's requestedSchema: each
// field's own JSON Schema, with its label as title.
func zodQuestionSchema(s *schema.Schema) (json.RawMessage, error) {
	props := map[string]any{}
	var required []string
	for _, f := range s.Fields() {
		if f.Secret {
			return nil, secretQuestion(f.Key, ".secret()")
		}
		switch f.Kind {
		case schema.KindString, schema.KindNumber, schema.KindBoolean, schema.KindEnum:
		default:
			return nil, jsrt.TypeErrorf("ctx.elicit: field %q is z.%s(); a question may only have strings, numbers, booleans and enums", f.Key, f.Kind)
		}
		js, err := f.Schema.JSONSchema()
		if err != nil {
			return nil, err
		}
		var p map[string]any
		if err := json.Unmarshal(js, &p); err != nil {
			return nil, err
		}
		delete(p, "$schema")
		if _, ok := p["title"]; !ok && f.Label != f.Key {
			p["title"] = f.Label
		}
		if _, ok := p["default"]; !ok && f.HasDefault {
			p["default"] = f.Default // the form's initial value (SEP-1034)
		}
		if f.Required {
			required = append(required, f.Key)
		}
		props[f.Key] = p
	}
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return json.Marshal(out)
}

// secretQuestion is ctx.elicit's refusal of a secret field, in both schema
// forms; how names what made it secret.
func secretQuestion(key, how string) error {
	return jsrt.TypeErrorf("ctx.elicit: field %q is %s: secrets are never asked through the client; declare it in configSchema so host asks for it on its own setup page", key, how)
}

// checkQuestionSchema applies to a question's JSON Schema, however it was
// made, the checks a z.object gets: a flat object of strings, numbers,
// booleans and enums (arrays of enums too), no field secret (x-secret,
// writeOnly, format: password), no terminal controls in its text.
func checkQuestionSchema(text string) error {
	var s struct {
		Type       string                     `json:"type"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal([]byte(text), &s); err != nil || s.Type != "object" {
		return errElicitSchema
	}
	for key, raw := range s.Properties {
		var f map[string]any
		if err := json.Unmarshal(raw, &f); err != nil {
			return jsrt.TypeErrorf("ctx.elicit: field %q must be a JSON Schema object", key)
		}
		switch {
		case f["x-secret"] == true:
			return secretQuestion(key, "secret (x-secret)")
		case f["writeOnly"] == true:
			return secretQuestion(key, "writeOnly")
		case f["format"] == "password":
			return secretQuestion(key, `a password (format: "password")`)
		}
		typ, _ := f["type"].(string)
		switch typ {
		case "string", "number", "integer", "boolean":
		case "array":
			items, _ := f["items"].(map[string]any)
			if it, _ := items["type"].(string); items == nil || it == "object" || it == "array" {
				return jsrt.TypeErrorf("ctx.elicit: field %q is an array of other than enum values; a question may only have strings, numbers, booleans and enums", key)
			}
		default:
			return jsrt.TypeErrorf("ctx.elicit: field %q has type %q; a question may only have strings, numbers, booleans and enums", key, f["type"])
		}
		if where, ok := controlIn(f); ok {
			return jsrt.TypeErrorf("ctx.elicit: field %q has terminal control characters in its %s; send plain text", key, where)
		}
	}
	return nil
}

// controlIn reports whether a string in v (a decoded JSON value) holds a
// terminal control character other than newline and tab, and where.
func controlIn(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return "text", jsrt.CleanControls(x) != x
	case []any:
		for _, e := range x {
			if w, ok := controlIn(e); ok {
				return w, true
			}
		}
	case map[string]any:
		for k, e := range x {
			if _, ok := controlIn(k); ok {
				return "keys", true
			}
			if _, ok := controlIn(e); ok {
				return k, true
			}
		}
	}
	return "", false
}
