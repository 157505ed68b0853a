package fetch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"host/bindings/internal/jstest"
	"host/jsrt"
)

// wsEchoHandler is a WebSocket stand-in: it echoes each message ("close:CODE"
// makes it close with that code), answering subprotocol "chat.v2" when
// offered; /auth needs a bearer token.
func wsEchoHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/auth" && r.Header.Get("Authorization") == "" && r.URL.Query().Get("token") != "fake-ws-token" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/", http.StatusFound)
			return
		}
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"chat.v2"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := r.Context()
		for {
			typ, data, err := c.Read(ctx)
			if err != nil {
				return
			}
			if s := string(data); strings.HasPrefix(s, "close:") {
				var code int
				fmt.Sscanf(s, "close:%d", &code)
				c.Close(websocket.StatusCode(code), "server says bye")
				return
			}
			if err := c.Write(ctx, typ, data); err != nil {
				return
			}
		}
	})
}

func TestWebSocket(t *testing.T) {
	srv := httptest.NewServer(wsEchoHandler())
	t.Cleanup(srv.Close)
	rt := newRuntime(t, jsrt.Options{}, Options{})
	ws := "ws" + strings.TrimPrefix(srv.URL, "http")
	const open = `const ws = new WebSocket(base, ["chat.v1", "chat.v2"]); const events = [];
		const next = (type) => new Promise((ok) => ws.addEventListener(type, ok, { once: true }));
		await next("open");`
	jstest.RunOn(t, rt, map[string]any{"base": ws}, []jstest.Case{
		{Name: "text and binary echo", Src: open + `
			ws.send("hello"); const a = await next("message");
			ws.binaryType = "arraybuffer"; ws.send(new Uint8Array([1, 2, 3])); const b = await next("message");
			ws.binaryType = "blob"; ws.send(new Blob(["blob!"])); const c = await next("message");
			ws.close(); const e = await next("close");
			return [ws.protocol, a.data, a instanceof MessageEvent, a.origin, Array.from(new Uint8Array(b.data)),
				c.data instanceof Blob, await c.data.text(), e.code, e.wasClean, ws.readyState, ws.bufferedAmount]`,
			Want: `["chat.v2","hello",true,"` + "ws://" + strings.TrimPrefix(srv.URL, "http://") + `",[1,2,3],true,"blob!",1000,true,3,0]`},
		{Name: "sends keep their order", Src: open + `const got = [];
			ws.onmessage = (e) => got.push(e.data);
			for (let i = 0; i < 50; i++) ws.send(i % 7 === 0 ? new Blob(["b" + i]) : "m" + i);
			while (got.length < 50) await next("message");
			const texts = await Promise.all(got.map((d) => (typeof d === "string" ? d : d.text())));
			ws.close(4000, "done"); const e = await next("close");
			return [texts.every((x, i) => x.slice(1) === String(i)), e.code, e.reason]`,
			Want: `[true,4000,"done"]`},
		{Name: "server closes", Src: open + `ws.send("close:4001"); const e = await next("close");
			return [e instanceof CloseEvent, e.code, e.reason, e.wasClean]`, Want: `[true,4001,"server says bye",true]`},
		{Name: "handlers and readyState", Src: `const ws = new WebSocket(base); const seen = [ws.readyState];
			await new Promise((ok) => { ws.onopen = () => { seen.push(ws.readyState); ws.close(); seen.push(ws.readyState); }; ws.onclose = ok; });
			seen.push(ws.readyState); return [seen, WebSocket.OPEN, ws.CLOSED]`, Want: `[[0,1,2,3],1,3]`},
		{Name: "close while connecting", Src: `const ws = new WebSocket(base); ws.close();
			const e = await new Promise((ok) => ws.addEventListener("close", ok)); return [e.code, ws.readyState]`, Want: `[1000,3]`},
		{Name: "refused", Src: `const ws = new WebSocket(base + "/auth?token=wrong"); const seen = [];
			ws.onerror = (e) => seen.push("error: " + e.message);
			const e = await new Promise((ok) => (ws.onclose = ok)); return [seen, e.code, e.wasClean]`,
			Want: `[["error: WebSocket connection to '` + ws + `/auth' failed: failed to WebSocket dial: expected handshake response status code 101 but got 401"],1006,false]`},
		{Name: "no redirects", Src: `const ws = new WebSocket(base + "/redirect");
			const e = await new Promise((ok) => (ws.onclose = ok)); return e.code`, Want: `1006`},
		{Name: "bad arguments", Src: `const r = []; for (const f of [() => new WebSocket("ftp://x"), () => new WebSocket(base + "#x"), () => new WebSocket(base, ["a", "a"]),
			() => new WebSocket(base).send("x"), () => new WebSocket(base).close(1001), () => new WebSocket(base).close(1000, "x".repeat(124))]) {
			try { f(); r.push("ok"); } catch (e) { r.push(e.name); } } return r`,
			Want: `["SyntaxError","SyntaxError","SyntaxError","InvalidStateError","InvalidAccessError","SyntaxError"]`},
		{Name: "globals are lazy and not enumerable", Src: `return [typeof WebSocket, Object.keys(globalThis).includes("WebSocket")]`, Want: `["function",false]`},
	})
}

// TestWebSocketTLS: wss goes through the fetch client: --connect-to aims
// the name at the stand-in, and the certificate is checked against the
// client's roots (an HTTP/2-capable server still upgrades over HTTP/1.1).
func TestWebSocketTLS(t *testing.T) {
	cert := newTestCert(t)
	srv := newTLSServer(t, cert, wsEchoHandler())
	client := NewClient(ClientOptions{RootCAs: cert.pool(), ConnectTo: []ConnectTo{{Host: "api.myservice.com", ToHost: "127.0.0.1", ToPort: srv.port()}}})
	rt := newRuntime(t, jsrt.Options{}, Options{Client: client})
	jstest.RunOn(t, rt, map[string]any{"base": "wss://api.myservice.com/"}, []jstest.Case{
		{Name: "wss echo", Src: `const ws = new WebSocket(base); await new Promise((ok) => (ws.onopen = ok));
			ws.send("over tls"); const m = await new Promise((ok) => (ws.onmessage = ok)); ws.close(); return m.data`, Want: `"over tls"`},
	})
	untrusted := newRuntime(t, jsrt.Options{}, Options{Client: NewClient(ClientOptions{ConnectTo: []ConnectTo{{Host: "api.myservice.com", ToHost: "127.0.0.1", ToPort: srv.port()}}})})
	got, err := run(t, untrusted, "wss://api.myservice.com/", `const ws = new WebSocket(base); let msg;
		ws.onerror = (e) => (msg = e.message); await new Promise((ok) => (ws.onclose = ok)); return msg`)
	if err != nil || !strings.Contains(got, "certificate signed by unknown authority") {
		t.Fatalf("got %s, %v", got, err)
	}
}

// TestWebSocketClosesWithRuntime: closing the runtime ends its connections.
func TestWebSocketClosesWithRuntime(t *testing.T) {
	closed := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c.Read(context.Background())
		close(closed)
	}))
	t.Cleanup(srv.Close)
	rt := newRuntime(t, jsrt.Options{}, Options{})
	if _, err := run(t, rt, "ws"+strings.TrimPrefix(srv.URL, "http"), `const ws = new WebSocket(base); await new Promise((ok) => (ws.onopen = ok)); return 1`); err != nil {
		t.Fatal(err)
	}
	rt.Close()
	<-closed
}

// TestWebSocketThroughProxy: wss follows the client's proxy rules (a
// CONNECT tunnel through HTTPS_PROXY's proxy), as fetch does.
func TestWebSocketThroughProxy(t *testing.T) {
	cert := newTestCert(t)
	srv := newTLSServer(t, cert, wsEchoHandler())
	proxy := httptest.NewServer(forwardProxy(t, map[string]string{"api.myservice.com:443": srv.Listener.Addr().String()}))
	t.Cleanup(proxy.Close)
	proxyURL, _ := url.Parse(proxy.URL)
	client := NewClient(ClientOptions{RootCAs: cert.pool(), Proxy: http.ProxyURL(proxyURL)})
	rt := newRuntime(t, jsrt.Options{}, Options{Client: client})
	jstest.RunOn(t, rt, map[string]any{"base": "wss://api.myservice.com/"}, []jstest.Case{
		{Name: "wss through the proxy", Src: `const ws = new WebSocket(base); await new Promise((ok, no) => { ws.onopen = ok; ws.onerror = (e) => no(new Error(e.message)); });
			ws.send("tunnelled"); const m = await new Promise((ok) => (ws.onmessage = ok)); ws.close(); return m.data`, Want: `"tunnelled"`},
	})
}
