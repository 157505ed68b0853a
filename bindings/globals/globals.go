// Package globals is the one table of the JS APIs a plugin's runtime gets
// (and a test file's, under `host test`): each a package of bindings/
// installed through jsapi.Func, in the order below, by Install.
package globals

import (
	"fmt"
	"net/http"

	"github.com/dop251/goja"

	"host/bindings/abort"
	"host/bindings/clone"
	"host/bindings/console"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/fetch"
	"host/bindings/intl"
	"host/bindings/jsapi"
	"host/bindings/node"
	"host/bindings/sdk"
	"host/bindings/streams"
	"host/bindings/url"
	"host/bindings/web"
	"host/bindings/zod"
	"host/jsrt"
)

// Table is every JS API host installs, in order: console first (the others
// may log), abort's EventTarget and AbortSignal before fetch, which takes
// signals. (abort looks DOMException, web's, up when a signal aborts, not
// at install.) Do not modify it.
var Table = []jsapi.Entry{
	{Name: "console", Install: console.Install},
	{Name: "abort", Install: abort.Install},
	{Name: "intl", Install: intl.Install},
	{Name: "zod", Install: zod.Install},
	{Name: "sdk", Install: sdk.Install},
	{Name: "web", Install: web.Install}, // DOMException and the hub of the web API packages: first of them
	{Name: "url", Install: url.Install},
	{Name: "encoding", Install: encoding.Install},
	{Name: "crypto", Install: crypto.Install},
	{Name: "clone", Install: clone.Install},
	{Name: "streams", Install: streams.Install},
	{Name: "node", Install: node.Install},
	{Name: "fetch", Install: fetch.Install},
}

// Options are the services of the host that bindings of Table ask for.
type Options struct {
	// Plugin names the lines console prints (an id, or a test file).
	Plugin string
	// Log receives console's lines; nil drops them.
	Log console.Sink
	// HTTP is fetch's client (nil: the process-wide default).
	HTTP *http.Client
}

// Install installs every binding of Table into rt's runtime vm. Call once
// per runtime on its loop goroutine (inside rt.Do), before plugin code
// runs. An error names the binding that failed.
func Install(rt *jsrt.Runtime, vm *goja.Runtime, o Options) error {
	e := &env{rt: rt, vm: vm, o: o}
	for _, b := range Table {
		if err := b.Install(e); err != nil {
			return fmt.Errorf("installing %s: %w", b.Name, err)
		}
	}
	return nil
}

// env is the jsapi.Env of Install, with the services of Options.
type env struct {
	rt *jsrt.Runtime
	vm *goja.Runtime
	o  Options
}

func (e *env) Runtime() *jsrt.Runtime                          { return e.rt }
func (e *env) VM() *goja.Runtime                               { return e.vm }
func (e *env) ConsoleSink() (plugin string, sink console.Sink) { return e.o.Plugin, e.o.Log }
func (e *env) HTTPClient() *http.Client                        { return e.o.HTTP }

var (
	_ jsapi.Env       = (*env)(nil)
	_ console.Printer = (*env)(nil)
	_ fetch.Client    = (*env)(nil)
)
