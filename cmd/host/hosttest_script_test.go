package main

import (
	"crypto/tls"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/rogpeppe/go-internal/testscript"

	"host/bindings/oauth/oauthtest"
)

// httpbinStandin stands in for https://httpbin.org, which the SDK's test
// plugin's test_http test requests (GET /get): the scripts send it there
// with $HTTPBIN_CONNECT, its certificate trusted through SSL_CERT_FILE.
type httpbinStandin struct{ srv *httptest.Server }

func newHTTPBinStandin() *httpbinStandin {
	mux := http.NewServeMux()
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"url": "https://httpbin.org/get", "args": map[string]string{}, "headers": map[string]string{"Host": r.Host}})
	})
	s := httptest.NewUnstartedServer(mux)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	cert, err := oauthtest.SelfSigned("httpbin.org")
	if err != nil {
		panic(err)
	}
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.StartTLS()
	return &httpbinStandin{srv: s}
}

func (h *httpbinStandin) Close()       { h.srv.Close() }
func (h *httpbinStandin) Addr() string { return h.srv.Listener.Addr().String() }
func (h *httpbinStandin) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: h.srv.TLS.Certificates[0].Leaf.Raw})
}

// cmdWaitFor waits until FILE's content matches REGEXP (multi-line mode),
// polling, for up to a minute (a loaded machine's margin): `waitfor
// watch.out '^1 passed, 1 failed$'`. It is how a script follows a command
// running in the background (host test --watch writing to a file).
func cmdWaitFor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitfor FILE REGEXP")
	}
	waitFile(ts, "waitfor", args[0], args[1], 1)
}
