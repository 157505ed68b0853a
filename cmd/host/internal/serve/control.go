package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The control channel: HTTP with JSON bodies over a channel only the user
// can reach (a unix socket in a 0700 directory of the data dir; see
// listen and dial for each platform). A running serve answers:
//
//	GET  /status                         -> []State
//	POST /call   {plugin, tool, args}    -> CallToolResult, or {error}
//	             (with approve: true, a stream asking approvals: approval.go)
//	POST /reload {plugin}                -> {state, replaced}
//	POST /cleared {plugin, kind}         -> {} (host data cleared a kind of
//	             the plugin's data; see Supervisor.Cleared)
//	GET  /page, POST /page-link ...      -> the setup page's links (pagelink.go)
//
// Errors are {"error": {"kind", "message"}} with a non-2xx status.

// ErrNoServe is returned by Dial when no serve runs for the data dir.
var ErrNoServe = errors.New("no serve is running for this data dir")

// ErrRunning is returned by Listen when a serve already runs for the data
// dir.
var ErrRunning = errors.New("a serve is already running for this data dir")

// RemoteError is an error the serve reported for a request.
type RemoteError struct {
	Kind    string `json:"kind"` // "not found", "not active", "worker", "call"
	Message string `json:"message"`
}

func (e *RemoteError) Error() string { return e.Message }

type callReq struct {
	Plugin string          `json:"plugin"`
	Tool   string          `json:"tool"`
	Args   json.RawMessage `json:"args,omitempty"`
	// Approve: the caller can ask the user (approval.go); the answer is
	// then a stream of lines.
	Approve bool `json:"approve,omitempty"`
}

type clearedReq struct {
	Plugin string `json:"plugin"`
	Kind   string `json:"kind"` // store.DataKind
}

type reloadResp struct {
	State    State `json:"state"`
	Replaced bool  `json:"replaced"`
}

// Handler is the control channel's HTTP handler for s.
func (s *Supervisor) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.States())
	})
	mux.HandleFunc("POST /call", func(w http.ResponseWriter, r *http.Request) {
		var req callReq
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeErr(w, &RemoteError{Kind: "call", Message: "bad request: " + err.Error()})
			return
		}
		if req.Approve {
			s.callAsking(w, r, req)
			return
		}
		res, err := s.Call(r.Context(), req.Plugin, req.Tool, req.Args)
		if err != nil {
			writeErr(w, remoteError(err))
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
	mux.HandleFunc("POST /reload", func(w http.ResponseWriter, r *http.Request) {
		var req callReq
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeErr(w, &RemoteError{Kind: "call", Message: "bad request: " + err.Error()})
			return
		}
		st, replaced, err := s.Reload(r.Context(), req.Plugin)
		if err != nil {
			writeErr(w, remoteError(err))
			return
		}
		writeJSON(w, http.StatusOK, reloadResp{st, replaced})
	})
	mux.HandleFunc("POST /cleared", func(w http.ResponseWriter, r *http.Request) {
		var req clearedReq
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeErr(w, &RemoteError{Kind: "call", Message: "bad request: " + err.Error()})
			return
		}
		if err := s.Cleared(req.Plugin, req.Kind); err != nil {
			writeErr(w, remoteError(err))
			return
		}
		writeJSON(w, http.StatusOK, struct{}{})
	})
	s.pageRoutes(mux)
	s.approvalRoutes(mux)
	return mux
}

func remoteError(err error) *RemoteError {
	var nf *NotFoundError
	var na *NotActiveError
	var we *WorkerError
	switch {
	case errors.As(err, &nf):
		return &RemoteError{Kind: "not found", Message: err.Error()}
	case errors.As(err, &na):
		return &RemoteError{Kind: "not active", Message: err.Error()}
	case errors.As(err, &we):
		return &RemoteError{Kind: "worker", Message: err.Error()}
	}
	return &RemoteError{Kind: "call", Message: err.Error()}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, e *RemoteError) {
	code := http.StatusInternalServerError
	switch e.Kind {
	case "not found":
		code = http.StatusNotFound
	case "not active", "no page":
		code = http.StatusConflict
	}
	writeJSON(w, code, map[string]*RemoteError{"error": e})
}

// Listen opens the control channel of dataDir. It fails with ErrRunning
// when a serve already answers there.
func Listen(dataDir string) (net.Listener, error) { return listen(dataDir) }

// ServeControl answers the control channel on ln until ctx ends.
func (s *Supervisor) ServeControl(ctx context.Context, ln net.Listener) {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
}

// Client talks to the serve running for a data dir.
type Client struct{ hc *http.Client }

// Dial connects to the serve running for dataDir, or returns ErrNoServe.
func Dial(dataDir string) (*Client, error) {
	conn, err := dial(dataDir)
	if err != nil {
		return nil, ErrNoServe
	}
	// The first request reuses the probe's connection.
	first := make(chan net.Conn, 1)
	first <- conn
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			select {
			case c := <-first:
				return c, nil
			default:
				return dial(dataDir)
			}
		},
		DisableCompression: true,
	}}
	return &Client{hc: hc}, nil
}

func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
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
		return fmt.Errorf("the serve did not answer: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("the serve did not answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error *RemoteError }
		if json.Unmarshal(b, &e) == nil && e.Error != nil {
			return e.Error
		}
		return fmt.Errorf("the serve answered %s", resp.Status)
	}
	return json.Unmarshal(b, out)
}

// Status is every plugin's state.
func (c *Client) Status(ctx context.Context) ([]State, error) {
	var out []State
	return out, c.do(ctx, "GET", "/status", nil, &out)
}

// Call calls a tool on the serve's instance of plugin.
func (c *Client) Call(ctx context.Context, plugin, tool string, args json.RawMessage) (*mcp.CallToolResult, error) {
	var raw json.RawMessage
	if err := c.do(ctx, "POST", "/call", callReq{Plugin: plugin, Tool: tool, Args: args}, &raw); err != nil {
		return nil, err
	}
	var res mcp.CallToolResult
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Reload restarts plugin in a new worker (after its setup changed); it
// returns the state afterwards and whether the new worker took over.
func (c *Client) Reload(ctx context.Context, plugin string) (State, bool, error) {
	var out reloadResp
	err := c.do(ctx, "POST", "/reload", callReq{Plugin: plugin}, &out)
	return out.State, out.Replaced, err
}

// Cleared tells the serve that kind (a store.DataKind) of plugin's data
// was cleared (host data). A *RemoteError of Kind "not found" says the
// serve does not run that plugin.
func (c *Client) Cleared(ctx context.Context, plugin, kind string) error {
	var out struct{}
	return c.do(ctx, "POST", "/cleared", clearedReq{Plugin: plugin, Kind: kind}, &out)
}

// Close closes the client's connections.
func (c *Client) Close() { c.hc.CloseIdleConnections() }
