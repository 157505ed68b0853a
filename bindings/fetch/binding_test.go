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

type jsCase struct {
	name, src, want string
}

func runCases(t *testing.T, rt *jsrt.Runtime, base string, cases []jsCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := run(t, rt, base, tc.src)
			if err != nil {
				got = "ERROR " + err.Error()
			}
			if got != tc.want {
				t.Errorf("\n src: %s\n got: %s\nwant: %s", tc.src, got, tc.want)
			}
		})
	}
}

func TestFetchResponses(t *testing.T) {
	srv := testAPI(t)
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{})})
	runCases(t, rt, srv.URL, []jsCase{
		{"json", `
			const res = await fetch(base + '/json');
			return [res.ok, res.status, res.statusText, res.url === base + '/json', res.redirected, res.bodyUsed, await res.json(), res.bodyUsed];`,
			`[true,200,"OK",true,false,false,{"name":"fake-user","n":42},true]`},
		{"response headers", `
			const res = await fetch(base + '/json');
			return [res.headers.get('content-type'), res.headers.get('X-MULTI'), res.headers.getSetCookie(), res.headers.has('x-missing'), res.headers.get('x-missing'), res.headers instanceof Headers, res instanceof Response];`,
			`["application/json","a, b",["s=1","t=2"],false,null,true,true]`},
		{"text decodes UTF-8", `
			const res = await fetch(base + '/text');
			return await res.text();`,
			"\"hällo \ufffd\""},
		{"arrayBuffer", `
			const buf = await (await fetch(base + '/text')).arrayBuffer();
			return [buf instanceof ArrayBuffer, buf.byteLength, new Uint8Array(buf)[0]];`,
			`[true,11,239]`},
		{"404 is not an error", `
			const res = await fetch(base + '/status/404');
			return [res.ok, res.status, res.statusText, await res.text()];`,
			`[false,404,"Not Found","nope\n"]`},
		{"redirect followed", `
			const res = await fetch(base + '/redirect');
			return [res.status, res.redirected, res.url === base + '/json'];`,
			`[200,true,true]`},
		{"body read twice", `
			const res = await fetch(base + '/json');
			await res.text();
			try { await res.text(); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			`[true,"Body is unusable: Body has already been read"]`},
		{"clone", `
			const res = await fetch(base + '/json');
			const c = res.clone();
			return [await res.text(), (await c.json()).n];`,
			`["{\"name\":\"fake-user\",\"n\":42}",42]`},
		{"bad JSON rejects with SyntaxError", `
			const res = await fetch(base + '/text');
			try { await res.json(); } catch (e) { return e.name; }`,
			`"SyntaxError"`},
		{"Response constructor", `
			const r = new Response('hi', {status: 201, headers: {'X-A': '1'}});
			const j = Response.json({a: 1});
			return [r.status, r.ok, r.headers.get('x-a'), r.headers.get('content-type'), await r.text(), j.headers.get('content-type'), await j.json()];`,
			`[201,true,"1","text/plain;charset=UTF-8","hi","application/json",{"a":1}]`},
	})
}

func TestFetchRequests(t *testing.T) {
	srv := testAPI(t)
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{})})
	runCases(t, rt, srv.URL, []jsCase{
		{"defaults", `
			const e = await (await fetch(base + '/echo')).json();
			return [e.method, e.body, e.headers['accept'], e.headers['user-agent']];`,
			`["GET","","*/*","` + DefaultUserAgent() + `"]`},
		{"POST JSON string", `
			const e = await (await fetch(base + '/echo', {method: 'post', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({a: 1})})).json();
			return [e.method, e.body, e.headers['content-type']];`,
			`["POST","{\"a\":1}","application/json"]`},
		{"string body gets text/plain", `
			const e = await (await fetch(base + '/echo', {method: 'PUT', body: 'hi'})).json();
			return [e.method, e.body, e.headers['content-type']];`,
			`["PUT","hi","text/plain;charset=UTF-8"]`},
		{"Uint8Array body", `
			const e = await (await fetch(base + '/echo', {method: 'POST', body: new Uint8Array([120, 104, 105, 121]).subarray(1, 3)})).json();
			return [e.body, e.headers['content-type'] ?? null];`,
			`["hi",null]`},
		{"headers as pairs and Headers, sent case-insensitively", `
			const h = new Headers([['X-One', '1'], ['x-one', '2']]);
			h.append('AUTHORIZATION', 'Bearer fake-token-123');
			const e1 = await (await fetch(base + '/echo', {headers: h})).json();
			const e2 = await (await fetch(base + '/echo', {headers: [['x-two', 'b']]})).json();
			return [e1.headers['x-one'], e1.headers['authorization'], e2.headers['x-two']];`,
			`["1, 2","Bearer fake-token-123","b"]`},
		{"User-Agent from the plugin wins", `
			const e = await (await fetch(base + '/echo', {headers: {'user-agent': 'my-plugin/1'}})).json();
			return e.headers['user-agent'];`,
			`"my-plugin/1"`},
		{"Request-like input", `
			const e = await (await fetch({url: base + '/echo', method: 'DELETE', headers: {'x-r': '1'}})).json();
			return [e.method, e.headers['x-r']];`,
			`["DELETE","1"]`},
		{"the guide's token check", `
			const ok = await fetch(base + '/me', { headers: { Authorization: 'Bearer fake-token-123' } });
			const bad = await fetch(base + '/me', { headers: { Authorization: 'Bearer wrong' } });
			return [ok.ok, bad.ok, bad.status];`,
			`[true,false,401]`},
	})
}

func TestHeaders(t *testing.T) {
	rt := newRuntime(t, jsrt.Options{}, Options{})
	runCases(t, rt, "", []jsCase{
		{"case-insensitive", `
			const h = new Headers({'Content-Type': 'text/plain'});
			h.append('x-a', '1'); h.append('X-A', '2');
			return [h.get('CONTENT-TYPE'), h.get('x-a'), h.has('X-a'), h.get('nope')];`,
			`["text/plain","1, 2",true,null]`},
		{"set and delete", `
			const h = new Headers([['A', '1'], ['a', '2']]);
			h.set('A', '3'); const afterSet = h.get('a');
			h.delete('A');
			return [afterSet, h.has('a')];`,
			`["3",false]`},
		{"iteration is sorted and lower-case", `
			const h = new Headers({'B': '2', 'a': '1', 'Set-Cookie': 'x=1'});
			h.append('set-cookie', 'y=2');
			const seen = [];
			h.forEach((v, k, self) => seen.push(k + '=' + v + (self === h)));
			return [[...h], [...h.keys()], [...h.values()], Array.from(h.entries()).length, seen];`,
			`[[["a","1"],["b","2"],["set-cookie","x=1"],["set-cookie","y=2"]],["a","b","set-cookie","set-cookie"],["1","2","x=1","y=2"],4,["a=1true","b=2true","set-cookie=x=1true","set-cookie=y=2true"]]`},
		{"copy from Headers", `
			const a = new Headers({'X-A': '1'});
			const b = new Headers(a); b.set('x-a', '2');
			return [a.get('x-a'), b.get('x-a'), Object.prototype.toString.call(b)];`,
			`["1","2","[object Headers]"]`},
		{"values are trimmed", `
			return new Headers({'x': '  v \t'}).get('x');`,
			`"v"`},
		{"bad name", `
			try { new Headers({'bad name': 'x'}); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			`[true,"Headers.append: \"bad name\" is an invalid header name."]`},
		{"bad value is not echoed", `
			try { new Headers().set('Authorization', 'Bearer fake-token-123\r\nX-Evil: 1'); } catch (e) { return [e instanceof TypeError, e.message.includes('fake-token-123'), e.message]; }`,
			`[true,false,"Headers.set: invalid value for header \"Authorization\" (it contains a NUL, CR, LF or a character above U+00FF)."]`},
		{"bad pair", `
			try { new Headers([['a', 'b', 'c']]); } catch (e) { return e.message; }`,
			`"Headers: each header must be a [name, value] pair."`},
	})
}

func TestFetchErrors(t *testing.T) {
	srv := testAPI(t)
	dead := "http://" + closedPort(t)
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{}), MaxBodyBytes: 10})
	runCases(t, rt, srv.URL, []jsCase{
		{"network error is a TypeError", fmt.Sprintf(`
			try { await fetch(%q + '/me', {headers: {Authorization: 'Bearer fake-token-123'}}); }
			catch (e) { return [e instanceof TypeError, e.code, e.message.startsWith('fetch failed: dial tcp '), e.message.includes('connection refused'), e.message.includes('fake-token-123')]; }`, dead),
			`[true,"ERR_FETCH_FAILED",true,true,false]`},
		{"relative URL", `
			try { await fetch('/me'); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			`[true,"Failed to parse URL from /me (fetch needs an absolute URL such as https://api.example.com/path)"]`},
		{"unsupported scheme", `
			try { await fetch('ftp://example.com/x'); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			`[true,"fetch failed: unsupported URL scheme \"ftp:\" (only http: and https:)"]`},
		{"credentials in URL", `
			try { await fetch('https://user:fake-pass@example.com/'); } catch (e) { return [e instanceof TypeError, e.message.includes('fake-pass')]; }`,
			`[true,false]`},
		{"GET with body", `
			try { await fetch(base + '/echo', {body: 'x'}); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			`[true,"Request with GET/HEAD method cannot have body."]`},
		{"bad method", `
			try { await fetch(base + '/echo', {method: 'TRACE'}); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			`[true,"'TRACE' HTTP method is unsupported."]`},
		{"unknown redirect mode", `
			try { await fetch(base + '/echo', {redirect: 'nope'}); } catch (e) { return [e instanceof TypeError, e.message]; }`,
			`[true,"fetch: redirect must be 'follow', 'manual' or 'error', not 'nope'."]`},
		{"body over the cap", `
			const res = await fetch(base + '/json');
			const status = res.status;
			try { await res.text(); } catch (e) { return [status, e instanceof TypeError, e.code, e.message]; }`,
			`[200,true,"ERR_FETCH_BODY_TOO_LARGE","response body is larger than 10 bytes, the most the host reads"]`},
		{"body under the cap", `
			return await (await fetch(base + '/status/404')).text();`,
			`"nope\n"`},
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
	runCases(t, rt, srv.URL, []jsCase{
		{"no response in time", `
			try { await fetch(base + '/hang'); } catch (e) { return [e instanceof TypeError, e.code, e.message, typeof e.hint]; }`,
			`[true,"ERR_TIMEOUT","fetch failed: no response within 300ms","string"]`},
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
	runCases(t, rt, "", []jsCase{
		{"unknown authority", `
			try { await fetch('https://api.myservice.com/me'); }
			catch (e) { return [e instanceof TypeError, e.message.startsWith('fetch failed: tls: failed to verify certificate: x509: certificate signed by unknown authority'), e.hint.includes('SSL_CERT_FILE')]; }`,
			`[true,true,true]`},
	})
}
