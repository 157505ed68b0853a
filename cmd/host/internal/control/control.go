// Package control is the local control channel of a long-running host
// process of a data dir (`host serve`, `host mcp`): HTTP with JSON bodies
// over a channel only the user can reach (a unix socket in DATA_DIR/serve,
// a directory only the user may enter; see listen and dial for each
// platform). Each process names its channel: the serve "control", each
// host mcp "mcp-PID". What a process answers is its own (package serve,
// package cmd/mcp); every one answers:
//
//	GET  /status                  -> [{id, ...}] the plugins it runs
//	POST /cleared {plugin, kind}  -> {} (host data cleared a kind of the
//	                                 plugin's data; "not found" when it
//	                                 does not run the plugin)
//
// Errors are {"error": {"kind", "message"}} with a non-2xx status.
package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ServeName is the channel of `host serve`.
const ServeName = "control"

// mcpPrefix starts the channel name of each `host mcp`.
const mcpPrefix = "mcp-"

// MCPName is the channel of the `host mcp` with process id pid.
func MCPName(pid int) string { return mcpPrefix + strconv.Itoa(pid) }

// ErrRunning is returned by Listen when a process already answers on the
// channel.
var ErrRunning = errors.New("a process already answers on this control channel")

// ErrUnsupported is returned by Listen where the platform has no control
// channel yet (Windows).
var ErrUnsupported = errors.New("the control channel is not available on this platform yet")

// RemoteError is an error a process reported for a request.
type RemoteError struct {
	Kind    string `json:"kind"` // "not found", "not active", "worker", "call", ...
	Message string `json:"message"`
}

func (e *RemoteError) Error() string { return e.Message }

// WriteJSON answers v with code.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// WriteErr answers e with code.
func WriteErr(w http.ResponseWriter, code int, e *RemoteError) {
	WriteJSON(w, code, map[string]*RemoteError{"error": e})
}

// Listen opens the channel name of dataDir. It fails with ErrRunning when
// a process already answers there.
func Listen(dataDir, name string) (net.Listener, error) { return listen(dataDir, name) }

// Serve answers the channel on ln with h until ctx ends or stop is
// called (which returns once the socket is gone).
func Serve(ctx context.Context, ln net.Listener, h http.Handler) (stop func()) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	stop = sync.OnceFunc(func() {
		_ = srv.Close()
		_ = ln.Close() // Serve may not have taken it yet
	})
	go func() {
		<-ctx.Done()
		stop()
	}()
	return stop
}

// Client talks to the process answering a channel.
type Client struct {
	hc  *http.Client
	who string // "the serve", in errors
}

// Dial connects to the process answering the channel name of dataDir
// (who names it in errors: "the serve"); it fails when none answers.
func Dial(dataDir, name, who string) (*Client, error) {
	conn, err := dial(dataDir, name)
	if err != nil {
		return nil, err
	}
	// The probe's connection is not kept for the first request: that may
	// come much later than the server's ReadHeaderTimeout (a test, or a
	// command, that waits before its first call), and a request on a
	// connection the server has closed fails with EOF (a POST is not
	// retried). A unix socket's connect costs microseconds.
	_ = conn.Close()
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dial(dataDir, name)
		},
		DisableCompression: true,
	}}
	return &Client{hc: hc, who: who}, nil
}

// HTTP is the client's HTTP client (URLs: http://serve/PATH).
func (c *Client) HTTP() *http.Client { return c.hc }

// Do sends body (JSON; nil: none) to path and decodes the answer into
// out; a *RemoteError when the process answered one.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://serve"+path, rd)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s did not answer: %w", c.who, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s did not answer: %w", c.who, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error *RemoteError }
		if json.Unmarshal(b, &e) == nil && e.Error != nil {
			return e.Error
		}
		return fmt.Errorf("%s answered %s", c.who, resp.Status)
	}
	return json.Unmarshal(b, out)
}

// Close closes the client's connections.
func (c *Client) Close() { c.hc.CloseIdleConnections() }

// Cleared is POST /cleared's request.
type Cleared struct {
	Plugin string `json:"plugin"`
	Kind   string `json:"kind"` // store.DataKind
}

// Cleared tells the process that kind (a store.DataKind) of plugin's data
// was cleared (host data). A *RemoteError of Kind "not found" says it
// does not run that plugin.
func (c *Client) Cleared(ctx context.Context, plugin, kind string) error {
	var out struct{}
	return c.Do(ctx, "POST", "/cleared", Cleared{Plugin: plugin, Kind: kind}, &out)
}

// Runs reports whether the process runs plugin id (GET /status).
func (c *Client) Runs(ctx context.Context, id string) (bool, error) {
	var out []struct {
		ID string `json:"id"`
	}
	if err := c.Do(ctx, "GET", "/status", nil, &out); err != nil {
		return false, err
	}
	for _, p := range out {
		if p.ID == id {
			return true, nil
		}
	}
	return false, nil
}

// A Peer is a process answering a channel of the data dir.
type Peer struct {
	*Client
	Name string // its channel: ServeName, MCPName(PID)
	PID  int    // a host mcp's process id (0: the serve)
}

// Who says which process p is: "the serve", "the host mcp (pid 1234)".
func (p Peer) Who() string {
	if p.Name == ServeName {
		return "the serve"
	}
	return fmt.Sprintf("the host mcp (pid %d)", p.PID)
}

// DialAll connects to every process answering a channel of dataDir: the
// serve first, then each host mcp. A channel nothing answers on is
// skipped, and a host mcp's removed when its process is gone (killed: it
// could not remove it). Close each peer's client.
func DialAll(dataDir string) []Peer {
	var out []Peer
	for _, name := range names(dataDir) {
		p := Peer{Name: name}
		if name != ServeName {
			pid, err := strconv.Atoi(strings.TrimPrefix(name, mcpPrefix))
			if err != nil || !strings.HasPrefix(name, mcpPrefix) {
				continue
			}
			p.PID = pid
		}
		c, err := Dial(dataDir, name, p.Who())
		if err != nil {
			if p.PID != 0 {
				removeStale(dataDir, name, p.PID, err)
			}
			continue
		}
		p.Client = c
		out = append(out, p)
	}
	return out
}
