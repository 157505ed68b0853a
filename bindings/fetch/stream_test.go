package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"host/bindings/internal/jstest"
	"host/jsrt"
)

// sseServer sends count server-sent events gap apart, flushing each, and
// records when each was flushed (Unix ms).
type sseServer struct {
	*httptest.Server
	mu   sync.Mutex
	sent []int64
}

func newSSEServer(t testing.TB, count int, gap time.Duration) *sseServer {
	s := &sseServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		rc := http.NewResponseController(w)
		for i := range count {
			if i > 0 {
				time.Sleep(gap)
			}
			fmt.Fprintf(w, "id: %d\nevent: tick\ndata: {\"n\":%d}\n\n", i, i)
			if err := rc.Flush(); err != nil {
				return
			}
			s.mu.Lock()
			s.sent = append(s.sent, time.Now().UnixMilli())
			s.mu.Unlock()
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// sseClient is what a plugin writes to follow an SSE endpoint: fetch, then
// for await over the body decoded to text, splitting events at blank lines.
const sseClient = `
export async function follow(url: string, ack?: string) {
  const res = await fetch(url, { headers: { accept: "text/event-stream" } });
  const seen: { data: string; at: number }[] = [];
  let buf = "";
  for await (const text of res.body!.pipeThrough(new TextDecoderStream())) {
    buf += text;
    let i: number;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const event = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = event.split("\n").find((l) => l.startsWith("data: "))!.slice(6);
      seen.push({ data, at: Date.now() });
      // Tells the server this event arrived (it sends the next only then).
      if (ack) await (await fetch(ack + "?n=" + JSON.parse(data).n)).text();
    }
  }
  return { type: res.headers.get("content-type"), seen };
}
`

// buildFollow bundles sseClient (TypeScript with for await, as a plugin
// is built) and runs it on rt, defining globalThis.sse.follow.
func buildFollow(t testing.TB, rt *jsrt.Runtime) {
	dir := t.TempDir()
	entry := filepath.Join(dir, "sse.ts")
	if err := os.WriteFile(entry, []byte(sseClient), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := jsrt.Build(jsrt.BuildOptions{Entry: entry, WorkDir: dir, GlobalName: "sse"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.RunBundle(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// TestServerSentEventsStream: a plugin following a server-sent event
// stream sees each event while the response goes on, not at its end: the
// server sends the next event only once JS has said (a fetch of /ack) that
// it saw the one before, so a body delivered only at its end never gets
// past the first event. Waits on those acknowledgements, never on a clock
// (the lag is BenchmarkFirstSSEEvent's business).
func TestServerSentEventsStream(t *testing.T) {
	const count = 4
	acks := make(chan int, count)
	var mu sync.Mutex
	var sent []int
	var missing string // why the server stopped before the last event
	mux := http.NewServeMux()
	mux.HandleFunc("/ack", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		acks <- n
	})
	mux.HandleFunc("/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		rc := http.NewResponseController(w)
		for i := range count {
			fmt.Fprintf(w, "id: %d\nevent: tick\ndata: {\"n\":%d}\n\n", i, i)
			if err := rc.Flush(); err != nil {
				return
			}
			mu.Lock()
			sent = append(sent, i)
			mu.Unlock()
			if i == count-1 {
				return
			}
			select {
			case n := <-acks:
				if n != i {
					mu.Lock()
					missing = fmt.Sprintf("acknowledged event %d after sending %d", n, i)
					mu.Unlock()
					return
				}
			case <-time.After(60 * time.Second): // only ends a regression
				mu.Lock()
				missing = fmt.Sprintf("event %d was never seen by JS while the response was open (the body is not streamed)", i)
				mu.Unlock()
				return
			case <-r.Context().Done():
				return
			}
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	rt := newRuntime(t, jsrt.Options{}, Options{})
	buildFollow(t, rt)
	got, err := run(t, rt, srv.URL, `return await sse.follow(base + "/events", base + "/ack")`)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Type string
		Seen []struct{ Data string }
	}
	if err := json.Unmarshal([]byte(got), &res); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if missing != "" {
		t.Fatalf("the server stopped: %s; JS saw %s", missing, got)
	}
	if res.Type != "text/event-stream" || len(res.Seen) != count || len(sent) != count {
		t.Fatalf("got %s; the server sent %d events", got, len(sent))
	}
	for i, e := range res.Seen {
		if e.Data != fmt.Sprintf(`{"n":%d}`, i) {
			t.Errorf("event %d: data %q", i, e.Data)
		}
	}
}

// streamAPI serves the routes of the body-stream tests.
type streamAPI struct {
	*httptest.Server
	written atomic.Int64 // /flood: bytes the handler has written
}

func newStreamAPI(t testing.TB) *streamAPI {
	s := &streamAPI{}
	mux := http.NewServeMux()
	// /bytes?n=N&chunk=C: N bytes (i % 251), C at a time, flushed, no
	// Content-Length.
	mux.HandleFunc("/bytes", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		chunk, _ := strconv.Atoi(r.URL.Query().Get("chunk"))
		if chunk <= 0 {
			chunk = 32 << 10
		}
		buf := make([]byte, 0, chunk)
		rc := http.NewResponseController(w)
		for i := 0; i < n; i++ {
			buf = append(buf, byte(i%251))
			if len(buf) == chunk || i == n-1 {
				if _, err := w.Write(buf); err != nil {
					return
				}
				rc.Flush()
				buf = buf[:0]
			}
		}
	})
	// /flood: writes up to 256 MiB as fast as the client takes it.
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/flood", func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 64<<10)
		for s.written.Load() < 256<<20 {
			n, err := w.Write(buf)
			s.written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	// /upload: the request body's length, chunked-ness and content.
	mux.HandleFunc("/upload", func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"body": string(b), "err": fmt.Sprint(err), "chunked": len(r.TransferEncoding) > 0 && r.TransferEncoding[0] == "chunked",
			"type": r.Header.Get("Content-Type"),
		})
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestResponseBodyStream(t *testing.T) {
	srv := newStreamAPI(t)
	rt := newRuntime(t, jsrt.Options{}, Options{})
	const sum = `const sum = async (rs) => { const r = rs.getReader(); let n = 0, chunks = 0, ok = true;
		for (let x = await r.read(); !x.done; x = await r.read()) {
			if (!(x.value instanceof Uint8Array)) return "not bytes";
			for (let i = 0; i < x.value.length; i += 4099) ok = ok && x.value[i] === (n + i) % 251;
			n += x.value.length; chunks++;
		}
		return { n, ok, many: chunks > 1 }; };`
	jstest.RunOn(t, rt, map[string]any{"base": srv.URL}, []jstest.Case{
		{Name: "chunked body read from the stream", Src: sum + `const res = await fetch(base + "/bytes?n=3000000");
			const s = await sum(res.body); return [s.n, s.ok, s.many, res.bodyUsed]`, Want: `[3000000,true,true,true]`},
		{Name: "body is one stream", Src: `const res = await fetch(base + "/bytes?n=10"); return [res.body === res.body, res.body instanceof ReadableStream]`, Want: `[true,true]`},
		{Name: "text() after body was touched", Src: `const res = await fetch(base + "/bytes?n=300000"); res.body;
			return (await res.arrayBuffer()).byteLength`, Want: `300000`},
		{Name: "text() while a reader holds it", Src: `const res = await fetch(base + "/bytes?n=300000"); res.body.getReader();
			try { await res.text(); } catch (e) { return e.message; }`, Want: `"Body is unusable: Body has already been read"`},
		{Name: "read after text()", Src: `const res = await fetch(base + "/bytes?n=300000"); await res.arrayBuffer();
			return [res.bodyUsed, res.body === null]`, Want: `[true,false]`},
		{Name: "clone tees the stream", Src: sum + `const res = await fetch(base + "/bytes?n=200000"); const c = res.clone();
			const s = await sum(res.body); return [s.n, s.ok, (await c.arrayBuffer()).byteLength]`, Want: `[200000,true,200000]`},
		{Name: "cancel", Src: `const res = await fetch(base + "/flood"); const r = res.body.getReader(); await r.read();
			await r.cancel("enough"); return (await r.read()).done`, Want: `true`},
		{Name: "abort while streaming", Src: `const c = new AbortController(); const res = await fetch(base + "/flood", { signal: c.signal });
			const r = res.body.getReader(); await r.read(); c.abort(new Error("stop now"));
			try { for (;;) { if ((await r.read()).done) return "ended"; } } catch (e) { return e.message; }`, Want: `"stop now"`},
		{Name: "small body of known length", Src: `const res = await fetch(base + "/upload", { method: "POST", body: "hi" });
			const r = res.body.getReader(); const a = await r.read(); return [a.value.length > 0, (await r.read()).done]`, Want: `[true,true]`},
		{Name: "constructed response from a string", Src: `const r = new Response("héllo").body.getReader(); const a = await r.read();
			return [Array.from(a.value), (await r.read()).done]`, Want: `[[104,195,169,108,108,111],true]`},
		{Name: "constructed response from a stream", Src: `const rs = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("a")); c.enqueue(new TextEncoder().encode("b")); c.close(); } });
			const res = new Response(rs); return [res.body === rs, await res.text(), res.bodyUsed]`, Want: `[true,"ab",true]`},
		{Name: "stream chunks must be bytes", Src: `const rs = new ReadableStream({ start(c) { c.enqueue("text"); c.close(); } });
			try { await new Response(rs).text(); } catch (e) { return e.message; }`, Want: `"Body: a body stream must give Uint8Array chunks, not string."`},
		{Name: "null body", Src: `return [new Response(null).body, new Response(null, { status: 204 }).body]`, Want: `[null,null]`},
		{Name: "204 from the network", Src: `const res = await fetch(base + "/empty"); return [res.status, res.body, await res.text()]`, Want: `[204,null,""]`},
		{Name: "blob stream", Src: `const r = new Blob(["ab", "c"]).stream().getReader(); return new TextDecoder().decode((await r.read()).value)`, Want: `"abc"`},
	})
}

// TestResponseBodyBackpressure: Go reads a streamed body only as JS pulls
// it, so a server flooding the connection is held back by TCP once the
// socket buffers fill; it does not get its 256 MiB out.
func TestResponseBodyBackpressure(t *testing.T) {
	srv := newStreamAPI(t)
	rt := newRuntime(t, jsrt.Options{}, Options{})
	got, err := run(t, rt, srv.URL, `const res = await fetch(base + "/flood"); const r = res.body.getReader();
		const first = await r.read(); await new Promise((ok) => setTimeout(ok, 400));
		globalThis.held = r; return first.value.length > 0`)
	if err != nil || got != "true" {
		t.Fatal(got, err)
	}
	// Loopback socket buffers hold a few MiB; reading ahead would take
	// everything (a whole read stops at 32 MiB, MaxBodyBytes).
	if w := srv.written.Load(); w > 16<<20 {
		t.Fatalf("the server wrote %d MiB while JS read one chunk", w>>20)
	}
	if _, err := run(t, rt, srv.URL, `await held.cancel(); return 1`); err != nil {
		t.Fatal(err)
	}
}

// TestStreamedBodyOutlivesTheCallTimeout: the call timeout bounds a
// fetch until its headers; a body read as a stream may take longer.
func TestStreamedBodyOutlivesTheCallTimeout(t *testing.T) {
	srv := newSSEServer(t, 4, 100*time.Millisecond)
	rt := newRuntime(t, jsrt.Options{CallTimeout: 200 * time.Millisecond}, Options{})
	// The streams' JS is compiled first (slow under the race detector), so
	// the time limit covers only the fetch.
	got, err := run(t, rt, srv.URL, `new ReadableStream(); const res = await fetch(base); let n = 0; const r = res.body.getReader();
		for (let x = await r.read(); !x.done; x = await r.read()) n += x.value.length; return n > 0`)
	if err != nil || got != "true" {
		t.Fatalf("got %s, %v", got, err)
	}
	// Read whole, the same body must be complete within the call timeout.
	_, err = run(t, rt, srv.URL, `await (await fetch(base)).text()`)
	if err == nil || !strings.Contains(err.Error(), "the response was not complete within") {
		t.Fatalf("text() of a slow body: %v", err)
	}
}

func TestRequestBodyStream(t *testing.T) {
	srv := newStreamAPI(t)
	rt := newRuntime(t, jsrt.Options{}, Options{})
	const body = `const enc = new TextEncoder(); let i = 0;
		const body = new ReadableStream({ async pull(c) {
			await new Promise((ok) => setTimeout(ok, 5));
			if (i < 3) c.enqueue(enc.encode("part" + i++ + ";")); else c.close();
		} });`
	jstest.RunOn(t, rt, map[string]any{"base": srv.URL}, []jstest.Case{
		{Name: "streamed upload", Src: body + `const res = await fetch(base + "/upload", { method: "POST", body, duplex: "half", headers: { "content-type": "text/plain" } });
			return await res.json()`, Want: `{"body":"part0;part1;part2;","chunked":true,"err":"<nil>","type":"text/plain"}`},
		{Name: "through a Request", Src: body + `const req = new Request(base + "/upload", { method: "PUT", body, duplex: "half" });
			return [req.body === body, (await (await fetch(req)).json()).body]`, Want: `[true,"part0;part1;part2;"]`},
		{Name: "duplex is required", Src: body + `try { await fetch(base + "/upload", { method: "POST", body }); } catch (e) { return e.message; }`,
			Want: `"fetch: a ReadableStream body needs duplex: 'half' in the options (the request is sent as the stream is read)."`},
		{Name: "a failing stream fails the request", Src: `const body = new ReadableStream({ pull(c) { c.error(new Error("disk gone")); } });
			try { await fetch(base + "/upload", { method: "POST", body, duplex: "half" }); } catch (e) { return e.message; }`,
			Want: `"fetch failed: the request body stream failed: disk gone"`},
		{Name: "a locked stream", Src: `const body = new ReadableStream(); body.getReader();
			try { await fetch(base + "/upload", { method: "POST", body, duplex: "half" }); } catch (e) { return e.message; }`,
			Want: `"fetch: the body stream is locked (a reader holds it); pass an unread stream."`},
		{Name: "GET with a stream", Src: `try { await fetch(base, { body: new ReadableStream(), duplex: "half" }); } catch (e) { return e.message; }`,
			Want: `"Request with GET/HEAD method cannot have body."`},
	})
}
