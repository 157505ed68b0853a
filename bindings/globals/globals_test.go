package globals_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"

	"host/bindings/console"
	"host/bindings/globals"
	"host/jsrt"
)

// roundTrip is an http.RoundTripper from a function.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestInstall: one call installs every binding of the table; console's
// lines reach Options.Log under Options.Plugin, and fetch sends through
// Options.HTTP.
func TestInstall(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	var urls []string
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		urls = append(urls, r.URL.String())
		mu.Unlock()
		return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: -1, Body: io.NopCloser(strings.NewReader("from the client")), Request: r}, nil
	})}
	rt := jsrt.New(jsrt.Options{})
	t.Cleanup(rt.Close)
	err := rt.Do(t.Context(), func(vm *goja.Runtime) error {
		return globals.Install(rt, vm, globals.Options{
			Plugin: "demo",
			Log: func(e console.Entry) {
				mu.Lock()
				lines = append(lines, e.Plugin+" "+e.Level.String()+" "+e.Message)
				mu.Unlock()
			},
			HTTP: client,
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := rt.Await(t.Context(), func(vm *goja.Runtime) (goja.Value, error) {
		return vm.RunString(`(async () => {
  const kinds = [typeof console.log, typeof AbortController, typeof Intl.NumberFormat, typeof z.object,
    typeof URL, typeof crypto.subtle, typeof process, typeof Buffer, typeof fetch, typeof structuredClone].join(',');
  console.warn('kinds', kinds);
  const res = await fetch('https://api.example.test/x');
  return kinds + ' ' + await res.text();
})()`)
	})
	if err != nil {
		t.Fatal(err)
	}
	var got string
	_ = rt.Do(t.Context(), func(*goja.Runtime) error { got = v.String(); return nil })
	const kinds = "function,function,function,function,function,object,object,function,function,function"
	if got != kinds+" from the client" {
		t.Errorf("got %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 1 || lines[0] != "demo warn kinds "+kinds {
		t.Errorf("console lines %q", lines)
	}
	if len(urls) != 1 || urls[0] != "https://api.example.test/x" {
		t.Errorf("requests %q", urls)
	}
}

// TestTableNames: each row names its package, once.
func TestTableNames(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range globals.Table {
		if e.Name == "" || e.Install == nil || seen[e.Name] {
			t.Errorf("row %q: empty, without Install, or twice", e.Name)
		}
		seen[e.Name] = true
	}
}
