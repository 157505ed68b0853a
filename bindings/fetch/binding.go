// Package fetch gives plugins the web's fetch API (the globals fetch,
// Headers, Request, Response, FormData, Blob and File), WebSocket (with
// MessageEvent and CloseEvent, on first use) and builds the one
// HTTP client the host uses for everything it does on a plugin's behalf,
// OAuth included: curl-style connect-to rules, proxies from the environment,
// the system roots (SSL_CERT_FILE), bounded timeouts and a host/<version>
// User-Agent.
//
// The JS surface is fetch.js on top of a small Go half (native, below and in
// body.go) that holds body bytes and performs requests through jsrt's
// bridge, so the event loop never waits for the network. fetch.d.ts declares
// the surface.
//
// Body streams (Response.body, ReadableStream request bodies) use the
// ReadableStream of bindings/web, which must be installed too.
//
// Not implemented: cache/credentials/mode options.
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

	"github.com/dop251/goja"

	"host/bindings/jsapi"
	"host/jsrt"
)

// DefaultMaxBodyBytes caps how much of one response body the host reads.
const DefaultMaxBodyBytes = 32 << 20

//go:embed fetch.js
var fetchJS string

var compiledJS = jsrt.NewProgram("host:fetch.js", fetchJS)

func compiled() (*goja.Program, error) { return compiledJS.Get(), nil }

var defaultClient = sync.OnceValue(func() *http.Client { return NewClient(ClientOptions{}) })

// globals are the names fetch.js defines, in the order they are installed.
var globals = []string{"fetch", "Headers", "Request", "Response", "FormData", "Blob", "File"}

// Options configure InstallOptions.
type Options struct {
	// Client performs every request. Nil means one process-wide client from
	// NewClient(ClientOptions{}). Share one client between runtimes so
	// connections are reused. Its CheckRedirect is used for redirect:
	// 'follow'; 'manual' and 'error' use a copy that does not follow.
	Client *http.Client
	// MaxBodyBytes caps one response body; a larger body makes text(),
	// json() and arrayBuffer() reject. Default DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Install defines the globals fetch, Headers, Request, Response, FormData,
// Blob and File on vm, sending requests through c (nil: the process-wide
// default client). Call it on the loop goroutine of rt (inside rt.Do) before
// plugin code runs, after the abort package's globals if plugins pass
// signals. Each request runs through rt.Go: the request, body included, must
// finish within the runtime's call timeout, and ends when the runtime
// closes or the request's AbortSignal aborts. A response body is read into
// memory, up to 32 MiB: before fetch resolves when its Content-Length is at
// most 64 KiB, else by a goroutine while JS already has the headers.
//
// The client is the Env's when it implements Client.
func Install(env jsapi.Env) error {
	var c *http.Client
	if e, ok := env.(Client); ok {
		c = e.HTTPClient()
	}
	return InstallOptions(env.Runtime(), env.VM(), Options{Client: c})
}

// Client is the optional interface of a jsapi.Env that gives fetch the
// HTTP client of its runtime (a plugin's, with its permissions and
// redirected connections).
type Client interface {
	HTTPClient() *http.Client
}

// InstallOptions is Install with all options. Call it on rt's loop.
func InstallOptions(rt *jsrt.Runtime, vm *goja.Runtime, opts Options) error {
	if opts.Client == nil {
		opts.Client = defaultClient()
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	noFollow := *opts.Client
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	b := &binding{rt: rt, follow: opts.Client, noFollow: &noFollow, max: opts.MaxBodyBytes}
	if t, ok := opts.Client.Transport.(*roundTripper); ok {
		// Setting the client's User-Agent here spares its RoundTrip a
		// request clone.
		b.userAgent = []string{t.userAgent}
	}
	if err := b.installWebSocket(vm); err != nil {
		return fmt.Errorf("fetch binding: %w", err)
	}
	// fetch.js (its classes and their methods, a few hundred KiB of a
	// runtime's heap once compiled and run) is built on first use of one
	// of its globals: an idle plugin of a serve has not fetched yet
	// (issue 23 §3).
	props := make([]jsrt.LazyProp, len(globals))
	for i, name := range globals {
		props[i] = jsrt.LazyProp{Name: name}
	}
	return jsrt.DefineLazy(vm, vm.GlobalObject(), props, func() error { return b.install(vm) })
}

// install runs fetch.js and defines its globals. On the loop.
func (b *binding) install(vm *goja.Runtime) error {
	prog, err := compiled()
	if err != nil {
		return fmt.Errorf("fetch binding: compile fetch.js: %w", err)
	}
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
	if b.makeResponse, ok = goja.AssertFunction(obj.Get("makeResponse")); !ok {
		return errors.New("fetch binding: fetch.js exports no makeResponse")
	}
	g := vm.GlobalObject()
	gl := obj.Get("globals").ToObject(vm)
	for _, name := range globals {
		// Web IDL globals: writable, configurable, not enumerable.
		if err := g.DefineDataProperty(name, gl.Get(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return fmt.Errorf("fetch binding: define %s: %w", name, err)
		}
	}
	return nil
}

// binding is the Go half of one runtime's fetch.
type binding struct {
	rt           *jsrt.Runtime
	follow       *http.Client // redirect: 'follow'
	noFollow     *http.Client // 'manual' and 'error': the same client, returning 3xx as is
	max          int64
	makeResponse goja.Callable // fetch.js: builds a Response on the loop
	userAgent    []string      // the client's default User-Agent, if it is ours (read-only)
}

// acceptAny is the default Accept header, shared read-only by requests.
var acceptAny = []string{"*/*"}

// native is the export table fetch.js receives; every function runs on the
// loop.
func (b *binding) native(vm *goja.Runtime) *goja.Object {
	return nativeObject(vm, map[string]nativeFunc{
		"fetch":       b.fetch,
		"token":       b.token,
		"abort":       b.abort,
		"url":         b.url,
		"body":        b.body,
		"concat":      b.concat,
		"slice":       b.slice,
		"size":        b.size,
		"multipart":   b.multipart,
		"parseForm":   b.parseForm,
		"ready":       b.ready,
		"wait":        b.wait,
		"text":        b.text,
		"headers":     b.headers,
		"arrayBuffer": b.arrayBuffer,
		"streamable":  b.streamable,
		"read":        b.read,
		"cancel":      b.cancel,
		"pipe":        b.pipe,
		"pipeWrite":   b.pipeWrite,
		"pipeClose":   b.pipeClose,
	})
}

// nativeFunc is a Go function JS calls; it runs on the loop.
type nativeFunc func(goja.FunctionCall, *goja.Runtime) goja.Value

// nativeObject makes the object of table's functions that a JS file of
// this package receives as `native`, each behind jsrt.Safe.
func nativeObject(vm *goja.Runtime, table map[string]nativeFunc) *goja.Object {
	o := vm.NewObject()
	for name, fn := range table {
		_ = o.Set(name, jsrt.Safe(vm, "fetch."+name, func(c goja.FunctionCall) goja.Value { return fn(c, vm) }))
	}
	return o
}

// handleOf returns the Go value behind a handle JS passed back, or throws
// a TypeError saying it is not what (internal misuse, or plugin code
// calling a native with something else).
func handleOf[T any](vm *goja.Runtime, v goja.Value, what string) T {
	h, ok := v.Export().(T)
	if !ok {
		jsrt.Throw(vm, jsrt.TypeErrorf("fetch: not %s", what))
	}
	return h
}

// Redirect modes as fetch.js numbers them.
const (
	redirectFollow = 0
	redirectManual = 1
	redirectError  = 2
)

// abortToken ties one request to its AbortSignal: fetch.js calls
// native.abort(token) when the signal aborts. Its context has no parent, so
// an unused token needs no cleanup.
type abortToken struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// token() -> a fresh abort token.
func (b *binding) token(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	ctx, cancel := context.WithCancel(context.Background())
	return vm.ToValue(&abortToken{ctx: ctx, cancel: cancel})
}

// abort(token) cancels the request the token was given to: its Go context
// ends, whether it waits for headers or reads the body.
func (b *binding) abort(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	if t, ok := call.Argument(0).Export().(*abortToken); ok {
		t.cancel()
	}
	return goja.Undefined()
}

// url(string) -> the URL normalized as Request.url shows it; throws a
// TypeError for a relative URL or one with credentials.
func (b *binding) url(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	u, err := parseURL(call.Argument(0).String(), false)
	if err != nil {
		jsrt.Throw(vm, err)
	}
	return vm.ToValue(u.String())
}

// request is one fetch's validated input, handed to the worker goroutine.
type request struct {
	start  time.Time
	method string
	url    *url.URL
	header http.Header
	host   string
	body   []byte
	pipe   *pipe // a body JS writes from a ReadableStream, instead of body
	mode   int64
	tok    *abortToken
}

// fetch(url, method, [name, value, ...] | null, handle|null, redirectMode,
// token|null) -> Promise<Response>. Arguments come validated and normalized
// from fetch.js; the promise resolves when the headers arrive.
func (b *binding) fetch(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	u, err := parseURL(call.Argument(0).String(), true)
	if err != nil {
		jsrt.Throw(vm, err)
	}
	r := &request{start: time.Now(), method: call.Argument(1).String(), url: u, mode: call.Argument(4).ToInteger()}
	var flat []any
	if v := call.Argument(2); !goja.IsNull(v) {
		flat, _ = v.Export().([]any)
	}
	r.header = make(http.Header, len(flat)/2+2)
	for i := 0; i+1 < len(flat); i += 2 {
		name, _ := flat[i].(string)
		value, _ := flat[i+1].(string)
		if name == "host" {
			r.host = value
			continue
		}
		k := http.CanonicalHeaderKey(name)
		r.header[k] = append(r.header[k], value)
	}
	if _, ok := r.header["Accept"]; !ok {
		r.header["Accept"] = acceptAny
	}
	if _, ok := r.header["User-Agent"]; !ok && b.userAgent != nil {
		r.header["User-Agent"] = b.userAgent
	}
	if v := call.Argument(3); !goja.IsNull(v) && !goja.IsUndefined(v) {
		if p, ok := v.Export().(*pipe); ok {
			r.pipe = p
		} else {
			r.body = handle(vm, v).data
		}
	}
	if v := call.Argument(5); !goja.IsNull(v) && !goja.IsUndefined(v) {
		r.tok, _ = v.Export().(*abortToken)
	}
	return b.rt.Go(func(ctx context.Context) (any, error) {
		return b.do(ctx, r)
	})
}

var errAborted = &fetchError{msg: "fetch: the request was aborted", code: "ERR_ABORTED"}

// call is one request's lifetime: its context (ended by the runtime's
// close, the request's abort, or its deadline), from the start of the
// request until its body is read, cancelled, or fails.
type call struct {
	ctx      context.Context
	start    time.Time
	limit    time.Duration // the time left until the deadline, at the start
	deadline time.Time     // zero: none
	timer    *time.Timer   // ends ctx at deadline; nil without one
	cancel   context.CancelCauseFunc
	stop     func() bool // stops following the abort token
	once     sync.Once
}

// errDeadline is the cause of a call's context ending at its deadline.
var errDeadline = fmt.Errorf("fetch: deadline: %w", context.DeadlineExceeded)

func newCall(ctx context.Context, base context.Context, start time.Time, tok *abortToken) *call {
	c := &call{start: start, stop: func() bool { return false }}
	c.ctx, c.cancel = context.WithCancelCause(base)
	if dl, ok := ctx.Deadline(); ok {
		c.deadline, c.limit = dl, time.Until(dl)
		c.timer = time.AfterFunc(time.Until(dl), func() { c.cancel(errDeadline) })
	}
	if tok != nil {
		c.stop = context.AfterFunc(tok.ctx, func() { c.cancel(errAborted) })
	}
	return c
}

// finish releases the call's context. Safe to call more than once, on any
// goroutine.
func (c *call) finish() {
	c.once.Do(func() {
		c.stop()
		if c.timer != nil {
			c.timer.Stop()
		}
		c.cancel(nil)
	})
}

// untimed lifts the call's deadline (a body streamed to JS has none: each
// read waits as long as the plugin does). It reports false when the
// deadline has passed already.
func (c *call) untimed() bool { return c.timer == nil || c.timer.Stop() }

// do performs one request on a worker goroutine. It returns when the
// headers have arrived and, for a small body of known length, the body too;
// a larger body is read when JS asks for it (see netBody).
func (b *binding) do(ctx context.Context, r *request) (any, error) {
	// The request may outlive this call (the body is read afterwards), so
	// its context derives from the runtime's, with this call's deadline.
	if r.tok != nil && r.tok.ctx.Err() != nil {
		if r.pipe != nil {
			r.pipe.r.Close()
		}
		return nil, errAborted
	}
	c := newCall(ctx, b.rt.Context(), r.start, r.tok)
	reqCtx, finish := c.ctx, c.finish

	var rd io.Reader
	switch {
	case r.pipe != nil:
		rd = r.pipe.r // sent chunked, as JS writes it; a 307/308 cannot resend it
	case r.body != nil:
		rd = bytes.NewReader(r.body) // sets ContentLength and GetBody (307/308 resend it)
	}
	// The URL is parsed already: build the request around it.
	req, err := http.NewRequestWithContext(reqCtx, r.method, "http://placeholder/", rd)
	if err != nil {
		finish()
		if r.pipe != nil {
			r.pipe.r.Close()
		}
		return nil, c.failed(err)
	}
	req.URL = r.url
	req.Host = r.url.Host
	if r.host != "" {
		req.Host = r.host
	}
	req.Header = r.header
	client := b.follow
	if r.mode == redirectManual || r.mode == redirectError {
		client = b.noFollow
	}
	resp, err := client.Do(req)
	if err != nil {
		err = c.failed(err)
		finish()
		return nil, err
	}
	if r.mode == redirectError && isRedirect(resp.StatusCode) {
		resp.Body.Close()
		finish()
		return nil, &fetchError{
			msg:  fmt.Sprintf("fetch failed: unexpected redirect (the server answered %d and the request's redirect mode is 'error')", resp.StatusCode),
			code: "ERR_FETCH_REDIRECT",
		}
	}

	res := &body{}
	n := 0
	for _, vs := range resp.Header {
		n += len(vs)
	}
	res.header = make([]string, 0, 2*n)
	for k, vs := range resp.Header {
		name, ok := lowerNames[k]
		if !ok {
			name = strings.ToLower(k)
		}
		for _, v := range vs {
			res.header = append(res.header, name, v)
		}
	}
	switch {
	case resp.Body == http.NoBody || resp.ContentLength == 0:
		resp.Body.Close()
		finish()
	case resp.ContentLength > 0 && resp.ContentLength <= inlineBodyMax:
		// Small bodies of known length usually arrived with the headers:
		// read them now rather than make JS wait for a second round trip.
		b.readBody(c, resp, res)
	default:
		// Read when JS asks: whole (text(), json(), ...) or chunk by chunk
		// as it pulls from Response.body.
		res.done = make(chan struct{})
		res.net = &netBody{resp: resp, call: c}
	}
	status := resp.StatusCode
	statusText := strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(status)))
	finalURL := resp.Request.URL.String()
	redirected := resp.Request != req
	return jsrt.ToJS(func(vm *goja.Runtime) (goja.Value, error) {
		return b.makeResponse(goja.Undefined(),
			vm.ToValue(status), vm.ToValue(statusText), vm.ToValue(finalURL), vm.ToValue(redirected), vm.ToValue(res))
	}), nil
}

// lowerNames maps common canonical header names to the lower-case names
// JS sees, sparing an allocation per header.
var lowerNames = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{
		"Accept-Ranges", "Access-Control-Allow-Origin", "Age", "Cache-Control", "Connection",
		"Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length",
		"Content-Security-Policy", "Content-Type", "Date", "Etag", "Expires", "Keep-Alive",
		"Last-Modified", "Link", "Location", "Pragma", "Retry-After", "Server", "Set-Cookie",
		"Strict-Transport-Security", "Transfer-Encoding", "Vary", "Via", "Www-Authenticate",
		"X-Content-Type-Options", "X-Frame-Options", "X-Ratelimit-Limit", "X-Ratelimit-Remaining",
		"X-Ratelimit-Reset", "X-Request-Id",
	} {
		m[k] = strings.ToLower(k)
	}
	return m
}()

// inlineBodyMax is the largest body (by Content-Length) that do reads
// before resolving fetch; larger and unknown-length bodies are read by a
// goroutine while JS already sees the headers.
const inlineBodyMax = 64 << 10

// readBody reads a response body into res, at most b.max bytes, then
// finishes the call (releasing the request's context).
func (b *binding) readBody(c *call, resp *http.Response, res *body) {
	if resp.ContentLength > b.max {
		res.err = tooLarge(b.max)
	} else {
		data, err := readAll(io.LimitReader(resp.Body, b.max+1), resp.ContentLength)
		switch {
		case err != nil:
			res.err = c.bodyFailed(err)
		case int64(len(data)) > b.max:
			res.err = tooLarge(b.max)
		default:
			res.data = data
		}
	}
	resp.Body.Close()
	c.finish()
}

func tooLarge(max int64) error {
	return &fetchError{
		msg:  fmt.Sprintf("response body is larger than %s, the most the host reads", sizeString(max)),
		code: "ERR_FETCH_BODY_TOO_LARGE",
	}
}

// readAll is io.ReadAll starting with room for a known length (-1: unknown),
// reading up to EOF so the connection can be reused.
func readAll(r io.Reader, hint int64) ([]byte, error) {
	size := 512
	if hint >= 0 && hint < 64<<20 {
		size = int(hint) + 1
	}
	b := make([]byte, 0, size)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

func isRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// parseURL accepts absolute URLs without credentials, as Request does, and
// normalizes them as the URL standard would for http(s): lower-case scheme
// and host, no default port, "/" for an empty path. forFetch also requires
// http or https and drops the fragment.
func parseURL(raw string, forFetch bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" && (u.Scheme == "http" || u.Scheme == "https") {
		return nil, jsrt.TypeErrorf("Failed to parse URL from %s (fetch needs an absolute URL such as https://api.example.com/path)", shorten(raw))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.User != nil {
		return nil, jsrt.TypeErrorf("fetch: the URL includes credentials; send them in an Authorization header instead")
	}
	if u.Scheme == "http" || u.Scheme == "https" {
		u.Host = strings.ToLower(u.Host)
		if p := u.Port(); p == "80" && u.Scheme == "http" || p == "443" && u.Scheme == "https" {
			u.Host = u.Host[:len(u.Host)-len(p)-1]
		}
		if u.Path == "" && u.Opaque == "" {
			u.Path = "/"
		}
	}
	if !forFetch {
		return u, nil
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &fetchError{msg: fmt.Sprintf("fetch failed: unsupported URL scheme %q (only http: and https:)", u.Scheme+":"), code: "ERR_FETCH_FAILED"}
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
func (c *call) failed(err error) error {
	return c.describe(err, "fetch failed: ", "no response within")
}

func (c *call) bodyFailed(err error) error {
	return c.describe(err, "fetch: reading the response body failed: ", "the response was not complete within")
}

func (c *call) describe(err error, prefix, late string) error {
	ctx := c.ctx
	if context.Cause(ctx) == errAborted {
		return errAborted
	}
	if context.Cause(ctx) == errDeadline {
		// The call's time limit, as configured: measured when the call
		// started, just after its deadline was set, and rounded.
		d := c.limit
		if d >= time.Second {
			d = d.Round(time.Second)
		} else {
			d = d.Round(10 * time.Millisecond)
		}
		return jsrt.WithHint(&fetchError{msg: fmt.Sprintf("%s%s %s", prefix, late, d), code: "ERR_TIMEOUT"},
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

var (
	_ error      = (*fetchError)(nil)
	_ jsrt.Coder = (*fetchError)(nil)
)
