// Package plugin is the Go side of `definePlugin` and of the plugin
// lifecycle: Load (build, run, read and check the definition) -> Setup
// (which config fields are known, from where, and which are missing: data,
// not prompts) -> Activate (validated config, the PluginContext, onActivate)
// -> Deactivate (ctx.signal aborted, onDeactivate, runtime closed). It never
// prints or prompts; the CLI turns its data into a conversation.
package plugin

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"host/bindings/abort"
	"host/bindings/console"
	"host/bindings/fetch"
	"host/bindings/globals"
	"host/bindings/mask"
	"host/bindings/node"
	"host/bindings/oauth"
	"host/bindings/sdk"
	"host/bindings/secrets"
	"host/bindings/store"
	"host/bindings/zod"
	"host/jsrt"
	"host/schema"
)

// Host holds what every plugin instance in this process shares. Its fields
// must be set before Load and not changed after.
type Host struct {
	// DataDir holds plugins/<id>/config.json; the store database is opened
	// by the caller (usually DataDir/store.db).
	DataDir string
	Secrets secrets.Backend
	// SecretsNamespace is appended to every secret service name of this
	// host's plugins (see secrets.Scoped.Namespace and DataDirNamespace):
	// set for a data dir other than the default on a per-user backend, so
	// another data dir's secrets stay out of reach.
	SecretsNamespace string
	Store            *store.DB
	// HTTP is the client behind the plugin's fetch (and OAuth).
	HTTP *http.Client
	// Log receives what plugins print and errors nobody caught, with every
	// secret the host knows masked. It is called on the plugin's loop
	// goroutine and must not block.
	Log console.Sink
	// Masker learns every secret value plugins read, write or are
	// configured with; Log entries are masked with it and ctx.store refuses
	// values that contain one. Nil masks nothing (tests only).
	Masker *mask.Masker
	// Timeout bounds one entry into plugin code (default jsrt's 30 s);
	// CallTimeout bounds each Go call a plugin makes (default 30 s).
	Timeout, CallTimeout time.Duration
	// DataQuota bounds what each plugin keeps in its ctx.dataDir (files
	// and directories, each counted as at least DataBlock bytes) and its
	// ctx.store and inbox and event log (each key and value, source and
	// message, type and payload, plus store.RowOverhead) together; 0
	// means DefaultDataQuota. A write past it is refused to that plugin
	// alone (ERR_DATADIR_QUOTA, ERR_STORE_QUOTA).
	DataQuota int64
	// QuotaHelp, when set, is added to a quota refusal: how the user
	// can free the plugin's room, in the words of the program embedding
	// the host (cmd/host names its command). Called once per plugin load.
	QuotaHelp func(pluginID string) string
	// OnStuck, when set, hears of plugin code still running a
	// jsrt.DefaultStuckGrace past Timeout, inside a native call nothing
	// but the end of the process stops (see jsrt.Options.OnStuck). It is
	// called on a goroutine of its own.
	OnStuck func(plugin string, err error)
	// WorkDir is where positions in errors are relative to (default cwd).
	WorkDir string
	// LoopMinBackoff is the first retry delay after a failed loop run
	// (default DefaultLoopMinBackoff); LoopStopWait bounds the wait for a
	// run at deactivation (default DefaultLoopStopWait).
	LoopMinBackoff, LoopStopWait time.Duration
	// onLoopWait, for tests, sees each wait the loop schedules.
	onLoopWait func(next time.Duration, err error)
	// Step, when set, hears each step of a Load as it is reached ("built":
	// the bundle is built or taken from CacheDir; "installed": the JS APIs
	// are installed in the fresh runtime): the start-up budget's trace.
	Step func(step string)
	// CacheDir, when set, keeps built bundles so an unchanged plugin starts
	// without running esbuild (see jsrt.BuildCached).
	CacheDir string
	// StrictPermissions puts every plugin in strict mode: a permission
	// category a plugin does not declare is denied (see StrictFile for the
	// data dir's own setting).
	StrictPermissions bool
	// Version is host's own version (`host version`). Plugins see
	// APIVersion instead, as ctx.host.version and in the minHostVersion
	// check.
	Version string

	// OnMessages sees the messages a plugin emitted that were new to its
	// inbox (already stored, masked), in order; OnEvent each event;
	// OnStatus each status. They are called on a goroutine of the plugin's
	// Go work, one call at a time per plugin, and must not block for long.
	OnMessages func(plugin string, msgs []store.Message)
	OnEvent    func(plugin string, ev store.Event)
	OnStatus   func(plugin string, st store.Status)
	// Notify shows ctx.notify's notification (the CLI's notify.Desktop
	// does it on the desktop); nil or an error makes it a log line instead. Called on
	// a goroutine of its own, bounded by CallTimeout.
	Notify func(ctx context.Context, n Notification) error

	rates rateTable // MessagesPerMinute, EventsPerMinute per plugin
	// emitAfterRead makes emitMessages hand the store its messages only
	// once all are read, as before the store wrote parts while the loop
	// read: BenchmarkEmitMessages10k's yardstick.
	emitAfterRead bool
}

// onStuck is the jsrt.Options.OnStuck of the plugin whose id id holds.
func (h *Host) onStuck(id *string) func(error) {
	if h.OnStuck == nil {
		return nil
	}
	return func(err error) { h.OnStuck(*id, err) }
}

func (h *Host) step(s string) {
	if h.Step != nil {
		h.Step(s)
	}
}

// log hands e to Log with the known secrets masked and terminal controls
// written out (jsrt.CleanControls).
func (h *Host) log(e console.Entry) {
	if h.Log == nil {
		return
	}
	e.Message = jsrt.CleanControls(h.Masker.Mask(e.Message))
	h.Log(e)
}

// Plugin is one loaded plugin instance with its own JS runtime. Methods are
// safe to call from one goroutine at a time (the CLI's); they hand JS work
// to the runtime's loop.
type Plugin struct {
	ID          string
	Name        string
	Version     string
	Description string
	File        string // the entry file as shown in messages
	Inputs      []string
	// Warnings are esbuild's warnings about the plugin's source (what it
	// built but probably did not mean), with positions.
	Warnings []jsrt.Message
	Config   *schema.Schema // the object configSchema; an empty object when absent
	Auth     *Auth          // nil when the plugin declares no auth
	// Manifest is the plugin package's package.json; nil without one.
	Manifest *Manifest

	host *Host
	rt   *jsrt.Runtime

	// loop-only
	def        *goja.Object
	defPos     string
	ctxObj     *goja.Object
	callProto  *callProto        // the ctx of tool calls with CallOptions
	controller *abort.Controller // ctx.signal's, made on first use (signalController)
	earlyAbort string            // ctx.signal's abort reason before it was made
	tools      []Tool
	loopEvery  time.Duration
	loop       *loopRunner
	oauth      *oauthState
	tracer     tracer // what onActivate did on the network (see Trace)
	jsHelpers  *goja.Object
	loopFn     goja.Callable // the SDK's loop(ctx); host's { every, run } normalised
	sleepers   map[int64]*sleeper
	sleepSeq   int64
	onceMode   bool // RunLoopOnce: the first ctx.sleep ends the run

	perms      Permissions
	permsReady chan struct{} // closed once perms are known
	permsOnce  sync.Once
	data       *dataDir
	slept      atomic.Bool // a ctx.sleep since the loop (re)started

	mu        sync.Mutex
	active    bool
	closed    bool
	schedules map[string]*scheduled
	idHolder  *string
	activated map[string]any
}

// Auth is the plugin's auth declaration.
type Auth struct {
	Type   string // "token" or "oauth2"
	Fields []AuthField
	OAuth2 *OAuth2
}

// AuthField is one entry of a token auth's fields: help for a config field.
type AuthField struct {
	Key      string
	Label    string
	HelpURL  string
	HelpText string
}

// OAuth2 is an oauth2 auth declaration.
type OAuth2 struct {
	AuthorizationURL       string
	TokenURL               string
	Scopes                 []string
	PKCE                   bool
	ClientID               string
	DeviceAuthorizationURL string
	RedirectPort           int
}

// DefinitionError is a plugin definition that is not usable, at the
// position of its definePlugin call.
type DefinitionError struct {
	Pos      string // "plugin.ts:3:16"
	Problems []string
}

func (e *DefinitionError) Error() string {
	var b strings.Builder
	if e.Pos != "" {
		b.WriteString(e.Pos)
		b.WriteString(": ")
	}
	b.WriteString("invalid plugin definition: ")
	b.WriteString(strings.Join(e.Problems, "; "))
	return b.String()
}

// globalName is the variable the bundle assigns the module's exports to.
const globalName = "__hostPluginModule"

// hostModule is `import ... from "host:plugin"`.
const hostModule = `export const definePlugin = globalThis.definePlugin;
export const z = globalThis.z;
export const fetch = (...a) => globalThis.fetch(...a);
export default { definePlugin, z };
`

// SDKModule is the import path of the plugin SDK the spec comes from.
// host provides the module itself: an import of it never reaches a copy
// in node_modules (whose definePlugin would start its own Node runtime).
const SDKModule = "@hivemind-os/plugin-sdk"

// sdkModule is host's `@hivemind-os/plugin-sdk`: definePlugin and z (the
// types are declarations only); the SDK's process runtime and transport
// have no place in host and say so when used. Its z is zod 3's (the SDK
// pins zod ^3.23 and re-exports it): where zod 3 and 4 differ, schemas made
// with it validate as zod 3 does (see package zod).
const sdkModule = `export const definePlugin = globalThis.definePlugin;
export const z = globalThis.z[Symbol.for('` + zod.Zod3Key + `')];
` + sdk.Module + `const notInHost = (name) => function () {
  throw new Error(name + ' is part of the SDK\'s own Node runtime; host runs the plugin itself, so remove the call');
};
export const startPluginRuntime = notInHost('startPluginRuntime');
export const JsonRpcTransport = notInHost('JsonRpcTransport');
export const JsonRpcTransportError = notInHost('JsonRpcTransportError');
export default { definePlugin, z, serializeConfigSchema, getFieldMeta };
`

// idRE is what a plugin id may be. Like the other regexps of the host it is
// compiled on first use: package init runs for every command.
var idRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`) })

// DefaultID is the id of a plugin file that declares none: its package's
// name (the package.json of the package whose entry it is; see
// findManifest and Manifest.ID), else the directory name for
// plugin.ts/index.ts (and .js), else the file name without its extension,
// made an id as Manifest.ID makes a package name one.
func DefaultID(path string) string {
	if m, _ := findManifest(path); m != nil && m.ID() != "" {
		return m.ID()
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	base := filepath.Base(abs)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	if stem == "plugin" || stem == "index" {
		stem = filepath.Base(filepath.Dir(abs))
	}
	if id := idFromName(stem); id != "" {
		return id
	}
	return strings.ToLower(stem)
}

// Load builds the plugin file, runs it in a fresh runtime and reads its
// definition. A build error is a *jsrt.BuildError; an exception at load a
// *jsrt.JSError; a bad definition a *DefinitionError. On error nothing is
// left running.
func Load(ctx context.Context, h *Host, path string) (*Plugin, error) {
	b, err := jsrt.BuildCached(jsrt.BuildOptions{
		Entry:      path,
		WorkDir:    h.WorkDir,
		Root:       Root(path),
		Virtual:    Modules(),
		GlobalName: globalName,
	}, h.CacheDir)
	if err != nil {
		return nil, err
	}
	h.step("built")
	return LoadBundle(ctx, h, b, path)
}

// Modules returns the modules host provides to plugin code, for
// jsrt.BuildOptions.Virtual: the SDK's, "host:plugin", node-fetch (host's
// fetch) and Node's built-ins. The map is the caller's to extend.
func Modules() map[string]string {
	virtual := map[string]string{"host:plugin": hostModule, SDKModule: sdkModule, "node-fetch": fetch.NodeFetchModule}
	maps.Copy(virtual, node.Modules())
	return virtual
}

// LoadBundle is Load for a bundle already built.
func LoadBundle(ctx context.Context, h *Host, b *jsrt.Bundle, path string) (*Plugin, error) {
	id := DefaultID(path)
	p := &Plugin{ID: id, File: b.File, Inputs: b.Inputs, Warnings: b.Warnings, host: h, idHolder: &id,
		permsReady: make(chan struct{}), sleepers: map[int64]*sleeper{}}
	defer p.permsOnce.Do(func() { p.setPermissions(false) }) // a failed load allows nothing
	m, err := findManifest(path)
	if err != nil {
		return nil, err
	}
	p.Manifest = m
	p.rt = jsrt.New(jsrt.Options{
		Timeout:     h.Timeout,
		CallTimeout: h.CallTimeout,
		OnError: func(err error) {
			h.log(console.Entry{Plugin: *p.idHolder, Level: console.Error, Message: err.Error()})
		},
		OnStuck: h.onStuck(p.idHolder),
	})
	var defs []*goja.Object
	var defPos []string
	err = p.rt.Do(ctx, func(vm *goja.Runtime) error {
		err := globals.Install(p.rt, vm, globals.Options{
			Log: func(e console.Entry) {
				e.Plugin = *p.idHolder
				h.log(e)
			},
			HTTP: p.httpClient(tracedClient(h.HTTP, &p.tracer)),
		})
		if err != nil {
			return err
		}
		if err := vm.Set("refreshOAuthToken", refreshStub(vm)); err != nil {
			return err
		}
		return vm.Set("definePlugin", jsrt.Safe(vm, "definePlugin", func(c goja.FunctionCall) goja.Value {
			arg := c.Argument(0)
			o, ok := arg.(*goja.Object)
			if !ok || goja.IsNull(arg) {
				jsrt.Throw(vm, jsrt.TypeErrorf("definePlugin expects an object like { configSchema, auth, onActivate }, got %s", jsrt.TypeNameWithArticle(arg)))
			}
			defs = append(defs, o)
			defPos = append(defPos, jsrt.CallerPosition(vm))
			return o
		}))
	})
	if err == nil {
		h.step("installed")
		err = p.rt.RunBundle(ctx, b)
	}
	if err == nil {
		err = p.rt.Do(ctx, func(vm *goja.Runtime) error {
			mod := vm.Get(globalName)
			var exp goja.Value
			if mo, ok := mod.(*goja.Object); ok {
				exp = mo.Get("default")
			}
			if exp == nil || goja.IsUndefined(exp) {
				if len(defs) == 0 {
					return &DefinitionError{Pos: b.File, Problems: []string{"the file has no default export; write `export default definePlugin({ ... })`"}}
				}
				return &DefinitionError{Pos: defPos[len(defPos)-1], Problems: []string{"definePlugin(...) was called but its result is not the default export; write `export default definePlugin({ ... })`"}}
			}
			idx := -1
			for i, d := range defs {
				if d.SameAs(exp) {
					idx = i
				}
			}
			if idx < 0 {
				return &DefinitionError{Pos: b.File, Problems: []string{"the default export is not the result of definePlugin(...); write `export default definePlugin({ ... })`"}}
			}
			p.def = defs[idx]
			p.defPos = defPos[idx]
			err := p.readDefinition(vm)
			p.permsOnce.Do(func() { p.setPermissions(err == nil) })
			return err
		})
	}
	if err != nil {
		p.rt.Close()
		return nil, err
	}
	*p.idHolder = p.ID
	p.data = &dataDir{path: p.DataDir(), quota: h.dataQuota(), used: -1}
	if h.QuotaHelp != nil {
		p.data.help = h.QuotaHelp(p.ID)
	}
	return p, nil
}

var knownKeys = map[string]bool{
	"id": true, "name": true, "version": true, "description": true,
	"configSchema": true, "auth": true, "onActivate": true, "onDeactivate": true,
	"tools": true, "loop": true, "permissions": true,
}

// readDefinition checks the definition and fills p. On the loop.
func (p *Plugin) readDefinition(vm *goja.Runtime) error {
	d := p.def
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, k := range d.Keys() {
		if !knownKeys[k] {
			if s := suggest(k); s != "" {
				bad("unknown key %q (did you mean %q?)", k, s)
			} else {
				bad("unknown key %q; known keys: id, name, version, description, configSchema, auth, onActivate, onDeactivate, tools, loop, permissions", k)
			}
		}
	}
	str := func(key string) string {
		v := d.Get(key)
		if v == nil || goja.IsUndefined(v) {
			return ""
		}
		s, ok := v.Export().(string)
		if !ok {
			bad("%s must be a string, got %s", key, jsrt.TypeNameWithArticle(v))
		}
		return s
	}
	if id := str("id"); id != "" {
		if !idRE().MatchString(id) {
			bad("id %q must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit", id)
		} else {
			p.ID = id
		}
	} else if !idRE().MatchString(p.ID) {
		from := "the file name"
		if p.Manifest != nil && p.Manifest.Name != "" {
			from = "package.json's name"
		}
		bad("the plugin id %q taken from %s is not usable; set `id: 'my-plugin'` (a-z, 0-9, '.', '_', '-')", p.ID, from)
	}
	p.Name = str("name")
	p.Version = str("version")
	p.Description = str("description")
	if m := p.Manifest; m != nil {
		p.Name = cmp.Or(p.Name, m.DisplayName)
		p.Version = cmp.Or(p.Version, m.Version)
		p.Description = cmp.Or(p.Description, m.HMDescription, m.Description)
		if m.MinHostVersion != "" {
			if less, ok := versionLess(APIVersion, m.MinHostVersion); ok && less {
				bad("%s: hivemind.minHostVersion is %s; this host implements the SDK's host API %s: upgrade host", rel(p.host.WorkDir, m.Path), m.MinHostVersion, APIVersion)
			} else if !ok {
				bad("%s: hivemind.minHostVersion %q is not a version like \"0.1.0\"", rel(p.host.WorkDir, m.Path), m.MinHostVersion)
			}
		}
	}
	if p.Name == "" {
		p.Name = p.ID
	}
	p.readPermissions(d.Get("permissions"), bad)

	p.Config = schema.Object()
	if v := d.Get("configSchema"); v != nil && !goja.IsUndefined(v) {
		s, ok := zod.SchemaOf(v)
		switch {
		case !ok:
			bad("configSchema must be a z.object({...}), got %s", jsrt.TypeNameWithArticle(v))
		case s.Kind() != schema.KindObject:
			bad("configSchema must be a z.object({...}), got z.%s()", s.Kind())
		default:
			p.Config = s
			p.maskSecretDefaults()
			for _, fp := range s.FormProblems() {
				at := ""
				if fp.Origin != "" {
					at = " (" + fp.Origin + ")"
				}
				bad("configSchema field %s%s is a %s, which a setup form cannot show and a config file cannot hold; take it as a tool parameter, or make the field a string and convert it in onActivate", schema.FormatPath(fp.Path), at, fp.Kind)
			}
		}
	}
	for _, fn := range []string{"onActivate", "onDeactivate"} {
		if v := d.Get(fn); v != nil && !goja.IsUndefined(v) {
			if _, ok := goja.AssertFunction(v); !ok {
				bad("%s must be a function, got %s", fn, jsrt.TypeNameWithArticle(v))
			}
		}
	}
	if v := d.Get("auth"); v != nil && !goja.IsUndefined(v) {
		p.Auth = p.readAuth(v, bad)
	}
	if v := d.Get("tools"); v != nil && !goja.IsUndefined(v) {
		p.readTools(vm, v, bad)
	}
	if v := d.Get("loop"); v != nil && !goja.IsUndefined(v) {
		p.readLoop(vm, v, bad)
	}
	if len(problems) > 0 {
		return &DefinitionError{Pos: p.defPos, Problems: problems}
	}
	return nil
}

func (p *Plugin) readAuth(v goja.Value, bad func(string, ...any)) *Auth {
	o, ok := v.(*goja.Object)
	if !ok {
		bad("auth must be an object like { type: 'token', fields: [...] } or { type: 'oauth2', ... }, got %s", jsrt.TypeNameWithArticle(v))
		return nil
	}
	a := &Auth{}
	t, _ := o.Get("type").Export().(string)
	a.Type = t
	getStr := func(obj *goja.Object, path, key string, required bool) string {
		x := obj.Get(key)
		if x == nil || goja.IsUndefined(x) {
			if required {
				bad("%s.%s is required", path, key)
			}
			return ""
		}
		s, ok := x.Export().(string)
		if !ok {
			bad("%s.%s must be a string, got %s", path, key, jsrt.TypeNameWithArticle(x))
		}
		return s
	}
	switch t {
	case "token":
		fv := o.Get("fields")
		arr, ok := fv.(*goja.Object)
		if fv == nil || goja.IsUndefined(fv) || !ok || arr.ClassName() != "Array" {
			bad("auth.fields must be an array of { key, label, helpUrl?, helpText? }")
			return a
		}
		n := int(arr.Get("length").ToInteger())
		if n == 0 {
			bad("auth.fields is empty; list the config fields that hold the token, e.g. [{ key: 'token', label: 'API Token' }]")
		}
		for i := 0; i < n; i++ {
			path := fmt.Sprintf("auth.fields[%d]", i)
			fo, ok := arr.Get(fmt.Sprint(i)).(*goja.Object)
			if !ok {
				bad("%s must be an object { key, label, helpUrl?, helpText? }", path)
				continue
			}
			f := AuthField{
				Key:      getStr(fo, path, "key", true),
				Label:    getStr(fo, path, "label", false),
				HelpURL:  getStr(fo, path, "helpUrl", false),
				HelpText: getStr(fo, path, "helpText", false),
			}
			if f.Key != "" {
				if _, ok := p.Config.Field(f.Key); !ok {
					keys := make([]string, 0)
					for _, cf := range p.Config.Fields() {
						keys = append(keys, cf.Key)
					}
					if len(keys) == 0 {
						bad("%s.key %q is not a field of configSchema (configSchema has no fields); add `%s: z.string().secret()` to configSchema", path, f.Key, f.Key)
					} else {
						bad("%s.key %q is not a field of configSchema (fields: %s); add it to configSchema or fix the key", path, f.Key, strings.Join(keys, ", "))
					}
				}
			}
			a.Fields = append(a.Fields, f)
		}
	case "oauth2":
		oa := &OAuth2{PKCE: true}
		oa.AuthorizationURL = getStr(o, "auth", "authorizationUrl", true)
		oa.TokenURL = getStr(o, "auth", "tokenUrl", true)
		oa.ClientID = getStr(o, "auth", "clientId", false)
		oa.DeviceAuthorizationURL = getStr(o, "auth", "deviceAuthorizationUrl", false)
		for _, u := range []struct{ k, v string }{{"authorizationUrl", oa.AuthorizationURL}, {"tokenUrl", oa.TokenURL}, {"deviceAuthorizationUrl", oa.DeviceAuthorizationURL}} {
			if err := oauth.CheckEndpoint(u.k, u.v); u.v != "" && err != nil {
				bad("%v", err)
			}
		}
		if sv := o.Get("scopes"); sv != nil && !goja.IsUndefined(sv) {
			list, ok := sv.Export().([]any)
			if !ok {
				bad("auth.scopes must be an array of strings")
			}
			for _, s := range list {
				str, ok := s.(string)
				if !ok {
					bad("auth.scopes must be an array of strings")
					break
				}
				oa.Scopes = append(oa.Scopes, str)
			}
		}
		if pv := o.Get("pkce"); pv != nil && !goja.IsUndefined(pv) {
			b, ok := pv.Export().(bool)
			if !ok {
				bad("auth.pkce must be true or false")
			}
			oa.PKCE = b
		}
		if rv := o.Get("redirectPort"); rv != nil && !goja.IsUndefined(rv) {
			port := rv.ToInteger()
			if port < 1 || port > 65535 {
				bad("auth.redirectPort must be a port number 1-65535")
			}
			oa.RedirectPort = int(port)
		}
		if oa.ClientID == "" {
			if _, ok := p.Config.Field("clientId"); !ok {
				bad("auth.clientId is not set and configSchema has no clientId field; set one of them")
			}
		}
		a.OAuth2 = oa
	case "":
		bad("auth.type is required: 'token' or 'oauth2'")
	default:
		bad("auth.type %q is not supported; use 'token' or 'oauth2'", t)
	}
	return a
}

// ParseEvery reads a loop interval: milliseconds as a number, or a duration
// string such as "30s", "5m", "1h30m", "500ms".
func ParseEvery(v any) (time.Duration, error) {
	var d time.Duration
	switch x := v.(type) {
	case int64:
		d = time.Duration(x) * time.Millisecond
	case float64:
		d = time.Duration(x * float64(time.Millisecond))
	case string:
		var err error
		if d, err = time.ParseDuration(x); err != nil {
			return 0, fmt.Errorf("%q is not a duration; use a string like '30s' or '5m', or milliseconds", x)
		}
	case nil:
		return 0, errors.New("is required: a string like '30s' or milliseconds")
	default:
		return 0, fmt.Errorf("must be a string like '30s' or milliseconds, got %T", v)
	}
	if d < 10*time.Millisecond {
		return 0, fmt.Errorf("%s is too short; the minimum is 10ms", d)
	}
	return d, nil
}

func suggest(k string) string {
	best, bestD := "", 3
	for known := range knownKeys {
		if d := distance(strings.ToLower(k), strings.ToLower(known)); d < bestD {
			best, bestD = known, d
		}
	}
	return best
}

func distance(a, b string) int { return jsrt.EditDistance(a, b) }

// Runtime is the plugin's JS runtime, for bindings layered on top (tools,
// loop, OAuth).
func (p *Plugin) Runtime() *jsrt.Runtime { return p.rt }

// Close stops the plugin's runtime without calling onDeactivate. Safe after
// a failed Activate and more than once.
func (p *Plugin) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.mu.Unlock()
	p.stopSchedules()
	p.rt.Close()
	p.data.close()
}

func configPath(dataDir, id string) string {
	return filepath.Join(dataDir, "plugins", id, "config.json")
}

// ConfigPath is where the plugin's non-secret config is saved.
func (p *Plugin) ConfigPath() string { return configPath(p.host.DataDir, p.ID) }

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
