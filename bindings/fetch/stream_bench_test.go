package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"host/jsrt"
)

// streamBenchSize is the body of BenchmarkStreamedBody.
const streamBenchSize = 100 << 20

// BenchmarkStreamedBody: a 100 MB response without Content-Length, read
// chunk by chunk from Response.body in JS, against Go reading the same body
// from the same client. "compare" alternates the two and reports both
// rates and js/go (target >= 0.5). It runs with host's GOGC (400, see
// cmd/host/main.go) unless GOGC is set.
func BenchmarkStreamedBody(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	chunk := make([]byte, 64<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for n := 0; n < streamBenchSize; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	b.Cleanup(srv.Close)
	client := NewClient(ClientOptions{})
	b.Cleanup(client.CloseIdleConnections)
	rt := newRuntime(b, jsrt.Options{}, Options{Client: client})
	var read goja.Value
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		v, err := vm.RunString(`async (url) => {
			const r = (await fetch(url)).body.getReader(); let n = 0;
			for (let x = await r.read(); !x.done; x = await r.read()) n += x.value.length;
			return n; }`)
		read = v
		return err
	}); err != nil {
		b.Fatal(err)
	}
	js := func(b testing.TB) {
		v, err := rt.Await(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
			fn, _ := goja.AssertFunction(read)
			return fn(goja.Undefined(), vm.ToValue(srv.URL))
		})
		if err != nil {
			b.Fatal(err)
		}
		var n int64
		_ = rt.Do(context.Background(), func(*goja.Runtime) error { n = v.ToInteger(); return nil })
		if n != streamBenchSize {
			b.Fatalf("read %d bytes", n)
		}
	}
	goRead := func(b testing.TB) {
		resp, err := client.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || n != streamBenchSize {
			b.Fatalf("read %d bytes: %v", n, err)
		}
	}
	b.Run("compare", func(b *testing.B) {
		tJS, tGo := alternate(b, js, goRead)
		mb := float64(b.N) * streamBenchSize / 1e6
		b.ReportMetric(mb/tJS.Seconds(), "js-MB/s")
		b.ReportMetric(mb/tGo.Seconds(), "go-MB/s")
		b.ReportMetric(tGo.Seconds()/tJS.Seconds(), "js/go")
	})
}

// BenchmarkFirstSSEEvent: how long after the server flushed the first
// event of an SSE response JS has it, JS already waiting on the body's
// reader (the streams loaded, as in a plugin following a stream). Reports
// the median and the worst as median-us and max-us.
func BenchmarkFirstSSEEvent(b *testing.B) {
	flushed := make(chan time.Time, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		rc := http.NewResponseController(w)
		rc.Flush() // the headers: fetch resolves, JS starts reading
		time.Sleep(5 * time.Millisecond)
		io.WriteString(w, "event: tick\ndata: {\"n\":1}\n\n")
		t0 := time.Now()
		rc.Flush()
		flushed <- t0
	}))
	b.Cleanup(srv.Close)
	rt := newRuntime(b, jsrt.Options{}, Options{})
	seen := make(chan time.Time, 1)
	var follow goja.Value
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		_ = vm.Set("seen", func() { seen <- time.Now() })
		v, err := vm.RunString(`new ReadableStream(); async (url) => {
			const res = await fetch(url);
			const r = res.body.pipeThrough(new TextDecoderStream()).getReader();
			const { value } = await r.read();
			seen();
			await r.cancel();
			return value; }`)
		follow = v
		return err
	}); err != nil {
		b.Fatal(err)
	}
	var lags []time.Duration
	for b.Loop() {
		v, err := rt.Await(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
			fn, _ := goja.AssertFunction(follow)
			return fn(goja.Undefined(), vm.ToValue(srv.URL))
		})
		if err != nil {
			b.Fatal(err)
		}
		var s string
		_ = rt.Do(context.Background(), func(*goja.Runtime) error { s = v.String(); return nil })
		if !strings.HasPrefix(s, "event: tick") {
			b.Fatalf("got %q", s)
		}
		t1 := <-seen
		lags = append(lags, t1.Sub(<-flushed))
	}
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds()), "median-us")
	b.ReportMetric(float64(lags[len(lags)-1].Microseconds()), "max-us")
}

// issuesJSON is a GitHub issues list of about 100 KB (30 issues with
// users, labels and bodies), as GET /repos/o/r/issues returns it.
func issuesJSON() string {
	var sb strings.Builder
	sb.WriteString("[")
	for i := range 30 {
		if i > 0 {
			sb.WriteString(",")
		}
		user := `{"login":"octocat","id":1,"node_id":"MDQ6VXNlcjE=","avatar_url":"https://github.com/images/error/octocat_happy.gif","gravatar_id":"","url":"https://api.github.com/users/octocat","html_url":"https://github.com/octocat","type":"User","site_admin":false}`
		fmt.Fprintf(&sb, `{"id":%d,"node_id":"MDU6SXNzdWUx","url":"https://api.github.com/repos/octocat/Hello-World/issues/%d","repository_url":"https://api.github.com/repos/octocat/Hello-World","labels_url":"https://api.github.com/repos/octocat/Hello-World/issues/%d/labels{/name}","comments_url":"https://api.github.com/repos/octocat/Hello-World/issues/%d/comments","html_url":"https://github.com/octocat/Hello-World/issues/%d","number":%d,"state":"open","title":"Found a bug number %d","body":"%s","user":%s,"labels":[{"id":208045946,"node_id":"MDU6TGFiZWwyMDgwNDU5NDY=","url":"https://api.github.com/repos/octocat/Hello-World/labels/bug","name":"bug","description":"Something isn't working","color":"f29513","default":true}],"assignee":%s,"assignees":[%s],"locked":false,"comments":%d,"created_at":"2011-04-22T13:33:48Z","updated_at":"2011-04-22T13:33:48Z","closed_at":null,"author_association":"COLLABORATOR","reactions":{"url":"https://api.github.com/repos/octocat/Hello-World/issues/%d/reactions","total_count":3,"+1":1,"-1":0,"laugh":0,"hooray":1,"confused":0,"heart":1,"rocket":0,"eyes":0}}`,
			1000+i, i, i, i, i, i, i, strings.Repeat("I'm having a problem with this. Steps: open, click, see \\\"error\\\" \\u00e9. ", 20), user, user, user, i, i)
	}
	sb.WriteString("]")
	return sb.String()
}

// BenchmarkIssuesJSON: a 100 KB GitHub issues list through res.json()
// (host's Go JSON parser) and through JSON.parse(await res.text())
// (goja's), per response.
func BenchmarkIssuesJSON(b *testing.B) {
	body := issuesJSON()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	b.Cleanup(srv.Close)
	rt := newRuntime(b, jsrt.Options{}, Options{})
	for _, c := range []struct{ name, read string }{
		{"res.json", `r.json()`},
		{"JSON.parse-text", `r.text().then(JSON.parse)`},
	} {
		var fn goja.Value
		if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
			v, err := vm.RunString(`(url) => fetch(url).then((r) => ` + c.read + `).then((a) => a.length + a[29].user.login.length)`)
			fn = v
			return err
		}); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				v, err := rt.Await(context.Background(), func(vm *goja.Runtime) (goja.Value, error) {
					f, _ := goja.AssertFunction(fn)
					return f(goja.Undefined(), vm.ToValue(srv.URL))
				})
				if err != nil {
					b.Fatal(err)
				}
				var n int64
				_ = rt.Do(context.Background(), func(*goja.Runtime) error { n = v.ToInteger(); return nil })
				if n != 37 {
					b.Fatalf("got %d", n)
				}
			}
		})
	}
}
