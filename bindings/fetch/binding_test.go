package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"

	"host/bindings/abort"
	"host/bindings/clone"
	"host/bindings/crypto"
	"host/bindings/encoding"
	"host/bindings/internal/jstest"
	"host/bindings/jsapi"
	"host/bindings/streams"
	"host/bindings/url"
	"host/bindings/web"
	"host/jsrt"
)

// newRuntime starts a runtime with fetch installed on client.
func newRuntime(t testing.TB, rtOpts jsrt.Options, opts Options) *jsrt.Runtime {
	t.Helper()
	rt := jsrt.New(rtOpts)
	t.Cleanup(rt.Close)
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		// As the plugin binding does: AbortController and the web globals
		// (URL, URLSearchParams, ...) first, then fetch.
		if err := abort.Install(jsapi.NewEnv(nil, vm)); err != nil {
			return err
		}
		if err := web.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := url.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := encoding.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := crypto.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := clone.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		if err := streams.Install(jsapi.NewEnv(rt, vm)); err != nil {
			return err
		}
		return InstallOptions(rt, vm, opts)
	}); err != nil {
		t.Fatal(err)
	}
	return rt
}

// run evaluates src as the body of an async function, with `base` bound to
// the test server's URL, and returns its result as JSON (or the error).
func run(t testing.TB, rt *jsrt.Runtime, base, src string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := fmt.Sprintf("(async (base) => JSON.stringify(await (async () => { %s })()))(%q)", src, base)
	v, err := rt.Await(ctx, func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString(code)
	})
	if err != nil {
		return "", err
	}
	var out string
	err = rt.Do(ctx, func(vm *goja.Runtime) error {
		out = v.String()
		return nil
	})
	return out, err
}

// testAPI is a loopback API with the routes the JS tests call.
func testAPI(t testing.TB) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.Header().Add("Set-Cookie", "s=1")
		w.Header().Add("Set-Cookie", "t=2")
		io.WriteString(w, `{"name":"fake-user","n":42}`)
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "\uFEFFhällo \xff")
	})
	mux.HandleFunc("/status/404", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusNotFound)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/json", http.StatusFound)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h := map[string]string{}
		for k := range r.Header {
			h[strings.ToLower(k)] = r.Header.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "body": string(b), "headers": h, "host": r.Host})
	})
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer fake-token-123" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		io.WriteString(w, `{"id":"me"}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchResponses(t *testing.T) {
	srv := testAPI(t)
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{})})
	jstest.RunOn(t, rt, map[string]any{"base": srv.URL}, []jstest.Case{
		{Name: "json", Src: `
			const res = await fetch(base + '/json');
			return [res.ok, res.status, res.statusText, res.url === base + '/json', res.redirected, res.bodyUsed, await res.json(), res.bodyUsed];`,
			Want: `[true,200,"OK",true,false,false,{"name":"fake-user","n":42},true]`},
		{Name: "response headers", Src: `
			const res = await fetch(base + '/json');
			return [res.headers.get('content-type'), res.headers.get('X-MULTI'), res.headers.getSetCookie(), res.headers.has('x-missing'), res.headers.get('x-missing'), res.headers instanceof Headers, res instanceof Response];`,
			Want: `["application/json","a, b",["s=1","t=2"],false,null,true,true]`},
		{Name: "text decodes UTF-8", Src: `
			const res = await fetch(base + '/text');
			return await res.text();`,
			Want: "\"hällo \ufffd\""},
		{Name: "arrayBuffer", Src: `
			const buf = await (await fetch(base + '/text')).arrayBuffer();
			return [buf instanceof ArrayBuffer, buf.byteLength, new Uint8Array(buf)[0]];`,
			Want: `[true,11,239]`},
		{Name: "404 is not an error", Src: `
			const res = await fetch(base + '/status/404');
			return [res.ok, res.status, res.statusText, await res.text()];`,
			Want: `[false,404,"Not Found","nope\n"]`},
		{Name: "redirect followed", Src: `
			const res = await fetch(base + '/redirect');
			return [res.status, res.redirected, res.url === base + '/json'];`,
			Want: `[200,true,true]`},
		{Name: "body read twice", Src: `
			const res = await fetch(base + '/json');
			await res.text();
			try { await res.text(); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			Want: `[true,"Body is unusable: Body has already been read"]`},
		{Name: "clone", Src: `
			const res = await fetch(base + '/json');
			const c = res.clone();
			return [await res.text(), (await c.json()).n];`,
			Want: `["{\"name\":\"fake-user\",\"n\":42}",42]`},
		{Name: "bad JSON rejects with SyntaxError", Src: `
			const res = await fetch(base + '/text');
			try { await res.json(); } catch (e) { return e.name; }`,
			Want: `"SyntaxError"`},
		{Name: "Response constructor", Src: `
			const r = new Response('hi', {status: 201, headers: {'X-A': '1'}});
			const j = Response.json({a: 1});
			return [r.status, r.ok, r.headers.get('x-a'), r.headers.get('content-type'), await r.text(), j.headers.get('content-type'), await j.json()];`,
			Want: `[201,true,"1","text/plain;charset=UTF-8","hi","application/json",{"a":1}]`},
	})
}

func TestFetchRequests(t *testing.T) {
	srv := testAPI(t)
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{})})
	jstest.RunOn(t, rt, map[string]any{"base": srv.URL}, []jstest.Case{
		{Name: "defaults", Src: `
			const e = await (await fetch(base + '/echo')).json();
			return [e.method, e.body, e.headers['accept'], e.headers['user-agent']];`,
			Want: `["GET","","*/*","` + DefaultUserAgent() + `"]`},
		{Name: "POST JSON string", Src: `
			const e = await (await fetch(base + '/echo', {method: 'post', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({a: 1})})).json();
			return [e.method, e.body, e.headers['content-type']];`,
			Want: `["POST","{\"a\":1}","application/json"]`},
		{Name: "string body gets text/plain", Src: `
			const e = await (await fetch(base + '/echo', {method: 'PUT', body: 'hi'})).json();
			return [e.method, e.body, e.headers['content-type']];`,
			Want: `["PUT","hi","text/plain;charset=UTF-8"]`},
		{Name: "Uint8Array body", Src: `
			const e = await (await fetch(base + '/echo', {method: 'POST', body: new Uint8Array([120, 104, 105, 121]).subarray(1, 3)})).json();
			return [e.body, e.headers['content-type'] ?? null];`,
			Want: `["hi",null]`},
		{Name: "headers as pairs and Headers, sent case-insensitively", Src: `
			const h = new Headers([['X-One', '1'], ['x-one', '2']]);
			h.append('AUTHORIZATION', 'Bearer fake-token-123');
			const e1 = await (await fetch(base + '/echo', {headers: h})).json();
			const e2 = await (await fetch(base + '/echo', {headers: [['x-two', 'b']]})).json();
			return [e1.headers['x-one'], e1.headers['authorization'], e2.headers['x-two']];`,
			Want: `["1, 2","Bearer fake-token-123","b"]`},
		{Name: "User-Agent from the plugin wins", Src: `
			const e = await (await fetch(base + '/echo', {headers: {'user-agent': 'my-plugin/1'}})).json();
			return e.headers['user-agent'];`,
			Want: `"my-plugin/1"`},
		{Name: "Request-like input", Src: `
			const e = await (await fetch({url: base + '/echo', method: 'DELETE', headers: {'x-r': '1'}})).json();
			return [e.method, e.headers['x-r']];`,
			Want: `["DELETE","1"]`},
		{Name: "the guide's token check", Src: `
			const ok = await fetch(base + '/me', { headers: { Authorization: 'Bearer fake-token-123' } });
			const bad = await fetch(base + '/me', { headers: { Authorization: 'Bearer wrong' } });
			return [ok.ok, bad.ok, bad.status];`,
			Want: `[true,false,401]`},
	})
}

func TestHeaders(t *testing.T) {
	rt := newRuntime(t, jsrt.Options{}, Options{})
	jstest.RunOn(t, rt, nil, []jstest.Case{
		{Name: "case-insensitive", Src: `
			const h = new Headers({'Content-Type': 'text/plain'});
			h.append('x-a', '1'); h.append('X-A', '2');
			return [h.get('CONTENT-TYPE'), h.get('x-a'), h.has('X-a'), h.get('nope')];`,
			Want: `["text/plain","1, 2",true,null]`},
		{Name: "set and delete", Src: `
			const h = new Headers([['A', '1'], ['a', '2']]);
			h.set('A', '3'); const afterSet = h.get('a');
			h.delete('A');
			return [afterSet, h.has('a')];`,
			Want: `["3",false]`},
		{Name: "iteration is sorted and lower-case", Src: `
			const h = new Headers({'B': '2', 'a': '1', 'Set-Cookie': 'x=1'});
			h.append('set-cookie', 'y=2');
			const seen = [];
			h.forEach((v, k, self) => seen.push(k + '=' + v + (self === h)));
			return [[...h], [...h.keys()], [...h.values()], Array.from(h.entries()).length, seen];`,
			Want: `[[["a","1"],["b","2"],["set-cookie","x=1"],["set-cookie","y=2"]],["a","b","set-cookie","set-cookie"],["1","2","x=1","y=2"],4,["a=1true","b=2true","set-cookie=x=1true","set-cookie=y=2true"]]`},
		{Name: "copy from Headers", Src: `
			const a = new Headers({'X-A': '1'});
			const b = new Headers(a); b.set('x-a', '2');
			return [a.get('x-a'), b.get('x-a'), Object.prototype.toString.call(b)];`,
			Want: `["1","2","[object Headers]"]`},
		{Name: "values are trimmed", Src: `
			return new Headers({'x': '  v \t'}).get('x');`,
			Want: `"v"`},
		{Name: "bad name", Src: `
			try { new Headers({'bad name': 'x'}); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			Want: `[true,"Headers.append: \"bad name\" is an invalid header name."]`},
		{Name: "bad value is not echoed", Src: `
			try { new Headers().set('Authorization', 'Bearer fake-token-123\r\nX-Evil: 1'); } catch (e) { return [e instanceof TypeError, e.message.includes('fake-token-123'), e.message]; }`,
			Want: `[true,false,"Headers.set: invalid value for header \"Authorization\" (it contains a NUL, CR, LF or a character above U+00FF)."]`},
		{Name: "bad pair", Src: `
			try { new Headers([['a', 'b', 'c']]); } catch (e) { return e.message; }`,
			Want: `"Headers: each header must be a [name, value] pair."`},
	})
}

func TestFetchErrors(t *testing.T) {
	srv := testAPI(t)
	dead := "http://" + closedPort(t)
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{}), MaxBodyBytes: 10})
	jstest.RunOn(t, rt, map[string]any{"base": srv.URL}, []jstest.Case{
		{Name: "network error is a TypeError", Src: fmt.Sprintf(`
			try { await fetch(%q + '/me', {headers: {Authorization: 'Bearer fake-token-123'}}); }
			catch (e) { return [e instanceof TypeError, e.code, e.message.startsWith('fetch failed: dial tcp '), e.message.includes('connection refused'), e.message.includes('fake-token-123')]; }`, dead),
			Want: `[true,"ERR_FETCH_FAILED",true,true,false]`},
		{Name: "relative URL", Src: `
			try { await fetch('/me'); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			Want: `[true,"Failed to parse URL from /me (fetch needs an absolute URL such as https://api.example.com/path)"]`},
		{Name: "unsupported scheme", Src: `
			try { await fetch('ftp://example.com/x'); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			Want: `[true,"fetch failed: unsupported URL scheme \"ftp:\" (only http: and https:)"]`},
		{Name: "credentials in URL", Src: `
			try { await fetch('https://user:fake-pass@example.com/'); } catch (e) { return [e instanceof TypeError, e.message.includes('fake-pass')]; }`,
			Want: `[true,false]`},
		{Name: "GET with body", Src: `
			try { await fetch(base + '/echo', {body: 'x'}); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			Want: `[true,"Request with GET/HEAD method cannot have body."]`},
		{Name: "bad method", Src: `
			try { await fetch(base + '/echo', {method: 'TRACE'}); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			Want: `[true,"'TRACE' HTTP method is unsupported."]`},
		{Name: "unknown redirect mode", Src: `
			try { await fetch(base + '/echo', {redirect: 'nope'}); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			Want: `[true,"fetch: redirect must be 'follow', 'manual' or 'error', not 'nope'."]`},
		{Name: "body over the cap", Src: `
			const res = await fetch(base + '/json');
			const status = res.status;
			try { await res.text(); } catch (e) { return [status, e instanceof TypeError, e.code, e.message]; }`,
			Want: `[200,true,"ERR_FETCH_BODY_TOO_LARGE","response body is larger than 10 bytes, the most the host reads"]`},
		{Name: "body under the cap", Src: `
			return await (await fetch(base + '/status/404')).text();`,
			Want: `"nope\n"`},
	})
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	rt := newRuntime(t, jsrt.Options{CallTimeout: 300 * time.Millisecond}, Options{Client: NewClient(ClientOptions{})})
	jstest.RunOn(t, rt, map[string]any{"base": srv.URL}, []jstest.Case{
		{Name: "no response in time", Src: `
			try { await fetch(base + '/hang'); } catch (e) { return [e instanceof TypeError, e.code, e.message, typeof e.hint]; }`,
			Want: `[true,"ERR_TIMEOUT","fetch failed: no response within 300ms","string"]`},
	})
}

// TestFetchConcurrentDoesNotBlockLoop holds 50 requests at the server until
// a timer on the loop has fired and told the server to answer: if fetch
// blocked the loop, the timer could never fire.
func TestFetchConcurrentDoesNotBlockLoop(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	arrived := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/release" {
			once.Do(func() { close(release) })
			return
		}
		mu.Lock()
		arrived++
		mu.Unlock()
		<-release
		fmt.Fprintf(w, "%s", r.URL.Query().Get("i"))
	}))
	defer srv.Close()
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{})})
	got, err := run(t, rt, srv.URL, `
		const events = [];
		const all = Promise.all(Array.from({length: 50}, (_, i) =>
			fetch(base + '/slow?i=' + i).then(r => r.text()).then(t => { events.push('done'); return Number(t); })));
		setTimeout(() => { events.push('timer'); fetch(base + '/release'); }, 1);
		const values = await all;
		return [events[0], events.length, values.reduce((a, b) => a + b, 0)];`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `["timer",51,1225]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if arrived != 50 {
		t.Errorf("server saw %d requests, want 50", arrived)
	}
}

// TestFetchConnectToTLS runs the guide's token check against
// https://api.myservice.com/me, served by a loopback TLS server.
func TestFetchConnectToTLS(t *testing.T) {
	cert := newTestCert(t)
	var sawHost string
	srv := newTLSServer(t, cert, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawHost = r.Host
		if r.Header.Get("Authorization") != "Bearer fake-token-123" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	c := NewClient(ClientOptions{
		ConnectTo: []ConnectTo{{Host: "api.myservice.com", Port: "443", ToHost: "127.0.0.1", ToPort: srv.port()}},
		RootCAs:   cert.pool(),
	})
	rt := newRuntime(t, jsrt.Options{}, Options{Client: c})
	got, err := run(t, rt, "", `
		const token = 'fake-token-123';
		const res = await fetch('https://api.myservice.com/me', {
			headers: { Authorization: `+"`Bearer ${token}`"+` },
		});
		if (!res.ok) {
			throw new Error('Invalid API token');
		}
		return res.status;`)
	if err != nil || got != "200" {
		t.Fatalf("got %s, %v", got, err)
	}
	if sawHost != "api.myservice.com" {
		t.Errorf("server saw Host %q", sawHost)
	}
	if snis := srv.seenSNIs(); len(snis) == 0 || snis[0] != "api.myservice.com" {
		t.Errorf("server saw SNI %q", snis)
	}
}

// TestCloseCancelsFetch: closing the runtime ends a request in flight.
func TestCloseCancelsFetch(t *testing.T) {
	arrived := make(chan struct{})
	gone := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
		close(gone)
	}))
	defer srv.Close()
	rt := jsrt.New(jsrt.Options{})
	defer rt.Close()
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		if err := InstallOptions(rt, vm, Options{Client: NewClient(ClientOptions{})}); err != nil {
			return err
		}
		_, err := vm.RunString(fmt.Sprintf("fetch(%q)", srv.URL))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	<-arrived
	rt.Close()
	<-gone // the server saw the client go away
}

// TestFetchUntrustedCertificate: a TLS failure rejects with the Go cause
// and a hint about SSL_CERT_FILE.
func TestFetchUntrustedCertificate(t *testing.T) {
	cert := newTestCert(t)
	srv := newTLSServer(t, cert, http.HandlerFunc(whoami))
	other := newTestCert(t) // trust a different root
	c := NewClient(ClientOptions{
		ConnectTo: []ConnectTo{{Host: "api.myservice.com", ToHost: "127.0.0.1", ToPort: srv.port()}},
		RootCAs:   other.pool(),
	})
	rt := newRuntime(t, jsrt.Options{}, Options{Client: c})
	jstest.RunOn(t, rt, nil, []jstest.Case{
		{Name: "unknown authority", Src: `
			try { await fetch('https://api.myservice.com/me'); }
			catch (e) { return [e instanceof TypeError, e.message.startsWith('fetch failed: tls: failed to verify certificate: x509: certificate signed by unknown authority'), e.hint.includes('SSL_CERT_FILE')]; }`,
			Want: `[true,true,true]`},
	})
}
