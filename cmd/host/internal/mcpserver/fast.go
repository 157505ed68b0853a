package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	segjson "github.com/segmentio/encoding/json"
)

// The HTTP fast path: a tools/call that needs nothing of a stream is
// answered without the SDK's per-request machinery, as measured under the
// MCP benchmark (BenchmarkMCPHTTPToolCall): the SDK's streamable handler
// decodes a message three or four times (each with a fresh 32 KiB decoder
// buffer: a third of the serve's CPU went to allocating, zeroing and
// collecting them), builds a session per 2026-07-28 request, and answers
// with an event stream (a priming event and a flush per event). The fast
// path reads the message once, runs the call through the same runCall as
// the SDK's handler, and answers application/json.
//
// It serves only what it can serve exactly as the SDK's path would; every
// other request takes the full path: a single tools/call request (no
// batch), jsonrpc "2.0", an integer or string id, params of name,
// arguments (an object) and _meta, a tool registered now (without
// x-mcp-header parameters), and a client that cannot be asked anything
// during the call (no elicitation, no sampling, no tasks extension, no
// progress token, no log level: nothing would travel on a stream). On
// 2026-07-28: the _meta holds the revision (the same as the header's) and
// the client's capabilities, nothing else, and Mcp-Method and Mcp-Name
// match the body. On 2025-11-25 and earlier: a live, initialized session
// of the same user, in the revision its header names, with no Mcp-Method
// or Mcp-Name header that disagrees, and no _meta.

// fastTool is a registered tool the fast path may call.
type fastTool struct{ plugin, tool string }

// fastRequest is a tools/call the fast path serves.
type fastRequest struct {
	id      jsonrpc.ID
	name    string
	args    json.RawMessage
	version string // the request's revision
	ss      *mcp.ServerSession
	caps    *mcp.ClientCapabilities
	tool    fastTool
}

// fastCall serves r when the fast path can; false means it did not touch
// w and r (its body is put back) must take the full path. user is who
// Authorize said sends r ("" without Authorize).
func (s *Server) fastCall(w http.ResponseWriter, r *http.Request, sessionless bool, caps *sessionCaps, user string) bool {
	if s.noFast || r.Method != http.MethodPost || r.Body == nil || !jsonRequest(r) {
		return false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, mcp.DefaultMaxRequestBodyBytes+1))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
	if err != nil || len(body) > mcp.DefaultMaxRequestBodyBytes || !bytes.Contains(body, []byte(`"tools/call"`)) {
		return false
	}
	fr, ok := s.parseFast(body, r.Header, sessionless)
	if !ok {
		return false
	}
	ctx := r.Context()
	if sessionless {
		if !s.fastSessionless(fr, r.Header) {
			return false
		}
	} else {
		var release func()
		if ctx, release, ok = s.fastSession(fr, r, caps, user); !ok {
			return false
		}
		defer release()
	}
	c := &fastCaller{c: fr.caps}
	var res *mcp.CallToolResult
	var raw json.RawMessage
	if rc, ok := s.b.(RawCaller); ok {
		call := newCall(fr.tool.plugin, fr.tool.tool, fr.args, c)
		if raw, err = rc.CallToolRaw(ctx, call); err != nil {
			raw = nil
			res, err = s.finishCall(ctx, call, c, nil, err)
		}
	} else {
		res, err = s.runCall(ctx, fr.tool.plugin, fr.tool.tool, fr.args, c)
	}
	if err == nil && res == nil && raw == nil {
		err = errors.New("the tool gave no result")
	}
	resp := &jsonrpc.Response{ID: fr.id}
	var je *jsonrpc.Error
	switch {
	case raw != nil:
		// The worker's result as it wrote it (masked there).
		resp.Result = raw
		if fr.version >= "2026-07-28" {
			resp.Result = s.completedRaw(raw)
		}
	case err == nil:
		out := *res
		if out.Content == nil {
			out.Content = []mcp.Content{} // as the SDK: no "null"
		}
		newRev := fr.version >= "2026-07-28"
		if newRev && len(out.Meta) > 0 {
			// As the SDK's answer in this revision: the server's
			// identity in _meta (below when there is no _meta).
			m := make(mcp.Meta, len(out.Meta)+1)
			for k, v := range out.Meta {
				m[k] = v
			}
			if _, ok := m[mcp.MetaKeyServerInfo]; !ok {
				m[mcp.MetaKeyServerInfo] = s.impl
			}
			out.Meta = m
		}
		resp.Result, err = json.Marshal(&out)
		if err != nil {
			resp.Result, resp.Error = nil, &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: err.Error()}
		} else if newRev {
			resp.Result = s.completed(resp.Result, len(out.Meta) == 0)
		}
	case errors.As(err, &je):
		resp.Error = je
	case ctx.Err() != nil:
		// The client went away or cancelled the call: no answer, as the
		// specification asks of a cancelled request.
		return true
	default:
		resp.Error = &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: s.opts.Masker.Mask(err.Error())}
	}
	var data []byte
	if resp.Error == nil {
		data = encodeResult(fr.id, resp.Result)
	} else if data, err = jsonrpc.EncodeMessage(resp); err != nil {
		data, _ = jsonrpc.EncodeMessage(&jsonrpc.Response{ID: fr.id, Error: &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "encoding the result: " + err.Error()}})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return true
}

// encodeResult is the response of id with result (compact JSON), as
// jsonrpc.EncodeMessage writes it, without compacting result again.
func encodeResult(id jsonrpc.ID, result []byte) []byte {
	var idJSON []byte
	if v, ok := id.Raw().(float64); ok && v == float64(int64(v)) && v <= 1<<53 && v >= -(1<<53) {
		idJSON = strconv.AppendInt(nil, int64(v), 10)
	} else {
		idJSON = marshalNoEscape(id.Raw())
	}
	out := make([]byte, 0, len(result)+len(idJSON)+36)
	out = append(append(out, `{"jsonrpc":"2.0","id":`...), idJSON...)
	out = append(append(append(out, `,"result":`...), result...), '}')
	return out
}

// marshalNoEscape is v in JSON as the SDK's jsonrpc writes it (no HTML
// escaping).
func marshalNoEscape(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return []byte("null")
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// completed is a result (a JSON object) as the SDK answers it on
// 2026-07-28: a complete result (the SDK's field for it is its own), with
// the server's identity as its _meta when it had none (addMeta).
func (s *Server) completed(res []byte, addMeta bool) []byte {
	out := make([]byte, 0, len(res)+len(s.serverInfo)+32)
	if addMeta && len(res) > 2 {
		out = append(append(append(out, `{"_meta":`...), s.serverInfo...), ',')
		res = res[1:]
	}
	out = append(out, res...)
	if !bytes.Contains(res, []byte(`"resultType"`)) {
		out = append(out[:len(out)-1], `,"resultType":"complete"}`...)
	}
	return out
}

// completedRaw is completed for a result whose _meta is not known.
func (s *Server) completedRaw(raw json.RawMessage) json.RawMessage {
	if !bytes.Contains(raw, []byte(`"_meta"`)) {
		return s.completed(raw, true)
	}
	var res map[string]json.RawMessage
	if json.Unmarshal(raw, &res) != nil {
		return raw
	}
	meta := map[string]json.RawMessage{}
	if m, ok := res["_meta"]; ok && json.Unmarshal(m, &meta) != nil {
		return raw
	}
	if _, ok := meta[mcp.MetaKeyServerInfo]; !ok {
		meta[mcp.MetaKeyServerInfo], _ = json.Marshal(s.impl)
	}
	res["_meta"], _ = json.Marshal(meta)
	out, err := json.Marshal(res)
	if err != nil {
		return raw
	}
	return s.completed(out, false)
}

// jsonRequest reports whether r sends JSON and takes both JSON and event
// streams, as the transport requires (anything else: the full path, which
// says what is wrong).
func jsonRequest(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return false
	}
	accept := strings.Join(r.Header.Values("Accept"), ",")
	return strings.Contains(accept, "application/json") && strings.Contains(accept, "text/event-stream")
}

// fastWire is a tools/call as the fast path reads it.
type fastWire struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  *struct {
		Name      *string         `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
		// Only the keys of a 2026-07-28 request's _meta (any other key
		// fails the decoding: the full path). A struct, not a map: the
		// decoder's map took 10 KiB per request.
		Meta *struct {
			ProtocolVersion    *string   `json:"io.modelcontextprotocol/protocolVersion"`
			ClientCapabilities *fastCaps `json:"io.modelcontextprotocol/clientCapabilities"`
		} `json:"_meta"`
	} `json:"params"`
}

// fastCaps are the client capabilities that cannot be used during a call
// (any other fails the decoding: the full path).
type fastCaps struct {
	Roots        json.RawMessage `json:"roots"`
	Experimental json.RawMessage `json:"experimental"`
}

// fastFlags decode as the SDK does (keys matched exactly: it uses the
// same library), refusing what the fast path does not know.
const fastFlags = segjson.DisallowUnknownFields | segjson.DontMatchCaseInsensitiveStructFields

// parseFast decodes a tools/call the fast path can serve.
func (s *Server) parseFast(body []byte, h http.Header, sessionless bool) (*fastRequest, bool) {
	var msg fastWire
	rest, err := segjson.Parse(body, &msg, fastFlags)
	if err != nil || len(bytes.TrimSpace(rest)) > 0 || msg.JSONRPC != "2.0" || msg.Method != "tools/call" || msg.Params == nil || msg.Params.Name == nil {
		return nil, false
	}
	fr := &fastRequest{name: *msg.Params.Name}
	rawID := bytes.TrimSpace(msg.ID)
	switch {
	case len(rawID) > 0 && rawID[0] == '"':
		var id string
		if json.Unmarshal(rawID, &id) != nil {
			return nil, false
		}
		fr.id, _ = jsonrpc.MakeID(id)
	default:
		n, err := strconv.ParseInt(string(rawID), 10, 64)
		if err != nil || n > 1<<53 || n < -(1<<53) {
			return nil, false // the SDK's ids go through a float64
		}
		fr.id, _ = jsonrpc.MakeID(float64(n))
	}
	if a := bytes.TrimSpace(msg.Params.Arguments); len(a) > 0 {
		if a[0] != '{' {
			return nil, false
		}
		fr.args = a
	}
	meta := msg.Params.Meta
	if !sessionless {
		if meta != nil && (meta.ProtocolVersion != nil || meta.ClientCapabilities != nil) {
			return nil, false
		}
	} else {
		// Only capabilities that cannot be used during a call (fastCaps:
		// any other failed the decoding).
		if meta == nil || meta.ProtocolVersion == nil || *meta.ProtocolVersion == "" || meta.ClientCapabilities == nil {
			return nil, false
		}
		fr.version = *meta.ProtocolVersion
		fr.caps = &mcp.ClientCapabilities{}
	}
	for k := range h {
		if strings.HasPrefix(k, "Mcp-Param-") {
			return nil, false
		}
	}
	if m := h.Get("Mcp-Method"); m != "" && m != "tools/call" {
		return nil, false
	}
	if n := h.Get("Mcp-Name"); n != "" && n != fr.name {
		return nil, false
	}
	s.mu.Lock()
	tool, ok := s.fast[fr.name]
	s.mu.Unlock()
	fr.tool = tool
	return fr, ok
}

// fastSessionless checks a 2026-07-28 request as the SDK would, beyond
// what parseFast did.
func (s *Server) fastSessionless(fr *fastRequest, h http.Header) bool {
	if h.Get("Mcp-Protocol-Version") != fr.version || h.Get("Mcp-Method") != "tools/call" || h.Get("Mcp-Name") != fr.name || h.Get("Mcp-Session-Id") != "" {
		return false
	}
	return fr.version >= "2026-07-28" && slices.Contains(s.versions, fr.version)
}

// fastSession finds r's session for a call on 2025-11-25 and earlier and
// checks what the SDK checks; the call's context ends too when the client
// cancels it (notifications/cancelled). release forgets the call.
func (s *Server) fastSession(fr *fastRequest, r *http.Request, caps *sessionCaps, user string) (context.Context, func(), bool) {
	sid := r.Header.Get("Mcp-Session-Id")
	if sid == "" || !caps.fastOK(sid, user) {
		return nil, nil, false
	}
	for ss := range s.mcp.Sessions() {
		if ss.ID() == sid {
			fr.ss = ss
			break
		}
	}
	if fr.ss == nil {
		return nil, nil, false
	}
	ip := fr.ss.InitializeParams()
	if ip == nil || ip.ProtocolVersion == "" || r.Header.Get("Mcp-Protocol-Version") != ip.ProtocolVersion || ip.ProtocolVersion >= "2026-07-28" {
		return nil, nil, false
	}
	c := ip.Capabilities
	if c != nil && (c.Elicitation != nil || c.Sampling != nil || len(c.Extensions) > 0) {
		return nil, nil, false
	}
	fr.version, fr.caps = ip.ProtocolVersion, c
	s.mu.Lock()
	if s.levels[fr.ss] || !s.initialized[fr.ss] {
		// Logs travel on the call's stream; a session not yet
		// initialized gets the SDK's answer.
		s.mu.Unlock()
		return nil, nil, false
	}
	ctx, cancel := context.WithCancel(r.Context())
	key := cancelKey(sid, fr.id)
	s.fastCalls[key] = cancel
	s.mu.Unlock()
	return ctx, func() {
		s.mu.Lock()
		delete(s.fastCalls, key)
		s.mu.Unlock()
		cancel()
	}, true
}

// cancelKey names a fast call for notifications/cancelled.
func cancelKey(session string, id any) string {
	if v, ok := id.(jsonrpc.ID); ok {
		id = v.Raw()
	}
	switch v := id.(type) {
	case float64:
		id = int64(v)
	case json.Number:
		if n, err := v.Int64(); err == nil {
			id = n
		}
	}
	b, _ := json.Marshal(id)
	return session + "\x00" + string(b)
}

// sessionState follows what the fast path must know of a session: its
// log level set (logs then travel on a call's stream), initialized, a
// fast call cancelled, a session gone.
func (s *Server) sessionState(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		ss, _ := req.GetSession().(*mcp.ServerSession)
		if ss == nil {
			return next(ctx, method, req)
		}
		switch method {
		case "notifications/cancelled":
			if p, ok := req.GetParams().(*mcp.CancelledParams); ok && p != nil && ss.ID() != "" {
				s.mu.Lock()
				cancel := s.fastCalls[cancelKey(ss.ID(), p.RequestID)]
				s.mu.Unlock()
				if cancel != nil {
					cancel()
				}
			}
		case "notifications/initialized":
			if ss.ID() != "" {
				s.mu.Lock()
				if !s.initialized[ss] {
					s.initialized[ss] = true
					go func() {
						_ = ss.Wait()
						s.mu.Lock()
						delete(s.initialized, ss)
						delete(s.levels, ss)
						s.mu.Unlock()
					}()
				}
				s.mu.Unlock()
			}
		}
		res, err := next(ctx, method, req)
		if method == "logging/setLevel" && err == nil {
			s.mu.Lock()
			if s.initialized[ss] {
				s.levels[ss] = true
			}
			s.mu.Unlock()
		}
		return res, err
	}
}

// fastCaller is the client of a fast call: it cannot be asked anything
// (its capabilities say so) and took no progress.
type fastCaller struct{ c *mcp.ClientCapabilities }

func (c *fastCaller) caps() *mcp.ClientCapabilities { return c.c }

func (c *fastCaller) elicit(context.Context, *mcp.ElicitParams) (*mcp.ElicitResult, error) {
	return nil, errors.New("the client takes no elicitations")
}

func (c *fastCaller) sample(context.Context, *mcp.CreateMessageParams) (*mcp.CreateMessageResult, error) {
	return nil, errors.New("the client runs no prompts")
}

func (c *fastCaller) progress(Progress)          {}
func (c *fastCaller) elicitationComplete(string) {}

// fastIdle is the share of the session timeout after which a session's
// next request takes the full path: the SDK's idle timer is reset only by
// the requests its handler serves.
const fastIdle = 2

// touched records that the SDK's handler served a request of session id.
func (c *sessionCaps) touched(id string) {
	c.mu.Lock()
	if o, ok := c.owner[id]; ok {
		o.seen = time.Now()
	}
	c.mu.Unlock()
}

// fastOK reports whether a call of session id from user may take the fast
// path: the session is one this handler opened, for that user, and the
// SDK saw it recently.
func (c *sessionCaps) fastOK(id, user string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.owner[id]
	return ok && o.user == user && time.Since(o.seen) < c.o.SessionTimeout/fastIdle
}
