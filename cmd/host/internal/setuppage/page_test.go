package setuppage

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"host/bindings/mask"
	"host/bindings/plugin"
	"host/bindings/secrets"
	"host/bindings/secrets/keyringtest"
	"host/bindings/store"
	"host/internal/hosttest"
)

// Eight tests run at once (unless -parallel says otherwise): most drive a
// Chromium of their own and wait on it.
func TestMain(m *testing.M) {
	code := hosttest.Main(hosttest.Parallel(m, 8)) // says which tests a missing prerequisite skipped
	keyringtest.CloseShared()
	os.Exit(code)
}

// Fake values: the token plugin's stand-in accepts goodToken only.
const (
	goodToken = "fake-page-token-7c1e"
	badToken  = "fake-wrong-token-93aa"
)

// recorder keeps every response body the page sent, to check that none
// holds a secret.
type recorder struct {
	mu     sync.Mutex
	bodies bytes.Buffer
}

type teeWriter struct {
	http.ResponseWriter
	rec *recorder
}

func (w teeWriter) Write(b []byte) (int, error) {
	w.rec.mu.Lock()
	w.rec.bodies.Write(b)
	w.rec.mu.Unlock()
	return w.ResponseWriter.Write(b)
}

func (w teeWriter) Flush() { w.ResponseWriter.(http.Flusher).Flush() }

func (r *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.ServeHTTP(teeWriter{w, r}, req)
	})
}

func (r *recorder) contains(s string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return bytes.Contains(r.bodies.Bytes(), []byte(s))
}

// harness is a page over a Local backend of plugin files, served on a
// loopback port.
type harness struct {
	t     *testing.T
	host  *plugin.Host
	local *Local
	srv   *Server
	rec   *recorder
}

type harnessOptions struct {
	files   []string
	backend secrets.Backend
	http    *http.Client
	keep    bool
}

func newHarness(t *testing.T, o harnessOptions) *harness {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if o.backend == nil {
		o.backend = secrets.NewMemory()
	}
	wd, _ := os.Getwd()
	h := &plugin.Host{DataDir: filepath.Join(dir, "data"), Secrets: o.backend, Store: db, HTTP: o.http,
		Masker: mask.New(), WorkDir: wd, Timeout: 10 * time.Second, CacheDir: filepath.Join(dir, "cache")}
	local, err := NewLocal(context.Background(), LocalOptions{Host: h, Files: o.files, Keep: o.keep})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{Backend: local, Addr: ln.Addr().String(), Masker: h.Masker})
	if err != nil {
		t.Fatal(err)
	}
	hr := &harness{t: t, host: h, local: local, srv: srv, rec: &recorder{}}
	hs := &http.Server{Handler: hr.rec.wrap(srv.Handler()), ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
		local.Close(context.Background())
	})
	return hr
}

func repoFile(t *testing.T, rel string) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// writePlugin writes a plugin file into a temp dir.
func writePlugin(t *testing.T, name, src string) string {
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "plugin.ts")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const simplePlugin = `export default definePlugin({
  configSchema: z.object({ token: z.string().secret().label('Token'), name: z.string().default('x') }),
  auth: { type: 'token', fields: [{ key: 'token', label: 'Token' }] },
  onActivate: async (ctx) => { if (ctx.config.token !== '` + goodToken + `') throw new Error('Invalid API token'); },
});
`

// TestRequestsAreChecked: every request must name the page's own address,
// carry the session cookie a one-time token was exchanged for, and (for a
// POST) the CSRF token and the page's own Origin.
func TestRequestsAreChecked(t *testing.T) {
	t.Parallel()
	if _, err := New(Options{Backend: &Local{}, Addr: "0.0.0.0:7331"}); err == nil || !strings.Contains(err.Error(), "loopback only") {
		t.Errorf("a non-loopback address: %v", err)
	}
	h := newHarness(t, harnessOptions{files: []string{writePlugin(t, "simple", simplePlugin)}})
	base := h.srv.URL("")
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	get := func(c *http.Client, u string, hdr map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", u, nil)
		for k, v := range hdr {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	if res := get(plain, base+"/", nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("no cookie: %s", res.Status)
	}
	if res := get(plain, base+"/?token=made-up", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a made-up token: %s", res.Status)
	}
	link := h.srv.Link("/setup/simple")
	res := get(plain, link, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("token exchange: %s", res.Status)
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == cookieName {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != h.srv.base+"/" {
		t.Fatalf("session cookie %+v, want HttpOnly SameSite=Strict Path=%s/", cookie, h.srv.base)
	}
	if res := get(plain, link, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a token used twice: %s", res.Status)
	}
	withCookie := map[string]string{"Cookie": cookie.Name + "=" + cookie.Value}
	// The page is only below its random base; without it, even the
	// session cookie opens nothing, and nothing names the base.
	if res := get(plain, h.srv.Origin()+"/setup/simple", withCookie); res.StatusCode != http.StatusNotFound {
		t.Errorf("outside the base: %s", res.Status)
	}
	// A link to one plugin's page opens that page only.
	if res := get(plain, base+"/", withCookie); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != h.srv.base+"/setup/simple" {
		t.Errorf("the list with a plugin's link: %s to %q", res.Status, res.Header.Get("Location"))
	}
	if res := get(plain, base+"/setup/other", withCookie); res.StatusCode != http.StatusForbidden {
		t.Errorf("another plugin's page with a plugin's link: %s", res.Status)
	}
	if res := get(plain, base+"/setup/simple", withCookie); res.StatusCode != http.StatusOK {
		t.Errorf("with the cookie: %s", res.Status)
	} else if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	rebind := map[string]string{"Cookie": withCookie["Cookie"], "Host": "rebind.example:" + port}
	if res := get(plain, base+"/", rebind); res.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("a foreign Host: %s", res.Status)
	}

	post := func(form url.Values, origin string) int {
		t.Helper()
		req, _ := http.NewRequest("POST", base+"/setup/simple", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", withCookie["Cookie"])
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		res, err := plain.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	csrf := h.csrfOf(cookie.Value)
	if got := post(url.Values{"token": {goodToken}}, base); got != http.StatusForbidden {
		t.Errorf("POST without the CSRF token: %d", got)
	}
	if got := post(url.Values{"token": {goodToken}, "csrf": {csrf}}, "http://evil.example"); got != http.StatusForbidden {
		t.Errorf("POST from a foreign Origin: %d", got)
	}
	if got := post(url.Values{"token": {goodToken}, "csrf": {csrf}}, ""); got != http.StatusForbidden {
		t.Errorf("POST without Origin or Referer: %d", got)
	}
	if v, err := h.host.Secrets.Get(context.Background(), "host:simple", "config.token"); err == nil {
		t.Errorf("a refused POST saved the token: %q", v)
	}
	if got := post(url.Values{"token": {goodToken}, "csrf": {csrf}}, base); got != http.StatusSeeOther {
		t.Errorf("a good POST: %d", got)
	}
	if v, err := h.host.Secrets.Get(context.Background(), "host:simple", "config.token"); err != nil || v != goodToken {
		t.Errorf("the good POST did not save the token: %q, %v", v, err)
	}
}

// csrfOf is the CSRF token of a browser session (tests only).
func (h *harness) csrfOf(cookie string) string {
	b := h.srv.sess.lookup(cookie)
	if b == nil {
		h.t.Fatal("no browser session")
	}
	return b.csrf
}

type sseReader struct {
	r   io.Reader
	buf []byte
}

func newSSEReader(r io.Reader) *sseReader { return &sseReader{r: r} }

// next returns the data of the next event.
func (s *sseReader) next() (string, error) {
	for {
		if i := bytes.Index(s.buf, []byte("\n\n")); i >= 0 {
			ev := string(s.buf[:i])
			s.buf = s.buf[i+2:]
			for _, line := range strings.Split(ev, "\n") {
				if d, ok := strings.CutPrefix(line, "data: "); ok {
					return d, nil
				}
			}
			continue
		}
		b := make([]byte, 4096)
		n, err := s.r.Read(b)
		s.buf = append(s.buf, b[:n]...)
		if err != nil {
			return "", fmt.Errorf("the event stream ended: %w", err)
		}
	}
}
