package fetch

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"host/bindings/internal/jstest"
	"host/jsrt"
)

// echoHandler answers with what it received: method, body, content type,
// every header (values joined) and, for multipart bodies, the parts as Go's
// mime/multipart reads them.
func echoHandler(w http.ResponseWriter, r *http.Request) {
	type part struct {
		Name, Filename, Type, Disposition, Data string
	}
	out := map[string]any{"method": r.Method, "path": r.URL.Path}
	headers := map[string]string{}
	for k, vs := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, " | ")
	}
	out["headers"] = headers
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var parts []part
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			data, _ := io.ReadAll(p)
			parts = append(parts, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), p.Header.Get("Content-Disposition"), string(data)})
		}
		out["parts"] = parts
	} else {
		b, _ := io.ReadAll(r.Body)
		out["body"] = string(b)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// TestFetchBodies sends every kind of body plugins use and checks what the
// server received, multipart parsed by Go's mime/multipart.
func TestFetchBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(echoHandler))
	defer srv.Close()
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{})})
	jstest.RunOn(t, rt, map[string]any{"base": srv.URL}, []jstest.Case{
		{Name: "string", Src: `
			const e = await (await fetch(base, {method: 'POST', body: 'héllo'})).json();
			return [e.body, e.headers['content-type'], e.headers['content-length']];`,
			Want: `["héllo","text/plain;charset=UTF-8","6"]`},
		{Name: "JSON string", Src: `
			const e = await (await fetch(base, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({a: [1, 2], b: 'ü'})})).json();
			return [e.body, e.headers['content-type']];`,
			Want: `["{\"a\":[1,2],\"b\":\"ü\"}","application/json"]`},
		{Name: "URLSearchParams", Src: `
			const e = await (await fetch(base, {method: 'POST', body: new URLSearchParams({grant_type: 'refresh_token', refresh_token: 'fake-refresh 123&x'})})).json();
			return [e.body, e.headers['content-type']];`,
			Want: `["grant_type=refresh_token&refresh_token=fake-refresh+123%26x","application/x-www-form-urlencoded;charset=UTF-8"]`},
		{Name: "a URL object as input", Src: `
			const u = new URL('/path?q=1', base);
			u.searchParams.append('r', 'a b');
			const e = await (await fetch(u)).json();
			const r = new Request(u);
			return [e.path, r.url === base + '/path?q=1&r=a+b'];`,
			Want: `["/path",true]`},
		{Name: "TextEncoder bytes", Src: `
			const e = await (await fetch(base, {method: 'POST', body: new TextEncoder().encode('héllo')})).json();
			return e.body;`,
			Want: `"héllo"`},
		{Name: "URLSearchParams by duck type", Src: `
			const params = {toString() { return 'a=1'; }, get [Symbol.toStringTag]() { return 'URLSearchParams'; }};
			const e = await (await fetch(base, {method: 'POST', body: params})).json();
			return [e.body, e.headers['content-type']];`,
			Want: `["a=1","application/x-www-form-urlencoded;charset=UTF-8"]`},
		{Name: "ArrayBuffer, typed array views and DataView", Src: `
			const bytes = new Uint8Array([0x61, 0x62, 0x63, 0x64]);
			const out = [];
			for (const body of [bytes.buffer, bytes.subarray(1, 3), new DataView(bytes.buffer, 2, 2), new Uint16Array(bytes.buffer, 0, 1)]) {
				const e = await (await fetch(base, {method: 'PUT', body})).json();
				out.push(e.body + ':' + (e.headers['content-type'] ?? 'none'));
			}
			return out;`,
			Want: `["abcd:none","bc:none","cd:none","ab:none"]`},
		{Name: "Blob", Src: `
			const e = await (await fetch(base, {method: 'POST', body: new Blob(['{"x":', '1}'], {type: 'application/json'})})).json();
			return [e.body, e.headers['content-type']];`,
			Want: `["{\"x\":1}","application/json"]`},
		{Name: "FormData is multipart", Src: `
			const fd = new FormData();
			fd.append('title', 'line1\nline2');
			fd.append('file', new File(['file content'], 'notes.txt', {type: 'text/plain'}));
			fd.append('bin', new Blob([new Uint8Array([0, 1, 2])]));
			fd.append('say "hi"', 'x');
			const e = await (await fetch(base, {method: 'POST', body: fd})).json();
			const ct = e.headers['content-type'];
			return [ct.startsWith('multipart/form-data; boundary=----HostFormBoundary'), ct.length, e.parts];`,
			Want: `[true,66,[` +
				`{"Name":"title","Filename":"","Type":"","Disposition":"form-data; name=\"title\"","Data":"line1\r\nline2"},` +
				`{"Name":"file","Filename":"notes.txt","Type":"text/plain","Disposition":"form-data; name=\"file\"; filename=\"notes.txt\"","Data":"file content"},` +
				`{"Name":"bin","Filename":"blob","Type":"application/octet-stream","Disposition":"form-data; name=\"bin\"; filename=\"blob\"","Data":"\u0000\u0001\u0002"},` +
				`{"Name":"say %22hi%22","Filename":"","Type":"","Disposition":"form-data; name=\"say %22hi%22\"","Data":"x"}]]`},
		{Name: "an explicit content type wins", Src: `
			const e = await (await fetch(base, {method: 'POST', headers: {'Content-Type': 'text/csv'}, body: 'a,b'})).json();
			return e.headers['content-type'];`,
			Want: `"text/csv"`},
		{Name: "a Request as input", Src: `
			const req = new Request(base + '/r', {method: 'PATCH', headers: {'X-A': '1'}, body: 'patch'});
			const e = await (await fetch(req)).json();
			let again;
			try { await fetch(req); } catch (err) { again = err.message; }
			return [e.method, e.path, e.body, e.headers['x-a'], req.bodyUsed, again];`,
			Want: `["PATCH","/r","patch","1",true,"fetch: cannot use a Request whose body has already been read."]`},
		{Name: "a Request with init overrides", Src: `
			const req = new Request(base + '/r', {method: 'POST', body: 'original', headers: {'X-A': '1'}});
			const e = await (await fetch(req, {method: 'PUT', body: 'override', headers: {'X-B': '2'}})).json();
			return [e.method, e.body, e.headers['x-a'] ?? null, e.headers['x-b'], req.bodyUsed];`,
			Want: `["PUT","override",null,"2",false]`},
		{Name: "multiple values go as one line", Src: `
			const h = new Headers();
			h.append('X-Many', 'a'); h.append('x-many', 'b');
			const e = await (await fetch(base, {headers: h})).json();
			return e.headers['x-many'];`,
			Want: `"a, b"`},
	})
}

// TestFetchResponseHeaders: response headers from the network are
// immutable, case-insensitive, iterable, multi-valued.
func TestFetchResponseHeaders(t *testing.T) {
	srv := testAPI(t)
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{})})
	jstest.RunOn(t, rt, map[string]any{"base": srv.URL}, []jstest.Case{
		{Name: "immutable", Src: `
			const res = await fetch(base + '/json');
			const out = [];
			for (const f of [() => res.headers.set('a', 'b'), () => res.headers.append('a', 'b'), () => res.headers.delete('x-multi'), () => res.clone().headers.set('a', 'b')]) {
				try { f(); out.push('no error'); } catch (e) { out.push(e instanceof TypeError); }
			}
			return out;`,
			Want: `[true,true,true,true]`},
		{Name: "iterable with multiple values", Src: `
			const res = await fetch(base + '/json');
			const all = [...res.headers].filter(([k]) => k !== 'date');
			return [all, res.headers.getSetCookie(), res.headers.get('Set-Cookie')];`,
			Want: `[[["content-length","27"],["content-type","application/json"],["set-cookie","s=1"],["set-cookie","t=2"],["x-multi","a, b"]],["s=1","t=2"],"s=1, t=2"]`},
		{Name: "blob and bytes from the network", Src: `
			const b = await (await fetch(base + '/json')).blob();
			const u = await (await fetch(base + '/json')).bytes();
			return [b.type, b.size, JSON.parse(await b.text()).n, u.length];`,
			Want: `["application/json",27,42,27]`},
	})
}

// TestFetchRedirects: follow, manual and error modes, and Authorization
// across origins.
func TestFetchRedirects(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(echoHandler)) // another port: another origin
	defer other.Close()
	self := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, "/end", http.StatusFound)
		case "/cross":
			http.Redirect(w, r, other.URL+"/end", http.StatusFound)
		case "/307":
			http.Redirect(w, r, "/end", http.StatusTemporaryRedirect)
		case "/303":
			http.Redirect(w, r, "/end", http.StatusSeeOther)
		case "/no-location":
			w.WriteHeader(http.StatusFound)
			io.WriteString(w, "no location")
		default:
			echoHandler(w, r)
		}
	}))
	defer self.Close()
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{})})
	auth := `{headers: {Authorization: 'Bearer fake-token-123'}}`
	jstest.RunOn(t, rt, map[string]any{"base": self.URL}, []jstest.Case{
		{Name: "same-origin redirect keeps Authorization", Src: `
			const res = await fetch(base + '/same', ` + auth + `);
			const e = await res.json();
			return [res.redirected, res.url === base + '/end', e.path, e.headers.authorization];`,
			Want: `[true,true,"/end","Bearer fake-token-123"]`},
		{Name: "cross-origin redirect drops Authorization", Src: fmt.Sprintf(`
			const res = await fetch(base + '/cross', `+auth+`);
			const e = await res.json();
			return [res.redirected, res.url === %q, e.path, e.headers.authorization ?? 'none'];`, other.URL+"/end"),
			Want: `[true,true,"/end","none"]`},
		{Name: "307 resends the body", Src: `
			const e = await (await fetch(base + '/307', {method: 'POST', body: 'again'})).json();
			return [e.method, e.path, e.body];`,
			Want: `["POST","/end","again"]`},
		{Name: "303 turns POST into GET", Src: `
			const e = await (await fetch(base + '/303', {method: 'POST', body: 'gone'})).json();
			return [e.method, e.path, e.body];`,
			Want: `["GET","/end",""]`},
		{Name: "manual returns the redirect", Src: `
			const res = await fetch(base + '/same', {redirect: 'manual'});
			return [res.status, res.ok, res.type, res.redirected, res.url === base + '/same', res.headers.get('location'), (await res.text()).includes('Found')];`,
			Want: `[302,false,"basic",false,true,"/end",true]`},
		{Name: "manual via a Request", Src: `
			const res = await fetch(new Request(base + '/cross', {redirect: 'manual'}));
			return [res.status, res.headers.get('location').endsWith('/end')];`,
			Want: `[302,true]`},
		{Name: "error rejects", Src: `
			try { await fetch(base + '/same', {redirect: 'error'}); return 'resolved'; }
			catch (e) { return [e instanceof TypeError, e.code, e.message]; }`,
			Want: `[true,"ERR_FETCH_REDIRECT","fetch failed: unexpected redirect (the server answered 302 and the request's redirect mode is 'error')"]`},
		{Name: "error without a redirect resolves", Src: `
			const res = await fetch(base + '/end', {redirect: 'error'});
			return [res.status, res.redirected];`,
			Want: `[200,false]`},
		{Name: "a 3xx without Location is a plain response", Src: `
			const res = await fetch(base + '/no-location');
			return [res.status, await res.text()];`,
			Want: `[302,"no location"]`},
	})
}

// abortServer holds requests so tests can abort them at a known point, and
// reports when a client went away.
type abortServer struct {
	*httptest.Server
	hits    atomic.Int32
	arrived chan string // path of each held request, once it is held
	gone    chan string // path of each held request whose client went away
}

func newAbortServer(t *testing.T) *abortServer {
	s := &abortServer{arrived: make(chan string, 16), gone: make(chan string, 16)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/arrived": // answers once some request is held
			fmt.Fprint(w, <-s.arrived)
			return
		case "/done":
			io.WriteString(w, "complete body")
			return
		}
		s.hits.Add(1)
		switch r.URL.Path {
		case "/partial": // chunked: fetch resolves at the headers
			io.WriteString(w, "part of the body")
			w.(http.Flusher).Flush()
		case "/partial-sized": // a small body of known length
			w.Header().Set("Content-Length", "100")
			io.WriteString(w, "part of the body")
			w.(http.Flusher).Flush()
		}
		s.arrived <- r.URL.Path
		<-r.Context().Done()
		s.gone <- r.URL.Path
	}))
	t.Cleanup(s.Close)
	return s
}

// waitGone waits until the server saw the client leave path.
func (s *abortServer) waitGone(t *testing.T, path string) {
	t.Helper()
	select {
	case p := <-s.gone:
		if p != path {
			t.Errorf("server saw %s end, want %s", p, path)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("the server never saw the client abandon %s: the Go request was not cancelled", path)
	}
}

// TestFetchAbort: AbortSignal before send, while waiting for headers, in the
// middle of the body; AbortSignal.timeout; custom reasons. Aborting rejects
// with the signal's reason, cancels the Go request (the server sees the
// client leave), and leaves no unhandled rejection behind.
func TestFetchAbort(t *testing.T) {
	srv := newAbortServer(t)
	var mu sync.Mutex
	var asyncErrs []error
	rt := newRuntime(t, jsrt.Options{OnError: func(err error) {
		mu.Lock()
		asyncErrs = append(asyncErrs, err)
		mu.Unlock()
	}}, Options{Client: NewClient(ClientOptions{})})

	for _, tc := range []struct {
		name, src, want string
		gone            string // path the server must see abandoned
	}{
		{"aborted before send", `
			const ac = new AbortController();
			ac.abort();
			try { await fetch(base + '/hold', {signal: ac.signal}); return 'resolved'; }
			catch (e) { return [e === ac.signal.reason, e.name, e.message]; }`,
			`[true,"AbortError","This operation was aborted"]`, ""},
		{"AbortSignal.abort with a reason, via a Request", `
			const reason = new Error('changed my mind');
			try { await fetch(new Request(base + '/hold', {signal: AbortSignal.abort(reason)})); return 'resolved'; }
			catch (e) { return [e === reason, e.message]; }`,
			`[true,"changed my mind"]`, ""},
		{"while the server holds the headers", `
			const ac = new AbortController();
			const p = fetch(base + '/hold', {signal: ac.signal});
			const held = await (await fetch(base + '/arrived')).text();
			ac.abort();
			try { await p; return 'resolved'; }
			catch (e) { return [held, e === ac.signal.reason, e.name]; }`,
			`["/hold",true,"AbortError"]`, "/hold"},
		{"mid-body, text() already waiting", `
			const ac = new AbortController();
			const res = await fetch(base + '/partial', {signal: ac.signal});
			await (await fetch(base + '/arrived')).text();
			const pending = res.text();
			setTimeout(() => ac.abort('stop reading'), 0);
			try { await pending; return 'resolved'; }
			catch (e) { return [res.status, e]; }`,
			`[200,"stop reading"]`, "/partial"},
		{"mid-body, before reading", `
			const ac = new AbortController();
			const res = await fetch(base + '/partial', {signal: ac.signal});
			await (await fetch(base + '/arrived')).text();
			ac.abort();
			try { await res.arrayBuffer(); return 'resolved'; }
			catch (e) { return [res.ok, e.name, res.bodyUsed]; }`,
			`[true,"AbortError",true]`, "/partial"},
		{"mid-body of a small body with a Content-Length", `
			const ac = new AbortController();
			const p = fetch(base + '/partial-sized', {signal: ac.signal});
			await (await fetch(base + '/arrived')).text();
			ac.abort();
			try { await p; return 'resolved'; }
			catch (e) { return [e === ac.signal.reason, e.name]; }`,
			`[true,"AbortError"]`, "/partial-sized"},
		{"AbortSignal.timeout", `
			try { await fetch(base + '/hold', {signal: AbortSignal.timeout(20)}); return 'resolved'; }
			catch (e) { return [e.name, e.message]; }`,
			`["TimeoutError","The operation was aborted due to timeout"]`, "/hold"},
		{"a bad URL with a signal", `
			const ac = new AbortController();
			try { await fetch('not a url', {signal: ac.signal}); return 'resolved'; }
			catch (e) { return [e instanceof TypeError, ac.signal._listeners?.length ?? 0]; }`,
			`[true,0]`, ""},
		{"abort after the body was read changes nothing", `
			const ac = new AbortController();
			const res = await fetch(base + '/done', {signal: ac.signal});
			const text = await res.text();
			ac.abort();
			return [text, ac.signal.aborted];`,
			`["complete body",true]`, ""},
		{"a signal that never aborts", `
			const ac = new AbortController();
			const texts = await Promise.all([1, 2, 3].map(() => fetch(base + '/done', {signal: ac.signal}).then(r => r.text())));
			// Finished fetches stop listening (abort.js keeps its listeners in
			// _listeners): a long-lived signal such as ctx.signal does not grow.
			return [texts, ac.signal._listeners?.length ?? 0];`,
			`[["complete body","complete body","complete body"],0]`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.hits.Load()
			got, err := run(t, rt, srv.URL, tc.src)
			if err != nil {
				got = "ERROR " + err.Error()
			}
			if got != tc.want {
				t.Errorf("\n src: %s\n got: %s\nwant: %s", tc.src, got, tc.want)
			}
			if tc.gone != "" {
				srv.waitGone(t, tc.gone)
			} else if tc.name == "aborted before send" && srv.hits.Load() != before {
				t.Errorf("an aborted signal still sent the request")
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asyncErrs) > 0 {
		t.Errorf("unhandled errors: %v", asyncErrs)
	}
}

// TestFetchBodyLimits: the default timeout covers the body too, and the
// size cap holds for bodies without a Content-Length.
func TestFetchBodyLimits(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/stall":
			io.WriteString(w, "part")
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/stall-sized":
			w.Header().Set("Content-Length", "20")
			io.WriteString(w, "part")
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/chunked":
			for range 4 {
				io.WriteString(w, "0123456789")
				w.(http.Flusher).Flush()
			}
		}
	}))
	defer srv.Close()
	rt := newRuntime(t, jsrt.Options{CallTimeout: 300 * time.Millisecond}, Options{Client: NewClient(ClientOptions{}), MaxBodyBytes: 25})
	jstest.RunOn(t, rt, map[string]any{"base": srv.URL}, []jstest.Case{
		{Name: "body not complete in time", Src: `
			const res = await fetch(base + '/stall');
			try { await res.text(); return 'resolved'; }
			catch (e) { return [res.status, e instanceof TypeError, e.code, e.message]; }`,
			Want: `[200,true,"ERR_TIMEOUT","fetch: reading the response body failed: the response was not complete within 300ms"]`},
		{Name: "small body of known length not complete in time", Src: `
			const res = await fetch(base + '/stall-sized');
			try { await res.text(); return 'resolved'; }
			catch (e) { return [res.status, res.headers.get('content-length'), e.code, e.message]; }`,
			Want: `[200,"20","ERR_TIMEOUT","fetch: reading the response body failed: the response was not complete within 300ms"]`},
		{Name: "chunked body over the cap", Src: `
			const res = await fetch(base + '/chunked');
			try { await res.json(); return 'resolved'; }
			catch (e) { return [res.headers.get('transfer-encoding'), res.headers.has('content-length'), e.code, e.message]; }`,
			Want: `[null,false,"ERR_FETCH_BODY_TOO_LARGE","response body is larger than 25 bytes, the most the host reads"]`},
	})
}

// TestFetch200Concurrent: 200 requests in flight at once, all held by the
// server until it has seen every one and a setInterval on the loop has
// ticked three times; then all resolve.
func TestFetch200Concurrent(t *testing.T) {
	const n = 200
	release := make(chan struct{})
	allArrived := make(chan struct{})
	var arrived atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/release" {
			<-allArrived
			close(release)
			return
		}
		if arrived.Add(1) == n {
			close(allArrived)
		}
		<-release
		fmt.Fprint(w, r.URL.Query().Get("i"))
	}))
	defer srv.Close()
	rt := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{})})
	got, err := run(t, rt, srv.URL, fmt.Sprintf(`
		let ticks = 0, ticksAtFirst = -1, released;
		const iv = setInterval(() => {
			ticks++;
			if (ticks === 3) released = fetch(base + '/release').then(r => r.text());
		}, 1);
		const values = await Promise.all(Array.from({length: %d}, (_, i) =>
			fetch(base + '/slow?i=' + i).then(r => r.text()).then(t => {
				if (ticksAtFirst < 0) ticksAtFirst = ticks;
				return Number(t);
			})));
		clearInterval(iv);
		await released; // its answer may come after the others'
		return [values.length, values.reduce((a, b) => a + b, 0), ticksAtFirst >= 3];`, n))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`[%d,%d,true]`, n, n*(n-1)/2); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if rt.Pending() != 0 {
		t.Errorf("Pending() = %d after all settled", rt.Pending())
	}
}
