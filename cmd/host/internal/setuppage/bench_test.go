package setuppage

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"host/bindings/setup"
)

// staticBackend is a Backend of n plugins whose states a benchmark sets.
type staticBackend struct {
	mu      sync.Mutex
	plugins []Plugin
	subs    []func()
}

func newStatic(n int) *staticBackend {
	b := &staticBackend{}
	for i := range n {
		p := 0.5
		b.plugins = append(b.plugins, Plugin{ID: fmt.Sprintf("plugin-%02d", i), Name: fmt.Sprintf("Plugin %d", i), State: "active", Auth: "token",
			Status: &Status{State: "syncing", Message: "42 new issues", Progress: &p},
			Logs:   []string{"info  synced 42 issues", "info  next sync in 5m"}})
	}
	return b
}

func (b *staticBackend) Plugins() []Plugin {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Plugin(nil), b.plugins...)
}
func (b *staticBackend) Fields(context.Context, string) ([]Field, error) { return nil, nil }
func (b *staticBackend) Session(context.Context, string, SessionOptions) (Session, error) {
	return nil, fmt.Errorf("no sessions")
}
func (b *staticBackend) Activated(context.Context, string, *setup.Done) error { return nil }
func (b *staticBackend) RemoveSecret(context.Context, string, string) error   { return nil }
func (b *staticBackend) Logout(context.Context, string) error                 { return nil }
func (b *staticBackend) Subscribe(fn func()) func() {
	b.mu.Lock()
	b.subs = append(b.subs, fn)
	b.mu.Unlock()
	return func() {}
}
func (b *staticBackend) set(i int, state setup.Phase) {
	b.mu.Lock()
	b.plugins[i].State = state
	subs := append([]func(){}, b.subs...)
	b.mu.Unlock()
	for _, fn := range subs {
		fn()
	}
}

func benchServer(b *testing.B, be Backend) (*Server, *http.Client, string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{Backend: be, Addr: ln.Addr().String()})
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	b.Cleanup(func() { srv.Close(); hs.Close() })
	res, err := http.Get(srv.Link("/"))
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()
	var cookie string
	for _, c := range res.Request.Response.Cookies() {
		cookie = c.Value
	}
	return srv, http.DefaultClient, cookie
}

// BenchmarkIndex20 is the server time of the list page with 20 plugins
// (target: <= 50 ms).
func BenchmarkIndex20(b *testing.B) {
	be := newStatic(20)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv, err := New(Options{Backend: be, Addr: ln.Addr().String()})
	ln.Close()
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	h := srv.Handler()
	tok := srv.sess.newToken("")
	cookie := srv.sess.exchange(tok, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("GET", srv.base+"/", nil)
		req.Host = srv.addr
		req.AddCookie(&http.Cookie{Name: cookieName, Value: cookie})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkStatusToPage is the time from a plugin's state change to the
// open page's event stream delivering it (target: <= 100 ms).
func BenchmarkStatusToPage(b *testing.B) {
	be := newStatic(20)
	srv, _, cookie := benchServer(b, be)
	req, _ := http.NewRequest("GET", srv.URL("/events"), nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: cookie})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	sse := newSSEReader(res.Body)
	if _, err := sse.next(); err != nil { // the first snapshot
		b.Fatal(err)
	}
	states := []setup.Phase{setup.Error, setup.Active}
	b.ResetTimer()
	var total time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		be.set(7, states[i%2])
		if _, err := sse.next(); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms/change")
}
