package serve

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/cmd/host/internal/control"
	"host/cmd/host/internal/trim"
)

// The control channel (package control: HTTP with JSON bodies over a
// channel only the user can reach, named control.ServeName). A running
// serve answers:
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

// errNoPipe: the control channel on Windows is to be a named pipe with the
// user's ACL; until then a serve runs without one.
var errNoPipe = errors.New("the serve's control channel (host status, host call through the serve) is not available on Windows yet")

// RemoteError is an error the serve reported for a request (Kind: "not
// found", "not active", "worker", "call", "no page").
type RemoteError = control.RemoteError

type callReq struct {
	Plugin string          `json:"plugin"`
	Tool   string          `json:"tool"`
	Args   json.RawMessage `json:"args,omitempty"`
	// Approve: the caller can ask the user (approval.go); the answer is
	// then a stream of lines.
	Approve bool `json:"approve,omitempty"`
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
		var req control.Cleared
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

func writeJSON(w http.ResponseWriter, code int, v any) { control.WriteJSON(w, code, v) }

func writeErr(w http.ResponseWriter, e *RemoteError) {
	code := http.StatusInternalServerError
	switch e.Kind {
	case "not found":
		code = http.StatusNotFound
	case "not active", "no page":
		code = http.StatusConflict
	}
	control.WriteErr(w, code, e)
}

// Listen opens the control channel of dataDir. It fails with ErrRunning
// when a serve already answers there.
func Listen(dataDir string) (net.Listener, error) {
	ln, err := control.Listen(dataDir, control.ServeName)
	switch {
	case errors.Is(err, control.ErrRunning):
		return nil, ErrRunning
	case errors.Is(err, control.ErrUnsupported):
		return nil, errNoPipe
	}
	return ln, err
}

// ServeControl answers the control channel on ln until ctx ends.
func (s *Supervisor) ServeControl(ctx context.Context, ln net.Listener) {
	h := s.Handler()
	served := make(chan struct{}, 1)
	go s.trimAfterRequests(served)
	_ = control.Serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		select {
		case served <- struct{}{}:
		default:
		}
	}))
}

// requestsQuiet is how long the control channel stays quiet after a
// request before the supervisor trims.
const requestsQuiet = 2 * time.Second

// trimAfterRequests trims the supervisor again once its control channel
// has been quiet for requestsQuiet after requests (host status, host call,
// host reload...): answering one maps the code it ran and leaves its
// garbage, and an idle serve kept them, 6 MiB more PSS after one host
// status (issue 23 §3). The next request maps back what it runs.
func (s *Supervisor) trimAfterRequests(served <-chan struct{}) {
	for {
		select {
		case <-served:
		case <-s.ctx.Done():
			return
		}
		t := time.NewTimer(requestsQuiet)
		for quiet := false; !quiet; {
			select {
			case <-served:
				t.Reset(requestsQuiet)
			case <-t.C:
				quiet = true
			case <-s.ctx.Done():
				t.Stop()
				return
			}
		}
		trim.Idle()
		if s.opts.Trace != nil {
			s.opts.Trace("serve trimmed")
		}
	}
}

// Client talks to the serve running for a data dir.
type Client struct {
	cc *control.Client
	hc *http.Client
}

// Dial connects to the serve running for dataDir, or returns ErrNoServe.
func Dial(dataDir string) (*Client, error) {
	cc, err := control.Dial(dataDir, control.ServeName, "the serve")
	if err != nil {
		return nil, ErrNoServe
	}
	return &Client{cc: cc, hc: cc.HTTP()}, nil
}

func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	return c.cc.Do(ctx, method, path, body, out)
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
	return c.cc.Cleared(ctx, plugin, kind)
}

// Close closes the client's connections.
func (c *Client) Close() { c.cc.Close() }
