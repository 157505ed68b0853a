package fetch

import (
	"testing"

	"host/bindings/internal/jstest"
	"host/jsrt"
)

// TestRequestClass: the Request constructor, its properties, clone and body
// readers, as browsers and Node have them.
func TestRequestClass(t *testing.T) {
	rt := newRuntime(t, jsrt.Options{}, Options{})
	jstest.RunOn(t, rt, nil, []jstest.Case{
		{Name: "defaults and normalized URL", Src: `
			const r = new Request('HTTPS://API.Example.COM:443');
			return [r.url, r.method, r.redirect, r.bodyUsed, [...r.headers], r.signal.aborted, r instanceof Request, Object.prototype.toString.call(r)];`,
			Want: `["https://api.example.com/","GET","follow",false,[],false,true,"[object Request]"]`},
		{Name: "init", Src: `
			const ac = new AbortController();
			const r = new Request('https://api.example.com/x?q=1', {method: 'post', headers: {'X-A': '1'}, body: 'hi', redirect: 'manual', signal: ac.signal});
			return [r.url, r.method, r.headers.get('x-a'), r.headers.get('content-type'), r.redirect, r.signal === ac.signal, await r.text(), r.bodyUsed];`,
			Want: `["https://api.example.com/x?q=1","POST","1","text/plain;charset=UTF-8","manual",true,"hi",true]`},
		{Name: "from a URL-like object", Src: `
			return new Request({href: 'https://api.example.com/a', toString() { return this.href; }}).url;`,
			Want: `"https://api.example.com/a"`},
		{Name: "from another Request, with overrides", Src: `
			const a = new Request('https://api.example.com/a', {method: 'PUT', headers: {'X-A': '1'}, body: '{"a":1}'});
			const b = new Request(a, {headers: {'X-B': '2'}});
			const c = new Request(b, {method: 'POST', body: 'other'});
			return [a.bodyUsed, b.method, b.headers.get('x-a'), b.headers.get('x-b'), await b.json(), c.method, await c.text()];`,
			Want: `[true,"PUT",null,"2",{"a":1},"POST","other"]`},
		{Name: "headers are copied, not shared", Src: `
			const a = new Request('https://api.example.com/', {headers: {'X-A': '1'}});
			const b = new Request(a);
			b.headers.set('x-a', '2');
			return [a.headers.get('x-a'), b.headers.get('x-a')];`,
			Want: `["1","2"]`},
		{Name: "clone", Src: `
			const a = new Request('https://api.example.com/', {method: 'POST', body: new Uint8Array([104, 105])});
			const b = a.clone();
			const buf = await a.arrayBuffer();
			return [new Uint8Array(buf).join(','), await b.text(), a.bodyUsed, b.bodyUsed];`,
			Want: `["104,105","hi",true,true]`},
		{Name: "blob and bytes", Src: `
			const r = new Request('https://api.example.com/', {method: 'POST', body: 'abc', headers: {'content-type': 'text/x-thing'}});
			const b = await r.blob();
			const r2 = new Request('https://api.example.com/', {method: 'POST', body: 'xyz'});
			const u = await r2.bytes();
			return [b instanceof Blob, b.size, b.type, await b.text(), u instanceof Uint8Array, u.length];`,
			Want: `[true,3,"text/x-thing","abc",true,3]`},
		{Name: "errors", Src: `
			const out = [];
			for (const f of [
				() => new Request('/relative'),
				() => new Request('https://user:fake-pass@example.com/'),
				() => new Request('https://example.com/', {body: 'x'}),
				() => new Request('https://example.com/', {method: 'bad method'}),
				() => new Request('https://example.com/', {redirect: 'sometimes'}),
				() => new Request('https://example.com/', {signal: {}}),
				() => new Request(),
			]) {
				try { f(); out.push('no error'); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
			}
			const used = new Request('https://example.com/', {method: 'POST', body: 'x'});
			await used.text();
			try { new Request(used); } catch (e) { out.push(e.message); }
			try { used.clone(); } catch (e) { out.push(e.message); }
			try { await used.text(); } catch (e) { out.push(e.message); }
			try { await new Request('https://example.com/', {method: 'POST', body: 'x'}).formData(); } catch (e) { out.push(e.message); }
			return out;`,
			Want: `["TypeError: Failed to parse URL from /relative (fetch needs an absolute URL such as https://api.example.com/path)",` +
				`"TypeError: fetch: the URL includes credentials; send them in an Authorization header instead",` +
				`"TypeError: Request with GET/HEAD method cannot have body.",` +
				`"TypeError: 'bad method' is not a valid HTTP method.",` +
				`"TypeError: Request: redirect must be 'follow', 'manual' or 'error', not 'sometimes'.",` +
				`"TypeError: Request: signal must be an AbortSignal (from an AbortController or AbortSignal.timeout()).",` +
				`"TypeError: Request: 1 argument required (a URL or a Request).",` +
				`"Request: cannot use a Request whose body has already been read.",` +
				`"Request.clone: Body has already been consumed.",` +
				`"Body is unusable: Body has already been read",` +
				`"Request.formData: could not parse the body as FormData: its Content-Type is text/plain, not application/x-www-form-urlencoded or multipart/form-data"]`},
	})
}

// TestResponseClass: constructing responses (as tests and plugins that mock
// fetch do), their statics and body readers.
func TestResponseClass(t *testing.T) {
	rt := newRuntime(t, jsrt.Options{}, Options{})
	jstest.RunOn(t, rt, nil, []jstest.Case{
		{Name: "defaults", Src: `
			const r = new Response();
			return [r.status, r.ok, r.statusText, r.type, r.url, r.redirected, r.bodyUsed, await r.text(), r.bodyUsed];`,
			Want: `[200,true,"","default","",false,false,"",false]`},
		{Name: "init and bytes", Src: `
			const r = new Response(new Uint8Array([1, 2, 3]).buffer, {status: 404, statusText: 'Nope', headers: [['X-A', '1']]});
			return [r.status, r.ok, r.statusText, r.headers.get('x-a'), r.headers.has('content-type'), new Uint8Array(await r.arrayBuffer()).join(',')];`,
			Want: `[404,false,"Nope","1",false,"1,2,3"]`},
		{Name: "constructed headers are mutable", Src: `
			const r = new Response('x');
			r.headers.set('x-b', '2');
			return [r.headers.get('x-b'), r.headers.get('content-type')];`,
			Want: `["2","text/plain;charset=UTF-8"]`},
		{Name: "Response.json", Src: `
			const r = Response.json({a: [1, 'ü']}, {status: 201, headers: {'X-A': '1'}});
			return [r.status, r.headers.get('content-type'), r.headers.get('x-a'), await r.json()];`,
			Want: `[201,"application/json","1",{"a":[1,"ü"]}]`},
		{Name: "Response.error", Src: `
			const r = Response.error();
			let msg;
			try { r.headers.set('a', 'b'); } catch (e) { msg = e.message; }
			return [r.type, r.status, r.ok, msg];`,
			Want: `["error",0,false,"Headers.set: these headers are immutable (they belong to a response from fetch)."]`},
		{Name: "Response.redirect", Src: `
			const r = Response.redirect('https://example.com/next', 307);
			return [r.status, r.headers.get('location'), await r.text()];`,
			Want: `[307,"https://example.com/next",""]`},
		{Name: "blob", Src: `
			const b = await new Response('{"a":1}', {headers: {'Content-Type': 'Application/JSON'}}).blob();
			return [b.size, b.type, await b.text()];`,
			Want: `[7,"application/json","{\"a\":1}"]`},
		{Name: "clone and used bodies", Src: `
			const r = new Response('hello');
			const c = r.clone();
			const first = await r.text();
			let again;
			try { await r.json(); } catch (e) { again = e.message; }
			return [first, await c.text(), again];`,
			Want: `["hello","hello","Body is unusable: Body has already been read"]`},
		{Name: "errors", Src: `
			const out = [];
			for (const f of [
				() => new Response('x', {status: 199}),
				() => new Response('x', {status: 204}),
				() => Response.json(undefined),
				() => Response.redirect('https://example.com/', 200),
			]) {
				try { f(); out.push('no error'); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
			}
			try { await new Response('a=1').formData(); } catch (e) { out.push(e.constructor.name); }
			return out;`,
			Want: `["RangeError: Response: status 199 is not in the range 200 to 599.",` +
				`"TypeError: Response: a response with status 204 cannot have a body.",` +
				`"TypeError: Response.json: the value cannot be converted to JSON.",` +
				`"RangeError: Response.redirect: 200 is not a redirect status (301, 302, 303, 307 or 308).",` +
				`"TypeError"]`},
	})
}

// TestFormDataReaders: Request/Response formData() read urlencoded and
// multipart bodies (what a FormData body sends comes back the same), and
// refuse anything else with a TypeError that says why.
func TestFormDataReaders(t *testing.T) {
	rt := newRuntime(t, jsrt.Options{}, Options{})
	const why = "could not parse the body as FormData: "
	jstest.RunOn(t, rt, nil, []jstest.Case{
		{Name: "a FormData body round-trips", Src: `
			const f = new FormData();
			f.append('a', '1');
			f.append('a', 'zwei\r\nlines');
			f.append('file', new File(['h\u00e9 \u20ac'], 'notes "1".txt', {type: 'text/markdown'}));
			const req = new Request('https://example.com/', {method: 'POST', body: f});
			const g = await req.formData();
			const file = g.get('file');
			return [g.getAll('a'), file instanceof File, file.name, file.type, await file.text(), req.bodyUsed];`,
			Want: `[["1","zwei\r\nlines"],true,"notes \"1\".txt","text/markdown","hé €",true]`},
		{Name: "urlencoded, as the URL standard parses it", Src: `
			const g = await new Response('a=1&b=x+y&&c=%E2%82%AC&d=%zz&a=2&e', {headers: {'content-type': 'application/x-www-form-urlencoded;charset=UTF-8'}}).formData();
			return [...g];`,
			Want: `[["a","1"],["b","x y"],["c","€"],["d","%zz"],["a","2"],["e",""]]`},
		{Name: "a URLSearchParams body", Src: `
			const g = await new Response(new URLSearchParams({q: 'a b', n: '1'})).formData();
			return [...g];`,
			Want: `[["q","a b"],["n","1"]]`},
		{Name: "multipart written by hand: a file without Content-Type is text/plain", Src: `
			const body = '--XYZ\r\nContent-Disposition: form-data; name="k"\r\n\r\nv\r\n' +
				'--XYZ\r\nContent-Disposition: form-data; name="up"; filename="dir/a.bin"\r\n\r\nraw\r\n--XYZ--\r\n';
			const g = await new Response(body, {headers: {'content-type': 'multipart/form-data; boundary=XYZ'}}).formData();
			const up = g.get('up');
			return [g.get('k'), up.name, up.type, await up.text()];`,
			Want: `["v","dir/a.bin","text/plain","raw"]`},
		{Name: "refusals", Src: `
			const out = [];
			for (const r of [
				new Response('a=1'),
				Response.json({a: 1}),
				new Response('x', {headers: {'content-type': 'multipart/form-data'}}),
				new Response('just text', {headers: {'content-type': 'multipart/form-data; boundary=XYZ'}}),
			]) {
				try { await r.formData(); out.push('no error'); } catch (e) { out.push(e.constructor.name + ': ' + e.message); }
			}
			return out;`,
			Want: `["TypeError: Response.formData: ` + why + `its Content-Type is text/plain, not application/x-www-form-urlencoded or multipart/form-data",` +
				`"TypeError: Response.formData: ` + why + `its Content-Type is application/json, not application/x-www-form-urlencoded or multipart/form-data",` +
				`"TypeError: Response.formData: ` + why + `the multipart/form-data Content-Type has no boundary",` +
				`"TypeError: Response.formData: ` + why + `no part starts with the boundary"]`},
		{Name: "no body, urlencoded type: empty", Src: `
			const g = await new Response(null, {headers: {'content-type': 'application/x-www-form-urlencoded'}}).formData();
			return [...g];`,
			Want: `[]`},
	})
}

// TestBlobFileFormData: the body classes plugins build uploads with.
func TestBlobFileFormData(t *testing.T) {
	rt := newRuntime(t, jsrt.Options{}, Options{})
	jstest.RunOn(t, rt, nil, []jstest.Case{
		{Name: "Blob from parts", Src: `
			const inner = new Blob(['ab']);
			const b = new Blob(['€', new Uint8Array([0x21]), new Uint16Array([0x6968]).buffer, inner, new DataView(new Uint8Array([0x7a]).buffer)], {type: 'Text/Plain'});
			return [b.size, b.type, await b.text(), Object.prototype.toString.call(b)];`,
			Want: `[9,"text/plain","€!hiabz","[object Blob]"]`},
		{Name: "Blob slice", Src: `
			const b = new Blob(['0123456789']);
			return [await b.slice(2, 5).text(), await b.slice(-3).text(), await b.slice(5, 2).text(), b.slice(1, 3, 'x/y').type, new Uint8Array(await b.slice(0, 2).arrayBuffer()).join(','), (await b.bytes()).length];`,
			Want: `["234","789","","x/y","48,49",10]`},
		{Name: "File", Src: `
			const f = new File(['hello'], 'a.txt', {type: 'text/plain', lastModified: 42});
			return [f instanceof Blob, f instanceof File, f.name, f.size, f.type, f.lastModified, await f.text(), Object.prototype.toString.call(f)];`,
			Want: `[true,true,"a.txt",5,"text/plain",42,"hello","[object File]"]`},
		{Name: "FormData", Src: `
			const fd = new FormData();
			fd.append('a', '1');
			fd.append('b', 2);
			fd.append('a', '3');
			fd.append('f', new Blob(['x'], {type: 'text/plain'}));
			fd.append('g', new Blob(['y']), 'g.bin');
			const before = [fd.get('a'), fd.getAll('a'), fd.has('b'), fd.get('nope'), fd.get('f').name, fd.get('f').type, fd.get('f') instanceof File, fd.get('g').name];
			fd.set('a', 'only');
			fd.delete('b');
			const seen = [];
			fd.forEach((v, k) => seen.push(k + '=' + (typeof v === 'string' ? v : v.name)));
			return [before, [...fd.keys()], seen, Array.from(fd.entries()).length, Object.prototype.toString.call(fd)];`,
			Want: `[["1",["1","3"],true,null,"blob","text/plain",true,"g.bin"],["a","f","g"],["a=only","f=blob","g=g.bin"],3,"[object FormData]"]`},
		{Name: "FormData errors", Src: `
			const out = [];
			try { new FormData({}); } catch (e) { out.push(e.message); }
			try { new FormData().append('a', 'b', 'c.txt'); } catch (e) { out.push(e.message); }
			try { new File(['x']); } catch (e) { out.push(e.message); }
			try { new Blob('abc'); } catch (e) { out.push(e.message); }
			return out;`,
			Want: `["FormData: the host has no HTML forms; create an empty FormData and append() to it.",` +
				`"FormData.append: a file name is only allowed with a Blob or File value.",` +
				`"File: 2 arguments required (bits and a file name).",` +
				`"Blob: the first argument must be an array of strings, ArrayBuffers, typed arrays or Blobs."]`},
		{Name: "globals are non-enumerable and replaceable", Src: `
			return ['fetch', 'Headers', 'Request', 'Response', 'FormData', 'Blob', 'File'].map(n => {
				const d = Object.getOwnPropertyDescriptor(globalThis, n);
				return typeof d.value + d.writable + d.configurable + d.enumerable;
			});`,
			Want: `["functiontruetruefalse","functiontruetruefalse","functiontruetruefalse","functiontruetruefalse","functiontruetruefalse","functiontruetruefalse","functiontruetruefalse"]`},
	})
}

// TestHeadersMore: what TestHeaders does not cover: response guards, bad
// inputs, multi-value behaviour when copying.
func TestHeadersMore(t *testing.T) {
	rt := newRuntime(t, jsrt.Options{}, Options{})
	jstest.RunOn(t, rt, nil, []jstest.Case{
		{Name: "copy keeps every value", Src: `
			const a = new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['X', '1'], ['x', '2']]);
			const b = new Headers(a);
			return [b.getSetCookie(), b.get('x'), b.get('set-cookie')];`,
			Want: `[["a=1","b=2"],"1, 2","a=1, b=2"]`},
		{Name: "iterator protocol", Src: `
			const h = new Headers({b: '2', a: '1'});
			const it = h[Symbol.iterator]();
			return [it.next().value, it.next().value, it.next().done, Array.from(h.keys())];`,
			Want: `[["a","1"],["b","2"],true,["a","b"]]`},
		{Name: "non-Latin-1 values are rejected", Src: `
			try { new Headers({x: '日本'}); } catch (e) { return e instanceof TypeError; }`,
			Want: `true`},
		{Name: "init must be an object", Src: `
			try { new Headers('x'); } catch (e) { return e.message; }`,
			Want: `"Headers: init must be an object, an array of [name, value] pairs or a Headers."`},
	})
}
