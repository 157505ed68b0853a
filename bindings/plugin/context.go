package plugin

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"

	"host/bindings/abort"
	"host/bindings/console"
	"host/bindings/node"
	"host/bindings/store"
	"host/jsrt"
)

// The SDK's PluginContext members beyond config, secrets and store:
// logger, messages, events, status, notifications, sleep, schedules, http,
// dataDir, host info and the (empty) discovery lists.

//go:embed context.js
var contextJS string

var contextProgram = jsrt.NewProgram("host:plugin/context.js", contextJS)

// helpers is context.js's object, made once per runtime. On the loop.
func (p *Plugin) helpers(vm *goja.Runtime) (*goja.Object, error) {
	if p.jsHelpers != nil {
		return p.jsHelpers, nil
	}
	v, err := vm.RunProgram(contextProgram.Get())
	if err != nil {
		return nil, err
	}
	fn, _ := goja.AssertFunction(v)
	h, err := fn(goja.Undefined())
	if err != nil {
		return nil, err
	}
	p.jsHelpers = h.ToObject(vm)
	return p.jsHelpers, nil
}

func callHelper(vm *goja.Runtime, h *goja.Object, name string, args ...goja.Value) (goja.Value, error) {
	fn, ok := goja.AssertFunction(h.Get(name))
	if !ok {
		return nil, fmt.Errorf("context.js has no %s", name)
	}
	return fn(h, args...)
}

// Platform is ctx.host.platform for this build: "linux", "macos" or
// "windows" (other systems report their GOOS).
func Platform() string {
	switch runtime.GOOS {
	case "darwin":
		return "macos"
	}
	return runtime.GOOS
}

// Limits of what one call of the context's APIs takes.
const (
	// MaxMessagesPerCall bounds one ctx.emitMessages.
	MaxMessagesPerCall = 100_000
	// MaxDataDepth bounds how deeply message metadata and event payloads
	// nest (JSON.stringify of deep nesting is slow and cannot be stopped).
	MaxDataDepth = 64
	// maxText bounds a status message, a notification's title and body,
	// and an event type.
	maxText = 4096
)

// isCircular reports whether err is JSON.stringify's refusal of a value
// that refers to itself.
func isCircular(err error) bool {
	return err != nil && strings.Contains(err.Error(), "Converting circular structure to JSON")
}

// Capabilities are ctx.host.capabilities: what this host gives plugins.
var Capabilities = []string{"tools", "loop", "lifecycle", "messages", "events", "status", "notifications", "schedule", "dataDir", "secrets", "store", "oauth2", "permissions"}

// fieldsText renders a logger's data argument as " key=value" pairs, keys
// sorted, strings bare unless they hold spaces or quotes, everything else
// as JSON. On the loop.
func fieldsText(vm *goja.Runtime, data goja.Value) string {
	o, ok := data.(*goja.Object)
	if !ok || goja.IsNull(data) || goja.IsUndefined(data) {
		if data == nil || goja.IsUndefined(data) || goja.IsNull(data) {
			return ""
		}
		return " " + inspectLine(vm, data)
	}
	keys := o.Keys()
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := o.Get(k)
		b.WriteByte(' ')
		b.WriteString(k)
		b.WriteByte('=')
		if s, ok := v.Export().(string); ok {
			if s != "" && !strings.ContainsAny(s, " \t\n\"=") {
				b.WriteString(s)
			} else {
				q, _ := json.Marshal(s)
				b.Write(q)
			}
			continue
		}
		if e, ok := v.(*goja.Object); ok && e.ClassName() == "Error" {
			b.WriteString(fmt.Sprintf("%q", e.String()))
			continue
		}
		// Inspect, not JSON.stringify: it is bounded in depth and length.
		b.WriteString(inspectLine(vm, v))
	}
	return b.String()
}

// inspectLine is util.inspect(v) on one line, cut at console.MaxLine. An
// exception of plugin code (a custom inspect function) is thrown on. On the
// loop.
func inspectLine(vm *goja.Runtime, v goja.Value) string {
	s, err := node.InspectLine(vm, v)
	if err != nil {
		var ex *goja.Exception
		var in *goja.InterruptedError
		if errors.As(err, &ex) || errors.As(err, &in) {
			panic(err)
		}
		s = v.String()
	}
	if len(s) > console.MaxLine {
		s = s[:console.MaxLine] + "…"
	}
	return s
}

// newLogger is ctx.logger: debug/info/warn/error(msg, data?), data shown
// as fields; masked like every line.
func (p *Plugin) newLogger(vm *goja.Runtime, sink console.Sink) *goja.Object {
	o := vm.NewObject()
	for _, l := range []console.Level{console.Debug, console.Info, console.Warn, console.Error} {
		_ = o.Set(l.String(), jsrt.Safe(vm, "ctx.logger."+l.String(), func(c goja.FunctionCall) goja.Value {
			msg := c.Argument(0)
			text, ok := msg.Export().(string)
			if !ok {
				text = console.Format(vm, []goja.Value{msg})
			}
			sink(console.Entry{Level: l, Message: text + fieldsText(vm, c.Argument(1))})
			return goja.Undefined()
		}))
	}
	return o
}

// atMessage names message i in errors: "msg", or "msgs[3]". It is a
// fmt.Stringer so the name is only built for an error.
type atMessage int

func atMessageOf(i int, many bool) atMessage {
	if !many {
		return -1
	}
	return atMessage(i)
}

func (a atMessage) String() string {
	if a < 0 {
		return "msg"
	}
	return "msgs[" + strconv.Itoa(int(a)) + "]"
}

var incomingKeys = []string{"source", "channel", "content", "sender", "metadata", "classification", "threadId", "timestamp", "attachments"}

// readMessages reads IncomingMessage objects off the JS values, list[0]
// being message number first, checking each field, so an error can name
// the message and the field. Strings are masked. On the loop.
func (p *Plugin) readMessages(vm *goja.Runtime, list []goja.Value, first int, many bool) ([]store.Message, error) {
	mask := p.host.Masker.Mask
	out := make([]store.Message, len(list))
	var meta metadataBatch
	for i, v := range list {
		at := atMessageOf(first+i, many)
		o, ok := v.(*goja.Object)
		if !ok || goja.IsNull(v) || o.ClassName() == "Array" {
			return nil, jsrt.TypeErrorf("%s must be an object { source, channel, content, ... }, got %s", at, jsrt.TypeNameWithArticle(v))
		}
		m := &out[i]
		str := func(key string, x goja.Value) (string, error) {
			s, ok := x.Export().(string)
			if !ok {
				return "", jsrt.TypeErrorf("%s.%s must be a string, got %s", at, key, jsrt.TypeNameWithArticle(x))
			}
			return s, nil
		}
		var have [3]bool // source, channel, content
		for _, k := range o.Keys() {
			x := o.Get(k)
			if goja.IsUndefined(x) || goja.IsNull(x) {
				continue
			}
			var err error
			switch k {
			case "source":
				m.Source, err = str(k, x)
				have[0] = true
			case "channel":
				m.Channel, err = str(k, x)
				have[1] = true
			case "content":
				m.Content, err = str(k, x)
				have[2] = true
			case "classification":
				if m.Classification, err = str(k, x); err == nil {
					switch m.Classification {
					case "personal", "work", "automated", "spam":
					default:
						err = jsrt.TypeErrorf("%s.classification must be 'personal', 'work', 'automated' or 'spam', got %q", at, m.Classification)
					}
				}
			case "threadId":
				m.ThreadID, err = str(k, x)
			case "timestamp":
				if m.Timestamp, err = str(k, x); err == nil {
					if _, perr := time.Parse(time.RFC3339Nano, m.Timestamp); perr != nil {
						err = jsrt.TypeErrorf("%s.timestamp must be ISO 8601 (new Date().toISOString()), got %q", at, m.Timestamp)
					}
				}
			case "metadata":
				mo, ok := x.(*goja.Object)
				if !ok || mo.ClassName() == "Array" {
					err = jsrt.TypeErrorf("%s.metadata must be an object, got %s", at, jsrt.TypeNameWithArticle(x))
					break
				}
				meta.add(i, at, mo) // turned into JSON with the others below
			case "sender":
				so, ok := x.(*goja.Object)
				if !ok {
					err = jsrt.TypeErrorf("%s.sender must be { id, name, avatarUrl? }, got %s", at, jsrt.TypeNameWithArticle(x))
					break
				}
				var s store.MessageSender
				s.ID, _ = so.Get("id").Export().(string)
				s.Name, _ = so.Get("name").Export().(string)
				if av := so.Get("avatarUrl"); av != nil && !goja.IsUndefined(av) {
					s.AvatarURL, _ = av.Export().(string)
				}
				if s.ID == "" || s.Name == "" {
					err = jsrt.TypeErrorf("%s.sender must be { id, name, avatarUrl? } with string id and name", at)
				}
				s.Name = mask(s.Name)
				m.Sender = &s
			case "attachments":
				ao, ok := x.(*goja.Object)
				if !ok || ao.ClassName() != "Array" {
					err = jsrt.TypeErrorf("%s.attachments must be an array of { name, mimeType, url?, content? }", at)
					break
				}
				n := int(ao.Get("length").ToInteger())
				for j := 0; j < n && err == nil; j++ {
					e, ok := ao.Get(strconv.Itoa(j)).(*goja.Object)
					if !ok {
						err = jsrt.TypeErrorf("%s.attachments[%d] must be { name, mimeType, url?, content? }", at, j)
						break
					}
					var a store.MessageAttachment
					a.Name, _ = e.Get("name").Export().(string)
					a.MimeType, _ = e.Get("mimeType").Export().(string)
					if u := e.Get("url"); u != nil && !goja.IsUndefined(u) {
						a.URL, _ = u.Export().(string)
					}
					if c := e.Get("content"); c != nil && !goja.IsUndefined(c) {
						a.Content, _ = c.Export().(string)
					}
					if a.Name == "" || a.MimeType == "" {
						err = jsrt.TypeErrorf("%s.attachments[%d] needs a name and a mimeType", at, j)
					}
					a.URL = mask(a.URL)
					m.Attachments = append(m.Attachments, a)
				}
			default:
				err = jsrt.TypeErrorf("%s has an unknown key %q; an IncomingMessage has %s", at, k, strings.Join(incomingKeys, ", "))
			}
			if err != nil {
				return nil, meta.firstError(p, vm, err)
			}
		}
		for j, key := range []string{"source", "channel", "content"} {
			if !have[j] {
				return nil, meta.firstError(p, vm, jsrt.TypeErrorf("%s.%s is required (a string)", at, key))
			}
		}
		if m.Source == "" {
			return nil, meta.firstError(p, vm, jsrt.TypeErrorf("%s.source is empty; it is the message's dedup key, e.g. 'github:issue:owner/repo#12'", at))
		}
		m.Source, m.Channel, m.Content, m.ThreadID = mask(m.Source), mask(m.Channel), mask(m.Content), mask(m.ThreadID)
	}
	texts, err := meta.stringify(p, vm)
	if err != nil {
		return nil, err
	}
	for j, i := range meta.index {
		out[i].Metadata = json.RawMessage(mask(texts[j]))
	}
	return out, nil
}

// metadataBatch is the metadata objects of the messages readMessages
// reads, turned into JSON in one JSON.stringify of them all (one walk
// guard instead of one per message: most of the cost for small objects).
// When that one refuses, each is turned into JSON alone to find the first
// that fails, so the error is the same as one walk per message gives.
type metadataBatch struct {
	index []int       // the message each object belongs to (in readMessages' list)
	at    []atMessage // its name in errors
	objs  []any       // the objects (goja values)
}

func (b *metadataBatch) add(i int, at atMessage, o *goja.Object) {
	b.index = append(b.index, i)
	b.at = append(b.at, at)
	b.objs = append(b.objs, o)
}

// stringify returns each object's JSON text, or the error of the first
// that has none. On the loop.
func (b *metadataBatch) stringify(p *Plugin, vm *goja.Runtime) ([]string, error) {
	if len(b.objs) == 0 {
		return nil, nil
	}
	// The array adds a level: the bound on each object stays MaxDataDepth.
	text, err := stringifyJSONDepth(p.rt, vm.NewArray(b.objs...), MaxDataDepth+1)
	var parts []json.RawMessage
	if err == nil && json.Unmarshal([]byte(text), &parts) == nil && len(parts) == len(b.objs) {
		texts := make([]string, len(parts))
		for j, t := range parts {
			texts[j] = string(t)
		}
		return texts, nil
	}
	texts := make([]string, len(b.objs))
	for j, o := range b.objs {
		if texts[j], err = metadataJSON(p, b.at[j], o.(goja.Value)); err != nil {
			return nil, err
		}
	}
	return texts, nil
}

// firstError is err, unless a metadata object read before it has no JSON
// form: then that one's error, as one walk per message in order gives.
func (b *metadataBatch) firstError(p *Plugin, vm *goja.Runtime, err error) error {
	if _, merr := b.stringify(p, vm); merr != nil {
		return merr
	}
	return err
}

// metadataJSON is one message's metadata as JSON text. The guard bounds
// the depth while stringify walks (one walk; it sees what toJSON and
// getters give, too). On the loop.
func metadataJSON(p *Plugin, at atMessage, x goja.Value) (string, error) {
	text, serr := stringifyJSONDepth(p.rt, x, MaxDataDepth)
	switch {
	case errors.Is(serr, jsrt.ErrTooDeep) || isCircular(serr):
		return "", jsrt.TypeErrorf("%s.metadata nests more than %d levels deep (or refers to itself); send flatter data", at, MaxDataDepth)
	case errors.Is(serr, jsrt.ErrTooLarge):
		return "", jsrt.WithCode(jsrt.TypeErrorf("%s.metadata: %v", at, serr), "ERR_VALUE_TOO_LARGE")
	case serr != nil:
		return "", jsrt.TypeErrorf("%s.metadata cannot be turned into JSON: %v", at, serr)
	}
	return text, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// emitPart is how many messages' metadata one JSON walk takes.
const emitPart = 500

// emit is ctx.emitMessage (one) and ctx.emitMessages (many): the messages
// are checked, masked, and stored in the plugin's inbox, dropping any whose
// source is there already; Host.OnMessages sees the new ones.
func (p *Plugin) emit(vm *goja.Runtime, st *store.Store, many bool) func(goja.FunctionCall) goja.Value {
	name := "ctx.emitMessage"
	if many {
		name = "ctx.emitMessages"
	}
	return func(c goja.FunctionCall) goja.Value {
		arg := c.Argument(0)
		o, ok := arg.(*goja.Object)
		if !ok || goja.IsNull(arg) || (many != (o.ClassName() == "Array")) {
			want := "an IncomingMessage object { source, channel, content, ... }"
			if many {
				want = "an array of IncomingMessage objects"
			}
			return jsrt.Rejected(vm, jsrt.TypeErrorf("%s expects %s, got %s", name, want, jsrt.TypeNameWithArticle(arg)))
		}
		var list []goja.Value
		if many {
			n := int(o.Get("length").ToInteger())
			if n > MaxMessagesPerCall {
				return jsrt.Rejected(vm, jsrt.RangeErrorf("%s: %d messages in one call; the limit is %d: emit them in batches", name, n, MaxMessagesPerCall))
			}
			list = make([]goja.Value, n)
			for i := range list {
				list[i] = o.Get(strconv.Itoa(i))
			}
		} else {
			list = []goja.Value{o}
		}
		// Read in parts: each part's metadata is turned into JSON in one
		// walk (metadataBatch), over a bounded array, and handed to the
		// store's writer, which stores it on a goroutine of its own (in the
		// one transaction of the call) while the loop reads the next part:
		// on two cores the call takes about the longer of the two rather
		// than their sum (BenchmarkEmitMessages10k).
		w := st.BeginMessages((len(list) + emitPart - 1) / emitPart)
		committing := false
		defer func() {
			if !committing { // refused, or a getter threw
				w.Abort()
			}
		}()
		var held []store.Message // emitAfterRead
		for start := 0; start < len(list); start += emitPart {
			end := min(start+emitPart, len(list))
			part, err := p.readMessages(vm, list[start:end], start, many)
			if err != nil {
				return jsrt.Rejected(vm, jsrt.TypeErrorf("%s: %w", name, err))
			}
			if p.host.emitAfterRead {
				held = append(held, part...)
				continue
			}
			w.Add(part)
		}
		if held != nil {
			w.Add(held)
		}
		if err := p.host.rates.allow(name, p.ID, false, 1); err != nil { // a call is one, as in the SDK's host
			return jsrt.Rejected(vm, err)
		}
		committing = true
		return p.rt.Go(func(ctx context.Context) (any, error) {
			added, err := w.Commit(ctx)
			if err != nil {
				return nil, err
			}
			if len(added) > 0 && p.host.OnMessages != nil {
				p.host.OnMessages(p.ID, added)
			}
			return jsrt.Undefined, nil
		})
	}
}

// emitEvent is ctx.emitEvent(type, payload): kept in the plugin's event
// log (`host events PLUGIN`).
func (p *Plugin) emitEvent(vm *goja.Runtime, st *store.Store) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		typ, ok := c.Argument(0).Export().(string)
		if !ok || typ == "" || len(typ) > 200 {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.emitEvent(type, payload): type must be a string of 1-200 bytes, got %s", jsrt.TypeNameWithArticle(c.Argument(0))))
		}
		payload := c.Argument(1)
		text := "{}"
		if !goja.IsUndefined(payload) {
			po, ok := payload.(*goja.Object)
			if !ok || goja.IsNull(payload) || po.ClassName() == "Array" {
				return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.emitEvent(%q, payload): payload must be an object, got %s", typ, jsrt.TypeNameWithArticle(payload)))
			}
			s, err := stringifyJSONDepth(p.rt, payload, MaxDataDepth)
			if errors.Is(err, jsrt.ErrTooDeep) || isCircular(err) {
				return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.emitEvent(%q, payload): payload nests more than %d levels deep (or refers to itself); send flatter data", typ, MaxDataDepth))
			}
			if errors.Is(err, jsrt.ErrTooLarge) {
				return jsrt.Rejected(vm, jsrt.WithCode(jsrt.TypeErrorf("ctx.emitEvent(%q, payload): %v", typ, err), "ERR_VALUE_TOO_LARGE"))
			}
			if err != nil {
				return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.emitEvent(%q, payload): payload cannot be turned into JSON: %v", typ, err))
			}
			text = s
		}
		if err := p.host.rates.allow("ctx.emitEvent", p.ID, true, 1); err != nil {
			return jsrt.Rejected(vm, err)
		}
		return p.rt.Go(func(ctx context.Context) (any, error) {
			ev, err := st.AddEvent(ctx, p.host.Masker.Mask(typ), json.RawMessage(p.host.Masker.Mask(text)))
			if err != nil {
				return nil, err
			}
			if p.host.OnEvent != nil {
				p.host.OnEvent(p.ID, ev)
			}
			return jsrt.Undefined, nil
		})
	}
}

var statusStates = []string{"connected", "connecting", "disconnected", "error", "syncing"}

// updateStatus is ctx.updateStatus({ state, message?, progress? }): kept
// as the plugin's status (`host status`); Host.OnStatus sees it.
func (p *Plugin) updateStatus(vm *goja.Runtime, st *store.Store) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		arg := c.Argument(0)
		o, ok := arg.(*goja.Object)
		if !ok || goja.IsNull(arg) {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.updateStatus expects { state, message?, progress? }, got %s", jsrt.TypeNameWithArticle(arg)))
		}
		var s store.Status
		s.State, _ = o.Get("state").Export().(string)
		if !containsString(statusStates, s.State) {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.updateStatus: state must be one of %s, got %s", strings.Join(statusStates, ", "), jsrt.TypeNameWithArticle(o.Get("state"))))
		}
		if m := o.Get("message"); m != nil && !goja.IsUndefined(m) && !goja.IsNull(m) {
			text, ok := m.Export().(string)
			if !ok || len(text) > maxText {
				return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.updateStatus: message must be a string of at most %d bytes, got %s", maxText, jsrt.TypeNameWithArticle(m)))
			}
			s.Message = p.host.Masker.Mask(text)
		}
		if pv := o.Get("progress"); pv != nil && !goja.IsUndefined(pv) && !goja.IsNull(pv) {
			f := pv.ToFloat()
			if _, isNum := pv.Export().(string); isNum || math.IsNaN(f) || math.IsInf(f, 0) {
				return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.updateStatus: progress must be a number, got %s", jsrt.TypeNameWithArticle(pv)))
			}
			s.Progress = &f
		}
		s.Updated = time.Now()
		return p.rt.Go(func(ctx context.Context) (any, error) {
			if err := st.SetStatus(ctx, s); err != nil {
				return nil, err
			}
			if p.host.OnStatus != nil {
				p.host.OnStatus(p.ID, s)
			}
			return jsrt.Undefined, nil
		})
	}
}

// Notification is what ctx.notify shows, masked.
type Notification struct {
	Plugin string
	Title  string
	Body   string
	// Action is what the plugin asked clicking it to do (the SDK's
	// NotificationAction); host shows it as text.
	ActionType, ActionTarget string
}

// notify is ctx.notify({ title, body, action? }): Host.Notify shows it
// (a desktop notification); when there is none or it fails, a log line.
func (p *Plugin) notify(vm *goja.Runtime, sink console.Sink) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		arg := c.Argument(0)
		o, ok := arg.(*goja.Object)
		if !ok || goja.IsNull(arg) {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.notify expects { title, body, action? }, got %s", jsrt.TypeNameWithArticle(arg)))
		}
		n := Notification{Plugin: p.ID}
		var ok1, ok2 bool
		n.Title, ok1 = o.Get("title").Export().(string)
		n.Body, ok2 = o.Get("body").Export().(string)
		if !ok1 || !ok2 || len(n.Title) > maxText || len(n.Body) > maxText {
			return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.notify: title and body must be strings of at most %d bytes", maxText))
		}
		if a, ok := o.Get("action").(*goja.Object); ok {
			n.ActionType, _ = a.Get("type").Export().(string)
			n.ActionTarget, _ = a.Get("target").Export().(string)
			switch n.ActionType {
			case "open_session", "open_settings", "open_url":
			default:
				return jsrt.Rejected(vm, jsrt.TypeErrorf("ctx.notify: action.type must be 'open_session', 'open_settings' or 'open_url'"))
			}
		}
		m := p.host.Masker
		n.Title, n.Body, n.ActionTarget = m.Mask(n.Title), m.Mask(n.Body), m.Mask(n.ActionTarget)
		line := func() {
			text := "notification: " + n.Title
			if n.Body != "" {
				text += ": " + n.Body
			}
			if n.ActionTarget != "" {
				text += " (" + n.ActionTarget + ")"
			}
			sink(console.Entry{Level: console.Info, Message: text})
		}
		notifier := p.host.Notify
		if notifier == nil {
			line()
			return vm.ToValue(resolvedPromise(vm))
		}
		return p.rt.Go(func(ctx context.Context) (any, error) {
			if err := notifier(ctx, n); err != nil {
				p.rt.Post(func(*goja.Runtime) { line() })
			}
			return jsrt.Undefined, nil
		})
	}
}

func resolvedPromise(vm *goja.Runtime) *goja.Promise {
	pr, resolve, _ := vm.NewPromise()
	_ = resolve(goja.Undefined())
	return pr
}

// sleeper is one pending ctx.sleep.
type sleeper struct {
	resolve func(any) error
	reject  func(any) error
	timer   *time.Timer
}

// sleep is ctx.sleep(ms): resolves after ms (at once, but after other
// work waiting on the loop, for 0), rejects with ctx.signal's reason as
// soon as the plugin stops. Under RunLoopOnce the first sleep ends the run.
func (p *Plugin) sleep(vm *goja.Runtime) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		ms := c.Argument(0).ToFloat()
		if math.IsNaN(ms) || ms < 0 {
			ms = 0
		}
		ctrl, err := p.signalController(vm)
		if err != nil {
			panic(jsrt.NewError(vm, err))
		}
		if p.onceMode {
			p.onceMode = false
			ctrl.Abort(vm, "the loop ran once")
		}
		sig := ctrl.Signal().ToObject(vm)
		pr, resolve, reject := vm.NewPromise()
		if sig.Get("aborted").ToBoolean() {
			_ = reject(sig.Get("reason"))
			return vm.ToValue(pr)
		}
		p.sleepSeq++
		id := p.sleepSeq
		s := &sleeper{resolve: resolve, reject: reject}
		p.sleepers[id] = s
		p.slept.Store(true)
		fire := func(*goja.Runtime) {
			if s, ok := p.sleepers[id]; ok {
				delete(p.sleepers, id)
				_ = s.resolve(goja.Undefined())
			}
		}
		// A tool call's ctx has a signal of its own (aborted when the caller
		// gives up): the sleep ends with it too.
		if t, ok := c.This.(*goja.Object); ok && t != p.ctxObj {
			if cs := t.Get("signal"); cs != nil && !cs.SameAs(ctrl.Signal()) {
				abort.OnAbort(vm, cs, func() {
					if s, ok := p.sleepers[id]; ok {
						delete(p.sleepers, id)
						if s.timer != nil {
							s.timer.Stop()
						}
						_ = s.reject(cs.ToObject(vm).Get("reason"))
					}
				})
			}
		}
		if _, pending := p.sleepers[id]; !pending {
			return vm.ToValue(pr)
		}
		if ms == 0 {
			p.rt.Post(fire)
		} else {
			d := time.Duration(math.Min(ms, float64(math.MaxInt64/int64(time.Millisecond)))) * time.Millisecond
			s.timer = time.AfterFunc(d, func() { p.rt.Post(fire) })
		}
		return vm.ToValue(pr)
	}
}

// wakeSleepers rejects every pending ctx.sleep with reason. On the loop.
func (p *Plugin) wakeSleepers(reason goja.Value) {
	for id, s := range p.sleepers {
		delete(p.sleepers, id)
		if s.timer != nil {
			s.timer.Stop()
		}
		_ = s.reject(reason)
	}
}

// permissionDenied returns a function rejecting with a PermissionError.
func (p *Plugin) permissionDenied(vm *goja.Runtime, what, need string) func(goja.FunctionCall) goja.Value {
	return func(goja.FunctionCall) goja.Value {
		return jsrt.Rejected(vm, p.denied(what, need))
	}
}

// APIVersion is the level of the plugin SDK's host API that host
// implements: ctx.host.version, and what a package's
// "hivemind".minHostVersion is compared with. 0.2.0 is the level of the
// SDK's publishing guide (its example asks for "minHostVersion": "0.2.0"):
// definePlugin with tools, loop and lifecycle hooks, the whole
// PluginContext, token and OAuth2 auth, the schema utilities and the
// testing harness. Raise it when host implements a later level.
const APIVersion = "0.2.0"
