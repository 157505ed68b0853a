package web_test

import "testing"

// The web globals are installed lazily (jsrt.DefineLazy); whatever the
// order a plugin uses them in, once used they are what a browser has:
// interfaces non-enumerable, operations and the crypto attribute
// enumerable. (Before first use, getOwnPropertyDescriptor shows an
// accessor: the one observable trace of the laziness.)
func TestGlobalsAsBrowsersDefineThem(t *testing.T) {
	names := []string{"DOMException", "TextEncoder", "TextDecoder", "URL", "URLSearchParams",
		"crypto", "Crypto", "SubtleCrypto", "CryptoKey", "structuredClone", "atob", "btoa"}
	const describe = `
		const type = typeof globalThis[name];
		const d = Object.getOwnPropertyDescriptor(globalThis, name);
		return [name, type, 'value' in d, d.writable, d.enumerable, d.configurable].join(' ');`
	for _, order := range [][]string{names, reverse(names)} {
		rt := newRuntime(t)
		for _, name := range order {
			got, err := run(t, rt, "const name = '"+name+"'; "+describe)
			if err != nil {
				t.Fatal(err)
			}
			want := `"` + name + ` function true true false true"`
			switch name {
			case "crypto":
				want = `"crypto object true true true true"`
			case "atob", "btoa", "structuredClone":
				want = `"` + name + ` function true true true true"`
			}
			if got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		}
	}
}

// A plugin may replace a global before ever reading it; its value stays.
func TestGlobalReplacedBeforeFirstUse(t *testing.T) {
	rt := newRuntime(t)
	got, err := run(t, rt, `URL = function Mine() {}; return [URL.name, typeof URLSearchParams, new URLSearchParams('a=1').get('a')]`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `["Mine","function","1"]`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

// DOMException is made on first use, by the global or by a web API that
// throws one (the hub's): either way there is one class.
func TestDOMExceptionMadeOnFirstUse(t *testing.T) {
	rt := newRuntime(t)
	got, err := run(t, rt, `try { structuredClone(() => {}); } catch (e) {
		return [e.constructor === DOMException, e instanceof DOMException, e instanceof Error, e.name, e.code, String(e).split(':')[0]];
	}`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[true,true,true,"DataCloneError",25,"DataCloneError"]`; got != want {
		t.Errorf("thrown first: got %s, want %s", got, want)
	}
	// Replaced before any use: the plugin's value stays, the web APIs
	// throw host's.
	rt = newRuntime(t)
	got, err = run(t, rt, `DOMException = function Mine() {};
	try { structuredClone(() => {}); } catch (e) {
		return [DOMException.name, e instanceof DOMException, e.name, Object.prototype.toString.call(e)];
	}`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `["Mine",false,"DataCloneError","[object DOMException]"]`; got != want {
		t.Errorf("replaced first: got %s, want %s", got, want)
	}
}

func reverse(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}
