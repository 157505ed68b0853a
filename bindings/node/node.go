// Package node gives plugins the Node.js built-in modules that libraries
// import: `node:path` or `path` and the rest resolve to host's own modules
// (Modules, for jsrt.BuildOptions.Virtual). path, url, querystring, util,
// events, buffer, string_decoder, os, assert, timers, diagnostics_channel,
// perf_hooks and stream (Node's streams from the npm package
// readable-stream: js/stream.js, written by gen_stream.go) are real, and
// crypto's hashes, HMACs and random values;
// every other built-in is a stub with Node's shape whose functions throw,
// saying what a plugin uses instead. Install
// defines the Node globals libraries expect: process (empty env, no Node
// version, so libraries take their platform-neutral paths), Buffer,
// setImmediate, clearImmediate, performance and navigator, each made on
// first use.
//
// A module's JS is in js/ and is bundled into the plugin only when the
// plugin (or a library it uses) imports it. There is no .d.ts here: the
// modules follow Node's API, which @types/node declares, and a second
// declaration of the same modules would conflict with it in the editor.
package node

//go:generate go run gen_stream.go

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"embed"
	"encoding/json"
	"errors"
	"hash"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja_nodejs/buffer"

	"host/bindings/jsapi"
	"host/jsrt"
)

//go:embed js
var jsFS embed.FS

//go:embed stubs.json
var stubsJSON []byte

// real maps each real module to its file in js/ (CommonJS: module,
// exports and require are in scope); "" is an alias in aliases.
var real = map[string]string{
	"assert":                  "assert.js",
	"assert/strict":           "",
	"buffer":                  "buffer.js",
	"crypto":                  "crypto.js",
	"diagnostics_channel":     "diagnostics_channel.js",
	"events":                  "events.js",
	"os":                      "os.js",
	"path":                    "path.js",
	"path/posix":              "",
	"perf_hooks":              "perf_hooks.js",
	"process":                 "",
	"querystring":             "querystring.js",
	"stream":                  "stream.js",
	"stream/promises":         "",
	"_stream_duplex":          "",
	"_stream_passthrough":     "",
	"_stream_readable":        "",
	"_stream_transform":       "",
	"_stream_writable":        "",
	"string_decoder":          "string_decoder.js",
	"sys":                     "",
	"timers":                  "timers.js",
	"timers/promises":         "timers_promises.js",
	"url":                     "url.js",
	"util":                    "util.js",
	"util/types":              "",
	"host-node-internal:deep": "deep.js",
}

// aliases are real modules that are another's export.
var aliases = map[string]string{
	"assert/strict":       "module.exports = require('assert').strict;",
	"path/posix":          "module.exports = require('path');",
	"process":             "module.exports = native.process();",
	"sys":                 "module.exports = require('util');",
	"stream/promises":     "module.exports = require('stream').promises;",
	"_stream_duplex":      "module.exports = require('stream').Duplex;",
	"_stream_passthrough": "module.exports = require('stream').PassThrough;",
	"_stream_readable":    "module.exports = require('stream').Readable;",
	"_stream_transform":   "module.exports = require('stream').Transform;",
	"_stream_writable":    "module.exports = require('stream').Writable;",
	"util/types":          "module.exports = require('util').types;",
}

// stubNames are the built-ins with no real version (the keys of
// stubs.json, which gen_stubs.js writes from Node 22).
var stubNames = []string{
	"_http_agent", "_http_client", "_http_common", "_http_incoming", "_http_outgoing", "_http_server",
	"_stream_wrap", "_tls_common", "_tls_wrap", "async_hooks", "child_process", "cluster", "constants",
	"dgram", "dns", "dns/promises", "domain", "fs", "fs/promises", "http", "http2", "https",
	"inspector", "inspector/promises", "module", "net", "path/win32", "punycode", "readline",
	"readline/promises", "repl", "stream/consumers", "stream/web", "tls",
	"trace_events", "tty", "v8", "vm", "wasi", "worker_threads", "zlib",
}

// Modules returns the import paths of every Node.js built-in (bare and
// with the node: prefix) mapped to a one-line CommonJS source that asks
// the runtime for the module (see Install): the modules' own JS is
// compiled once per process, on first require, not bundled into every
// plugin. A bare name and its node: form are the same module instance.
// The map is shared: do not modify it.
var Modules = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, 2*(len(real)+len(stubNames)))
	add := func(name string) {
		src := "module.exports = globalThis[Symbol.for('host.node')].require(" + strconv.Quote(name) + ");"
		m[name] = src
		m["node:"+name] = src
	}
	for name := range real {
		if !strings.HasPrefix(name, "host-node-internal:") {
			add(name)
		}
	}
	for _, name := range stubNames {
		add(name)
	}
	return m
})

func mustRead(file string) string {
	b, err := jsFS.ReadFile("js/" + file)
	if err != nil {
		panic("node: " + err.Error())
	}
	return string(b)
}

// modulePrograms are the compiled modules, each a function(module,
// exports, require, native), compiled on first use.
var modulePrograms = sync.OnceValue(func() map[string]*jsrt.Program {
	out := map[string]*jsrt.Program{}
	wrap := func(name, src string) *jsrt.Program {
		return jsrt.NewProgram("host:node/"+name, "(function (module, exports, require, native) { 'use strict';\n"+src+"\n})")
	}
	for name, file := range real {
		if src, ok := aliases[name]; ok {
			out[name] = wrap(name, src)
		} else {
			out[name] = wrap(name, mustRead(file))
		}
	}
	out["host-node-internal:stub"] = wrap("stub", mustRead("stub.js"))
	return out
})

// stubShapes is stubs.json, parsed on first use of a stub.
var stubShapes = sync.OnceValue(func() map[string]json.RawMessage {
	var stubs map[string]json.RawMessage
	if err := json.Unmarshal(stubsJSON, &stubs); err != nil {
		panic("node: stubs.json: " + err.Error())
	}
	return stubs
})

var (
	processJS      = jsrt.NewProgram("host:node/process.js", mustRead("process.js"))
	bufferGlobalJS = jsrt.NewProgram("host:node/buffer_global.js", mustRead("buffer_global.js"))
)

// UserAgent is navigator.userAgent: not a browser's and not Node's, so
// libraries that sniff it take neither path.
const UserAgent = "host"

// Install defines on vm the Node globals (process, Buffer, setImmediate,
// clearImmediate, performance, navigator), each made the first time a
// plugin touches it, and the hidden natives the modules use. Call once per
// runtime on its loop goroutine, before plugin code runs.
func Install(env jsapi.Env) error {
	vm := env.VM()
	n := &natives{vm: vm, start: time.Now()}
	g := vm.GlobalObject()
	nat := vm.NewObject()
	for name, fn := range map[string]func(goja.FunctionCall) goja.Value{
		"os":      n.os,
		"now":     n.now,
		"Buffer":  n.buffer,
		"process": n.process,
		"require": n.require,
		"stubShape": func(c goja.FunctionCall) goja.Value {
			var sh any
			_ = json.Unmarshal(stubShapes()[c.Argument(0).String()], &sh)
			return vm.ToValue(sh)
		},
		"digest":       n.digest,
		"promiseState": n.promiseState,
	} {
		if err := nat.Set(name, jsrt.Safe(vm, name, fn)); err != nil {
			return err
		}
	}
	n.nat = nat
	key, err := symbolFor(vm, "host.node")
	if err != nil {
		return err
	}
	if err := g.DefineDataPropertySymbol(key, nat, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	lazy := []struct {
		props []jsrt.LazyProp
		init  func() error
	}{
		{[]jsrt.LazyProp{{Name: "process"}}, func() error { return n.define("process", n.process(goja.FunctionCall{}), false) }},
		{[]jsrt.LazyProp{{Name: "Buffer"}}, func() error { return n.define("Buffer", n.buffer(goja.FunctionCall{}), false) }},
		{[]jsrt.LazyProp{{Name: "setImmediate"}, {Name: "clearImmediate"}}, n.immediate},
		{[]jsrt.LazyProp{{Name: "performance", Enumerable: true}}, n.performance},
		{[]jsrt.LazyProp{{Name: "navigator", Enumerable: true}}, n.navigator},
	}
	for _, l := range lazy {
		if err := jsrt.DefineLazy(vm, g, l.props, l.init); err != nil {
			return err
		}
	}
	return nil
}

// natives are the Go side of the globals and modules of one runtime.
type natives struct {
	vm           *goja.Runtime
	start        time.Time
	nat          *goja.Object // the natives object the modules reach
	modules      map[string]goja.Value
	bufferCtor   goja.Value
	processValue goja.Value
}

// define makes a global data property (as DefineLazy's init must).
func (n *natives) define(name string, v goja.Value, enumerable bool) error {
	enum := goja.FLAG_FALSE
	if enumerable {
		enum = goja.FLAG_TRUE
	}
	return n.vm.GlobalObject().DefineDataProperty(name, v, goja.FLAG_TRUE, enum, goja.FLAG_TRUE)
}

// require returns a built-in module's exports, running its JS the first
// time this runtime asks for it.
func (n *natives) require(c goja.FunctionCall) goja.Value {
	name := c.Argument(0).String()
	if v, ok := n.modules[name]; ok {
		return v
	}
	if n.modules == nil {
		n.modules = map[string]goja.Value{}
	}
	module := n.vm.NewObject()
	exports := n.vm.NewObject()
	_ = module.Set("exports", exports)
	n.modules[name] = exports // a cycle sees the exports so far, as in Node
	req := n.vm.ToValue(jsrt.Safe(n.vm, "require", n.require))
	if prg, ok := modulePrograms()[name]; ok {
		n.call(prg, module, exports, req, n.nat)
	} else if shape, ok := stubShapes()[name]; ok {
		stub := n.require(goja.FunctionCall{Arguments: []goja.Value{n.vm.ToValue("host-node-internal:stub")}})
		fn, _ := goja.AssertFunction(stub)
		var sh any
		_ = json.Unmarshal(shape, &sh)
		v, err := fn(goja.Undefined(), n.vm.ToValue(name), n.vm.ToValue(sh))
		if err != nil {
			panic(err)
		}
		_ = module.Set("exports", v)
	} else {
		panic(n.vm.NewTypeError("no Node.js built-in module " + strconv.Quote(name)))
	}
	v := module.Get("exports")
	n.modules[name] = v
	return v
}

// digest is the hash (or, with a key, the HMAC) of data.
func (n *natives) digest(c goja.FunctionCall) goja.Value {
	var newHash func() hash.Hash
	switch c.Argument(0).String() {
	case "md5":
		newHash = md5.New
	case "sha1":
		newHash = sha1.New
	case "sha224":
		newHash = sha256.New224
	case "sha256":
		newHash = sha256.New
	case "sha384":
		newHash = sha512.New384
	case "sha512":
		newHash = sha512.New
	default:
		panic(n.vm.NewTypeError("unknown digest " + c.Argument(0).String()))
	}
	var data, key []byte
	if err := n.vm.ExportTo(c.Argument(2), &data); err != nil {
		panic(n.vm.NewTypeError("digest data: " + err.Error()))
	}
	h := newHash()
	if k := c.Argument(1); !goja.IsNull(k) && !goja.IsUndefined(k) {
		if err := n.vm.ExportTo(k, &key); err != nil {
			panic(n.vm.NewTypeError("hmac key: " + err.Error()))
		}
		h = hmac.New(newHash, key)
	}
	h.Write(data)
	return n.vm.ToValue(n.vm.NewArrayBuffer(h.Sum(nil)))
}

// promiseState(p) -> ["pending"] or ["fulfilled" | "rejected", result],
// for util.inspect (JS cannot read a promise's state).
func (n *natives) promiseState(c goja.FunctionCall) goja.Value {
	o, ok := c.Argument(0).(*goja.Object)
	if !ok || o.ExportType() != promiseType { // Export would call an object's getters
		return n.vm.NewArray("pending")
	}
	p := o.Export().(*goja.Promise)
	switch p.State() {
	case goja.PromiseStateFulfilled:
		return n.vm.NewArray("fulfilled", p.Result())
	case goja.PromiseStateRejected:
		return n.vm.NewArray("rejected", p.Result())
	}
	return n.vm.NewArray("pending")
}

var promiseType = reflect.TypeFor[*goja.Promise]()

// symbolFor is Symbol.for(key).
func symbolFor(vm *goja.Runtime, key string) (*goja.Symbol, error) {
	f, _ := goja.AssertFunction(vm.Get("Symbol").ToObject(vm).Get("for"))
	v, err := f(goja.Undefined(), vm.ToValue(key))
	if err != nil {
		return nil, err
	}
	s, ok := v.(*goja.Symbol)
	if !ok {
		return nil, errors.New("the global Symbol.for did not return a symbol")
	}
	return s, nil
}

// os describes the platform as Node names it.
func (n *natives) os(goja.FunctionCall) goja.Value {
	platform, typ := runtime.GOOS, ""
	switch runtime.GOOS {
	case "windows":
		platform, typ = "win32", "Windows_NT"
	case "darwin":
		typ = "Darwin"
	case "linux":
		typ = "Linux"
	default:
		typ = runtime.GOOS
	}
	arch, machine := runtime.GOARCH, runtime.GOARCH
	switch runtime.GOARCH {
	case "amd64":
		arch, machine = "x64", "x86_64"
	case "386":
		arch, machine = "ia32", "i686"
	case "arm64":
		machine = "aarch64"
	}
	return n.vm.ToValue(map[string]any{"platform": platform, "type": typ, "arch": arch, "machine": machine})
}

// now is milliseconds since the runtime started, with sub-millisecond
// precision (a monotonic clock).
func (n *natives) now(goja.FunctionCall) goja.Value {
	return n.vm.ToValue(float64(time.Since(n.start).Nanoseconds()) / 1e6)
}

// buffer is the runtime's Buffer constructor, made on first call.
func (n *natives) buffer(goja.FunctionCall) goja.Value {
	if n.bufferCtor == nil {
		mod := n.vm.NewObject()
		exports := n.vm.NewObject()
		_ = mod.Set("exports", exports)
		buffer.Require(n.vm, mod)
		n.bufferCtor = n.call(bufferGlobalJS, exports.Get("Buffer"))
	}
	return n.bufferCtor
}

// process is the runtime's process object, made on first call.
func (n *natives) process(goja.FunctionCall) goja.Value {
	if n.processValue == nil {
		n.processValue = n.call(processJS, n.nat)
	}
	return n.processValue
}

// call runs prg, which evaluates to a function, with args.
func (n *natives) call(prg *jsrt.Program, args ...goja.Value) goja.Value {
	res, err := prg.Call(n.vm, args...)
	if err != nil {
		panic(err)
	}
	return res
}

const immediateJS = `(function (g, setTimeout, clearTimeout) {
  const define = (name, value) => Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  define('setImmediate', function setImmediate(fn, ...args) {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    return setTimeout(fn, 0, ...args);
  });
  define('clearImmediate', function clearImmediate(id) { clearTimeout(id); });
})`

var immediateProgram = jsrt.NewProgram("host:node/immediate.js", immediateJS)

// immediate defines setImmediate and clearImmediate over the timers.
func (n *natives) immediate() error {
	g := n.vm.GlobalObject()
	_, err := immediateProgram.Call(n.vm, g, g.Get("setTimeout"), g.Get("clearTimeout"))
	return err
}

// performance defines performance.now(), timeOrigin and the mark/measure
// methods (which record nothing).
func (n *natives) performance() error {
	p := n.vm.NewObject()
	_ = p.Set("now", jsrt.Safe(n.vm, "now", n.now))
	_ = p.Set("timeOrigin", float64(n.start.UnixNano())/1e6)
	for _, name := range []string{"mark", "measure", "clearMarks", "clearMeasures"} {
		_ = p.Set(name, func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	}
	for _, name := range []string{"getEntries", "getEntriesByName", "getEntriesByType"} {
		_ = p.Set(name, func(goja.FunctionCall) goja.Value { return n.vm.NewArray() })
	}
	_ = p.Set("toJSON", func(goja.FunctionCall) goja.Value {
		return n.vm.ToValue(map[string]any{"timeOrigin": p.Get("timeOrigin")})
	})
	return n.define("performance", p, true)
}

// navigator defines navigator.userAgent, language and languages.
func (n *natives) navigator() error {
	nav := n.vm.NewObject()
	_ = nav.Set("userAgent", UserAgent)
	_ = nav.Set("language", "en-US")
	_ = nav.Set("languages", n.vm.NewArray("en-US"))
	_ = nav.Set("hardwareConcurrency", 1)
	return n.define("navigator", nav, true)
}
