package serve

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"host/bindings/plugin"
	"host/cmd/host/internal/mcpserver"
)

// Asking the user during a call the serve forwards: a tool marked
// approval: 'always' is asked about by its worker through a form
// elicitation (mcpserver.ApprovalMeta); the supervisor hands it to the
// call it belongs to: an MCP client's (serve --http) or the caller of the
// control channel's POST /call, which asks in its terminal (host call).
//
//	POST /call {plugin, tool, args, approve: true}
//	    -> NDJSON: {"approval": {id, request}} lines, then {"result": ...}
//	       or {"error": {...}}
//	POST /approval {id, decision | unavailable} -> {}

// errCallTimeout is the cause of a call that ran out of time.
var errCallTimeout = errors.New("the tool call timed out")

// deadline is a call's time limit, stopped while the user is asked.
type deadline struct {
	mu     sync.Mutex
	d      time.Duration
	t      *time.Timer
	asking int
}

func newDeadline(d time.Duration, fire func()) *deadline {
	return &deadline{d: d, t: time.AfterFunc(d, fire)}
}

func (dl *deadline) stop() { dl.t.Stop() }

// pausing is c with its Elicit stopping the deadline while it waits (the
// full limit starts again after the answer).
func (dl *deadline) pausing(c *mcpserver.Call) *mcpserver.Call {
	if c.Elicit == nil {
		return c
	}
	c2 := *c
	elicit := c.Elicit
	c2.Elicit = func(ctx context.Context, p *mcp.ElicitParams) (*mcp.ElicitResult, error) {
		dl.mu.Lock()
		if dl.asking == 0 {
			dl.t.Stop()
		}
		dl.asking++
		dl.mu.Unlock()
		defer func() {
			dl.mu.Lock()
			dl.asking--
			if dl.asking == 0 {
				dl.t.Reset(dl.d)
			}
			dl.mu.Unlock()
		}()
		return elicit(ctx, p)
	}
	return &c2
}

// elicit hands a worker's elicitation to the call it belongs to (see
// asking). When none can take it, a tool's question is declined and an
// approval refused with the reason (never taken as the user's "deny").
func (cs *calls) elicit(ctx context.Context, p *mcp.ElicitParams) (*mcp.ElicitResult, error) {
	c := cs.asking(p.Meta, func(c *mcpserver.Call) bool { return c.Elicit != nil })
	if c == nil {
		if _, isApproval := mcpserver.ApprovalOf(p); isApproval {
			return mcpserver.ApprovalReply("", "whoever called it through the serve cannot be asked"), nil
		}
		return &mcp.ElicitResult{Action: "decline"}, nil
	}
	q := *p
	q.Meta = untagged(q.Meta)
	return c.Elicit(ctx, &q)
}

// approvals are the questions the control channel's callers have yet to
// answer, by id.
type approvals struct {
	mu   sync.Mutex
	wait map[string]chan approvalAnswer
}

type approvalAnswer struct {
	Decision    plugin.Approval `json:"decision,omitempty"`
	Unavailable string          `json:"unavailable,omitempty"`
}

type approvalReq struct {
	ID string `json:"id"`
	approvalAnswer
}

// ApprovalQuestion is one approval a caller of the control channel is
// asked.
type ApprovalQuestion struct {
	ID      string                 `json:"id"`
	Request plugin.ApprovalRequest `json:"request"`
}

type callLine struct {
	Approval *ApprovalQuestion   `json:"approval,omitempty"`
	Result   *mcp.CallToolResult `json:"result,omitempty"`
	Error    *RemoteError        `json:"error,omitempty"`
}

func (a *approvals) add() (string, chan approvalAnswer) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	ch := make(chan approvalAnswer, 1)
	a.mu.Lock()
	if a.wait == nil {
		a.wait = map[string]chan approvalAnswer{}
	}
	a.wait[id] = ch
	a.mu.Unlock()
	return id, ch
}

func (a *approvals) remove(id string) {
	a.mu.Lock()
	delete(a.wait, id)
	a.mu.Unlock()
}

func (a *approvals) answer(id string, ans approvalAnswer) bool {
	a.mu.Lock()
	ch, ok := a.wait[id]
	delete(a.wait, id)
	a.mu.Unlock()
	if ok {
		ch <- ans
	}
	return ok
}

// CallAsking is Call with approve asking the user before a tool marked
// approval: 'always' runs (it answers, or returns an error saying why
// nobody can be asked: the tool is then refused with it).
func (s *Supervisor) CallAsking(ctx context.Context, name, tool string, args json.RawMessage, approve func(context.Context, plugin.ApprovalRequest) (plugin.Approval, error)) (*mcp.CallToolResult, error) {
	sl, err := s.find(name)
	if err != nil {
		return nil, err
	}
	id := sl.current().ID
	c := &mcpserver.Call{Plugin: id, Tool: tool, Input: args, Elicit: func(ctx context.Context, p *mcp.ElicitParams) (*mcp.ElicitResult, error) {
		r, ok := mcpserver.ApprovalOf(p)
		if !ok {
			return &mcp.ElicitResult{Action: "decline"}, nil // a tool's own question: host call has no form
		}
		a, err := approve(ctx, r)
		if err != nil {
			var ae *plugin.ApprovalError
			if errors.As(err, &ae) && ae.Reason != "" {
				return mcpserver.ApprovalReply("", ae.Reason), nil
			}
			return mcpserver.ApprovalReply("", err.Error()), nil
		}
		return mcpserver.ApprovalReply(a, ""), nil
	}}
	return s.call(ctx, id, tool, args, c)
}

// callAsking answers POST /call with approve: the call's approvals and
// its end as NDJSON lines.
func (s *Supervisor) callAsking(w http.ResponseWriter, r *http.Request, req callReq) {
	fl, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	var mu sync.Mutex
	send := func(l callLine) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := json.Marshal(l)
		_, _ = w.Write(append(b, '\n'))
		if fl != nil {
			fl.Flush()
		}
	}
	res, err := s.CallAsking(r.Context(), req.Plugin, req.Tool, req.Args, func(ctx context.Context, q plugin.ApprovalRequest) (plugin.Approval, error) {
		id, ch := s.approvals.add()
		defer s.approvals.remove(id)
		send(callLine{Approval: &ApprovalQuestion{ID: id, Request: q}})
		select {
		case a := <-ch:
			if a.Unavailable != "" {
				return "", &plugin.ApprovalError{Plugin: q.Plugin, Tool: q.Tool, Reason: a.Unavailable}
			}
			return a.Decision, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	})
	if err != nil {
		send(callLine{Error: remoteError(err)})
		return
	}
	send(callLine{Result: res})
}

func (s *Supervisor) approvalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /approval", func(w http.ResponseWriter, r *http.Request) {
		var req approvalReq
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeErr(w, &RemoteError{Kind: "call", Message: "bad request: " + err.Error()})
			return
		}
		if !s.approvals.answer(req.ID, req.approvalAnswer) {
			writeErr(w, &RemoteError{Kind: "call", Message: "no approval " + req.ID + " is waiting (the call ended)"})
			return
		}
		writeJSON(w, http.StatusOK, struct{}{})
	})
}

// CallAsking calls a tool on the serve's instance of plugin id as Call does;
// before a tool marked approval: 'always' runs, approve asks the user (in
// the caller's terminal) or says why nobody can be asked (an error).
func (c *Client) CallAsking(ctx context.Context, id, tool string, args json.RawMessage, approve func(context.Context, plugin.ApprovalRequest) (plugin.Approval, error)) (*mcp.CallToolResult, error) {
	b, _ := json.Marshal(callReq{Plugin: id, Tool: tool, Args: args, Approve: true})
	req, err := http.NewRequestWithContext(ctx, "POST", "http://serve/call", bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("the serve did not answer: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var e struct{ Error *RemoteError }
		if json.NewDecoder(resp.Body).Decode(&e) == nil && e.Error != nil {
			return nil, e.Error
		}
		return nil, fmt.Errorf("the serve answered %s", resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for sc.Scan() {
		var l callLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("the serve's answer: %w", err)
		}
		switch {
		case l.Approval != nil:
			var ans approvalAnswer
			a, err := approve(ctx, l.Approval.Request)
			if err != nil {
				var ae *plugin.ApprovalError
				if errors.As(err, &ae) && ae.Reason != "" {
					ans.Unavailable = ae.Reason
				} else {
					ans.Unavailable = err.Error()
				}
			} else {
				ans.Decision = a
			}
			var out struct{}
			if err := c.do(ctx, "POST", "/approval", approvalReq{ID: l.Approval.ID, approvalAnswer: ans}, &out); err != nil {
				var re *RemoteError
				if !errors.As(err, &re) {
					return nil, err
				}
				// The call ended meanwhile (its worker did): the stream
				// says how.
			}
		case l.Error != nil:
			return nil, l.Error
		case l.Result != nil:
			return l.Result, nil
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("the serve did not answer: %w", err)
	}
	return nil, errors.New("the serve ended the call without a result")
}
