package fetch

import (
	"testing"

	"host/jsrt"
)

// TestGlobalsLazy: fetch.js is built on first use of any of its globals
// (issue 23 §3: an idle plugin never pays for it), and then the globals
// are what the eager install made them: writable, configurable, not
// enumerable data properties, Response the class fetch's results are of.
// A global the plugin assigns before first use keeps its value.
func TestGlobalsLazy(t *testing.T) {
	srv := testAPI(t)
	rt := newRuntime(t, jsrt.Options{}, Options{})
	got, err := run(t, rt, srv.URL, `
		const kind = (n) => { const d = Object.getOwnPropertyDescriptor(globalThis, n); return d.get ? 'lazy' : 'data' + (d.writable ? ' w' : '') + (d.configurable ? ' c' : '') + (d.enumerable ? ' e' : ''); };
		const before = ['fetch', 'Headers', 'Request', 'Response', 'FormData', 'Blob', 'File'].map(kind).join(',');
		const r = await fetch(base + '/json');
		const after = ['fetch', 'Response', 'File'].map(kind).join(',');
		return [before, after, r instanceof Response, (await r.json()).name];
	`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `["lazy,lazy,lazy,lazy,lazy,lazy,lazy","data w c,data w c,data w c",true,"fake-user"]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	rt = newRuntime(t, jsrt.Options{}, Options{})
	got, err = run(t, rt, srv.URL, `
		globalThis.Headers = 'mine';
		return [Headers, typeof Response, typeof fetch];
	`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `["mine","function","function"]`; got != want {
		t.Errorf("a global assigned before first use: got %s, want %s", got, want)
	}
}
