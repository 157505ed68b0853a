// Package url gives plugins the WHATWG URL standard's URL and
// URLSearchParams. The parser and the URL record are Go (url.go, host.go,
// percent.go: the basic URL parser, UTS #46 with golang.org/x/net/idna,
// IPv4/IPv6, application/x-www-form-urlencoded), checked against WPT's
// urltestdata.json; url.js is the class surface.
package url

import (
	_ "embed"
	"strings"

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/bindings/web"
	"host/jsrt"
)

// DTS declares this package's globals for `host types` (left out when the
// plugin's tsconfig has lib "dom", which declares them).
//
//go:embed url.d.ts
var DTS string

//go:embed url.js
var urlJS string

var program = jsrt.NewProgram("host:web/url.js", urlJS)

// Install defines URL and URLSearchParams, made the first time a plugin
// touches one. Call once per runtime on its loop goroutine, after
// web.Install, before plugin code runs.
func Install(env jsapi.Env) error {
	b := &binding{vm: env.VM()}
	return web.Define(env.VM(), program, web.LazyProps("URL", "URLSearchParams"), map[string]func(goja.FunctionCall) goja.Value{
		"urlParse":    b.urlParse,
		"urlGet":      b.urlGet,
		"urlSet":      b.urlSet,
		"urlSetHref":  b.urlSetHref,
		"urlSetQuery": b.urlSetQuery,
		"formParse":   b.formParse,
		"formPair":    b.formPair,
	})
}

// binding is the Go half of one runtime's URL classes. Its methods run on
// the loop goroutine.
type binding struct{ vm *goja.Runtime }

func (b *binding) record(v goja.Value) *urlRecord {
	u, ok := v.Export().(*urlRecord)
	if !ok {
		jsrt.Throw(b.vm, jsrt.TypeErrorf("Illegal invocation"))
	}
	return u
}

// urlParse(input, baseHandle|null) -> handle | null
func (b *binding) urlParse(call goja.FunctionCall) goja.Value {
	var base *urlRecord
	if h := call.Argument(1); !goja.IsNull(h) && !goja.IsUndefined(h) {
		base = b.record(h)
	}
	u, err := parseURL(call.Argument(0).String(), base)
	if err != nil {
		return goja.Null()
	}
	return b.vm.ToValue(u)
}

// urlGet(handle, name) -> string; name is a URL getter or "query".
func (b *binding) urlGet(call goja.FunctionCall) goja.Value {
	u := b.record(call.Argument(0))
	return b.vm.ToValue(u.get(call.Argument(1).String()))
}

// urlSet(handle, name, value) -> whether the query changed.
func (b *binding) urlSet(call goja.FunctionCall) goja.Value {
	u := b.record(call.Argument(0))
	return b.vm.ToValue(u.set(call.Argument(1).String(), call.Argument(2).String()))
}

// urlSetHref(handle, value) -> false when value does not parse.
func (b *binding) urlSetHref(call goja.FunctionCall) goja.Value {
	u := b.record(call.Argument(0))
	n, err := parseURL(call.Argument(1).String(), nil)
	if err != nil {
		return b.vm.ToValue(false)
	}
	*u = *n
	return b.vm.ToValue(true)
}

// urlSetQuery(handle, serialized) for URLSearchParams' updates.
func (b *binding) urlSetQuery(call goja.FunctionCall) goja.Value {
	b.record(call.Argument(0)).setQuery(call.Argument(1).String())
	return goja.Undefined()
}

// formParse(string) -> [[name, value], ...]
func (b *binding) formParse(call goja.FunctionCall) goja.Value {
	pairs := ParseForm(call.Argument(0).String())
	items := make([]any, len(pairs))
	for i, p := range pairs {
		items[i] = b.vm.NewArray(p[0], p[1])
	}
	return b.vm.NewArray(items...)
}

// formPair(name, value) -> "name=value", form-urlencoded.
func (b *binding) formPair(call goja.FunctionCall) goja.Value {
	var sb strings.Builder
	formEncode(&sb, call.Argument(0).String())
	sb.WriteByte('=')
	formEncode(&sb, call.Argument(1).String())
	return b.vm.ToValue(sb.String())
}

// Encoding

// encode(string) -> ArrayBuffer of its UTF-8 bytes.
