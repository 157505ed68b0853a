// Package fetch gives plugins the web's fetch API (the globals fetch,
// Headers and Response) and builds the one HTTP client the host uses for
// everything it does on a plugin's behalf, OAuth included: curl-style
// connect-to rules, proxies from the environment, the system roots
// (SSL_CERT_FILE), bounded timeouts and a host/<version> User-Agent.
//
// The JS surface is fetch.js (Headers, Response, fetch) on top of a small Go
// half (native, below) that performs requests through jsrt's bridge, so the
// event loop never waits for the network. fetch.d.ts declares the surface.
//
// Not yet implemented (hooks are marked in fetch.js): AbortSignal, redirect
// modes other than 'follow', the Request class, FormData, Blob and body
// streams.
package fetch

import (
	"bytes"
	"context"
	"crypto/x509"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"

	"host/jsrt"
)

// DefaultMaxBodyBytes caps how much of one response body the host reads.
const DefaultMaxBodyBytes = 32 << 20

//go:embed fetch.js
var fetchJS string

var compiled = sync.OnceValues(func() (*goja.Program, error) {
	return goja.Compile("host:fetch.js", fetchJS, true)
})

var defaultClient = sync.OnceValue(func() *http.Client { return NewClient(ClientOptions{}) })

// Options configure InstallOptions.
type Options struct {
	// Client performs every request. Nil means one process-wide client from
	// NewClient(ClientOptions{}). Share one client between runtimes so
	// connections are reused.
	Client *http.Client
	// MaxBodyBytes caps one response body; a larger body makes text(),
	// json() and arrayBuffer() reject. Default DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Install defines the globals fetch, Headers and Response on vm, sending
// requests through c (nil: the process-wide default client). Call it on the
// loop goroutine of rt (inside rt.Do) before plugin code runs. Each request
// runs through rt.Go: its context ends at the runtime's call timeout or when
// the runtime closes, and the response body is read in the same call, up to
// 32 MiB.
func Install(rt *jsrt.Runtime, vm *goja.Runtime, c *http.Client) error {
	return InstallOptions(rt, vm, Options{Client: c})
}

// InstallOptions is Install with all options. Call it on rt's loop.
func InstallOptions(rt *jsrt.Runtime, vm *goja.Runtime, opts Options) error {
	if opts.Client == nil {
		opts.Client = defaultClient()
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	prog, err := compiled()
	if err != nil {
		return fmt.Errorf("fetch binding: compile fetch.js: %w", err)
	}
	b := &binding{rt: rt, client: opts.Client, max: opts.MaxBodyBytes}
	fnVal, err := vm.RunProgram(prog)
	if err != nil {
		return fmt.Errorf("fetch binding: %w", err)
	}
	fn, ok := goja.AssertFunction(fnVal)
	if !ok {
		return errors.New("fetch binding: fetch.js did not evaluate to a function")
	}
	exports, err := fn(goja.Undefined(), b.native(vm))
	if err != nil {
		return fmt.Errorf("fetch binding: %w", err)
	}
	obj := exports.ToObject(vm)
	g := vm.GlobalObject()
	for _, name := range []string{"fetch", "Headers", "Response"} {
		// Web IDL globals: writable, configurable, not enumerable.
		if err := g.DefineDataProperty(name, obj.Get(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return fmt.Errorf("fetch binding: define %s: %w", name, err)
		}
	}
	return nil
}

// binding is the Go half of one runtime's fetch.
type binding struct {
	rt     *jsrt.Runtime
	client *http.Client
	max    int64
}

// native is the export table fetch.js receives; every function runs on the
// loop.
func (b *binding) native(vm *goja.Runtime) *goja.Object {
	o := vm.NewObject()
	_ = o.Set("fetch", b.fetch)
	_ = o.Set("body", b.body)
	_ = o.Set("text", b.text)
	_ = o.Set("arrayBuffer", b.arrayBuffer)
	return o
}

// body holds a request or response body's bytes (immutable once made) and
// the error that cut a response body short, if any.
type body struct {
	data []byte
	err  error
}

// body(string | ArrayBuffer | Uint8Array) -> handle; copies the bytes.
func (b *binding) body(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	switch v := call.Argument(0).Export().(type) {
	case string:
		return vm.ToValue(&body{data: []byte(v)})
	case goja.ArrayBuffer:
		return vm.ToValue(&body{data: append([]byte(nil), v.Bytes()...)})
	case []byte:
		return vm.ToValue(&body{data: append([]byte(nil), v...)})
	default:
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: unsupported body type"))
		return nil
	}
}

func handle(vm *goja.Runtime, v goja.Value) *body {
	h, ok := v.Export().(*body)
	if !ok || h == nil {
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: not a body"))
	}
	if h.err != nil {
		jsrt.Throw(vm, h.err)
	}
	return h
}

// text(handle) -> string, UTF-8 decoded as TextDecoder does (BOM dropped,
// invalid bytes replaced).
func (b *binding) text(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	data := handle(vm, call.Argument(0)).data
	s := strings.TrimPrefix(string(data), "\uFEFF")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return vm.ToValue(s)
}

// arrayBuffer(handle) -> a fresh ArrayBuffer.
func (b *binding) arrayBuffer(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	data := handle(vm, call.Argument(0)).data
	return vm.ToValue(vm.NewArrayBuffer(append([]byte(nil), data...)))
}

// fetch(url, method, [[name, value]...], handle|null) -> Promise<result>.
// Arguments come validated and normalized from fetch.js.
func (b *binding) fetch(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	rawURL := call.Argument(0).String()
	method := call.Argument(1).String()
	var pairs [][]string
	if err := vm.ExportTo(call.Argument(2), &pairs); err != nil {
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: bad headers: %v", err))
	}
	var reqBody []byte
	if v := call.Argument(3); !goja.IsNull(v) && !goja.IsUndefined(v) {
		reqBody = handle(vm, v).data
	}
	u, err := parseURL(rawURL)
	if err != nil {
		jsrt.Throw(vm, err)
	}
	header := make(http.Header, len(pairs)+1)
	host := ""
	for _, p := range pairs {
		if len(p) != 2 {
			continue
		}
		if strings.EqualFold(p[0], "host") {
			host = p[1]
			continue
		}
		k := http.CanonicalHeaderKey(p[0])
		header[k] = append(header[k], p[1])
	}
	if _, ok := header["Accept"]; !ok {
		header["Accept"] = []string{"*/*"}
	}
	start := time.Now()
	return b.rt.Go(func(ctx context.Context) (any, error) {
		return b.do(ctx, start, method, u, header, host, reqBody)
	})
}

// do performs one request on a worker goroutine and returns the result to
// build on the loop.
func (b *binding) do(ctx context.Context, start time.Time, method string, u *url.URL, header http.Header, host string, reqBody []byte) (any, error) {
	var rd io.Reader
	if reqBody != nil {
		rd = bytes.NewReader(reqBody)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, failed(ctx, start, err)
	}
	req.Header = header
	if host != "" {
		req.Host = host
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, failed(ctx, start, err)
	}
	defer resp.Body.Close()
	res := &body{}
	res.data, err = io.ReadAll(io.LimitReader(resp.Body, b.max+1))
	switch {
	case err != nil:
		res.data = nil
		res.err = bodyFailed(ctx, start, err)
	case int64(len(res.data)) > b.max:
		res.data = nil
		res.err = &fetchError{
			msg:  fmt.Sprintf("response body is larger than %s, the most the host reads", sizeString(b.max)),
			code: "ERR_FETCH_BODY_TOO_LARGE",
		}
	}
	status := resp.StatusCode
	statusText := strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(status)))
	finalURL := resp.Request.URL.String()
	redirected := resp.Request != req
	respHeader := resp.Header
	return jsrt.ToJS(func(vm *goja.Runtime) (goja.Value, error) {
		o := vm.NewObject()
		_ = o.Set("status", status)
		_ = o.Set("statusText", statusText)
		_ = o.Set("url", finalURL)
		_ = o.Set("redirected", redirected)
		var hs []any
		for k, vs := range respHeader {
			name := strings.ToLower(k)
			for _, v := range vs {
				hs = append(hs, vm.NewArray(name, v))
			}
		}
		_ = o.Set("headers", vm.NewArray(hs...))
		_ = o.Set("body", res)
		return o, nil
	}), nil
}

// parseURL accepts absolute http(s) URLs without credentials, as fetch does.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" && (u.Scheme == "http" || u.Scheme == "https") {
		return nil, jsrt.TypeErrorf("Failed to parse URL from %s (fetch needs an absolute URL such as https://api.example.com/path)", shorten(raw))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &fetchError{msg: fmt.Sprintf("fetch failed: unsupported URL scheme %q (only http: and https:)", u.Scheme+":"), code: "ERR_FETCH_FAILED"}
	}
	if u.User != nil {
		return nil, jsrt.TypeErrorf("fetch: the URL includes credentials; send them in an Authorization header instead")
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

func shorten(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

func sizeString(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// fetchError is a network failure: a JS TypeError (as in browsers and
// undici) with a stable code. Its message never holds header values.
type fetchError struct {
	msg  string
	code string
}

func (e *fetchError) Error() string { return e.msg }
func (e *fetchError) Code() string  { return e.code }

// Unwrap makes errors.As find jsrt's TypeError marker.
func (e *fetchError) Unwrap() []error { return []error{jsrt.TypeErrorf("%s", e.msg)} }

// failed describes why a request got no response: "fetch failed: <cause>",
// the cause being Go's error without the URL (which http.Client prefixes and
// whose query may hold credentials). Header values never appear in Go's
// transport errors.
func failed(ctx context.Context, start time.Time, err error) error {
	return describe(ctx, start, err, "fetch failed: ")
}

func bodyFailed(ctx context.Context, start time.Time, err error) error {
	return describe(ctx, start, err, "fetch: reading the response body failed: ")
}

func describe(ctx context.Context, start time.Time, err error, prefix string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		d := time.Since(start)
		if dl, ok := ctx.Deadline(); ok {
			d = dl.Sub(start)
		}
		// start precedes the deadline's start, so truncating shows the
		// configured timeout.
		if d >= time.Second {
			d = d.Truncate(time.Second)
		} else {
			d = d.Truncate(10 * time.Millisecond)
		}
		return jsrt.WithHint(&fetchError{msg: fmt.Sprintf("%sno response within %s", prefix, d), code: "ERR_TIMEOUT"},
			"check that the server is reachable (and any proxy in HTTPS_PROXY/HTTP_PROXY)")
	}
	if ctx.Err() != nil {
		return &fetchError{msg: prefix + "the plugin runtime is closing", code: "ERR_FETCH_FAILED"}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	fe := &fetchError{msg: prefix + err.Error(), code: "ERR_FETCH_FAILED"}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		return jsrt.WithHint(fe, "if a proxy or private CA signs this server's certificate, point SSL_CERT_FILE at a PEM file that includes that CA")
	}
	return fe
}

var _ error = (*fetchError)(nil)
var _ jsrt.Coder = (*fetchError)(nil)
