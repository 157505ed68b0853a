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

	"host/jsrt"
)

// benchN is how many fetches run at once in BenchmarkConcurrentFetch.
const benchN = 64

// benchRound runs benchN concurrent fetches (each reading its JSON body) in
// JS or in Go; both go through the same client to the same loopback server.
type benchRound func(tb testing.TB)

// jsRound makes, in rt, the JS function that runs benchN concurrent
// fetches of a URL, each reading its JSON body, and returns a call of it
// that waits for the count of results.
func jsRound(tb testing.TB, rt *jsrt.Runtime) func(url string) (goja.Value, error) {
	var round goja.Value
	err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		v, err := vm.RunString(fmt.Sprintf(`(base) => Promise.all(Array.from({length: %d}, () => fetch(base).then(r => r.json()))).then(all => all.length)`, benchN))
		round = v
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return func(url string) (goja.Value, error) {
		return rt.Await(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
			fn, _ := goja.AssertFunction(round)
			return fn(goja.Undefined(), vm.ToValue(url))
		})
	}
}

func benchRounds(tb testing.TB) (js, goHTTP benchRound) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"ok":true,"items":[1,2,3],"name":"fake-item"}`)
	}))
	tb.Cleanup(srv.Close)
	client := NewClient(ClientOptions{})
	tb.Cleanup(client.CloseIdleConnections)

	rt := newRuntime(tb, jsrt.Options{}, Options{Client: client})
	round := jsRound(tb, rt)
	js = func(tb testing.TB) {
		v, err := round(srv.URL)
		if err != nil {
			tb.Fatal(err)
		}
		var n int64
		_ = rt.Do(context.Background(), func(*goja.Runtime) error { n = v.ToInteger(); return nil })
		if n != benchN {
			tb.Fatalf("got %d results", n)
		}
	}
	goHTTP = func(tb testing.TB) {
		var wg sync.WaitGroup
		errs := make(chan error, benchN)
		for range benchN {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := client.Get(srv.URL)
				if err != nil {
					errs <- err
					return
				}
				var v map[string]any
				err = json.NewDecoder(resp.Body).Decode(&v)
				resp.Body.Close()
				if err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			tb.Fatal(err)
		}
	}
	return js, goHTTP
}

// BenchmarkConcurrentFetch: 64 concurrent fetches from JS against Go's
// net/http doing the same work directly. "compare" alternates the two
// round by round (so load on the machine hits both alike) and reports both
// rates and their ratio (target: js/go >= 0.5).
func BenchmarkConcurrentFetch(b *testing.B) {
	js, goHTTP := benchRounds(b)
	for _, bc := range []struct {
		name  string
		round benchRound
	}{{"js-fetch", js}, {"go-net-http", goHTTP}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.round(b)
			}
			b.ReportMetric(float64(b.N*benchN)/b.Elapsed().Seconds(), "req/s")
		})
	}
	b.Run("compare", func(b *testing.B) {
		tJS, tGo := alternate(b, js, goHTTP)
		jsRate := float64(b.N*benchN) / tJS.Seconds()
		goRate := float64(b.N*benchN) / tGo.Seconds()
		b.ReportMetric(jsRate, "js-req/s")
		b.ReportMetric(goRate, "go-req/s")
		b.ReportMetric(jsRate/goRate, "js/go")
	})
}

// alternate runs first then second in every iteration of b, so load on
// the machine hits both alike, and returns the time each took in all.
func alternate(b *testing.B, first, second func(testing.TB)) (t1, t2 time.Duration) {
	for b.Loop() {
		start := time.Now()
		first(b)
		mid := time.Now()
		second(b)
		t1 += mid.Sub(start)
		t2 += time.Since(mid)
	}
	return t1, t2
}

// cannedTransport answers every request at once from memory, so
// BenchmarkFetchOverhead measures the binding (JS, the bridge, the loop)
// without the network.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	const payload = `{"ok":true,"items":[1,2,3],"name":"fake-item"}`
	return &http.Response{
		StatusCode:    200,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}, "Content-Length": {fmt.Sprint(len(payload))}, "Date": {"Mon, 02 Jan 2006 15:04:05 GMT"}},
		Body:          io.NopCloser(strings.NewReader(payload)),
		ContentLength: int64(len(payload)),
		Request:       req,
	}, nil
}

// BenchmarkFetchOverhead: the cost of one fetch + json() in the binding
// alone (64 at a time, canned responses); ns/op is per fetch.
func BenchmarkFetchOverhead(b *testing.B) {
	rt := newRuntime(b, jsrt.Options{}, Options{Client: &http.Client{Transport: cannedTransport{}}})
	round := jsRound(b, rt)
	b.ResetTimer()
	for i := 0; i < b.N; i += benchN {
		if _, err := round("http://api.example.test/items"); err != nil {
			b.Fatal(err)
		}
	}
}
